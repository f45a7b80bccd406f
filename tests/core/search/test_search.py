"""Searching a case: results, snippets, order, filters, trash, and random phrases."""

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from evidence_app.core import attachments as atts
from evidence_app.core import incidents as inc
from evidence_app.core import ocr, people
from evidence_app.core.dates import parse_when
from evidence_app.core.importers.files import import_files
from evidence_app.core.search.find import SearchFilters, highlights, matching_ids, search


def when(text):
    return parse_when(text, "Europe/London")


@pytest.fixture
def story(case, tmp_path):
    """A small case: a suspect, his car, texts, and screenshots with text in them."""
    s = {}
    s["work"] = inc.create_incident(
        case, when=when("03/03/2025 08:30"), title="Turned up at my work",
        description="He waited by the staff entrance", location="Tesco, Swindon",
        category="loitering")
    s["texts"] = inc.create_incident(
        case, when=when("10/03/2025 23:10"), title="Texts at night",
        description="Eleven messages about my sister", category="contact_text")
    s["car"] = inc.create_incident(
        case, when=when("20/03/2025 18:00"), title="Car outside the house",
        description="The silver Astra again, AB12 CDE", category="loitering")
    s["old"] = inc.create_incident(case, when=when("01/12/2024 12:00"), title="Café encounter",
                                   description="Stared at me in the café", category="other")
    s["undated"] = inc.create_incident(case, title="Flowers left, date unknown")
    mark = people.create_person(case, "Mark Jones", "suspect")
    s["mark"] = mark
    for key in ("work", "texts", "car"):
        people.link_person(case, s[key], mark)
    s["astra"] = people.create_vehicle(case, make="Vauxhall", model="Astra", colour="Silver",
                                       plate="AB12 CDE")
    people.link_vehicle(case, s["car"], s["astra"])
    inc.set_tags(case, s["texts"], ["night", "phone"])
    inc.set_tags(case, s["car"], ["night"])
    inc.add_note(case, s["work"], "Told my manager Priya")
    shot = tmp_path / "Screenshot_20250310-231000.png"
    Image.new("RGB", (50, 80), "white").save(shot)
    [s["shot"]] = [e.item.id for e in import_files(case, [shot], s["texts"]) if e.item]
    ocr.correct_text(case, s["shot"], "You can't hide from me forever")
    loose = tmp_path / "IMG_20250321_070000.png"
    Image.new("RGB", (50, 80), "blue").save(loose)
    [s["loose"]] = [e.item.id for e in import_files(case, [loose]) if e.item]
    atts.set_caption(case, s["loose"], "Scratch on the car door")
    return s


def found(case, query, **kw):
    return [(h.kind, h.id) for h in search(case, query, **kw).hits]


def test_snippets_highlight_the_match_and_say_where_it_is(case, story):
    [hit] = search(case, "sister").hits
    assert hit.id == story["texts"] and hit.field == "details"
    assert hit.marked_snippet() == (
        "Eleven messages about my [sister] · Unwanted contact: texts / messages · night, phone")
    assert hit.when == "10 Mar 2025, 23:10"
    [hit] = search(case, "priya").hits
    assert hit.field == "notes" and "[Priya]" in hit.marked_snippet()


def test_text_inside_a_screenshot_finds_its_incident_and_exhibit(case, story):
    [hit] = search(case, "hide forever").hits
    assert (hit.kind, hit.id, hit.field) == ("incident", story["texts"], "ocr")
    from evidence_app.core.search.find import matching_exhibit

    assert hit.attachment_id is None  # found on opening: see matching_exhibit
    assert matching_exhibit(case, story["texts"], "hide forever") == story["shot"]
    assert hit.marked_snippet() == "You can't [hide] from me [forever]"


def test_inbox_items_are_results_of_their_own(case, story):
    [hit] = search(case, "scratch").hits
    assert (hit.kind, hit.id, hit.exhibit) == ("attachment", story["loose"], "JS/2")
    assert hit.title == "Scratch on the car door" and hit.when == "21 Mar 2025, 07:00"
    assert found(case, "car", filters=SearchFilters(inbox_only=True)) == [
        ("attachment", story["loose"])]


