"""The summary an officer acts on, read back from the PDF: the suspect described once,
vehicles and witnesses, the course of conduct, 'Impact on me' with dates and amounts,
facts that bear on risk; the court copy's declaration and the advocate's order."""

from __future__ import annotations

from datetime import date

import pytest

from evidence_app.core.dates import parse_when
from evidence_app.core.errors import ValidationError
from evidence_app.core.impacts import clear_impact, parse_pounds, set_impact
from evidence_app.core.incidents import create_incident
from evidence_app.core.people import create_person, create_vehicle, link_person, link_vehicle
from evidence_app.core.report.course import course_of_conduct
from evidence_app.core.report.data import collect
from evidence_app.core.report.options import ReportOptions
from tests.report.test_report_pdf import build, pages_text, squash

TZ = "Europe/London"
SUSPECT_DESCRIPTION = "Tall, shaved head, scar over the left eyebrow"
DECLARATION = "I believe that the facts stated in this document are true"

# (day, category, title): calls and sightings first, threats from April, a tracker in June.
STORY = [
    ("03/02/2025 21:00", "contact_call", "Silent calls at night"),
    ("10/02/2025 21:00", "contact_call", "More silent calls"),
    ("20/02/2025 08:10", "loitering", "Outside the house in the morning"),
    ("02/03/2025 18:00", "contact_text", "Texts asking where I am"),
    ("15/03/2025 18:00", "loitering", "Waiting at the bus stop"),
    ("05/04/2025 22:00", "threats", "Text saying I will regret it"),
    ("19/04/2025 22:00", "threats", "Voicemail threatening my family"),
    ("01/05/2025 19:00", "following", "Followed home from work"),
    ("20/05/2025 19:00", "following", "Followed to the supermarket"),
    ("08/06/2025 10:00", "monitoring", "Tracker found under my car"),
    ("12/06/2025 22:00", "threats", "Message: I know where you are"),
    ("20/06/2025 22:00", "loitering", "Outside the house again at night"),
]


@pytest.fixture
def stalking(case):
    """Twelve incidents, a suspect and his car on every one, a witness on two."""
    ids = [create_incident(case, when=parse_when(when, TZ), title=title, category=cat)
           for when, cat, title in STORY]
    suspect = create_person(case, "Mark Ellis", role="suspect", relation="Former partner",
                            description=SUSPECT_DESCRIPTION, contact="07700 900999")
    witness = create_person(case, "Ann Lee", role="witness", relation="Neighbour",
                            description="Lives at number 12", contact="07700 900111")
    car = create_vehicle(case, make="Ford", model="Focus", colour="Blue", plate="KX21 ABC",
                         description="Roof box, cracked rear light")
    for incident in ids:
        link_person(case, incident, suspect)
        link_vehicle(case, incident, car)
    link_person(case, ids[2], witness)
    link_person(case, ids[11], witness)
    set_impact(case, ids[5], "fear_of_violence", since=date(2025, 4, 5),
               details="Afraid he would hurt me")
    set_impact(case, ids[10], "fear_of_violence", since=date(2025, 6, 12),
               details="He knows where I live")
    set_impact(case, ids[9], "costs", since=date(2025, 6, 9), details="Garage check",
               amount_pence=parse_pounds("65"))
    set_impact(case, None, "costs", since=date(2025, 6, 15), details="CCTV and new locks",
               amount_pence=parse_pounds("£1,240.50"))
    set_impact(case, None, "moved_home", since=date(2025, 6, 21),
               details="Staying with my sister")
    set_impact(case, None, "time_off", since=date(2025, 4, 22), details="Two weeks off work")
    return ids


def test_the_suspect_and_his_car_are_described_once(stalking, case, tmp_path):
    out = tmp_path / "police.pdf"
    build(case, out)
    text = squash(" ".join(pages_text(out)))
    assert text.count(SUSPECT_DESCRIPTION) == 1
    assert text.count("Roof box, cracked rear light") == 1
    assert text.count("Lives at number 12") == 1
    # Every incident still names him and the car.
    assert text.count("Mark Ellis (suspect)") == len(STORY)
    assert text.count("Blue Ford Focus (KX21 ABC)") == len(STORY)
    summary = squash(pages_text(out)[1])
    assert "The suspect" in summary and "Former partner" in summary
    assert "Contact: 07700 900999" in summary
    assert "In all 12 incidents." in summary
    assert "KX21 ABC" in summary and "Seen in all 12 incidents." in summary
    assert "Witnesses" in summary and "Ann Lee" in summary and "Neighbour" in summary
    assert "In 2 of the 12 incidents (Nos. 3, 12)" in summary
    # A witness's phone number stays out of a copy that may reach the suspect.
    assert "07700 900111" not in text


