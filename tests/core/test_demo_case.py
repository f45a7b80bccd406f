"""The sample case: a believable, complete story that exercises every part of a case."""

from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest

from evidence_app.core.attachments import get_attachment, list_inbox
from evidence_app.core.cases import open_case
from evidence_app.core.errors import CaseError
from evidence_app.core.incidents import get_incident, list_incidents
from evidence_app.core.people import list_people, list_vehicles
from evidence_app.core.store.audit import entries
from evidence_app.core.store.verify import run_verify
from evidence_app.core.trash import list_trash
from evidence_app.core.vocab import Category, Precision
from evidence_app.demo.case import create_demo_case

TODAY = date(2025, 6, 30)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    case = create_demo_case(tmp_path_factory.mktemp("demo") / "Sample case", today=TODAY)
    incidents = list_incidents(case)
    details = [get_incident(case, i.id) for i in incidents]
    yield case, incidents, details
    case.close()


def test_it_is_a_sound_case_owned_by_the_sample_person(demo):
    case, _, _ = demo
    s = case.settings()
    assert (s.owner_name, s.initials, s.timezone) == ("Sarah Mitchell", "SM", "Europe/London")
    assert s.address and s.contact
    report = run_verify(case)
    assert report.ok, report.problems
    assert report.notices == []


def test_about_forty_incidents_over_five_months_ending_a_week_ago(demo):
    _, incidents, _ = demo
    assert 35 <= len(incidents) <= 45
    dated = [i.occurred_at for i in incidents if i.occurred_at is not None]
    first, last = min(dated), max(dated)
    assert timedelta(days=130) <= last - first <= timedelta(days=165)
    assert datetime(2025, 6, 15, tzinfo=UTC) < last < datetime(2025, 6, 30, tzinfo=UTC)


