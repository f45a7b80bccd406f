"""Amendments a court can read, a first recording that is not "amended" ten times, and
private copies marked on every page, read back from the PDF as a reader would."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from evidence_app.core.cases import create_case
from evidence_app.core.dates import parse_when
from evidence_app.core.incidents import (
    add_note,
    create_incident,
    delete_note,
    finish_recording,
    update_incident,
    update_note,
)
from evidence_app.core.report.data import WITHHELD
from evidence_app.core.store.audit import entries, verify_chain
from evidence_app.core.store.clock import SetClock
from evidence_app.core.trash import empty_trash
from tests.report.casebuilder import PRIVATE_NOTE
from tests.report.test_report_pdf import build, pages_text, squash

TZ = "Europe/London"
START = datetime(2026, 11, 9, 20, 0, tzinfo=UTC)  # 9 Nov 2026, 20:00 GMT
SEEN = "A man stood at the gate and stared at the house for ten minutes."
NAMED = " I recognised him as John Doe, my former partner, by his walk and his voice."
PRIVATE_COPY = "PRIVATE COPY \u2013 NOT FOR DISCLOSURE"


@pytest.fixture
def clock():
    return SetClock(START)


@pytest.fixture
def timed_case(tmp_path, clock):
    c = create_case(tmp_path / "timed", owner_name="Jane Smith", initials="JS",
                    case_name="Jane Smith v. harassment", clock=clock)
    yield c
    c.close()


def appendix_of(text: str) -> str:
    return text[text.index("Appendix: audit trail"):]


def whole(path) -> str:
    return squash("\n".join(pages_text(path)))


def test_an_identification_added_after_a_report_reads_as_added_words(timed_case, clock, tmp_path):
    case = timed_case
    incident = create_incident(case, when=parse_when("08/11/2026 21:30", TZ),
                               title="Man at the gate", category="loitering", description=SEEN,
                               location="Outside home")
    build(case, tmp_path / "first.pdf")  # handed to the police at 20:05
    # Ten minutes after it was created, but after a report holding it was produced: an
    # amendment, not part of the first recording.
    clock.set(START + timedelta(minutes=10))
    update_incident(case, incident, description=SEEN + NAMED)
    clock.set(START + timedelta(days=1))
    update_incident(case, incident, description=(SEEN + NAMED).replace("the house", "my window"),
                    location="Outside my flat")
    police = whole(build(case, tmp_path / "police.pdf").path)
    assert "Recorded on 9 Nov 2026, 20:00 GMT." in police
    assert "Amended on 9 Nov 2026, 20:10 GMT:" in police
    # The added sentence is there, in full, marked as added.
    assert f"What happened: {SEEN} [+ {NAMED.strip()} +]" in police
    assert "Amended on 10 Nov 2026, 20:00 GMT:" in police
    assert "stared at [- the house -] [+ my window +] for ten minutes" in police
    assert "Location: Outside [- home -] [+ my flat +]" in police
    assert "Words added are shown [+ underlined +]; words removed [- struck through -]." in police

    court = build(case, tmp_path / "court.pdf", profile="court").path
    appendix = appendix_of(whole(court))
    # Every save is in the trail, with the full old and new texts readable in one line.
    assert f"what happened: {SEEN} [+ {NAMED.strip()} +]" in appendix
    rows = appendix[appendix.index("What was recorded"):]  # past the explanation
    assert rows.count("Amended") == 2 and "Changed while first recorded" not in rows
    with case.read() as session:
        assert verify_chain(session) == []
        actions = [(e.action, e.entity) for e in entries(session)]
    assert actions.count(("report", "case")) == 3  # each report produced is on record


def test_ten_quick_edits_while_writing_are_one_first_recording(timed_case, clock, tmp_path):
    case = timed_case
    incident = create_incident(case, when=parse_when("09/11/2026 19:40", TZ), title="Car")
    words = ["Silver", "Astra", "parked", "opposite", "with", "the", "engine", "running",
             "for", "an hour."]
    for n in range(10):  # autosaves while the person types, 20:00:18 to 20:03:00
        clock.set(START + timedelta(seconds=18 * (n + 1)))
        update_incident(case, incident, description=" ".join(words[:n + 1]))
    police = whole(build(case, tmp_path / "police.pdf").path)
    assert "Recorded on 9 Nov 2026, 20:00\u201320:03 GMT." in police
    assert "Amended" not in police
    assert "Silver Astra parked opposite with the engine running for an hour." in police
    court = whole(build(case, tmp_path / "court.pdf", profile="court").path)
    appendix = appendix_of(court)
    rows = appendix[appendix.index("What was recorded"):]  # past the explanation
    assert rows.count("Changed while first recorded") == 10  # every save still shown
    assert "Amended" not in rows


def test_saves_within_one_minute_say_one_recording_time(timed_case, clock, tmp_path):
    case = timed_case
    incident = create_incident(case, when=parse_when("09/11/2026 19:40", TZ), title="Car")
    clock.set(START + timedelta(seconds=40))  # an autosave seconds later, same minute
    update_incident(case, incident, description="Silver Astra parked opposite.")
    police = whole(build(case, tmp_path / "police.pdf").path)
    assert "Recorded on 9 Nov 2026, 20:00 GMT." in police
    assert "20:00\u201320:00" not in police


def test_a_sitting_ends_when_the_person_leaves_or_after_an_hour(timed_case, clock, tmp_path):
    case = timed_case
    left = create_incident(case, when=parse_when("09/11/2026 19:00", TZ), title="Left")
    later = create_incident(case, when=parse_when("09/11/2026 19:30", TZ), title="Later")
    clock.set(START + timedelta(minutes=2))
    update_incident(case, left, location="Bus stop")
    assert finish_recording(case, left) is True
    assert finish_recording(case, left) is False  # logged once
    clock.set(START + timedelta(minutes=4))
    update_incident(case, left, location="Bus stop on Station Road")
    clock.set(START + timedelta(minutes=61))  # no one left it, but an hour has passed
    update_incident(case, later, location="Corner shop")
    text = whole(build(case, tmp_path / "r.pdf").path)
    assert "Recorded on 9 Nov 2026, 20:00\u201320:02 GMT." in text
    assert "Amended on 9 Nov 2026, 20:04 GMT:" in text
    assert "Location: Bus stop [+ on Station Road +]" in text
    assert "Amended on 9 Nov 2026, 21:01 GMT:" in text
    assert "Location: [+ Corner shop +]" in text


def test_a_long_changed_text_is_shown_whole_and_splits_across_pages(timed_case, clock, tmp_path):
    case = timed_case
    story = " ".join(f"Sentence {n} of a very long account." for n in range(1200))
    incident = create_incident(case, when=parse_when("01/11/2026 10:00", TZ), title="Long",
                               description=story)
    finish_recording(case, incident)
    clock.set(START + timedelta(hours=2))
    update_incident(case, incident, description=story.replace(
        "Sentence 600 of", "Sentence 600, the day he broke the window, of"))
    court = build(case, tmp_path / "c.pdf", profile="court")
    pages = pages_text(court.path)
    start = next(n for n, p in enumerate(pages) if "Appendix: audit trail" in p)
    appendix = squash("\n".join(pages[start:]))
    assert len(pages) - start >= 4  # the texts in full, over several pages
    assert "Sentence 600 [+ , the day he broke the window, +] of" in appendix
    assert "Sentence 1199 of a very long account." in appendix
    # the created text and the amended text both appear whole
    assert appendix.count("Sentence 1199 of a very long account.") == 2
    assert "\u2026" not in appendix.replace("Sentence 600 [+", "")
    police = whole(build(case, tmp_path / "p.pdf").path)
    assert "Sentence 600 [+ , the day he broke the window, +] of" in police


def test_a_private_copy_is_marked_on_every_page(rich_case, case, tmp_path):
    personal = build(case, tmp_path / "personal.pdf", profile="personal")
    pages = pages_text(personal.path)
    assert len(pages) > 5
    for n, page in enumerate(pages, 1):
        lines = [line for line in page.splitlines() if PRIVATE_COPY in line]
        assert len(lines) >= 2, f"page {n}: header and footer must both say it"
        assert f"Page {n} of {len(pages)}" in page
    text = squash("\n".join(pages))
    assert "[PRIVATE NOTE \u2013 NOT FOR DISCLOSURE] " in text
    marked = text.index("[PRIVATE NOTE \u2013 NOT FOR DISCLOSURE]")
    assert text.index(PRIVATE_NOTE) - marked < 60  # the mark stands at the note itself
    assert "PRIVATE note (not for disclosure) on incident" in appendix_of(text)
    # A copy that may be disclosed carries no such marking.
    police = whole(build(case, tmp_path / "police.pdf").path)
    assert PRIVATE_COPY not in police and "PRIVATE NOTE" not in police


SECRET_MOVED = "moving to my sister's at 3 Oak Lane"
SECRET_GONE = "the refuge is on Mill Street"
SECRET_BRIEF = "my new number is 07700 900456"


def test_a_note_that_was_ever_private_never_shows_in_an_audit_appendix(case, tmp_path):
    incident = create_incident(case, when=parse_when("01/11/2026 10:00", TZ),
                               title="Note history", category="other")
    # Private, edited, then made public with other words.
    moved = add_note(case, incident, f"I am {SECRET_MOVED}", private=True)
    update_note(case, moved, text=f"Still {SECRET_MOVED}")
    update_note(case, moved, text="I moved away for a while")
    update_note(case, moved, private=False)
    # Private, deleted and emptied from the trash: its row is gone for good.
    gone = add_note(case, incident, f"Safe: {SECRET_GONE}", private=True)
    delete_note(case, gone)
    empty_trash(case)
    # Public, private for a while (edited then), public again.
    brief = add_note(case, incident, "Called 101")
    update_note(case, brief, private=True)
    update_note(case, brief, text=f"Called 101; {SECRET_BRIEF}")
    update_note(case, brief, text="Called 101 again")
    update_note(case, brief, private=False)
    secrets = (SECRET_MOVED, SECRET_GONE, SECRET_BRIEF)
    for profile in ("police", "court", "advocate", "personal"):
        text = whole(build(case, tmp_path / f"{profile}.pdf", profile=profile,
                           include_audit=True, include_private=False).path)
        appendix = appendix_of(text)
        for secret in secrets:
            assert secret not in text, (profile, secret)
        assert appendix.count(WITHHELD) >= 9, profile  # every event of the three notes
        # The notes as they stand now are public and printed as such.
        assert "I moved away for a while" in text and "Called 101 again" in text
    # Asked for, private material is there, marked.
    text = whole(build(case, tmp_path / "mine.pdf", profile="personal").path)
    appendix = appendix_of(text)
    for secret in secrets:
        assert secret in appendix, secret
    assert WITHHELD not in appendix


def test_only_a_report_that_holds_the_incident_ends_its_sitting(timed_case, clock, tmp_path):
    case = timed_case
    ids = [create_incident(case, when=parse_when(f"0{1 + n % 9}/11/2026 10:00", TZ),
                           title=f"Incident {n}") for n in range(11)]
    first, eleventh = ids[0], ids[10]
    assert str(first) in str(eleventh)  # e.g. 1 and 11: the report must hold this very one
    build(case, tmp_path / "other.pdf", incident_ids=(eleventh,))
    clock.set(START + timedelta(minutes=5))
    update_incident(case, first, location="Station Road")
    update_incident(case, eleventh, location="Mill Street")
    text = whole(build(case, tmp_path / "both.pdf", incident_ids=(first, eleventh)).path)
    assert "Recorded on 9 Nov 2026, 20:00\u201320:05 GMT." in text  # still being written
    assert "Amended on 9 Nov 2026, 20:05 GMT:" in text  # after a report that held it
    assert "Location: [+ Mill Street +]" in text
    assert "Location: [+ Station Road +]" not in text
