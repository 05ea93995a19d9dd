"""Selecting, inspecting, editing and deleting annotations in the article, as a user does."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication

from app.articles import make_document
from app.commands import AddAnnotations, AddDocuments
from app.model import Grade
from app.offsets import new_annotation
from db.repository import annotations_for_document, get_annotation
from tests.gui_helpers import make_window, point_of
from widgets import prompts

TEXT = "Fighters of Hayat Tahrir al-Sham (HTS) reached the outskirts of Homs on Friday.\n"


@pytest.fixture
def setup(qtbot, db):
    w = make_window(qtbot, db)
    w.undo_stack.push(AddDocuments(w.store, [make_document(TEXT)]))
    w.refresh_documents()
    doc_id = w.store.document_summaries()[-1].id
    w.open_document(doc_id)
    actor, location, cred = (t.id for t in w.store.tag_types())
    s = TEXT.index("Hayat")
    outer = new_annotation(TEXT, doc_id, s, TEXT.index(" (HTS)"), actor, entity="HTS",
                           annotator="ana")  # fmt: skip
    inner = new_annotation(TEXT, doc_id, TEXT.index("Tahrir"), TEXT.index("Tahrir") + 6, location,
                           entity="Tahrir Square", annotator="bo", note="surely not")  # fmt: skip
    claim = new_annotation(TEXT, doc_id, 0, len(TEXT) - 1, cred, grade=Grade(4, "C"),
                           annotator="ana")  # fmt: skip
    w.undo_stack.push(AddAnnotations(w.store, [outer, inner, claim]))
    return w, outer, inner, claim


def test_click_selects_innermost_then_cycles_through_the_stack(setup, qtbot):
    w, outer, inner, claim = setup
    pos = point_of(w.view, TEXT.index("Tahrir") + 2)
    qtbot.mouseClick(w.view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert w.view.selected_annotation().id == inner.id
    seen = [inner.id]
    for _ in range(3):
        qtbot.mouseClick(w.view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
        seen.append(w.view.selected_annotation().id)
    assert seen[1:3] in ([outer.id, claim.id], [claim.id, outer.id]) and seen[3] == inner.id


def test_delete_key_removes_selected_and_undo_restores(setup, qtbot):
    w, outer, inner, claim = setup
    qtbot.mouseClick(w.view.viewport(), Qt.MouseButton.LeftButton,
                     pos=point_of(w.view, TEXT.index("Tahrir") + 1))  # fmt: skip
    qtbot.keyClick(w.view, Qt.Key.Key_Delete)
    ids = {a.id for a in annotations_for_document(w.store.db, w.view.document_id)}
    assert ids == {outer.id, claim.id}
    assert inner.id not in {a.id for a in w.view.annotations()}
    qtbot.keyClick(w.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert get_annotation(w.store.db, inner.id) == inner


def test_hover_lists_every_annotation_under_the_mouse(setup, qtbot):
    w, outer, inner, claim = setup
    stack = w.view.annotations_at(TEXT.index("Tahrir") + 1)
    assert {a.id for a in stack} == {outer.id, inner.id, claim.id}
    html = w.view.tooltip_html(stack)
    for needle in ("Actor", "HTS", "Location", "Tahrir Square", "surely not", "bo", "ana",
                   "C4", "Doubtful", "Fairly reliable"):  # fmt: skip
        assert needle in html
    pos = point_of(w.view, TEXT.index("Tahrir") + 1)
    event = QHelpEvent(QEvent.Type.ToolTip, pos, w.view.viewport().mapToGlobal(pos))
    assert w.view.event(event) is True


def test_overlapping_spans_get_distinct_lanes(setup):
    w, outer, inner, claim = setup
    lanes = {w.view._index.lane(a.id) for a in (outer, inner, claim)}
    assert len(lanes) == 3


def test_change_type_entity_grade_and_note_are_undoable(setup, qtbot, monkeypatch):
    w, outer, inner, claim = setup
    db = w.store.db
    location = w.store.tag_types()[1].id
    w.editor.change_type(outer, location)  # same kind: entity kept, no prompt
    assert get_annotation(db, outer.id).tag_type_id == location
    monkeypatch.setattr(prompts, "ask_entity", lambda *a, **k: ("Hay'at Tahrir al-Sham", "n"))
    w.editor.change_details(get_annotation(db, outer.id))
    assert get_annotation(db, outer.id).entity == "Hay'at Tahrir al-Sham"
    monkeypatch.setattr(prompts, "ask_grade", lambda *a, **k: (Grade(2, "A"), ""))
    w.editor.change_details(claim)
    assert get_annotation(db, claim.id).grade.compact == "A2"
    monkeypatch.setattr(prompts, "ask_note", lambda *a, **k: "checked against wire copy")
    w.editor.edit_note(inner)
    assert get_annotation(db, inner.id).note == "checked against wire copy"
    # Credibility → Actor asks for an entity and drops the grade.
    monkeypatch.setattr(prompts, "ask_entity", lambda *a, **k: ("Fighters", ""))
    w.editor.change_type(get_annotation(db, claim.id), w.store.tag_types()[0].id)
    changed = get_annotation(db, claim.id)
    assert changed.entity == "Fighters" and changed.grade == Grade()
    for _ in range(5):
        w.undo_stack.undo()
    assert get_annotation(db, outer.id) == outer
    assert get_annotation(db, claim.id) == claim
    assert get_annotation(db, inner.id) == inner


def test_context_menu_offers_edits_for_the_annotation(setup, qtbot):
    w, outer, inner, claim = setup
    w.view.select_annotation(inner.id, reveal=False)
    menu = w.editor.build_context_menu([inner, outer, claim], None)
    texts = [a.text() for a in menu.actions()]
    assert "Change entity…" in texts and "Edit note…" in texts and any("Delete" in t for t in texts)
    assert any(a.menu() and a.text() == "Change type" for a in menu.actions())
    menu_with_span = w.editor.build_context_menu([], (0, 8))
    assert any(t.text().startswith("Tag as Actor") for t in menu_with_span.actions())


def test_the_menu_key_opens_the_actions_of_the_highlight_under_the_text_cursor(setup, qtbot):
    """Shift+F10 / the Menu key: no mouse needed to reach a highlight's edits."""
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QContextMenuEvent

    w, outer, inner, claim = setup
    cursor = w.view.textCursor()
    cursor.setPosition(inner.start + 1)  # ASCII text: code points are UTF-16 units
    w.view.setTextCursor(cursor)
    got = []
    w.view.context_menu_requested.disconnect()
    w.view.context_menu_requested.connect(lambda pos, stack, span: got.append((pos, stack)))
    far = QPoint(w.view.viewport().width() - 2, w.view.viewport().height() - 2)  # no highlight
    event = QContextMenuEvent(
        QContextMenuEvent.Reason.Keyboard, far, w.view.viewport().mapToGlobal(far)
    )
    QApplication.sendEvent(w.view.viewport(), event)
    pos, stack = got[-1]
    assert inner.id in {a.id for a in stack}
    assert w.view.selected_annotation().id in {a.id for a in stack}
    assert w.view.viewport().rect().contains(w.view.viewport().mapFromGlobal(pos))
