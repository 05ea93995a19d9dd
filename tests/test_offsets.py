"""Offsets: code points ↔ UTF-16 units, span snapping and the birth of an annotation.

Pure module, no Qt. Texts mix the scripts analysts meet: Latin, Arabic with harakat, Cyrillic, and
characters outside the BMP (emoji, flag pairs of regional indicators, ZWJ family sequences), which
are exactly where code points and Qt's UTF-16 positions part ways.
"""

from __future__ import annotations

from unicodedata import category

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.model import CONTEXT_CHARS, Grade
from app.offsets import SpanError, Utf16Map, new_annotation, snap_span

PIECES = [
    "Homs",
    "al-Jolani",
    "Syria’s",
    "rebels'",
    "Дамаск",
    "بِسْمِ",  # Arabic with harakat (combining marks)
    "الجُولاني",
    "حِمْص",
    "🐈",
    "🇦🇺",  # a flag: two regional indicators, four UTF-16 units
    "🇸🇾",
    "👨\u200d👩\u200d👧",  # a ZWJ family sequence
    "e\u0301",  # e + combining acute
    " ",
    "  ",
    "\n",
    "\t",
    " - ",
    " ' ",
    "—",
    ",",
    ".",
    "42",
    "\u00a0",
]

mixed_text = st.lists(st.sampled_from(PIECES), max_size=25).map("".join)
any_text = st.one_of(mixed_text, st.text(max_size=40))


def utf16_len(s: str) -> int:
    return len(s.encode("utf-16-le")) // 2


def letterlike(ch: str) -> bool:
    """Characters that are unmistakably inside a word in any script."""
    return ch.isalnum() or category(ch)[0] == "M"


def word_char(ch: str) -> bool:
    return letterlike(ch) or ch == "_" or ch in "'’-\u2011"


def span_in(draw, text: str) -> tuple[int, int]:
    a = draw(st.integers(0, len(text)))
    b = draw(st.integers(0, len(text)))
    return min(a, b), max(a, b)


# ------------------------------------------------------------------ Utf16Map


@given(any_text)
def test_to_utf16_counts_utf16_units_for_every_code_point(text: str) -> None:
    m = Utf16Map(text)
    assert m.length == len(text)
    assert m.length_utf16 == utf16_len(text)
    for cp in range(len(text) + 1):
        assert m.to_utf16(cp) == utf16_len(text[:cp])


@given(any_text)
def test_to_code_point_inverts_to_utf16(text: str) -> None:
    m = Utf16Map(text)
    for cp in range(len(text) + 1):
        assert m.to_code_point(m.to_utf16(cp)) == cp


@given(any_text)
def test_position_inside_surrogate_pair_rounds_down(text: str) -> None:
    m = Utf16Map(text)
    for u16 in range(m.length_utf16 + 1):
        # The character that starts at or before u16: the largest cp whose UTF-16 offset ≤ u16.
        expected = max(cp for cp in range(len(text) + 1) if utf16_len(text[:cp]) <= u16)
        assert m.to_code_point(u16) == expected


def test_utf16_map_examples() -> None:
    text = "a🐈b🇦🇺c"
    m = Utf16Map(text)
    assert [m.to_utf16(cp) for cp in range(len(text) + 1)] == [0, 1, 3, 4, 6, 8, 9]
    assert m.to_code_point(2) == 1  # between the cat's surrogates → the cat
    assert m.to_code_point(5) == 3  # inside the first regional indicator
    assert m.to_code_point(7) == 4  # inside the second
    assert m.to_code_point(9) == 6


# ------------------------------------------------------------------ snap_span


@st.composite
def text_and_span(draw):
    text = draw(mixed_text)
    start, end = span_in(draw, text)
    return text, start, end


@given(text_and_span(), st.booleans())
def test_snap_never_keeps_edge_white_space(case, to_words: bool) -> None:
    text, start, end = case
    result = snap_span(text, start, end, to_words=to_words)
    if result is not None:
        s, e = result
        assert 0 <= s < e <= len(text)
        assert not text[s].isspace() and not text[e - 1].isspace(), (text, start, end, result)


@given(text_and_span())
def test_snap_without_words_is_exactly_the_trimmed_selection(case) -> None:
    text, start, end = case
    result = snap_span(text, start, end, to_words=False)
    trimmed = text[start:end].strip()
    if not trimmed:
        assert result is None
    else:
        s, e = result
        assert start <= s < e <= end
        assert text[s:e] == trimmed


