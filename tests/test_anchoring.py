"""Re-anchoring: exact, moved, approximate (with score) or orphan — never silently misplaced."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from app.anchoring import ANCHORED, MOVED, ORPHAN, REVIEW, anchor

TEXT = "Rebels entered Homs on Friday. Officials in Damascus denied that Homs had fallen.\n"


def ctx(text, start, end, n=32):
    return text[max(0, start - n) : start], text[end : end + n]


def test_position_holding_the_quote_is_anchored():
    s = TEXT.index("Damascus")
    got = anchor(TEXT, "Damascus", s, s + 8, *ctx(TEXT, s, s + 8))
    assert (got.state, got.start, got.end, got.score) == (ANCHORED, s, s + 8, 100.0)


def test_shifted_text_moves_to_the_place_its_context_names():
    s = TEXT.index("Homs had")  # the second Homs
    prefix, suffix = ctx(TEXT, s, s + 4)
    edited = "UPDATE: a new first line.\n" + TEXT
    got = anchor(edited, "Homs", s, s + 4, prefix, suffix)
    assert got.state == MOVED and edited[got.start : got.end] == "Homs"
    assert got.start == edited.index("Homs had")  # not the first Homs
    first = TEXT.index("Homs")
    got = anchor(edited, "Homs", first, first + 4, *ctx(TEXT, first, first + 4))
    assert got.state == MOVED and got.start == edited.index("Homs")


def test_ambiguous_quote_without_telling_context_needs_review():
    text = "Homs. Homs. Homs."
    got = anchor(text, "Homs", 100, 104, "", "")
    assert got.state == REVIEW and text[got.start : got.end] == "Homs"


def test_changed_wording_is_an_approximate_match_with_its_score():
    quote = "the capital's access to the coast"
    edited = TEXT + "This would cut the capitals access to the coast entirely.\n"
    got = anchor(edited, quote, 5000, 5000 + len(quote))
    assert got.state == REVIEW and 80 <= got.score < 100
    assert "access to the coast" in edited[got.start : got.end]


def test_nothing_close_enough_is_an_orphan_never_placed():
    got = anchor(TEXT, "Aleppo was retaken by government forces", 3, 40)
    assert (got.state, got.start, got.end) == (ORPHAN, None, None)
    assert anchor(TEXT, "", 0, 4).state == ORPHAN


def test_out_of_range_position_is_not_trusted():
    s = TEXT.index("Friday")
    got = anchor(TEXT, "Friday", s + 1000, s + 1006)
    assert got.state == MOVED and got.start == s


@settings(max_examples=80, deadline=None)
@given(
    head=st.text(st.characters(codec="utf-8"), max_size=40),
    word=st.sampled_from(["Jolani", "الرستن", "Хомс", "🇸🇾 flag", "Hama"]),
)
def test_inserted_text_before_a_unique_quote_always_moves_it_exactly(head, word):
    text = f"Reports say {word} was taken. Nothing else happened today at all.\n"
    s = text.index(word)
    prefix, suffix = ctx(text, s, s + len(word))
    edited = head + text
    got = anchor(edited, word, s, s + len(word), prefix, suffix)
    assert edited[got.start : got.end] == word
    assert got.state in (ANCHORED, MOVED, REVIEW)
    if edited.count(word) == 1:
        assert got.start == len(head) + s


def test_corpus_rewrite_reanchors_without_misplacing(corpus_text):
    report = corpus_text("homs-report.txt")
    rewrite = corpus_text("homs-rewrite.txt")
    for quote in ("Hayat Tahrir al-Sham", "Damascus", "Homs"):
        s = report.index(quote)
        got = anchor(rewrite, quote, s, s + len(quote), *ctx(report, s, s + len(quote)))
        if got.state != ORPHAN:
            assert rewrite[got.start : got.end] == quote or got.state == REVIEW