def test_a_photo_named_by_day_only_is_listed_by_its_day(case, tmp_path):
    sent = tmp_path / "IMG-20240715-WA0004.jpg"
    Image.new("RGB", (50, 80), "green").save(sent)
    [att] = [e.item.id for e in import_files(case, [sent]) if e.item]
    atts.set_caption(case, att, "Photo of the gate")
    [hit] = search(case, "gate").hits
    assert hit.when == "15 Jul 2024"  # the day, not an invented 00:00

def test_plates_wherever_written(case, story):
    assert found(case, "ab12cde") == [("incident", story["car"])]
    [hit] = search(case, "12 CD").hits
    assert "[AB12 CDE]" in hit.marked_snippet()


def test_order_by_relevance_or_date(case, story):
    in_text = inc.create_incident(case, when=when("01/04/2025"), title="Walk home",
                                  description="A van slowed down beside me")
    in_title = inc.create_incident(case, when=when("02/04/2025"), title="Van parked opposite",
                                   description="Engine running for an hour")
    assert found(case, "van", order="relevance") == [("incident", in_title),
                                                     ("incident", in_text)]
    newest = found(case, "car", order="newest")
    assert newest == [("attachment", story["loose"]), ("incident", story["car"])]
    assert found(case, "car", order="oldest") == newest[::-1]
    undated_last = found(case, "left OR van", order="oldest")
    assert undated_last[-1] == ("incident", story["undated"])
    assert found(case, "left OR van", order="newest")[-1] == ("incident", story["undated"])


def test_filters(case, story):
    F = SearchFilters
    assert found(case, "", filters=F(categories=("loitering",)), order="oldest") == [
        ("incident", story["work"]), ("incident", story["car"])]
    assert found(case, "", filters=F(tags=("night",)), order="oldest") == [
        ("incident", story["texts"]), ("incident", story["car"])]
    assert found(case, "", filters=F(tags=("night", "phone"))) == [("incident", story["texts"])]
    assert found(case, "", filters=F(people=(story["mark"],)), order="oldest") == [
        ("incident", story["work"]), ("incident", story["texts"]), ("incident", story["car"])]
    assert found(case, "", filters=F(vehicles=(story["astra"],))) == [("incident", story["car"])]
    assert found(case, "", filters=F(has_exhibits=True), order="oldest") == [
        ("incident", story["texts"]), ("attachment", story["loose"])]
    march = F(date_from=date(2025, 3, 1), date_to=date(2025, 3, 10))
    assert found(case, "", filters=march, order="oldest") == [
        ("incident", story["work"]), ("incident", story["texts"])]
    assert found(case, "", filters=F(date_from=date(2025, 3, 21)), order="oldest") == [
        ("attachment", story["loose"])]
    assert found(case, "the", filters=F(date_to=date(2024, 12, 31))) == [
        ("incident", story["old"])]
    assert found(case, "night", filters=F(categories=("loitering",))) == [
        ("incident", story["car"])]


def test_trash_leaves_the_results_unless_asked(case, story):
    inc.delete_incident(case, story["car"])
    assert found(case, "astra") == []
    assert search(case, "astra").total == 0
    assert found(case, "astra", filters=SearchFilters(include_trash=True)) == [
        ("incident", story["car"])]
    assert search(case, "astra", filters=SearchFilters(include_trash=True)).hits[0].trashed
    assert story["car"] not in matching_ids(case, "night")


def test_counts_pages_and_timeline_ids(case, story):
    result = search(case, "the", limit=3)
    assert result.total == 4 and len(result.hits) == 3
    rest = search(case, "the", limit=10, offset=3)
    assert len(rest.hits) == 1
    assert {(h.kind, h.id) for h in result.hits + rest.hits} == {
        ("incident", story[k]) for k in ("work", "car", "old")} | {
        ("attachment", story["loose"])}
    assert matching_ids(case, "the") == [story["old"], story["work"], story["car"]]
    assert matching_ids(case, "the", newest_first=True) == [story["car"], story["work"],
                                                           story["old"]]


