"""The person's own address and phone number where they typed them into the log.

The cover of a police or court copy says the address was left out; these tests type it
into a location, a description, a note, a caption, a witness's details and an
amendment, in the ways people write it, and read the PDF back for any trace of it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from evidence_app.cli import main
from evidence_app.core.attachments import set_caption
from evidence_app.core.dates import parse_when
from evidence_app.core.importers.files import import_files
from evidence_app.core.incidents import (
    add_note,
    create_incident,
    finish_recording,
    get_incident,
    update_incident,
)
from evidence_app.core.people import create_person, link_person
from evidence_app.core.report.personal import PersonalDetails
from evidence_app.core.settings import update_settings
from tests.report.casebuilder import photo
from tests.report.test_report_pdf import build, pages_text, squash

ADDRESS = "Flat 2\n14 Elm Road\nBristol\nBS7 8AA"
CONTACT = "07700 900123, jane.smith@example.org"
TYPED_LOCATION = "Outside my house, 14 Elm Rd, BS7 8AA"


def traces(text: str) -> list[str]:
    """Every form of the address, postcode, phone or email left in `text`."""
    bare = re.sub(r"[\s().,+\-]", "", text).lower()
    return [t for t in ("elmroad", "elmrd", "bs78aa", "7700900123", "jane.smith@")
            if t in bare]


@pytest.mark.parametrize("text", [
    "Outside my house, 14 Elm Road, BS7 8AA", "14 elm rd.", "14  ELM\nRoad", "at 14, Elm Road",
    "bs78aa", "BS7  8AA", "+44 7700 900123", "07700900123", "07700 900 123",
    "+44 (0)7700 900123", "0044 7700-900-123", "(07700) 900123", "he parked on Elm Road",
    "JANE.SMITH@EXAMPLE.ORG",
])
def test_every_way_of_writing_it_is_found_and_withheld(text):
    personal = PersonalDetails.from_settings(ADDRESS, CONTACT)
    assert personal.kinds_in(text)
    withheld = personal.withheld(text)
    assert traces(withheld) == [] and "withheld]" in withheld


@pytest.mark.parametrize("text", [
    "Bristol city centre", "BS7 8AB", "Elmer Road", "14 Elm Roadside", "077009001234",
    "Flat 2 had its lights on", "on 12/03/2025 at 14:00", "WP-2025-00123",
])
def test_near_misses_are_left_as_written(text):
    personal = PersonalDetails.from_settings(ADDRESS, CONTACT)
    assert personal.kinds_in(text) == set()
    assert personal.withheld(text) == text


def test_no_settings_find_nothing():
    personal = PersonalDetails.from_settings("", "")
    assert not personal and personal.withheld(TYPED_LOCATION) == TYPED_LOCATION


@pytest.fixture
def typed_case(case, tmp_path):
    return fill_typed(case, tmp_path)


def fill_typed(case, tmp_path: Path) -> list[int]:
    """Five incidents; the person's details typed into Nos. 2, 3 and 5, and into an
    amendment of No. 4."""
    update_settings(case, address=ADDRESS, contact=CONTACT)
    w = lambda text: parse_when(text, "Europe/London")  # noqa: E731
    ids = [
        create_incident(case, when=w("01/03/2025 10:00"), title="Silent calls",
                        category="contact_call", description="Three calls, no caller ID."),
        create_incident(case, when=w("02/03/2025 22:10"), title="Car outside",
                        category="loitering", location=TYPED_LOCATION),
        create_incident(case, when=w("04/03/2025 08:00"), title="Message",
                        category="contact_text",
                        description="He texted me on +44 7700 900 123: I know it's bs78aa."),
        create_incident(case, when=w("06/03/2025 19:30"), title="Followed home",
                        category="following", location="Station Road"),
        create_incident(case, when=w("08/03/2025 07:00"), title="Letter",
                        category="gifts_letters", description="Hand delivered."),
    ]
    add_note(case, ids[4], "Addressed to me at 14 ELM ROAD, flat 2.")
    shot = photo(tmp_path / "letter.jpg", (400, 300), "white", "letter")
    item = next(e.item for e in import_files(case, [shot], ids[4]) if e.item)
    assert item.status == "imported"
    set_caption(case, item.id, "Envelope: Jane, 14 Elm Road")
    witness = create_person(case, "Sam Neighbour", role="witness",
                            contact="ask via Jane on 07700900123")
    link_person(case, ids[1], witness)
    # An amendment (after the person left the incident they were writing): the old text
    # is in the audit trail and the court copy's appendix.
    finish_recording(case, ids[3])
    update_incident(case, ids[3], location="Station Road, then Elm Road")
    update_incident(case, ids[3], location="Station Road")
    return ids


def test_default_copy_withholds_every_trace_and_says_so(typed_case, case, tmp_path):
    result = build(case, tmp_path / "police.pdf")
    assert result.personal.withheld
    # No. 4 holds it only in an amendment's old text.
    assert result.personal.lines() == [
        "Your address appears in 4 incidents: No. 2, 3, 4, 5.",
        "Your phone number appears in 2 incidents: No. 2, 3.",
    ]
    text = squash("\n".join(pages_text(result.path)))
    assert traces(text) == []
    assert "[address withheld]" in text and "[phone number withheld]" in text
    assert "Outside my house, [address withheld]" in text
    assert "[address withheld], [address withheld]" not in text  # one address, one marker
    assert ("does not contain private notes, the address and contact details of the person "
            "keeping this log (where they were typed into the log, they read [address "
            "withheld] or [phone number withheld])") in text
    assert "NOT FOR DISCLOSURE" not in text
    # The log itself is unchanged.
    assert get_incident(case, typed_case[1]).location == TYPED_LOCATION


def test_court_copy_withholds_it_in_the_audit_appendix_too(typed_case, case, tmp_path):
    result = build(case, tmp_path / "court.pdf", profile="court")
    text = squash("\n".join(pages_text(result.path)))
    appendix = text[text.index("Appendix: audit trail"):]
    assert "[address withheld]" in appendix
    assert traces(text) == []
    assert 4 in result.personal.numbers  # found only in No. 4's amendment
    # Why the printed text would not match the hash shown beside it.
    assert ("In this copy private notes and the address and contact details typed into the "
            "log are withheld where they appear in an event; each hash is of the event as "
            "the log keeps it, in full") in appendix


def test_keeping_it_as_typed_makes_the_cover_say_so(typed_case, case, tmp_path):
    result = build(case, tmp_path / "kept.pdf", withhold_typed=False)
    assert not result.personal.withheld and result.personal.numbers == [2, 3, 4, 5]
    text = squash("\n".join(pages_text(result.path)))
    assert TYPED_LOCATION in text
    assert "the address and contact details of the person keeping this log" not in text
    assert "NOT FOR DISCLOSURE" in text
    assert ("This copy includes the address or contact details of the person keeping this "
            "log, as typed into incidents No. 2, 3, 4, 5") in text
    # The case details on the cover still hold no address.
    assert "Bristol" not in text


def test_personal_copy_prints_everything_and_finds_nothing_to_warn(typed_case, case,
                                                                   tmp_path):
    result = build(case, tmp_path / "mine.pdf", profile="personal")
    assert not result.personal
    text = squash("\n".join(pages_text(result.path)))
    assert TYPED_LOCATION in text and "withheld]" not in text


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_report_warns_and_withholds_by_default(typed_case, case, tmp_path, capsys):
    folder = case.folder
    case.close()
    out = tmp_path / "r.pdf"
    code, stdout, _ = run(capsys, "--case", str(folder), "report", "--out", str(out))
    assert code == 0
    assert ("Warning: Your address appears in 4 incidents: No. 2, 3, 4, 5. Your phone number "
            "appears in 2 incidents: No. 2, 3. In this copy it is replaced by [address "
            "withheld] or [phone number withheld]. Add --keep-typed-address to print them as "
            "written.") in stdout
    text = squash("\n".join(pages_text(out)))
    assert traces(text) == []

    kept = tmp_path / "kept.pdf"
    code, stdout, _ = run(capsys, "--case", str(folder), "report", "--out", str(kept),
                          "--keep-typed-address", "--json")
    assert code == 0
    data = json.loads(stdout)
    assert data["personal_details"] == {
        "withheld": False, "incidents": {"address": [2, 3, 4, 5], "phone": [2, 3]},
        "elsewhere": {}}
    assert TYPED_LOCATION in squash("\n".join(pages_text(kept)))


def test_cli_export_warns_and_its_manifest_holds_no_trace(typed_case, case, tmp_path,
                                                          capsys):
    folder = case.folder
    case.close()
    out = tmp_path / "bundle"
    code, stdout, _ = run(capsys, "--case", str(folder), "export", "--out", str(out))
    assert code == 0
    assert "Warning: Your address appears in 4 incidents: No. 2, 3, 4, 5." in stdout
    assert traces((out / "manifest.json").read_text(encoding="utf-8")) == []
    assert traces(squash("\n".join(pages_text(out / "evidence-report.pdf")))) == []


def test_no_warning_when_nothing_was_typed(case, tmp_path, capsys):
    update_settings(case, address=ADDRESS, contact=CONTACT)
    create_incident(case, when=parse_when("01/03/2025 10:00", "Europe/London"),
                    title="Silent calls", category="contact_call")
    folder: Path = case.folder
    case.close()
    code, stdout, _ = run(capsys, "--case", str(folder), "report", "--out",
                          str(tmp_path / "r.pdf"))
    assert code == 0 and "Warning" not in stdout and "withheld" not in stdout


def test_an_abbreviated_address_in_the_settings_finds_the_full_words():
    personal = PersonalDetails.from_settings("14a Elm Rd., Bristol BS7 8AA", "+44 7700 900123")
    assert personal.withheld("Left at 14A Elm Road last night") == (
        "Left at [address withheld] last night")
    assert personal.withheld("ring 07700 900123") == "ring [phone number withheld]"
    assert personal.withheld("Bristol Temple Meads") == "Bristol Temple Meads"


def test_effects_typed_with_the_address_are_withheld_too(typed_case, case, tmp_path):
    from evidence_app.core.impacts import set_impact

    set_impact(case, None, "moved_home", details="Left 14 Elm Road for my sister's")
    set_impact(case, typed_case[0], "costs", details="CCTV fitted at 14 Elm Rd",
               amount_pence=24000)
    result = build(case, tmp_path / "police.pdf")
    text = squash("\n".join(pages_text(result.path)))
    assert traces(text) == []
    assert "Left [address withheld] for my sister's" in text
    assert "CCTV fitted at [address withheld]" in text
    assert any("the impact on the whole case" in line for line in result.personal.lines())