def test_it_escalates(demo):
    _, incidents, _ = demo
    dated = sorted(i.occurred_at for i in incidents if i.occurred_at is not None)
    first = dated[0]
    per_month = Counter(min((d - first).days // 30, 4) for d in dated)
    counts = [per_month[m] for m in range(5)]
    assert counts == sorted(counts) and counts[-1] >= 2 * counts[0], counts
    violent = [i for i in incidents if i.category == "violence"]
    assert violent and violent[0].occurred_at > dated[len(dated) * 3 // 4]


def test_every_precision_and_every_category_is_used(demo):
    _, incidents, _ = demo
    assert {i.precision for i in incidents} == {p.value for p in Precision}
    assert {i.category for i in incidents} == {c.value for c in Category}
    assert incidents[-1].precision == "undated"  # undated ones come last
    between = [i for i in incidents if i.precision == "between"]
    assert all(i.occurred_end > i.occurred_at for i in between)


def test_people_vehicle_police_tags_notes_and_amendments(demo):
    case, _, details = demo
    roles = {p.role: p for p in list_people(case)}
    assert set(roles) == {"suspect", "witness", "officer"}
    assert roles["suspect"].name == "Daniel Hargreaves" and "Ex-partner" in roles["suspect"].description
    assert roles["suspect"].incident_count >= 35
    [car] = list_vehicles(case)
    assert (car.colour, car.make, car.model, car.plate) == ("Silver", "Vauxhall", "Astra", "YD19 KXP")
    assert car.incident_count >= 6
    reported = [d for d in details if d.police_reference]
    assert len(reported) >= 8
    assert {d.police_reference for d in reported} == {"13/48213/25"}
    assert {d.police_officer for d in reported} == {"PC 2291 Laura Bennett"}
    assert all(d.reported_on is not None for d in reported)
    assert sum(bool(d.tags) for d in details) >= 30
    notes = [n for d in details for n in d.notes]
    assert any(n.private for n in notes) and any(not n.private for n in notes)
    amended = [d for d in details if d.amendments]
    assert len(amended) >= 3
    assert any("police_reference" in a.fields for d in amended for a in d.amendments)
    assert any(d.suspect_appearance and d.suspect_clothing for d in details)
    assert any(d.witnesses and d.impact for d in details)


def test_records_carry_the_times_they_were_written_in_the_story(demo):
    case, _, details = demo
    for d in details:
        if d.occurred_at is not None and d.precision != "month":
            assert timedelta(0) <= d.recorded_at - (d.occurred_end or d.occurred_at) < timedelta(days=6)
        for a in d.amendments:
            assert a.at > d.recorded_at
    with case.read() as session:
        times = [e.at for e in entries(session)]
    assert times == sorted(times)  # the audit trail reads in order
    assert times[-1] < datetime(2025, 6, 30, tzinfo=UTC)


def test_photos_and_screenshots_carry_real_metadata(demo):
    case, _, details = demo
    atts = [a for d in details for a in d.attachments] + list_inbox(case)
    sources = Counter(a.captured_from for a in atts)
    assert sources["exif"] >= 6 and sources["filename"] >= 10 and sources["mtime"] >= 1
    photos = [a for a in atts if a.captured_from == "exif"]
    assert all(a.camera_make == "samsung" and a.captured_offset in ("+00:00", "+01:00")
               for a in photos)
    assert 2 <= sum(a.has_gps for a in atts) < len(photos)
    shots = [a for a in atts if a.original_name.startswith("Screenshot_")]
    assert len(shots) >= 10 and all(a.preview and a.width == 1080 for a in shots)
    assert any(not a.preview and a.media_type == "audio/x-wav" for a in atts)  # the voicemail
    forwarded = [a for a in atts if "-WA" in a.original_name]
    assert forwarded and "date only" in forwarded[0].captured_note
    for d in details:  # every exhibit was taken during or after what it shows
        for a in d.attachments:
            if d.occurred_at is not None and d.precision not in ("month", "day") \
                    and "date only" not in a.captured_note:
                assert a.captured_at >= d.occurred_at - timedelta(minutes=1)


def test_the_inbox_and_the_trash_are_not_empty(demo):
    case, _, _ = demo
    inbox = list_inbox(case)
    assert 2 <= len(inbox) <= 5
    trash = list_trash(case)
    assert len(trash.attachments) == 1 and not trash.incidents
    blurry = get_attachment(case, trash.attachments[0].id, allow_deleted=True)
    assert blurry.caption == "Too blurry"
    marks = sorted(int(a.exhibit_mark.split("/")[1]) for a in inbox)
    assert marks[-1] >= 25  # marks keep counting across the whole story


@pytest.mark.needs_tool("tesseract")
def test_screenshot_text_is_readable_by_ocr(demo):
    from evidence_app.core.ocr import recognise_file

    case, _, details = demo
    [threats] = [d for d in details if d.title == "Threats after the police warning"]
    [shot] = threats.attachments
    text = recognise_file(case, shot.sha256, shot.media_type, shot.orientation)
    assert "Watch your back" in text
    assert "complaint won't stop me" in text.replace("\u2019", "'")


def test_it_refuses_a_folder_that_already_holds_a_case(demo):
    case, _, _ = demo
    with pytest.raises(CaseError):
        create_demo_case(case.folder, today=TODAY)


def test_a_new_demo_reopens_like_any_case(tmp_path):
    folder = tmp_path / "Sample case"
    create_demo_case(folder, today=TODAY).close()
    with open_case(folder) as case:
        assert len(list_incidents(case)) >= 35


def test_the_person_ticked_effects_on_incidents_and_on_the_whole_case(demo):
    from evidence_app.core.impacts import list_impacts

    case, _, details = demo
    ticked = [(d.title, i.kind, i.since, i.amount_pence) for d in details for i in d.impacts]
    assert len([t for t in ticked if t[1] == "fear_of_violence"]) >= 2  # s4A: two occasions
    assert any(kind == "costs" and pence for _, kind, _, pence in ticked)
    whole = list_impacts(case, whole_case=True)
    assert {i.kind for i in whole} >= {"alarm_distress", "moved_home", "costs"}
    assert all(i.since is not None and i.details for i in whole)
    assert {p.name: p.relation for p in list_people(case)}["Daniel Hargreaves"] == "Former partner"
