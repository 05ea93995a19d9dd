"""The core loop through the real window: select, press a key, see it painted, stored, counted."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor

from app.articles import make_document
from app.commands import AddDocuments
from app.model import Grade
from db.connection import open_db
from db.repository import annotations_for_document, entity_counts
from tests.gui_helpers import KEY_1, KEY_3, count_rows, make_window, select_code_points
from widgets import prompts

TEXT = (
    "Breaking 🇸🇾😀 update\n\n"
    "Rebels led by Jolani entered الرستن at dawn, officials said.\n"
    "The claim cannot be independently verified.\n"
)


@pytest.fixture
def window(qtbot, db, monkeypatch):
    monkeypatch.setattr(prompts, "ask_entity", lambda *a, **k: ("Abu Mohammad al-Jolani", ""))
    monkeypatch.setattr(prompts, "ask_grade", lambda *a, **k: (Grade(3, "B"), "single source"))
    w = make_window(qtbot, db)
    w.undo_stack.push(AddDocuments(w.store, [make_document(TEXT, source="Wire")]))
    w.refresh_documents()
    w.open_document(w.store.document_summaries()[-1].id)
    return w


def _pixel_under(view, cp: int) -> QColor:
    """Colour painted just above the bottom of the character at code point `cp` (the lane line)."""
    text = view.toPlainText()
    cursor = view.textCursor()
    cursor.setPosition(len(text[:cp].encode("utf-16-le")) // 2 + 1)
    rect = view.cursorRect(cursor)
    image = view.viewport().grab().toImage()
    return image.pixelColor(QPoint(rect.left() - 2, rect.bottom() - 1))


def test_press_1_tags_paints_stores_counts_and_undo_removes_all(window, qtbot):
    start = TEXT.index("Jolani")
    select_code_points(window.view, start, start + len("Jolani"))
    qtbot.keyClick(window.view, KEY_1)

    rows = annotations_for_document(window.store.db, window.view.document_id)
    assert len(rows) == 1
    ann = rows[0]
    # Code points, not UTF-16: the flag and the emoji earlier in the text count one each per char.
    assert (ann.start, ann.end, ann.quote) == (start, start + 6, "Jolani")
    assert ann.prefix == TEXT[start - 32 : start] and ann.suffix == TEXT[ann.end : ann.end + 32]
    assert ann.entity == "Abu Mohammad al-Jolani" and ann.annotator == "tester"
    assert [a.id for a in window.view.annotations()] == [ann.id]
    actor = window.store.tag_types()[0]
    assert window.view.selected_annotation() == ann  # selected at once: Delete would remove it
    qtbot.keyClick(window.view, Qt.Key.Key_Escape)
    assert _pixel_under(window.view, start + 2).name() == QColor(actor.color).name()
    qtbot.waitUntil(lambda: count_rows(window.counts) == [("Abu Mohammad al-Jolani", "Actor", 1)])

    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert annotations_for_document(window.store.db, window.view.document_id) == []
    assert window.view.annotations() == []
    assert _pixel_under(window.view, start + 2).name() != QColor(actor.color).name()
    qtbot.waitUntil(lambda: count_rows(window.counts) == [])

    ctrl_shift = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(window.view, Qt.Key.Key_Z, ctrl_shift)
    assert len(annotations_for_document(window.store.db, window.view.document_id)) == 1
    qtbot.waitUntil(lambda: len(count_rows(window.counts)) == 1)


def test_selection_snaps_to_words_and_trims_space(window, qtbot):
    start = TEXT.index("olani")
    select_code_points(window.view, start - 1 + 1, start + 3)  # "olan" inside "Jolani"
    assert window.view.selected_span() == (start - 1, start + 5)
    window.actions["snap"].trigger()  # off: exact selection, still trimmed
    sp = TEXT.index(" entered")
    select_code_points(window.view, sp, sp + 8)
    assert window.view.selected_span() == (sp + 1, sp + 8)
    assert window.saved_settings[-1].snap_to_words is False


def test_arabic_span_after_astral_characters(window, qtbot):
    start = TEXT.index("الرستن")
    select_code_points(window.view, start, start + 6)
    window.tag_actions[window.store.tag_types()[1].id].trigger()
    ann = annotations_for_document(window.store.db, window.view.document_id)[0]
    assert ann.quote == "الرستن" and ann.start == start


def test_credibility_key_stores_grade_and_note(window, qtbot):
    start = TEXT.index("The claim")
    select_code_points(window.view, start, len(TEXT) - 1)
    qtbot.keyClick(window.view, KEY_3)
    ann = annotations_for_document(window.store.db, window.view.document_id)[0]
    assert ann.grade == Grade(3, "B") and ann.grade.compact == "B3"
    assert ann.note == "single source" and ann.entity == ""
    qtbot.waitUntil(lambda: ("B3", "Credibility", 1) in count_rows(window.counts))


def test_cancelled_prompt_writes_nothing(window, qtbot, monkeypatch):
    monkeypatch.setattr(prompts, "ask_entity", lambda *a, **k: None)
    start = TEXT.index("Rebels")
    select_code_points(window.view, start, start + 6)
    qtbot.keyClick(window.view, KEY_1)
    assert annotations_for_document(window.store.db, window.view.document_id) == []
    assert window.undo_stack.count() == 1  # only the document import


def test_no_selection_says_what_to_do(window, qtbot):
    qtbot.keyClick(window.view, KEY_1)
    assert "Select some text" in window.last_message


def test_reopening_the_database_shows_the_same_state(qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr(prompts, "ask_entity", lambda *a, **k: ("Jolani", "seen twice"))
    path = tmp_path / "project.loupe"
    db = open_db(path)
    w = make_window(qtbot, db, sample=True)
    text = w.view.text
    start = text.index("Ilyas Marrow")
    select_code_points(w.view, start, start + 12)
    qtbot.keyClick(w.view, KEY_1)
    before = annotations_for_document(db, w.view.document_id)
    doc_id = w.view.document_id
    w.close()  # stops the window's pending refreshes, which must not touch the closed database
    db.close()

    db2 = open_db(path)
    w2 = make_window(qtbot, db2)
    assert w2.view.document_id == doc_id
    assert annotations_for_document(db2, doc_id) == before
    assert [a.id for a in w2.view.annotations()] == [before[0].id]
    assert entity_counts(db2, doc_id)[0].count == 1
    w2.close()  # first: its count panel may still have a refresh queued for this database
    db2.close()
