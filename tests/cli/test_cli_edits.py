"""The command line does what the app does: edit an incident, add and link people and
vehicles, change the case's details. Each change goes through the services the app's
windows call, so the audit trail holds exactly what the same edit in the app writes."""

import json

import pytest
from sqlalchemy import select

from evidence_app.core import incidents as inc
from evidence_app.core import people as ppl
from evidence_app.core.cases import create_case, open_case
from evidence_app.core.dates import parse_when
from evidence_app.core.settings import update_settings
from evidence_app.core.store.models import AuditEvent


def events(folder, after=0):
    """(action, entity, id, details) of every audit event past the first `after` (not
    the full records each unit leaves: they hold the times the rows were written)."""
    with open_case(folder) as case, case.read() as session:
        rows = session.scalars(select(AuditEvent).where(AuditEvent.entity != "records")
                               .order_by(AuditEvent.id)).all()
        return [(e.action, e.entity, e.entity_id, json.loads(e.details)) for e in rows][after:]


def error_line(err):
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


@pytest.fixture
def twin(tmp_path):
    """A second case, made like `case_dir`, where the same edits are made as the app makes
    them (the services its windows call, with the values they send)."""
    folder = tmp_path / "twin"
    create_case(folder, owner_name="Jane Smith", initials="JS").close()
    return folder


def run(cli, case_dir, *args):
    code, out, err = cli("--case", case_dir, *args)
    assert code == 0, err
    return out


# --------------------------------------------------------------------------- incident edit
def test_incident_edit_changes_only_the_fields_given(cli, case_dir, twin):
    run(cli, case_dir, "incident", "add", "--title", "Car outside", "--when",
        "12/03/2025 21:40", "--location", "Home", "--description", "Silver Astra",
        "--tag", "astra")
    start = len(events(case_dir))
    out = run(cli, case_dir, "incident", "edit", "1", "--location", "Outside 14 Elm Road",
              "--impact", "I could not sleep", "--category", "following", "--json")
    assert json.loads(out) == {"id": 1, "changed": ["category", "impact", "location"],
                               "tags": ["astra"]}
    shown = json.loads(run(cli, case_dir, "incident", "show", "1", "--json"))
    assert (shown["title"], shown["description"], shown["location"], shown["impact"],
            shown["category"]) == ("Car outside", "Silver Astra", "Outside 14 Elm Road",
                                   "I could not sleep", "following")
    assert shown["when"] == "12 Mar 2025, 21:40"
    run(cli, case_dir, "incident", "edit", "1", "--when", "13/03/2025 about 9pm",
        "--tag", "night", "--untag", "astra")
    shown = json.loads(run(cli, case_dir, "incident", "show", "1", "--json"))
    assert shown["when"] == "13 Mar 2025, c. 21:00" and shown["tags"] == ["night"]
    assert shown["location"] == "Outside 14 Elm Road"  # untouched by the second edit
    # The same edits in the app: its editor sends the changed fields (and the when) to
    # update_incident, its tag buttons the new list to set_tags.
    with open_case(twin) as case:
        inc.create_incident(case, title="Car outside", location="Home",
                            description="Silver Astra", tags=["astra"],
                            when=parse_when("12/03/2025 21:40", "Europe/London"))
    twin_start = len(events(twin))
    with open_case(twin) as case:
        inc.update_incident(case, 1, location="Outside 14 Elm Road",
                            impact="I could not sleep", category="following")
        inc.update_incident(case, 1, when=parse_when("13/03/2025 about 9pm", "Europe/London"))
        inc.set_tags(case, 1, ["night"])
    assert events(case_dir, start) == events(twin, twin_start)
    assert [e[:3] for e in events(case_dir, start)] == [("update", "incident", 1)] * 3
    assert events(case_dir, start)[0][3] == {"changes": {
        "category": {"old": "other", "new": "following"},
        "impact": {"old": "", "new": "I could not sleep"},
        "location": {"old": "Home", "new": "Outside 14 Elm Road"}}}


def test_an_edit_that_changes_nothing_writes_nothing(cli, case_dir):
    run(cli, case_dir, "incident", "add", "--title", "Car outside", "--location", "Home")
    start = len(events(case_dir))
    out = run(cli, case_dir, "incident", "edit", "1", "--location", "Home")
    assert out == "Incident 1: nothing changed (it already holds what was given).\n"
    assert events(case_dir, start) == []


