"""Finding in an article: spans in code points of the stored text, whatever folding did."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from app.find_text import FindOptions, FoldedText, fold_char, is_word_char, match_after

EXACT = FindOptions(match_case=True, ignore_accents=False)


def find(text, needle, **options):
    return FoldedText(text, FindOptions(**options)).find(needle)


def test_case_is_ignored_by_default_and_kept_on_request():
    text = "Jolani said. JOLANI denied; jolani."
    assert [text[s:e] for s, e in find(text, "jolani")] == ["Jolani", "JOLANI", "jolani"]
    assert [text[s:e] for s, e in find(text, "Jolani", match_case=True)] == ["Jolani"]


def test_sharp_s_matches_ss_and_offsets_stay_in_the_stored_text():
    text = "Die Straße, die STRASSE und die strasse."
    found = find(text, "strasse")
    assert [text[s:e] for s, e in found] == ["Straße", "STRASSE", "strasse"]
    assert find("Straße", "s") == [(0, 1)]  # the "S", never half of "ß"
    assert find("aßb", "ß") == [(1, 2)] and find("assb", "ß") == [(1, 3)]


def test_accents_and_arabic_vocalisation_are_ignored_unless_asked():
    text = "Ḥoms, Homs and café (cafe\u0301) — الرَّسْتَن or الرستن"
    assert [text[s:e] for s, e in find(text, "homs")] == ["Ḥoms", "Homs"]
    # The combining accent is part of the match: a tag never leaves it behind.
    assert [text[s:e] for s, e in find(text, "cafe")] == ["café", "cafe\u0301"]
    assert [text[s:e] for s, e in find(text, "الرستن")] == ["الرَّسْتَن", "الرستن"]
    assert [text[s:e] for s, e in find(text, "homs", ignore_accents=False)] == ["Homs"]
    # Precomposed and decomposed forms are the same letter even when accents count.
    assert len(find(text, "café", ignore_accents=False)) == 2


def test_whole_words_skip_matches_inside_longer_words():
    text = "Assad, al-Assad, Assadist, assad"
    found = find(text, "assad", whole_words=True)
    assert [text[s:e] for s, e in found] == ["Assad", "Assad", "assad"]
    assert [s for s, _ in found] == [0, 10, 27]


def test_space_finds_a_line_break_and_blank_searches_find_nothing():
    assert find("Abu\nMohammad", "abu mohammad") == [(0, 12)]
    assert find("a b", " ") == [] and find("abc", "") == []


def test_next_match_from_the_cursor_wraps_around():
    spans = [(2, 4), (10, 12), (20, 22)]
    assert match_after(spans, 0) == 0
    assert match_after(spans, 3) == 1
    assert match_after(spans, 10) == 1
    assert match_after(spans, 21) == 0
    assert match_after([], 5) == -1


def fold(text: str, options: FindOptions) -> str:
    return "".join(fold_char(c, options) for c in text)


ALPHABET = st.sampled_from(
    list("aAsSßẞeéE\u0301 \nﬁİiıΣσς-_")
    + ["\U0001f600", "\u0631", "\u064e", "\u0651", "\u0300", "k", "K", "\u212a"]
)
OPTIONS = st.builds(FindOptions, st.booleans(), st.booleans(), st.booleans())


@st.composite
def text_and_needle(draw):
    """A needle that is often a piece of the text, or that piece folded ("ß" → "ss"), so that
    matches across expansions and dropped accents are common, not a rare accident."""
    text = draw(st.text(ALPHABET, max_size=30))
    options = draw(OPTIONS)
    i = draw(st.integers(0, len(text)))
    piece = text[i : i + draw(st.integers(1, 4))]
    needle = draw(
        st.one_of(
            st.just(piece), st.just(fold(piece, options)), st.text(ALPHABET, max_size=4)
        ).filter(bool)
        if piece
        else st.text(ALPHABET, min_size=1, max_size=4)
    )
    return text, needle, options


@settings(max_examples=500, deadline=None)
@given(text_and_needle())
@example(("sß", "ss", FindOptions()))  # the first "ss" cuts "ß": the real one starts inside it
@example(("e\u0301e\u0301", "ee", FindOptions()))
def test_every_match_folds_to_the_needle_and_none_is_missed(case):
    """Found spans are whole characters whose folding is the needle's; any span of the text that
    folds to the needle overlaps one that was found (matches do not overlap each other)."""
    text, needle, options = case
    found = FoldedText(text, options).find(needle)
    target = fold(needle, options)
    if not target.strip():
        assert found == []
        return
    assert found == sorted(found)
    assert all(e1 <= s2 for (_, e1), (s2, _) in zip(found, found[1:], strict=False))
    for s, e in found:
        assert 0 <= s < e <= len(text)
        assert fold(text[s:e], options) == target
        if options.whole_words:
            assert not (s > 0 and is_word_char(text[s - 1]) and is_word_char(text[s]))
            assert not (e < len(text) and is_word_char(text[e]) and is_word_char(text[e - 1]))
    if options.whole_words:
        return  # a word-bounded candidate can hide behind an overlapping unbounded one
    for s in range(len(text)):
        for e in range(s + 1, len(text) + 1):
            if fold(text[s:e], options) == target and fold(text[s], options):
                assert any(fs < e and s < fe for fs, fe in found), (s, e, found)
