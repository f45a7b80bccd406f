"""Inbox: grouping files by time, and incidents made from files in one transaction."""

from datetime import UTC, datetime, timedelta

import pytest

from evidence_app.core.attachments import count_inbox, get_attachment, list_inbox
from evidence_app.core.errors import NotFoundError, ValidationError
from evidence_app.core.importers.clipboard import import_bytes
from evidence_app.core.importers.files import import_files
from evidence_app.core.importers.inbox import (
    create_incident_from_attachments,
    create_incidents_from_groups,
    group_by_time,
    when_from_attachments,
)
from evidence_app.core.incidents import count_incidents, delete_incident, get_incident
from evidence_app.core.store.verify import run_verify
from evidence_app.core.vocab import Precision
from tests.sample_images import photo, screenshot


def _import(case, paths):
    return [e.item for e in import_files(case, paths) if e.item]


@pytest.fixture
def morning(case, tmp_path):
    """Screenshots at 08:15, 08:30, 08:55 (one run), 11:00 and 11:20 (another), plus a
    photo taken the next day; all on 12 March 2025 London time (GMT)."""
    names = ["Screenshot_20250312-081500.png", "Screenshot_20250312-083000.png",
             "Screenshot_20250312-085500.png", "Screenshot_20250312-110000.png",
             "Screenshot_20250312-112000.png"]
    paths = [screenshot(tmp_path / "in" / n) for n in names]
    for i, p in enumerate(paths):  # distinct bytes, so none is a duplicate
        p.write_bytes(p.read_bytes() + bytes([i]))
    paths.append(photo(tmp_path / "in" / "IMG_0001.jpg", datetime(2025, 3, 13, 19, 5, 0)))
    results = _import(case, paths)
    assert [r.status for r in results] == ["imported"] * 6
    return list_inbox(case)


def test_groups_follow_the_gap(case, morning):
    grouping = group_by_time(morning, "Europe/London")
    assert [len(g.attachments) for g in grouping.groups] == [3, 2, 1]
    # The title says what the files are; the date is shown once, beside it.
    assert grouping.groups[0].title == "3 screenshots"
    assert grouping.groups[2].title == "1 photo"
    first = grouping.groups[0].when  # the whole span of the group, first to last
    assert first.precision is Precision.BETWEEN
    assert (first.start, first.end) == (datetime(2025, 3, 12, 8, 15, tzinfo=UTC),
                                        datetime(2025, 3, 12, 8, 55, tzinfo=UTC))
    assert grouping.groups[2].when.precision is Precision.EXACT  # one photo: its moment
    assert not any(g.file_times_only for g in grouping.groups)
    assert all(g.accepted for g in grouping.groups)
    # A two-hour gap joins the morning's runs; a one-minute gap splits every file.
    assert [len(g.attachments) for g in
            group_by_time(morning, "Europe/London", timedelta(hours=2.1)).groups] == [5, 1]
    assert len(group_by_time(morning, "Europe/London", timedelta(minutes=1)).groups) == 6
    with pytest.raises(ValidationError):
        group_by_time(morning, "Europe/London", timedelta(0))


def test_accepted_groups_become_incidents_in_one_go(case, morning):
    grouping = group_by_time(morning, "Europe/London")
    chosen = [("Messages before work", grouping.groups[0].ids), ("", grouping.groups[2].ids)]
    ids = create_incidents_from_groups(case, chosen)
    first, second = (get_incident(case, i) for i in ids)
    assert first.title == "Messages before work"
    assert first.when_text == "12 Mar 2025, between 08:15 and 08:55"
    assert [a.exhibit_mark for a in first.attachments] == ["JS/1", "JS/2", "JS/3"]
    assert second.title == "1 photo"
    assert second.when_text == "13 Mar 2025, 19:05"
    assert count_inbox(case) == 2
    assert run_verify(case).ok


def test_a_failure_creates_nothing(case, morning):
    # The second group names a file that does not exist: no incident at all is made.
    with pytest.raises(NotFoundError):
        create_incidents_from_groups(case, [("a", [morning[0].id]), ("b", [morning[1].id, 999])])
    assert count_incidents(case) == 0
    assert count_inbox(case) == 6
    with pytest.raises(ValidationError):
        create_incidents_from_groups(case, [("a", [morning[0].id]), ("b", [morning[0].id])])
    with pytest.raises(ValidationError):
        create_incidents_from_groups(case, [("a", [])])


def test_precision_follows_the_time_source(case, tmp_path):
    date_only = screenshot(tmp_path / "IMG-20250301-WA0004.png")
    plain = screenshot(tmp_path / "message.png", lines=("see you later",))
    _import(case, [date_only, plain])
    pasted = import_bytes(case, screenshot(tmp_path / "x.png", lines=("pasted",)).read_bytes(),
                          "Pasted image 2025-03-02 10.00.00.png")
    by_name = {a.original_name: a for a in list_inbox(case)}
    tz = "Europe/London"
    day = when_from_attachments([by_name["IMG-20250301-WA0004.png"]], tz)
    assert day.precision is Precision.DAY
    assert day.start == datetime(2025, 3, 1, tzinfo=UTC)
    assert when_from_attachments([by_name["message.png"]], tz).precision is Precision.CIRCA
    assert when_from_attachments([get_attachment(case, pasted.id)], tz).precision is Precision.CIRCA
    assert when_from_attachments([], tz).precision is Precision.UNDATED


def test_new_incident_from_selection_is_dated_from_the_earliest(case, morning):
    later, earlier = morning[4], morning[1]
    incident_id = create_incident_from_attachments(case, [later.id, earlier.id],
                                                   title="Texts", category="contact_text")
    detail = get_incident(case, incident_id)
    assert detail.when_text == "12 Mar 2025, between 08:30 and 11:20"
    assert detail.category == "contact_text"
    assert {a.id for a in detail.attachments} == {later.id, earlier.id}
    # Trashing the incident hides its files from the inbox too (they travel with it).
    delete_incident(case, incident_id)
    assert count_inbox(case) == 4


def test_files_dated_only_by_copying_are_grouped_apart_and_unticked(case, morning, tmp_path):
    import os

    copied = []
    for n in range(3):  # no date of their own: only the time they were copied
        p = screenshot(tmp_path / "copied" / f"message {n}.png", lines=(f"message {n}",))
        os.utime(p, (datetime(2025, 3, 12, 8, 20 + n, tzinfo=UTC).timestamp(),) * 2)
        copied.append(p)
    _import(case, copied)
    grouping = group_by_time(list_inbox(case), "Europe/London")
    own = [g for g in grouping.groups if not g.file_times_only]
    apart = [g for g in grouping.groups if g.file_times_only]
    # Copied at 08:20-08:22, inside the morning's run, yet never mixed into it.
    assert [len(g.attachments) for g in own] == [3, 2, 1]
    assert [len(g.attachments) for g in apart] == [3]
    assert grouping.groups[-1] is apart[0]  # shown after the others
    assert not apart[0].accepted and all(g.accepted for g in own)


def test_a_group_of_day_only_names_spans_whole_days(case, tmp_path):
    from evidence_app.core.importers.inbox import when_from_attachments as span

    paths = [screenshot(tmp_path / f"IMG-2025030{d}-WA0001.png", lines=(str(d),))
             for d in (1, 3)]
    _import(case, paths)
    when = span(list_inbox(case), "Europe/London")
    assert when.precision is Precision.BETWEEN
    assert (when.start, when.end) == (datetime(2025, 3, 1, tzinfo=UTC),
                                      datetime(2025, 3, 3, 23, 59, tzinfo=UTC))
