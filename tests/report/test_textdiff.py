"""The word-level comparison behind amendments: nothing lost, nothing invented."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from evidence_app.core.report.textdiff import diff_markup, word_diff

WORDS = st.sampled_from(["the", "car", "was", "outside", ".", "!", "\n", "  ", "Он", "我",
                         "🔪", "John", "Doe", ",", "at", "20:00"])
TEXTS = st.lists(WORDS, max_size=60).map(" ".join)


def sides(segments):
    old = "".join(text for kind, text in segments if kind != "+")
    new = "".join(text for kind, text in segments if kind != "-")
    return old, new


@settings(max_examples=300, deadline=None)
@given(TEXTS, TEXTS)
def test_the_old_and_the_new_text_can_both_be_read_back_whole(old, new):
    segments = word_diff(old, new)
    assert sides(segments) == (old, new)
    # Laid out in pieces (a long text splits across pages), every changed word is kept.
    pieces = "".join(diff_markup(segments, size=25))
    for kind, text in segments:
        if kind != "=" and text.strip():
            for word in re.findall(r"\w+", text):
                assert word in pieces


def test_long_texts_with_many_changes_line_up_by_sentence():
    old = " ".join(f"Sentence {n} here." for n in range(3000))
    new = " ".join(f"Sentence {n} here." if n % 7 else f"Sentence {n} there." for n in range(3000))
    segments = word_diff(old, new)
    assert sides(segments) == (old, new)
    changes = [(kind, text.strip()) for kind, text in segments if kind != "="]
    assert changes[:2] == [("-", "here"), ("+", "there")]
    assert len(changes) == 2 * len(range(0, 3000, 7))  # each changed word, nothing more


def test_added_and_removed_words_are_marked_for_a_photocopy():
    [text] = diff_markup(word_diff("He stood at the gate.", "He stood at my gate. It was John."))
    assert text == ("He stood at <b>[-</b> <strike>the</strike> <b>-]</b> <b>[+</b> "
                    "<u><b>my</b></u> <b>+]</b> gate. <b>[+</b> <u><b>It was John.</b></u> "
                    "<b>+]</b>")