def test_course_of_conduct_says_what_escalated(stalking, case, tmp_path):
    data = collect(case, ReportOptions.for_profile("police"), generated_at=None)  # type: ignore[arg-type]
    text = " ".join(course_of_conduct(data.incidents, data.numbers(), TZ)).replace("\xa0", " ")
    assert "12 incidents are recorded, from 3 Feb 2025 to 20 Jun 2025." in text
    assert ("The first was No. 1 (\u201cSilent calls at night\u201d); the latest No. 12 "
            "(\u201cOutside the house again at night\u201d).") in text
    assert "The 12 dated incidents span 138 days: about 2.6 a month." in text
    assert ("The frequency stayed about the same: 6 in the first half of the period (to "
            "12 Apr 2025), 6 in the second half.") in text
    assert "In the latest four weeks (to 20 Jun 2025) there were 3." in text
    assert "It began with calls in February 2025." in text
    assert ("It escalated: threats began in April 2025 (No. 6, \u201cText saying I will regret "
            "it\u201d); monitoring or tracking began in June 2025 (No. 10, \u201cTracker found "
            "under my car\u201d).") in text
    assert "following (May 2025)" in text


def test_impact_on_me_lists_each_effect_with_dates_and_amounts(stalking, case, tmp_path):
    out = tmp_path / "police.pdf"
    build(case, out)
    pages = [squash(p) for p in pages_text(out)]
    start = next(n for n, p in enumerate(pages) if "Impact on me" in p)
    impact = " ".join(pages[start:start + 2])
    impact = impact[impact.index("Impact on me"):]
    assert "Fear that violence will be used against me (on 2 occasions)" in impact
    assert "5 Apr 2025 (No. 6): Afraid he would hurt me" in impact
    assert "12 Jun 2025 (No. 11): He knows where I live" in impact
    assert "9 Jun 2025, £65.00 (No. 10): Garage check" in impact
    assert "15 Jun 2025, £1,240.50: CCTV and new locks" in impact
    assert "Total: £1,305.50" in impact
    assert "21 Jun 2025: Staying with my sister" in impact
    assert "22 Apr 2025: Two weeks off work" in impact
    assert "Serious alarm or distress" not in impact  # not ticked, not claimed
    # The incident's own page shows its effect in the Act's words.
    incident = next(p for p in pages[start + 1:] if "Tracker found under my car" in p
                    and "Garage check" in p)
    assert ("Effect on me Money spent because of this (locks, CCTV, travel) (9 Jun 2025, "
            "£65.00): Garage check") in incident


def test_an_unticked_effect_leaves_the_summary(stalking, case, tmp_path):
    clear_impact(case, None, "moved_home")
    out = tmp_path / "police.pdf"
    build(case, out)
    text = squash(" ".join(pages_text(out)))
    assert "Staying with my sister" not in text
    assert "Moved home" not in text


def test_only_the_court_copy_has_the_declaration_of_truth(stalking, case, tmp_path):
    texts = {}
    for profile in ("police", "court", "advocate", "personal"):
        out = tmp_path / f"{profile}.pdf"
        build(case, out, profile=profile)
        texts[profile] = squash(" ".join(pages_text(out)))
    assert DECLARATION in texts["court"]
    court = texts["court"]
    block = court[court.index("Declaration of truth"):]
    assert "true to the best of my knowledge and belief" in block
    assert "Signed" in block and "Full name Jane Smith" in block and "Date" in block
    for profile in ("police", "advocate", "personal"):
        assert DECLARATION not in texts[profile]
        assert "Declaration of truth" not in texts[profile]


def test_the_advocate_copy_puts_impact_and_risk_first(stalking, case, tmp_path):
    orders = {}
    for profile in ("police", "advocate"):
        out = tmp_path / f"{profile}.pdf"
        build(case, out, profile=profile)
        text = squash(" ".join(pages_text(out)[1:4]))
        orders[profile] = [text.index(h) for h in ("Impact on me", "Facts that bear on risk",
                                                   "Course of conduct", "The suspect")]
    impact, risk, course, suspect = orders["advocate"]
    assert impact < risk < course < suspect
    impact, risk, course, suspect = orders["police"]
    assert suspect < course < impact < risk


