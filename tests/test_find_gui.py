"""Find in the article through the real window: Ctrl+F, typing, the highlights, F3, tag all."""

from __future__ import annotations

import re
import sqlite3

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.articles import make_document
from app.commands import AddAnnotations, AddDocuments
from app.find_text import FoldedText
from app.model import Grade
from app.offsets import new_annotation
from db.connection import open_db
from tests.gui_helpers import make_window, select_code_points
from widgets import find_bar, prompts

CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier
TEXT = (
    "Breaking 🇸🇾😀 update from الرستن\n\n"
    "Rebels led by Jolani entered الرستن at dawn; JOLANI's men held the Straße.\n"
    "Later jolani spoke 👍🏽 near الرَّسْتَن, and Jolanistan is a joke.\n"
)


def spans_of(text: str, word: str, *, ignore_case: bool = True) -> list[tuple[int, int]]:
    """The reference: `re` folds case one character to one (not "ß" → "ss"), so its offsets
    are the text's own (`text.casefold().find` would shift every match after a "ß")."""
    flags = re.IGNORECASE if ignore_case else 0
    return [m.span() for m in re.finditer(re.escape(word), text, flags)]


@pytest.fixture
def project(tmp_path):
    database = open_db(str(tmp_path / "find.loupe"))
    yield database, tmp_path / "find.loupe"
    database.close()


@pytest.fixture
def window(qtbot, project, monkeypatch):
    asked = []

    def ask_entity(parent, tag, names, default, *a, **k):
        asked.append(("entity", tag.name, default))
        return ("Abu Mohammad al-Jolani", "")

    def ask_grade(*a, **k):
        asked.append(("grade",))
        return (Grade(3, "B"), "")

    monkeypatch.setattr(prompts, "ask_entity", ask_entity)
    monkeypatch.setattr(prompts, "ask_grade", ask_grade)
    w = make_window(qtbot, project[0])
    w.asked = asked
    w.undo_stack.push(AddDocuments(w.store, [make_document(TEXT, source="Wire")]))
    w.refresh_documents()
    w.open_document(w.store.document_summaries()[-1].id)
    return w


def selection(view) -> tuple[int, int]:
    """The article's text selection in code points, exactly as selected (no word snapping)."""
    cursor, text = view.textCursor(), view.toPlainText()
    to_cp = lambda u16: len(text.encode("utf-16-le")[: 2 * u16].decode("utf-16-le"))  # noqa: E731
    return to_cp(cursor.selectionStart()), to_cp(cursor.selectionEnd())


def type_in(qtbot, bar, text: str) -> None:
    """Type into the find bar as the analyst does, and wait for the search it triggers."""
    qtbot.keyClicks(bar.query, text)
    qtbot.waitUntil(lambda: not bar.search_pending())


def rows_on_disk(path) -> list[tuple[int, int, str]]:
    """What another connection sees: only what was committed."""
    with sqlite3.connect(path) as other:
        return other.execute(
            "SELECT start, end, quote FROM annotations ORDER BY start"
        ).fetchall()  # fmt: skip


def test_ctrl_f_opens_the_bar_with_the_selection_and_highlights_every_match(window, qtbot):
    start = TEXT.index("Jolani")
    select_code_points(window.view, start, start + 6)
    qtbot.keyClick(window.view, Qt.Key.Key_F, CTRL)
    bar = window.finding
    assert bar.isVisible() and bar.query.hasFocus()
    assert bar.query.text() == "Jolani"
    expected = spans_of(TEXT, "jolani")
    assert len(expected) == 4  # Jolani, JOLANI, jolani, and inside Jolanistan
    assert window.view.find_layer.painted_spans() == expected
    assert bar.count.text() == "1 of 4"  # the match that was selected is the current one
    assert selection(window.view) == expected[0]
    # The bar sits below the text, which makes room for it instead of hiding lines under it.
    assert bar.geometry().top() >= window.view.viewport().geometry().bottom()


