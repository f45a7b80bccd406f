"""Text the report font draws as it is takes a short way through `markup` and `plain`:
it must come out exactly as the character-by-character way gives it."""

from __future__ import annotations

import emoji as emoji_data
from hypothesis import given, settings
from hypothesis import strategies as st

from evidence_app.core.report import emoji, fonts
from evidence_app.core.report.scripts import is_rtl_char

_PLAIN = sorted(fonts._plain_chars())


def _char_by_char_markup(text: str, keep_lines: bool) -> str:
    rtl = any(is_rtl_char(ch) for ch in text)
    return "".join(fonts._emoji_markup(run) if run else fonts._markup_text(piece, keep_lines, rtl)
                   for piece, run in fonts._emoji_runs(text))


def _char_by_char_plain(text: str) -> str:
    out = []
    for piece, run in fonts._emoji_runs(text):
        if run:
            names = list(dict.fromkeys(emoji.everyday_name(seq) for seq in run))
            out.append(f"[emoji: {', '.join(names)}]")
        else:
            out.append(fonts._plain_text(piece))
    return "".join(out)


def test_the_short_way_covers_ordinary_typing_and_nothing_that_needs_work():
    plain = set(_PLAIN)
    assert set("Jane's car, £40 – “outside” at 9:30pm\n") <= plain
    for ch in ("\u0627", "\u05d0", "\u0915", "\u4e00", "\u200d", "\ufe0f", "\u200f", "\t",
               "\x07", "\u0301", "\u231a", "\u2764"):
        assert ch not in plain, repr(ch)


def test_no_emoji_sequence_is_made_only_of_plain_characters():
    plain = set(_PLAIN)
    assert not [seq for seq in emoji_data.EMOJI_DATA if set(seq) <= plain]


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(_PLAIN + ["[", "]"]), max_size=60),
       st.booleans())
def test_plain_text_comes_out_as_character_by_character(text, keep_lines):
    assert fonts.markup(text, keep_lines=keep_lines) == _char_by_char_markup(text, keep_lines)
    assert fonts.plain(text) == _char_by_char_plain(text)


def test_every_plain_character_comes_out_as_character_by_character():
    for ch in _PLAIN:
        for text in (ch, f"a{ch} b", ch * 3, f"{ch}\n{ch}"):
            assert fonts.markup(text) == _char_by_char_markup(text, True), repr(text)
            assert fonts.plain(text) == _char_by_char_plain(text), repr(text)