def test_an_empty_value_clears_a_field_and_an_empty_when_undates(cli, case_dir):
    run(cli, case_dir, "incident", "add", "--title", "Car", "--location", "Home", "--when",
        "12/03/2025")
    run(cli, case_dir, "incident", "edit", "1", "--location", "", "--when", "")
    shown = json.loads(run(cli, case_dir, "incident", "show", "1", "--json"))
    assert (shown["location"], shown["precision"], shown["occurred_at"]) == ("", "undated", None)


@pytest.mark.parametrize(("args", "message"), [
    (["1"], "Nothing to change"),
    (["1", "--title", " "], "The title cannot be empty"),
    (["1", "--until", "14/03/2025"], "Give --when with --until or --precision"),
    (["1", "--category", "spooky"], "unknown category 'spooky'; choose one of: "),
    (["1", "--when", "31/02/2025"], "31/02/2025"),
    (["1", "--when", "01/01/0025"], "dates from 1900 to 2100 are accepted"),
    (["2", "--title", "x"], "There is no incident 2."),
    (["0", "--title", "x"], "0 is not an id"),
])
def test_incident_edit_refuses_hostile_input_in_one_line(cli, case_dir, args, message):
    run(cli, case_dir, "incident", "add", "--title", "Car outside", "--when", "12/03/2025")
    start = len(events(case_dir))
    code, out, err = cli("--case", case_dir, "incident", "edit", *args)
    assert (code, out) == (2, "")
    assert message in error_line(err)
    assert events(case_dir, start) == []


# --------------------------------------------------------------------------- people
def test_person_add_list_and_link_write_what_the_app_writes(cli, case_dir, twin):
    run(cli, case_dir, "incident", "add", "--title", "Car outside")
    start = len(events(case_dir))
    assert run(cli, case_dir, "person", "add", "--name", "Dan Hughes", "--role", "suspect",
               "--relationship", "ex-partner", "--description", "Tall, short beard") == "1\n"
    out = run(cli, case_dir, "person", "add", "--name", "Mrs Patel", "--role", "witness",
              "--json")
    assert json.loads(out) == {"id": 2}
    out = run(cli, case_dir, "person", "link", "1", "1")
    assert out == "Person 1 is now linked to incident 1.\n"
    out = run(cli, case_dir, "person", "link", "1", "1", "--json")  # twice: no change
    assert json.loads(out) == {"person": 1, "incident": 1, "linked": True, "changed": False}
    listed = json.loads(run(cli, case_dir, "person", "list", "--json"))["people"]
    assert [(p["id"], p["name"], p["role"], p["incidents"]) for p in listed] == [
        (1, "Dan Hughes", "suspect", 1), (2, "Mrs Patel", "witness", 0)]
    assert (listed[0]["relationship"], listed[0]["description"]) == (
        "ex-partner", "Tall, short beard")
    text = run(cli, case_dir, "person", "list", "--role", "suspect")
    assert text.splitlines()[1].split() == ["1", "suspect", "1", "Dan", "Hughes",
                                            "(ex-partner)"]
    shown = run(cli, case_dir, "incident", "show", "1")
    assert "  Person 1: Dan Hughes (suspect)" in shown.splitlines()
    # In the app: the person dialog's values to create_person, the Link button to
    # link_person (the app's "New person…" on an incident does both).
    with open_case(twin) as case:
        inc.create_incident(case, title="Car outside")
    twin_start = len(events(twin))
    with open_case(twin) as case:
        pid = ppl.create_person(case, name="Dan Hughes", role="suspect", relation="ex-partner",
                                description="Tall, short beard", contact="")
        ppl.create_person(case, name="Mrs Patel", role="witness", relation="", description="",
                          contact="")
        ppl.link_person(case, 1, pid)
        ppl.link_person(case, 1, pid)
    assert events(case_dir, start) == events(twin, twin_start)
    assert [e[:3] for e in events(case_dir, start)] == [
        ("create", "person", 1), ("create", "person", 2), ("link", "person", 1)]
    assert events(case_dir, start)[2][3] == {"incident_id": 1}