@given(text_and_span())
def test_snap_to_words_widens_over_word_chars_only_and_never_splits_a_word(case) -> None:
    text, start, end = case
    result = snap_span(text, start, end, to_words=True)
    # The core of the selection: without edge white space or dangling apostrophes/hyphens.
    a, b = start, end
    while a < b and (text[a].isspace() or text[a] in "'’-\u2011"):
        a += 1
    while b > a and (text[b - 1].isspace() or text[b - 1] in "'’-\u2011"):
        b -= 1
    if a < b:
        assert result is not None
        assert result[0] <= a and b <= result[1], "the snapped span must contain the core"
    if result is None:
        return
    s, e = result
    added = text[s:start] + text[end:e]  # what snapping took in beyond the selection
    assert all(word_char(ch) for ch in added), "widened over a non-word char"
    assert not (s > 0 and letterlike(text[s - 1]) and letterlike(text[s])), "split at start"
    assert not (e < len(text) and letterlike(text[e - 1]) and letterlike(text[e])), "split at end"
    assert text[s] not in "'’-\u2011" and text[e - 1] not in "'’-\u2011"


@pytest.mark.parametrize(
    ("text", "selected", "expected"),
    [
        ("al-Jolani said", "olan", "al-Jolani"),
        ("Homs, Syria’s third-largest city", "Syri", "Syria’s"),
        ("Homs, Syria’s third-largest city", "Syria’", "Syria’s"),
        ("Homs, Syria’s third-largest city", "s, Syr", "Homs, Syria’s"),
        ("قال الجُولاني إن", "ولا", "الجُولاني"),  # Arabic with a damma inside the word
        ("بِسْمِ الله", "سْ", "بِسْمِ"),  # the kasra after م belongs to the word
        ("Войска вошли в Дамаск вчера", "ама", "Дамаск"),
        ("the rebels' advance", "rebels' ", "rebels"),  # trailing apostrophe is punctuation
        ("the rebels' advance", "'", "rebels"),  # the apostrophe alone belongs to its word
        ("Homs - Hama", "Homs -", "Homs"),  # a spaced dash is not part of the word
        ("Homs - Hama", "- Hama", "Hama"),
        ("cat 🐈 here", "t 🐈 h", "cat 🐈 here"),
    ],
)
def test_snap_to_words_examples(text: str, selected: str, expected: str) -> None:
    start = text.index(selected)
    s, e = snap_span(text, start, start + len(selected), to_words=True)
    assert text[s:e] == expected


def test_snap_all_white_space_is_none() -> None:
    text = "Homs \n\t\u00a0 Hama"
    for to_words in (False, True):
        assert snap_span(text, 4, 9, to_words=to_words) is None
        assert snap_span(text, 5, 5, to_words=to_words) is None


def test_snap_clamps_out_of_range_selection() -> None:
    assert snap_span("  Homs  ", -5, 100, to_words=False) == (2, 6)


# ------------------------------------------------------------------ new_annotation


@st.composite
def text_and_valid_span(draw):
    text = draw(mixed_text.filter(lambda t: t.strip()))
    start, end = span_in(draw, text)
    if not text[start:end].strip():
        first = next(i for i, ch in enumerate(text) if not ch.isspace())
        start, end = first, first + 1
    return text, start, end


@settings(max_examples=200)
@given(text_and_valid_span())
def test_new_annotation_slices_quote_and_context_from_the_text(case) -> None:
    text, start, end = case
    grade = Grade(2, "B")
    ann = new_annotation(
        text, 7, start, end, 3, entity="  Homs ", grade=grade, note="n", annotator="me"
    )
    assert (ann.document_id, ann.start, ann.end, ann.tag_type_id) == (7, start, end, 3)
    assert ann.quote == text[start:end]
    assert len(ann.prefix) <= CONTEXT_CHARS and len(ann.suffix) <= CONTEXT_CHARS
    assert text[:start].endswith(ann.prefix) and text[end:].startswith(ann.suffix)
    assert len(ann.prefix) == min(CONTEXT_CHARS, start)
    assert len(ann.suffix) == min(CONTEXT_CHARS, len(text) - end)
    assert ann.entity == "Homs" and ann.grade == grade and ann.annotator == "me"
    assert ann.created_at == ann.updated_at


def test_new_annotation_ids_are_unique() -> None:
    ids = {new_annotation("Homs", 1, 0, 4, 1).id for _ in range(50)}
    assert len(ids) == 50


@pytest.mark.parametrize(
    ("start", "end"),
    [(5, 2), (3, 3), (-1, 2), (0, 99), (4, 5), (4, 7)],
    ids=["reversed", "empty", "negative", "past-end", "one-space", "only-white-space"],
)
def test_new_annotation_refuses_bad_spans(start: int, end: int) -> None:
    text = "Homs \n\t Hama"  # [4, 8) is " \n\t " — white space only
    with pytest.raises(SpanError):
        new_annotation(text, 1, start, end, 1)