def test_matches_are_painted_in_the_find_colour_over_the_text_and_cleared_on_close(window, qtbot):
    qtbot.keyClick(window.view, Qt.Key.Key_F, CTRL)
    type_in(qtbot, window.finding, "jolani")
    second = spans_of(TEXT, "jolani")[1]  # not the current one (that one is selected)
    assert is_find_yellow(colour_inside(window.view, second[0] + 1))
    qtbot.keyClick(window.finding.query, Qt.Key.Key_Escape)
    assert not is_find_yellow(colour_inside(window.view, second[0] + 1))


def colour_inside(view, cp: int):
    """The colour painted near the top of the character at code point `cp`, above the glyph."""
    cursor = view.textCursor()
    cursor.setPosition(len(TEXT[:cp].encode("utf-16-le")) // 2)
    rect = view.cursorRect(cursor)
    return view.viewport().grab().toImage().pixelColor(rect.left() + 2, rect.top() + 1)


def is_find_yellow(colour) -> bool:
    return colour.red() > 200 and colour.green() > 200 and colour.blue() < 150


def test_typing_searches_as_you_type_and_casefolds_sharp_s(window, qtbot):
    qtbot.keyClick(window.view, Qt.Key.Key_F, CTRL)
    bar = window.finding
    type_in(qtbot, bar, "stras")
    assert bar.count.text() == "No matches"  # "s" never matches half of "ß"
    type_in(qtbot, bar, "se")
    at = TEXT.index("Straße")
    assert window.view.find_layer.painted_spans() == [(at, at + 6)]
    assert bar.count.text() == "1 of 1"
    assert selection(window.view) == (at, at + 6)


def test_enter_and_f3_step_through_matches_and_wrap(window, qtbot):
    qtbot.keyClick(window.view, Qt.Key.Key_F, CTRL)
    bar = window.finding
    type_in(qtbot, bar, "jolani")
    expected = spans_of(TEXT, "jolani")
    assert bar.count.text() == "1 of 4"
    qtbot.keyClick(bar.query, Qt.Key.Key_Return)
    assert bar.count.text() == "2 of 4" and selection(window.view) == expected[1]
    qtbot.keyClick(bar.query, Qt.Key.Key_Return, SHIFT)
    assert bar.count.text() == "1 of 4" and selection(window.view) == expected[0]
    qtbot.keyClick(bar.query, Qt.Key.Key_Return, SHIFT)  # back past the first: wraps to the last
    assert bar.count.text() == "4 of 4"
    assert window.view.textCursor().selectedText() == "Jolani"
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_F3)  # from the article too; wraps to the first
    assert bar.count.text() == "1 of 4" and selection(window.view) == expected[0]
    qtbot.keyClick(window.view, Qt.Key.Key_F3, SHIFT)
    assert bar.count.text() == "4 of 4"
    assert window.view.find_layer.current == 3


def test_f3_with_the_bar_closed_opens_it_at_the_match_after_the_cursor(window, qtbot):
    qtbot.keyClick(window.view, Qt.Key.Key_F, CTRL)
    type_in(qtbot, window.finding, "jolani")
    qtbot.keyClick(window.finding.query, Qt.Key.Key_Escape)
    expected = spans_of(TEXT, "jolani")
    select_code_points(window.view, expected[1][1], expected[1][1])  # the cursor after the 2nd
    qtbot.keyClick(window.view, Qt.Key.Key_F3)
    assert window.finding.isVisible() and window.finding.query.text() == "jolani"
    qtbot.waitUntil(lambda: window.finding.count.text() == "3 of 4")
    assert selection(window.view) == expected[2]