def test_risk_facts_count_the_threats_and_the_fear(stalking, case, tmp_path):
    out = tmp_path / "advocate.pdf"
    build(case, out, profile="advocate")
    text = squash(" ".join(pages_text(out)[1:4]))
    risk = text[text.index("Facts that bear on risk"):]
    assert "Threats 3 incidents, 5 Apr 2025 to 12 Jun 2025: Nos. 6, 7, 11" in risk
    assert "Monitoring or tracking One incident, 8 Jun 2025: No. 10" in risk
    assert "Fear of violence Recorded on 2 occasions (5 Apr 2025, 12 Jun 2025)" in risk


def test_mostly_other_gives_a_sentence_not_a_table(case, tmp_path):
    for n in range(1, 11):
        create_incident(case, when=parse_when(f"{n:02d}/03/2025 20:00", TZ), title=f"Entry {n}")
    create_incident(case, when=parse_when("12/03/2025 20:00", TZ), title="Threat",
                    category="threats")
    out = tmp_path / "police.pdf"
    build(case, out)
    summary = squash(" ".join(pages_text(out)[1:3]))
    assert ("10 of the 11 incidents have no behaviour category (\u201cOther\u201d): they were "
            "grouped or imported without one. The others: threats (1).") in summary
    assert "Incidents by category and by month" not in summary
    assert "cannot be compared over time" in summary


def test_amounts_are_read_as_people_type_them():
    assert parse_pounds("85") == 8500
    assert parse_pounds("£1,240.5") == 124050
    assert parse_pounds(" 12.05 ") == 1205
    assert parse_pounds("") is None
    for bad in ("-5", "about forty", "1.234", "£"):
        with pytest.raises(ValidationError, match="not an amount of money"):
            parse_pounds(bad)


def test_only_money_spent_has_an_amount(case):
    incident = create_incident(case, title="x")
    with pytest.raises(ValidationError, match="Only money spent"):
        set_impact(case, incident, "fear_of_violence", amount_pence=100)
    with pytest.raises(ValidationError, match="Unknown kind of impact"):
        set_impact(case, incident, "sadness")


def test_the_court_audit_trail_shows_impacts_ticked_changed_and_removed(stalking, case,
                                                                        tmp_path):
    set_impact(case, None, "time_off", since=date(2025, 4, 22), details="Three weeks off work")
    clear_impact(case, None, "moved_home")
    out = tmp_path / "court.pdf"
    build(case, out, profile="court")
    text = squash(" ".join(pages_text(out)))
    trail = text[text.index("Appendix: audit trail"):]
    assert ("Impact on me (Time off work or study), the whole case: from: 2025-04-22; words: "
            "\u201cTwo weeks off work\u201d") in trail
    assert ("Impact on me (Time off work or study), the whole case: words: \u201cTwo weeks off "
            "work\u201d \u2192 \u201cThree weeks off work\u201d") in trail
    assert ("Removed Impact on me (Moved home or stayed elsewhere), the whole case: from: "
            "2025-06-21; words: \u201cStaying with my sister\u201d") in trail
    assert ("Impact on me (Money spent (locks, CCTV \u2026)), incident 10: from: 2025-06-09; "
            "amount: £65.00; words: \u201cGarage check\u201d") in trail


@pytest.mark.parametrize("days, unit, count", [(150, "week", 22), (700, "month", 24),
                                               (4000, "year", 11)])
def test_the_chart_counts_by_week_month_or_year_as_the_span_needs(case, days, unit, count):
    from datetime import timedelta

    from evidence_app.core.report.summary import chart_periods

    start = date(2020, 1, 6)
    for n, cat in enumerate(("threats", "following", "threats")):
        day = start + timedelta(days=days * n // 2)
        create_incident(case, when=parse_when(f"{day:%d/%m/%Y} 12:00", TZ), title=f"{n}",
                        category=cat)
    data = collect(case, ReportOptions.for_profile("police"), generated_at=None)  # type: ignore[arg-type]
    got, periods, kinds = chart_periods(data)
    assert (got, len(periods)) == (unit, count)
    assert kinds == ["Threats", "Following"]
    assert sum(c[0] for _, c in periods) == 2 and sum(c[1] for _, c in periods) == 1