@pytest.mark.parametrize(("args", "message"), [
    (["add", "--name", " ", "--role", "suspect"], "A person needs a name"),
    (["add", "--name", "Dan\nHughes", "--role", "suspect"], "--name must be one line"),
    (["add", "--name", "Dan", "--role", "suspect", "--relationship", "ex\tpartner"],
     "--relationship must be one line"),
    (["add", "--name", "Dan", "--role", "boss"], "invalid choice: 'boss'"),
    (["add", "--name", "Dan"], "the following arguments are required: --role"),
    (["link", "7", "1"], "There is no person 7."),
    (["link", "1", "9"], "There is no incident 9."),
    (["link", "1", "x"], "'x' is not an id"),
])
def test_person_commands_refuse_hostile_input_in_one_line(cli, case_dir, args, message):
    run(cli, case_dir, "incident", "add", "--title", "Car outside")
    run(cli, case_dir, "person", "add", "--name", "Dan Hughes", "--role", "suspect")
    start = len(events(case_dir))
    code, out, err = cli("--case", case_dir, "person", *args)
    assert (code, out) == (2, "")
    assert message in error_line(err)
    assert events(case_dir, start) == []


# --------------------------------------------------------------------------- vehicles
def test_vehicle_add_list_and_link_write_what_the_app_writes(cli, case_dir, twin):
    run(cli, case_dir, "incident", "add", "--title", "Car outside")
    start = len(events(case_dir))
    assert run(cli, case_dir, "vehicle", "add", "--plate", "ab12  cde", "--make", "Vauxhall",
               "--model", "Astra", "--colour", "silver") == "1\n"
    assert run(cli, case_dir, "vehicle", "link", "1", "1") == (
        "Vehicle 1 is now linked to incident 1.\n")
    listed = json.loads(run(cli, case_dir, "vehicle", "list", "--json"))["vehicles"]
    assert listed == [{"id": 1, "plate": "AB12 CDE", "make": "Vauxhall", "model": "Astra",
                       "colour": "silver", "description": "", "incidents": 1}]
    assert run(cli, case_dir, "vehicle", "list").splitlines()[1].split() == [
        "1", "AB12", "CDE", "1", "silver", "Vauxhall", "Astra"]
    assert "  Vehicle 1: silver Vauxhall Astra (AB12 CDE)" in run(
        cli, case_dir, "incident", "show", "1").splitlines()
    with open_case(twin) as case:
        inc.create_incident(case, title="Car outside")
    twin_start = len(events(twin))
    with open_case(twin) as case:
        vid = ppl.create_vehicle(case, plate="ab12  cde", make="Vauxhall", model="Astra",
                                 colour="silver", description="")
        ppl.link_vehicle(case, 1, vid)
    assert events(case_dir, start) == events(twin, twin_start)
    assert [e[:3] for e in events(case_dir, start)] == [
        ("create", "vehicle", 1), ("link", "vehicle", 1)]


def test_the_same_plate_twice_is_refused_unless_asked(cli, case_dir):
    run(cli, case_dir, "vehicle", "add", "--plate", "AB12 CDE")
    code, out, err = cli("--case", case_dir, "vehicle", "add", "--plate", "ab12cde")
    assert (code, out) == (2, "")
    assert "Vehicle 1 already has the plate AB12 CDE" in error_line(err)
    assert run(cli, case_dir, "vehicle", "add", "--plate", "ab12cde",
               "--allow-duplicate") == "2\n"


@pytest.mark.parametrize(("args", "message"), [
    (["add", "--plate", " "], "Give the number plate"),
    (["add", "--plate", "AB12\nCDE"], "--plate must be one line"),
    (["add", "--plate", "AB12 CDE", "--colour", "red\x1b[31m"], "--colour must be one line"),
    (["link", "5", "1"], "There is no vehicle 5."),
    (["link", "1", "2"], "There is no incident 2."),
])
def test_vehicle_commands_refuse_hostile_input_in_one_line(cli, case_dir, args, message):
    run(cli, case_dir, "incident", "add", "--title", "Car outside")
    run(cli, case_dir, "vehicle", "add", "--plate", "XY99 ZZZ")
    start = len(events(case_dir))
    code, out, err = cli("--case", case_dir, "vehicle", *args)
    assert (code, out) == (2, "")
    assert message in error_line(err)
    assert events(case_dir, start) == []