def test_escape_closes_the_bar_and_clears_the_highlights(window, qtbot):
    qtbot.keyClick(window.view, Qt.Key.Key_F, CTRL)
    type_in(qtbot, window.finding, "jolani")
    assert len(window.view.find_layer) == 4
    qtbot.keyClick(window.finding.query, Qt.Key.Key_Escape)
    assert not window.finding.isVisible()
    assert len(window.view.find_layer) == 0 and window.view.find_layer.painted_spans() == []
    assert window.view.hasFocus()
    assert window.view.viewport().geometry().bottom() >= window.view.height() - 4


def test_escape_in_the_article_clears_a_selection_first_then_closes_the_bar(window, qtbot):
    qtbot.keyClick(window.view, Qt.Key.Key_F, CTRL)
    type_in(qtbot, window.finding, "jolani")
    start, end = spans_of(TEXT, "jolani")[0]
    actor = window.store.tag_types()[0].id
    ann = new_annotation(TEXT, window.view.document_id, start, end, actor, entity="Jolani")
    window.undo_stack.push(AddAnnotations(window.store, [ann]))
    window.view.setFocus()
    window.view.select_annotation(ann.id, reveal=False)
    qtbot.keyClick(window.view, Qt.Key.Key_Escape)
    assert window.view.selected_annotation() is None and window.finding.isVisible()
    qtbot.keyClick(window.view, Qt.Key.Key_Escape)
    assert not window.finding.isVisible() and len(window.view.find_layer) == 0


def test_match_case_whole_words_and_accents_options(window, qtbot):
    qtbot.keyClick(window.view, Qt.Key.Key_F, CTRL)
    bar = window.finding
    type_in(qtbot, bar, "Jolani")
    bar.match_case.setChecked(True)
    assert window.view.find_layer.painted_spans() == spans_of(TEXT, "Jolani", ignore_case=False)
    bar.match_case.setChecked(False)
    bar.whole_words.setChecked(True)
    assert bar.count.text() == "1 of 3"  # not inside "Jolanistan"
    bar.query.setText("الرستن")
    qtbot.waitUntil(lambda: not bar.search_pending())
    assert bar.count.text() == "1 of 3"  # the vocalised spelling too
    vocalised = TEXT.index("الرَّسْتَن")
    assert window.view.find_layer.painted_spans()[2] == (vocalised, vocalised + len("الرَّسْتَن"))
    bar.ignore_accents.setChecked(False)
    assert bar.count.text() == "1 of 2"


def test_matches_after_emoji_are_highlighted_at_their_utf16_positions(window, qtbot):
    qtbot.keyClick(window.view, Qt.Key.Key_F, CTRL)
    window.finding.query.setText("الرستن")  # QTest cannot type Arabic
    qtbot.waitUntil(lambda: not window.finding.search_pending())
    utf16 = lambda cp: len(TEXT[:cp].encode("utf-16-le")) // 2  # noqa: E731
    first = TEXT.index("الرستن")
    layer = window.view.find_layer
    drawn = list(zip(layer.starts, layer.ends, strict=True))  # what the painter uses
    assert drawn[0] == (utf16(first), utf16(first + 6))
    assert utf16(first) == first + 3  # two flags' halves and an emoji before it
    assert window.view.textCursor().selectedText() == "الرستن"


