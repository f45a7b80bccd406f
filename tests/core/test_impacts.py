"""Structured impact: ticking, changing and unticking effects is audited, announced to
views, searchable, and survives the upgrade of a case made before it existed."""

import sqlite3
from datetime import date

import pytest

from evidence_app.core import incidents as inc
from evidence_app.core.cases import open_case
from evidence_app.core.errors import NotFoundError
from evidence_app.core.impacts import clear_impact, delete_impact, list_impacts, set_impact
from evidence_app.core.people import list_people
from evidence_app.core.search.find import search
from evidence_app.core.store.audit import entries
from tests.core.store.test_migrations import make_first_revision_case


def test_each_write_is_one_audited_event_with_its_values(case):
    incident = inc.create_incident(case, title="Car outside")
    impact = set_impact(case, incident, "changed_routine", since=date(2025, 3, 4),
                        details="New route to work")
    assert set_impact(case, incident, "changed_routine", since=date(2025, 3, 4),
                      details="New route to work") == impact  # the same again: no event
    set_impact(case, incident, "changed_routine", since=date(2025, 3, 4),
               details="New route and a new number")
    assert clear_impact(case, incident, "changed_routine") is True
    assert clear_impact(case, incident, "changed_routine") is False
    with case.read() as session:
        events = [(e.action, e.details) for e in entries(session, "impact")]
    assert [a for a, _ in events] == ["create", "update", "delete"]
    assert events[0][1] == {"incident_id": incident, "kind": "changed_routine",
                            "since": "2025-03-04", "details": "New route to work",
                            "amount_pence": None}
    assert events[1][1]["changes"] == {"details": {"old": "New route to work",
                                                   "new": "New route and a new number"}}
    assert events[2][1]["details"] == "New route and a new number"
    assert list_impacts(case, incident) == []


def test_views_hear_about_incident_and_whole_case_effects(case):
    incident = inc.create_incident(case, title="Car outside")
    with case.tracking() as log:
        set_impact(case, incident, "health", details="Cannot sleep")
    assert log.changes.incidents == {incident} and not log.changes.settings
    with case.tracking() as log:
        set_impact(case, None, "moved_home", details="With my sister")
    assert log.changes.settings and not log.changes.incidents


def test_an_incidents_effects_are_found_by_search_and_go_with_it(case):
    incident = inc.create_incident(case, title="Voicemail")
    set_impact(case, incident, "fear_of_violence", details="He said he would burn the house")
    [hit] = search(case, "burn").hits
    assert hit.incident_id == incident
    clear_impact(case, incident, "fear_of_violence")
    assert search(case, "burn").hits == []
    with pytest.raises(NotFoundError):
        set_impact(case, incident + 99, "health")
    with pytest.raises(NotFoundError):
        delete_impact(case, 12345)


def test_a_case_from_before_impacts_upgrades_and_takes_them(tmp_path):
    folder = tmp_path / "case"
    db = make_first_revision_case(folder)
    con = sqlite3.connect(db)
    con.execute("INSERT INTO people (id, name, role, description, contact, created_at) "
                "VALUES (1, 'Mark Ellis', 'suspect', 'Tall', '', '2024-03-01 10:00:00.000000')")
    con.commit()
    con.close()
    with open_case(folder) as case:
        [row] = inc.list_incidents(case)
        set_impact(case, row.id, "costs", since=date(2024, 3, 2), details="New locks",
                   amount_pence=8500)
        assert [(i.kind, i.amount_pence) for i in inc.get_incident(case, row.id).impacts] == [
            ("costs", 8500)]
        assert search(case, "locks").hits[0].incident_id == row.id
        [person] = list_people(case)
        assert (person.name, person.description, person.relation) == ("Mark Ellis", "Tall", "")