# --------------------------------------------------------------------------- case settings
def test_case_settings_print_and_change_as_the_app_does(cli, case_dir, twin):
    out = run(cli, case_dir, "case", "settings")
    assert out.splitlines() == [
        "Case name:  Jane Smith", "Owner:      Jane Smith",
        "Initials:   JS (next exhibit JS/1)", "Address:    (none)", "Contact:    (none)",
        "Time zone:  Europe/London"]
    start = len(events(case_dir))
    out = run(cli, case_dir, "case", "settings", "--owner", "Jane Mary Smith", "--initials",
              "jms", "--address", "1 High Street\nLeeds LS1 1AA", "--phone", "07700 900123",
              "--email", "jane@example.com", "--timezone", "Europe/Belfast", "--json")
    data = json.loads(out)
    assert {k: data[k] for k in ("owner", "initials", "address", "contact", "phone", "email",
                                 "timezone", "next_exhibit", "changed")} == {
        "owner": "Jane Mary Smith", "initials": "JMS",
        "address": "1 High Street\nLeeds LS1 1AA",
        "contact": "Phone: 07700 900123\nEmail: jane@example.com", "phone": "07700 900123",
        "email": "jane@example.com", "timezone": "Europe/Belfast", "next_exhibit": "JMS/1",
        "changed": ["address", "contact", "initials", "owner_name", "timezone"]}
    # Only the phone changes; the email line stays.
    out = run(cli, case_dir, "case", "settings", "--phone", "+44 7700 900999")
    assert out.splitlines()[0] == "Changed: contact."
    assert "Contact:    Phone: +44 7700 900999; Email: jane@example.com" in out.splitlines()
    # The app's Case settings window sends only the fields that differ, checked the same way.
    twin_start = len(events(twin))
    with open_case(twin) as case:
        update_settings(case, owner_name="Jane Mary Smith", initials="JMS",
                        address="1 High Street\nLeeds LS1 1AA",
                        contact="Phone: 07700 900123\nEmail: jane@example.com",
                        timezone="Europe/Belfast")
        update_settings(case, contact="Phone: +44 7700 900999\nEmail: jane@example.com")
    assert events(case_dir, start) == events(twin, twin_start)
    assert [e[:3] for e in events(case_dir, start)] == [("update", "case", 1)] * 2


def test_case_settings_keep_other_contact_lines(cli, case_dir):
    run(cli, case_dir, "case", "settings", "--contact", "Work: 0113 496 0000\nEmail: old@x.org")
    run(cli, case_dir, "case", "settings", "--email", "jane@example.com", "--phone", "07700 900123")
    data = json.loads(run(cli, case_dir, "case", "settings", "--json"))
    assert data["contact"] == "Work: 0113 496 0000\nEmail: jane@example.com\nPhone: 07700 900123"
    assert data["changed"] == []
    run(cli, case_dir, "case", "settings", "--email", "")
    assert json.loads(run(cli, case_dir, "case", "settings", "--json"))["contact"] == (
        "Work: 0113 496 0000\nPhone: 07700 900123")


@pytest.mark.parametrize(("args", "message"), [
    (["--initials", "J5"], "Initials must be 1 to 6 letters"),
    (["--initials", "ABCDEFG"], "Initials must be 1 to 6 letters"),
    (["--timezone", "London"], "Unknown time zone 'London'"),
    (["--owner", "  "], "Your name cannot be empty"),
    (["--owner", "Jane\nSmith"], "--owner must be one line"),
    (["--phone", "call me maybe"], "does not look like a phone number"),
    (["--phone", "0770\n0900123"], "--phone must be one line"),
    (["--email", "jane at example"], "does not look like an email address"),
])
def test_case_settings_refuse_what_the_app_refuses_in_one_line(cli, case_dir, args, message):
    start = len(events(case_dir))
    code, out, err = cli("--case", case_dir, "case", "settings", *args)
    assert (code, out) == (2, "")
    assert message in error_line(err)
    assert events(case_dir, start) == []
    assert json.loads(run(cli, case_dir, "case", "settings", "--json"))["initials"] == "JS"