def test_tag_all_matches_is_one_step_that_one_undo_removes(window, qtbot, project):
    path = project[1]
    view, store = window.view, window.store
    actor = store.tag_types()[0]
    first = TEXT.index("Jolani")
    store_before = new_annotation(TEXT, view.document_id, first, first + 6, actor.id,
                                  entity="Abu Mohammad al-Jolani")  # fmt: skip
    window.undo_stack.push(AddAnnotations(store, [store_before]))
    qtbot.keyClick(view, Qt.Key.Key_F, CTRL)
    type_in(qtbot, window.finding, "jolani")
    window.finding.whole_words.setChecked(True)
    steps = window.undo_stack.count()

    qtbot.keyClick(view, Qt.Key.Key_T, CTRL | SHIFT)  # the tag types, under the bar's button
    menu = window.finding.tag_menu
    qtbot.waitUntil(menu.isVisible)
    qtbot.keyClick(menu, Qt.Key.Key_1)  # the Actor entry's mnemonic

    qtbot.waitUntil(lambda: len(rows_on_disk(path)) == 3)
    assert [q for _s, _e, q in rows_on_disk(path)] == ["Jolani", "JOLANI", "jolani"]
    assert window.undo_stack.count() == steps + 1
    # Asked once, prefilled with the canonical name the match is a known alias of.
    assert window.asked == [("entity", "Actor", "Abu Mohammad al-Jolani")]
    assert window.last_message == "Tagged 2 matches as Actor (1 already were)"
    assert len(view.annotations()) == 3
    assert {a.entity for a in view.annotations()} == {"Abu Mohammad al-Jolani"}

    window.actions["undo"].trigger()
    assert [q for _s, _e, q in rows_on_disk(path)] == ["Jolani"]
    assert len(view.annotations()) == 1


def test_tag_all_as_credibility_asks_for_the_grade_once(window, qtbot):
    qtbot.keyClick(window.view, Qt.Key.Key_F, CTRL)
    window.finding.query.setText("الرستن")  # QTest cannot type Arabic
    qtbot.waitUntil(lambda: not window.finding.search_pending())
    credibility = next(t for t in window.store.tag_types() if not t.asks_for_entity)
    assert window.finding.tag_all(credibility.id) == 3
    assert window.asked == [("grade",)]
    grades = {a.grade for a in window.view.annotations()}
    assert grades == {Grade(3, "B")}
    assert window.finding.tag_all(credibility.id) == 0  # all tagged already: nothing asked
    assert window.asked == [("grade",)]
    assert window.last_message == "All 3 matches are already tagged as Credibility."


def test_opening_another_document_highlights_its_matches_and_f3_goes_on_from_there(window, qtbot):
    qtbot.keyClick(window.view, Qt.Key.Key_F, CTRL)
    type_in(qtbot, window.finding, "jolani")
    other = "Jolani first. No names here. Jolani!"
    window.undo_stack.push(AddDocuments(window.store, [make_document(other)]))
    window.refresh_documents()
    window.open_document(window.store.document_summaries()[-1].id)
    assert window.finding.count.text() == "2 matches"
    assert window.view.find_layer.painted_spans() == [(0, 6), (29, 35)]
    select_code_points(window.view, 10, 10)  # the cursor after the first
    qtbot.keyClick(window.view, Qt.Key.Key_F3)
    assert window.finding.count.text() == "2 of 2" and selection(window.view) == (29, 35)


def test_long_articles_gather_keystrokes_until_searches_prove_quick(window, qtbot, monkeypatch):
    long_text = "Jolani met Homs officials. " * 10_000
    window.undo_stack.push(AddDocuments(window.store, [make_document(long_text)]))
    window.refresh_documents()
    window.open_document(window.store.document_summaries()[-1].id)
    qtbot.keyClick(window.view, Qt.Key.Key_F, CTRL)
    searched = []
    find = FoldedText.find
    monkeypatch.setattr(FoldedText, "find", lambda self, needle: searched.append(needle)
                        or find(self, needle))  # fmt: skip
    bar = window.finding
    qtbot.keyClicks(bar.query, "homs")
    QApplication.processEvents()
    assert searched == []  # four keystrokes, nothing searched yet
    qtbot.waitUntil(lambda: bar.count.text() == "1 of 10,000")
    assert searched == ["homs"]
    # That search was quick (a few ms; the threshold is raised so a loaded machine agrees):
    # the next keystroke is not held.
    monkeypatch.setattr(find_bar, "QUICK_S", 1.0)
    qtbot.keyClicks(bar.query, " o")
    QApplication.processEvents()
    assert searched == ["homs", "homs o"] and bar.count.text() == "1 of 10,000"
