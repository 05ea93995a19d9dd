"""Reviewing a colleague's file in the window: import, see differences coloured, decide by key,
undo, and read the figures."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt

from app.articles import text_sha256
from app.commands import AddAnnotations
from app.formats import w3c
from app.model import Grade
from app.offsets import new_annotation
from db.repository import annotations_for_document
from tests.gui_helpers import make_window
from widgets import colleague_import


@pytest.fixture
def window(qtbot, db, monkeypatch):
    monkeypatch.setattr(colleague_import, "ask_layer_name", lambda parent, default: default)
    monkeypatch.setattr(colleague_import, "confirm_match", lambda *a: True)
    return make_window(qtbot, db, sample=True)


def _tag(w, quote, type_index, entity="", grade=Grade(), occurrence=1, annotator="me"):
    text, doc = w.view.text, w.view.document_id
    start = -1
    for _ in range(occurrence):
        start = text.index(quote, start + 1)
    return new_annotation(text, doc, start, start + len(quote), w.store.tag_types()[type_index].id,
                          entity=entity or quote, grade=grade, annotator=annotator)  # fmt: skip


def _close_report(w, qtbot):
    """The import report is a window-modal box; the analyst reads it and closes it."""
    from PySide6.QtWidgets import QApplication

    box = QApplication.activeModalWidget()
    assert box is not None and "anchored" in box.text()
    box.accept()
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)


def _colleague_file(w, tmp_path, annotations):
    doc = w.current_document()
    types = {t.id: t for t in w.store.tag_types()}
    data = w3c.write([doc], annotations, types, creator="Dana")
    path = tmp_path / "dana.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_review_a_colleague_file_by_keyboard(window, qtbot, tmp_path):
    w = window
    mine = [_tag(w, "Port Aldane", 1), _tag(w, "Ilyas Marrow", 0)]
    w.undo_stack.push(AddAnnotations(w.store, mine))
    theirs = [
        _tag(w, "Port Aldane", 1, annotator="Dana"),  # agrees
        _tag(w, "Ilyas Marrow", 0, entity="The Teacher", annotator="Dana"),  # conflict: entity
        _tag(w, "Greywater", 1, annotator="Dana"),  # only theirs
    ]
    path = _colleague_file(w, tmp_path, theirs)
    w.reviewing.review_file(str(path))
    assert "3 anchored" in w.last_message
    _close_report(w, qtbot)
    panel = w.reviewing.panel
    panel.mode.setChecked(True)
    qtbot.waitUntil(lambda: len(panel.items) == 3)
    kinds = sorted(item.kind for item in panel.items)
    assert kinds == ["agree", "conflict", "only_b"]
    assert len(w.view.overlay) == 3  # the article is coloured by agreement
    overall = panel.report.overall
    assert (overall.agree, overall.conflict, overall.only_a, overall.only_b) == (1, 1, 0, 1)

    # n goes to the first undecided difference; a accepts theirs.
    panel.list.setCurrentRow(-1)
    qtbot.keyClick(w.view, Qt.Key.Key_N)
    first = panel.current_item()
    assert first.kind in ("conflict", "only_b")
    qtbot.keyClick(w.view, Qt.Key.Key_A)
    qtbot.waitUntil(lambda: any(it.decision == "accepted" for it in panel.items))
    doc = w.view.document_id
    entities = {a.entity for a in annotations_for_document(w.store.db, doc)}
    if first.kind == "conflict":
        assert "The Teacher" in entities and "Ilyas Marrow" not in entities
    else:
        assert "Greywater" in entities

    # Ctrl+Z undoes exactly that decision.
    qtbot.keyClick(w.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert {a.id for a in annotations_for_document(w.store.db, doc)} == {a.id for a in mine}
    qtbot.waitUntil(lambda: not any(it.decision for it in panel.items))

    # r rejects; k keeps mine; decisions are stored in the layer.
    panel.list.setCurrentRow(-1)
    qtbot.keyClick(w.view, Qt.Key.Key_N)
    qtbot.keyClick(w.view, Qt.Key.Key_R)
    qtbot.keyClick(w.view, Qt.Key.Key_K)
    decisions = {t.quote: t.decision for t in w.store.layer_annotations("Dana", doc)}
    assert sorted(decisions.values()) == ["", "kept_mine", "rejected"]
    panel.accept_all_agreements()
    decisions = {t.quote: t.decision for t in w.store.layer_annotations("Dana", doc)}
    assert decisions["Port Aldane"] == "accepted"


def test_bad_file_says_what_and_where_and_changes_nothing(window, tmp_path):
    w = window
    path = tmp_path / "broken.json"
    path.write_text('{"type": "AnnotationCollection", "items": [}', encoding="utf-8")
    before = list(w.store.db.conn.iterdump())
    w.reviewing.review_file(str(path))
    assert "broken.json" in w.last_message and "JSON" in w.last_message
    assert list(w.store.db.conn.iterdump()) == before
    assert w.store.layers() == []


def test_visible_layer_is_outlined_and_can_be_hidden(window, qtbot, tmp_path):
    w = window
    path = _colleague_file(w, tmp_path, [_tag(w, "Lintz", 1, annotator="Dana")])
    w.reviewing.review_file(str(path))
    assert len(w.view.overlay) == 1
    (action,) = w.reviewing.layers_menu.actions()
    action.setChecked(False)
    assert len(w.view.overlay) == 0 and w.store.layers()[0].visible is False
    assert text_sha256(w.view.text)  # the article itself is untouched


def test_file_menu_exports_w3c_that_a_colleague_can_import(window, qtbot, tmp_path, monkeypatch):
    from widgets import file_dialogs

    w = window
    w.undo_stack.push(AddAnnotations(w.store, [_tag(w, "Lintz", 1), _tag(w, "Merrin", 1)]))
    out = tmp_path / "mine.json"
    monkeypatch.setattr(file_dialogs, "json_path", lambda parent, suggestion: str(out))
    w.actions["export_w3c"].trigger()
    assert "Exported 2 annotations" in w.last_message
    foreign = w.store.read_colleague_file(out)
    assert foreign.creator == "tester" and len(foreign.annotations) == 2
    assert foreign.documents[0].text == w.view.text  # the article travels with the tags


def test_cancel_during_import_changes_nothing(window, qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QProgressDialog

    w = window
    path = _colleague_file(w, tmp_path, [_tag(w, "Lintz", 1, annotator="Dana")])
    before = list(w.store.db.conn.iterdump())
    monkeypatch.setattr(QProgressDialog, "wasCanceled", lambda self: True)
    w.reviewing.review_file(str(path))
    assert w.last_message == "Import cancelled; nothing was changed."
    assert list(w.store.db.conn.iterdump()) == before and w.store.layers() == []


@pytest.mark.parametrize("step", ["Reading", "Anchoring", "Saving"])
def test_cancel_at_each_step_changes_nothing(window, qtbot, tmp_path, monkeypatch, step):
    """Cancel while the file is read, while it is anchored, and while it is being written (after
    a first batch of rows went into the open transaction): the project stays as it was."""
    from PySide6.QtWidgets import QProgressDialog

    from db import layers

    w = window
    tags = [_tag(w, "Lintz", 1, annotator="Dana"), _tag(w, "Port Aldane", 1, annotator="Dana")]
    doc = w.current_document()
    path = tmp_path / "dana.json"  # in the layout Loupe writes, so it is read line by line
    path.write_text(w3c.write_json([doc], tags, {t.id: t for t in w.store.tag_types()}), "utf-8")
    monkeypatch.setattr(layers, "_BATCH", 1)
    written: list[int] = []
    real_insert = layers.insert_layer

    def watched(db, layer, rows, progress=None):
        def counted(done, total):
            written.append(done)
            progress(done, total)

        return real_insert(db, layer, rows, counted)

    monkeypatch.setattr(layers, "insert_layer", watched)
    monkeypatch.setattr(
        QProgressDialog, "wasCanceled",
        lambda self: self.labelText().startswith(step) and (step != "Saving" or self.value() > 0),
    )  # fmt: skip
    before = list(w.store.db.conn.iterdump())
    depth = w.undo_stack.count()
    w.reviewing.review_file(str(path))
    assert w.last_message == "Import cancelled; nothing was changed."
    assert list(w.store.db.conn.iterdump()) == before and w.store.layers() == []
    assert w.undo_stack.count() == depth and not w.store.db.conn.in_transaction
    if step == "Saving":
        assert written[:2] == [0, 1]  # one row was in the transaction when it was cancelled