def test_blank_and_wordless_queries(case, story):
    assert search(case, "").hits == [] and search(case, "").total == 0
    result = search(case, "🙂 ***")
    assert result.total == 0 and "symbols" in result.message
    everything_but = found(case, "-astra -tesco", order="oldest")
    assert ("incident", story["car"]) not in everything_but
    assert ("incident", story["work"]) not in everything_but
    assert ("incident", story["texts"]) in everything_but


def test_highlights_for_the_editor(case):
    text = "The silver Astra (AB12 CDE) was at the Café."
    spans = highlights(text, "cafe 12 cd")
    assert [text[s:e] for s, e in spans] == ["AB12 CDE", "Café"]
    assert [text[s:e] for s, e in highlights(text, '"silver ast')] == ["silver Astra"]


words_st = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")),
                   min_size=1, max_size=40)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(phrase=words_st, pick=st.integers(0, 9), field=st.sampled_from(
    ["title", "description", "location", "witnesses", "impact", "police_reference"]))
def test_a_phrase_put_in_a_random_incident_is_always_found(case, phrase, pick, field):
    from evidence_app.core.search.text import has_words

    if not inc.list_incidents(case):
        for n in range(10):
            inc.create_incident(case, title=f"Incident number {n}", description="filler text")
    target = inc.list_incidents(case)[pick].id
    inc.update_incident(case, target, **{field: f"before {phrase} after"})
    quoted = '"' + phrase.replace('"', " ").replace("\u201c", " ").replace("\u201d", " ") + '"'
    if not has_words(quoted):
        assert search(case, quoted).hits == []
        return
    hits = search(case, quoted, limit=20).hits
    assert ("incident", target) in [(h.kind, h.id) for h in hits]
    plain = search(case, phrase.replace("-", " ").replace('"', " "), limit=20)
    if not plain.query.empty and not plain.query.excluded:
        assert ("incident", target) in [(h.kind, h.id) for h in plain.hits]
    # Put it back (a title cannot be empty: "Incident" holds none of the phrase's words
    # that matter, as the fillers do not).
    inc.update_incident(case, target, **{field: "Incident" if field == "title" else ""})


typed = st.text(max_size=60) | st.lists(st.sampled_from(
    ['"', "-", "OR", "AND", "NEAR(", "*", "(", ")", "astra", "12", "cd", "ab12cde", "🙂", " ",
     "\u201c", "^", ":", "{title}", "'"]), max_size=10).map(" ".join)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=typed, order=st.sampled_from(["relevance", "newest", "oldest", "bogus"]),
       trash=st.booleans())
def test_no_typed_query_raises(case, query, order, trash):
    if not inc.list_incidents(case, limit=1):
        inc.create_incident(case, title="Silver Astra AB12 CDE (again)", description="café")
    result = search(case, query, SearchFilters(include_trash=trash), order=order)
    assert result.total >= len(result.hits)
    matching_ids(case, query, SearchFilters(include_trash=trash))


def test_very_many_matches_come_newest_recorded_first(case, story, monkeypatch):
    import evidence_app.core.search.find as search_module

    ranked = found(case, "the")
    monkeypatch.setattr(search_module, "RANK_LIMIT", 2)
    result = search(case, "the")
    assert "most recently recorded come first" in result.message
    assert result.more and result.total == 3  # counting stopped past the limit
    order = [(h.kind, h.id) for h in result.hits]
    assert sorted(order) == sorted(ranked)
    assert order == sorted(order, key=lambda kh: kh[1] if kh[0] == "incident" else -kh[1],
                           reverse=True)


def test_timeline_ids_can_keep_the_incident_being_edited(case, story):
    assert story["undated"] not in matching_ids(case, "astra")
    kept = matching_ids(case, "astra", keep=[story["undated"]])
    assert kept == [story["car"], story["undated"]]  # in date order, undated last
    inc.delete_incident(case, story["undated"])
    assert matching_ids(case, "astra", keep=[story["undated"]]) == [story["car"]]
