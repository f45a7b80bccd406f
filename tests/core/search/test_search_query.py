"""The query language: what each typed form becomes, and that no input is an error."""

import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evidence_app.core.search.query import parse_query
from evidence_app.core.search.text import fold, plate_fragment, plate_keys, plate_ngrams, words


@pytest.fixture(scope="module")
def fts():
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE t USING fts5(body, plates, "
               "tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')")
    return db


def matches(db, query: str, body: str, plates: str = "") -> bool:
    db.execute("DELETE FROM t")
    db.execute("INSERT INTO t VALUES (?, ?)", (body, plates))
    parsed = parse_query(query)
    if parsed.fts is None:
        return False
    return db.execute("SELECT count(*) FROM t WHERE t MATCH ?", (parsed.fts,)).fetchone()[0] == 1


@pytest.mark.parametrize(("query", "body", "found"), [
    ("silver astra", "An astra, silver, parked", True),          # any order
    ("silver astra", "A silver Corsa", False),                   # all words needed
    ("CAFÉ", "met at the cafe", True),                           # accents and case
    ("cafe", "met at the Café", True),
    ('"silver astra"', "silver Astra", True),                    # phrase
    ('"silver astra"', "astra silver", False),
    ("\u201csilver astra\u201d", "the Silver astra again", True),  # curly quotes
    ("astra -corsa", "astra and corsa", False),                  # exclusion
    ("astra -corsa", "astra only", True),
    ('astra -"red car"', "astra and a red car", False),
    ('astra -"red car"', "astra, car red", True),
    ("texts OR calls", "three calls", True),                     # OR
    ("texts OR calls night", "three calls", False),
    ("texts OR calls night", "texts at night", True),
    ("ast", "Astra", True),                                      # prefix on last word
    ("ast ", "Astra", False),                                    # finished word: whole
    ("ast silver", "Astra silver", False),                       # only the last word
    ('"silver ast', "silver astra", True),                        # open phrase, prefix
    ("O'Brien", "Mr O'Brien called", True),
    ("ex-partner", "my ex partner", True),
    ("NEAR(a b)", "near a b", True),
    ("AND", "this and that", True),
    ("OR", "either or", True),
])
def test_query_forms(fts, query, body, found):
    assert matches(fts, query, body) is found


@pytest.mark.parametrize("query", ["", "   ", "***", "🙂", "-", '""', "()", "^"])
def test_queries_without_words_are_empty(query):
    assert parse_query(query).empty


def test_dangling_operators_while_typing():
    assert parse_query("silver OR").fts == '"silver"'
    assert parse_query("silver AND").fts == '"silver"'
    assert parse_query("AND silver").fts == '"AND" AND "silver" *'


def test_only_exclusions_has_no_match_but_an_exclusion():
    parsed = parse_query("-tesco")
    assert parsed.match is None and parsed.exclude == '"tesco"'
    assert not parsed.empty


@pytest.mark.parametrize(("query", "plate"), [
    ("ab12cde", "AB12 CDE"), ("AB12 CDE", "AB12CDE"), ("ab 12 cde", "AB12 CDE"),
    ("12 CD", "AB12 CDE"), ("12cd", "AB12 CDE"), ("B12 C", "AB12 CDE"), ("AB12-CDE", "ab12cde"),
    ("A123 BCD", "A123BCD"), ("123 BC", "A123 BCD"), ("ABC 123D", "abc123d"),
])
def test_plates_match_without_spaces_or_case(fts, query, plate):
    body = f"Car seen: {plate} outside"
    plates = plate_ngrams(plate_keys([body], known=[plate]))
    assert matches(fts, query, body, plates)


def test_plate_fragments_need_letters_and_digits():
    assert plate_fragment(["12", "CD"]) == "12cd"
    assert plate_fragment(["astra", "12"]) is None  # four letters in a row: no plate
    assert plate_fragment(["1234"]) is None
    assert plate_fragment(["a1"]) is None


def test_plates_are_found_in_free_text_but_not_in_prose():
    assert plate_keys(["It was AB12 CDE again, then LX65ABC and ab12cdf"]) == [
        "AB12CDE", "LX65ABC", "AB12CDF"]
    assert plate_keys(["He is 12 the other day, at 9 am on A12 road"]) == []


def test_words_mirror_the_index():
    assert [w.folded for w in words("Café-au-lait, São Paulo! ÉCOLE")] == [
        "cafe", "au", "lait", "sao", "paulo", "ecole"]
    assert fold("Ñandú") == "nandu"


hostile = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)),
                  max_size=80) | st.lists(st.sampled_from(
                      ['"', "'", "(", ")", "*", "-", "OR", "AND", "NOT", "NEAR(", "^", ":",
                       "{", "}", "+", "🙂", "silver", "ast", "\u201c", "\u201d", " ", "\x00",
                       "col:", "\\", "a-b"]), max_size=12).map("".join)


@settings(max_examples=400, deadline=None)
@given(hostile)
def test_no_input_is_an_fts_error(query):
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE t USING fts5(body, plates, "
               "tokenize = 'unicode61 remove_diacritics 2')")
    db.execute("INSERT INTO t VALUES ('silver astra ab12 cde', 'ab12cde')")
    parsed = parse_query(query)
    for expr in (parsed.fts, parsed.exclude):
        if expr is not None:
            db.execute("SELECT count(*) FROM t WHERE t MATCH ?", (expr,)).fetchone()


@given(st.text(alphabet="aBz09 -.\nÄ", max_size=40))
def test_a_run_of_letters_and_digits_reads_as_a_plate_only_when_it_mixes_two_of_each(text):
    # The run pattern skips words without a digit inside the regex; what it finds must
    # be exactly what the plain definition gives: 5-8 letters and digits standing alone,
    # at least two of each (besides the written UK formats).
    import re

    from evidence_app.core.search.text import _PLATE_PATTERNS, plate_spans

    formats = {(m.start(), m.end()) for p in _PLATE_PATTERNS for m in p.finditer(text)}
    runs = [(m.start(), m.end(), m.group().upper())
            for m in re.finditer(r"[A-Za-z0-9]+", text)
            if 5 <= len(m.group()) <= 8 and (m.start(), m.end()) not in formats
            and sum(c.isdigit() for c in m.group()) >= 2
            and sum(not c.isdigit() for c in m.group()) >= 2]
    found = [s for s in plate_spans(text) if (s[0], s[1]) not in formats]
    assert found == runs
