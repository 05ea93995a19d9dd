"""Search across documents: whatever the analyst types never becomes an FTS syntax error, quotes
keep a phrase together, `*` searches by prefix, accents and case do not matter, and the places
found in a document are exactly the matched words, in Arabic and accented text too."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtGui import QUndoStack

from app.articles import make_document
from app.commands import AddDocuments, EditDocument
from app.model import SNIPPET_CLOSE, SNIPPET_OPEN
from app.store import Store
from db.connection import open_db

HOMS = (
    "Shelling hit Ḥamā and Homs overnight; al-Assad’s forces said the Port Aldane road was open.\n"
)
DEIR = (
    "دير الزور: قال مصدر محلي إن القوات دخلت حمص. Port officials in Aldane denied the dispatch.\n"
)
CAFE = "Le café de la gare à Ḥamā a fermé; Alabama sources, 2024-03-01, «NEAR» (sic).\n"


@pytest.fixture(scope="module")
def store(qapp):
    database = open_db(None)
    s = Store(database)
    stack = QUndoStack()
    for text, title in ((HOMS, "Homs dispatch"), (DEIR, "تقرير دير الزور"), (CAFE, "Gare")):
        stack.push(AddDocuments(s, [make_document(text, title=title)]))
    yield s
    stack.clear()
    database.close()


def titles(store: Store, typed: str) -> list[str]:
    return sorted(hit.title for hit in store.search(typed)[1])


@settings(
    max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=40)
       | st.lists(st.sampled_from(['"', "-", ":", "(", ")", "*", "^", "NEAR", "AND", "OR", "NOT",
                                    "+", "{", "}", ",", "Homs", "حمص", " ", "\u0301", "\x00"]),
                  max_size=12).map("".join))  # fmt: skip
def test_anything_typed_searches_without_an_error(store, typed):
    total, hits = store.search(typed)  # an OperationalError would fail the test
    assert total >= len(hits)
    for hit in hits:
        store.search_matches(hit.document_id, typed)


def test_operators_typed_are_searched_as_words(store):
    assert titles(store, "NEAR") == ["Gare"]
    assert titles(store, "al-Assad") == ["Homs dispatch"]  # not "column al, without Assad"
    assert titles(store, '"Port Aldane') == ["Homs dispatch"]  # unbalanced quote: a phrase
    assert titles(store, "(sic") == ["Gare"]
    assert titles(store, "- : ( *") == [] and store.search("  ") == (0, [])


def test_quotes_keep_a_phrase_together_and_words_must_all_be_there(store):
    assert titles(store, "Port Aldane") == ["Homs dispatch", "تقرير دير الزور"]
    assert titles(store, '"Port Aldane"') == ["Homs dispatch"]
    assert titles(store, "Port gare") == []


def test_star_searches_by_prefix(store):
    assert titles(store, "Ald") == []
    assert titles(store, "Ald*") == ["Homs dispatch", "تقرير دير الزور"]  # Aldane
    assert titles(store, '"Port Ald*"') == ["Homs dispatch"]  # a phrase ending in a prefix


def test_case_and_accents_do_not_matter_and_arabic_is_found(store):
    assert titles(store, "hama") == ["Gare", "Homs dispatch"]
    assert titles(store, "CAFE") == ["Gare"]
    assert titles(store, "حمص") == ["تقرير دير الزور"]
    assert titles(store, '"دير الزور"') == ["تقرير دير الزور"]


def test_results_show_a_snippet_with_the_match_marked_and_title_matches_rank_first(store):
    total, hits = store.search("Homs")
    assert total == 1
    assert f"{SNIPPET_OPEN}Homs{SNIPPET_CLOSE}" in hits[0].snippet
    _, hits = store.search("dispatch")
    assert [h.title for h in hits] == ["Homs dispatch", "تقرير دير الزور"]  # the title first


def test_match_places_are_code_point_spans_of_the_matched_words(store):
    (hit,) = [h for h in store.search("hama")[1] if h.title == "Homs dispatch"]
    doc = store.document(hit.document_id)
    spans = store.search_matches(doc.id, "hama")
    assert [doc.text[s:e] for s, e in spans] == ["Ḥamā"]
    spans = store.search_matches(doc.id, "Hom* al-Assad")
    assert [doc.text[s:e] for s, e in spans] == ["Homs", "al-Assad"]
    assert store.search_matches(doc.id, "dispatch") == []  # only in its title


def test_search_follows_documents_added_edited_and_undone(qapp):
    database = open_db(None)
    s, stack = Store(database), QUndoStack()
    add = AddDocuments(s, [make_document("Convoy reached Lintz.\n", title="Lintz")])
    stack.push(add)
    assert titles(s, "lintz") == ["Lintz"]
    doc = add.added[0]
    from dataclasses import replace

    stack.push(EditDocument(s, doc, replace(doc, title="Greywater convoy")))
    assert titles(s, "greywater") == ["Greywater convoy"] and titles(s, "lintz") == [
        "Greywater convoy"
    ]
    stack.undo()
    stack.undo()
    assert s.search("lintz") == (0, [])
    stack.clear()
    database.close()


# ------------------------------------------------ places in Arabic and accented text

LETTERS = "aeiouAEIOUbcdfgklmnrstzéèêÉàâäöüçñḤḥāīūŌ" + "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
WORDS = st.text(alphabet=LETTERS, min_size=1, max_size=6)
SEPARATORS = st.sampled_from([" ", ", ", ". ", "\n", " — ", "-", " 🇸🇾 ", "’"])


def fold(word: str) -> str:
    """What unicode61 remove_diacritics 2 compares: base letters, case folded."""
    base = "".join(c for c in unicodedata.normalize("NFD", word) if unicodedata.category(c) != "Mn")
    return base.lower()


@pytest.fixture(scope="module")
def scratch(qapp):
    database = open_db(None)
    yield Store(database), QUndoStack()
    database.close()


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.tuples(WORDS, SEPARATORS), min_size=1, max_size=30), st.data())
def test_match_places_are_where_the_word_is_in_any_script(scratch, words, data):
    store, stack = scratch
    text = "".join(w + sep for w, sep in words) + "\n"
    target = data.draw(st.sampled_from([w for w, _ in words]))
    typed = data.draw(st.sampled_from([target, target.upper(), fold(target)]))
    add = AddDocuments(store, [make_document(text, title="x")])
    stack.push(add)
    try:
        spans = store.search_matches(add.added[0].id, typed)
        expected = [i for i, (w, _) in enumerate(words) if fold(w) == fold(target)]
        assert len(spans) == len(expected)
        for start, end in spans:
            assert fold(text[start:end]) == fold(target)
            assert start == 0 or not text[start - 1].isalnum()
    finally:
        stack.undo()
        stack.clear()


def test_a_word_in_the_title_outranks_the_same_word_once_in_a_text(qapp):
    database = open_db(None)
    s, stack = Store(database), QUndoStack()
    text = "".join(f"Line {i} about the harbour and its cranes.\n" for i in range(10))
    docs = [make_document(text + "Greywater.\n", title="Harbour report"),
            make_document(text, title="Greywater harbour report"),
            *(make_document(f"Unrelated note {i}.\n") for i in range(8))]  # fmt: skip
    stack.push(AddDocuments(s, docs))
    assert [h.title for h in s.search("greywater")[1]] == [
        "Greywater harbour report", "Harbour report",
    ]  # fmt: skip
    stack.clear()
    database.close()


# ------------------------------------------------ Arabic with and without vowel marks

HARAKAT = [chr(c) for c in range(0x064B, 0x0653)] + [
    "\u0670",
    "\u0640",
]  # superscript alef, tatweel


def bare(word: str) -> str:
    """As the index reads Arabic: no harakat (fold drops marks) and no tatweel (a letter, Lm)."""
    return fold(word.replace("\u0640", ""))


VOWELLED = st.lists(
    st.tuples(st.sampled_from("ابتجحدرسشعقلمنهوي"), st.lists(st.sampled_from(HARAKAT), max_size=2)),
    min_size=1, max_size=6,
).map(lambda letters: "".join(c + "".join(marks) for c, marks in letters))  # fmt: skip


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.tuples(VOWELLED, SEPARATORS), min_size=1, max_size=20), st.data())
def test_vowelled_arabic_is_found_with_or_without_its_marks(scratch, words, data):
    """The index reads Arabic without harakat and tatweel (m006's view): "الحمد" finds "الْحَمْدُ",
    and the place found is the whole vowelled word, its last letter's marks included."""
    store, stack = scratch
    text = "".join(w + sep for w, sep in words) + "\n"
    target = data.draw(st.sampled_from([w for w, _ in words]))
    typed = data.draw(st.sampled_from([target, bare(target)]))
    add = AddDocuments(store, [make_document(text, title="x")])
    stack.push(add)
    try:
        assert add.added[0].id in {hit.document_id for hit in store.search(typed)[1]}
        spans = store.search_matches(add.added[0].id, typed)
        expected = [i for i, (w, _) in enumerate(words) if bare(w) == bare(target)]
        assert len(spans) == len(expected)
        for (start, end), index in zip(spans, expected, strict=True):
            word_start = sum(len(w) + len(sep) for w, sep in words[:index])
            assert (start, end) == (word_start, word_start + len(words[index][0]))
    finally:
        stack.undo()
        stack.clear()


def test_a_vowelled_title_and_text_are_found_by_the_bare_word(qapp):
    database = open_db(None)
    s, stack = Store(database), QUndoStack()
    text = "قَالَ الْمُتَحَدِّثُ إِنَّ دِمَشْقَ هَادِئَةٌ جِدًّا.\n"
    stack.push(AddDocuments(s, [make_document(text, title="تَقْرِيرُ دِمَشْقَ")]))
    try:
        doc_id = s.document_summaries()[0].id
        for typed in ("دمشق", "المتحدث", "جدا", "هادئة", "تقرير"):
            assert [h.document_id for h in s.search(typed)[1]] == [doc_id], typed
        ((start, end),) = s.search_matches(doc_id, "دمشق")
        assert text[start:end] == "دِمَشْقَ"
    finally:
        stack.clear()
        database.close()
