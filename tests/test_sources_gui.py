"""Sources and reliability through the real window: rate a source in Edit ▸ Sources and
reliability…, and the Admiralty matrix, the by-source breakdown, the count table, the tooltip
and the grade popup follow; undo puts everything back; a claim's own reliability always wins."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
import shiboken6
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip

from app.articles import make_document
from app.commands import AddAnnotations, AddDocuments, EditDocument
from app.formats import w3c
from app.model import Grade
from app.offsets import new_annotation
from tests.gui_helpers import KEY_3, count_rows, make_window, point_of, select_code_points
from widgets import colleague_import, prompts
from widgets.prompts import GradePrompt
from widgets.sources_dialog import RATINGS, RELIABILITY, SourcesDialog

TEXT = (
    "The ministry said the convoy was struck from the air.\n\n"
    "Witnesses said the trucks burned for an hour.\n"
)
OTHER = "A local channel reported a second strike near the bridge.\n"
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def window(qtbot, db, monkeypatch):
    w = make_window(qtbot, db)
    w.counts.refresh_delay_ms = 0
    w.undo_stack.push(
        AddDocuments(
            w.store,
            [make_document(TEXT, source="Reuters"), make_document(OTHER, source="Channel 9")],
        )
    )
    w.refresh_documents()
    docs = w.store.document_summaries()
    w.open_document(docs[0].id)
    # Two claims tagged with key 3: "3" (reliability left to the source) and "A2" (set here).
    for word, grade in (("ministry said", Grade(3)), ("Witnesses said", Grade(2, "A"))):
        monkeypatch.setattr(prompts, "ask_grade", lambda *a, g=grade, **k: (g, ""))
        start = TEXT.index(word)
        select_code_points(w.view, start, start + len(word))
        qtbot.keyClick(w.view, KEY_3)
    w.open_document(docs[1].id)
    monkeypatch.setattr(prompts, "ask_grade", lambda *a, **k: (Grade(3), ""))
    select_code_points(w.view, 0, 13)
    qtbot.keyClick(w.view, KEY_3)
    w.open_document(docs[0].id)
    settle(qtbot, w.counts)
    w.docs = docs
    yield w
    if shiboken6.isValid(w):
        w.close()
        shiboken6.delete(w)


def settle(qtbot, panel) -> None:
    qtbot.waitUntil(lambda: panel.refresh_count >= 1 and not panel.refresh_pending)


def refreshed(qtbot, panel, action) -> None:
    before = panel.refresh_count
    action()
    qtbot.waitUntil(lambda: panel.refresh_count > before and not panel.refresh_pending)


def choose(dialog: SourcesDialog, name: str, rating: str | None) -> None:
    """Pick a rating in the source's combo, as the analyst does."""
    combo = dialog.table.cellWidget(dialog.row_of(name), RELIABILITY)
    combo.setCurrentIndex(RATINGS.index(rating))


def test_the_menu_opens_the_dialog_listing_every_source(window, monkeypatch) -> None:
    shown = []
    monkeypatch.setattr(SourcesDialog, "exec", lambda self: shown.append(self) or 0)
    window.actions["sources"].trigger()
    (dialog,) = shown
    assert dialog.isModal() or dialog.parent() is window
    names = [dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())]
    assert names == ["Channel 9", "Reuters"]
    row = dialog.row_of("Reuters")
    assert [dialog.table.item(row, c).text() for c in (2, 3)] == ["1", "2"]
    combo = dialog.table.cellWidget(row, RELIABILITY)
    assert combo.currentText() == "not rated"
    labels = [combo.itemText(i) for i in range(combo.count())]
    assert labels[2] == "B — Usually reliable" and labels[6] == "F — Reliability cannot be judged"


def test_rating_a_source_moves_its_claims_and_undo_restores(window, qtbot) -> None:
    panel, matrix = window.counts, window.counts.matrix
    assert matrix.cell_text(None, 3) == "1" and matrix.cell_text("A", 2) == "1"
    assert ("3", "Credibility", 1) in count_rows(panel)
    dialog = SourcesDialog(window.store, window.undo_stack, window)
    qtbot.addWidget(dialog)

    before, steps = panel.refresh_count, window.undo_stack.count()
    choose(dialog, "Reuters", "C")
    qtbot.waitUntil(lambda: panel.refresh_count > before and not panel.refresh_pending)
    qtbot.wait(30)
    assert panel.refresh_count == before + 1  # one recount for the one change
    assert window.undo_stack.count() == steps + 1
    assert window.undo_stack.undoText() == "Rate source “Reuters” C"
    assert matrix.cell_text("C", 3) == "1" and matrix.cell_text(None, 3) == ""
    assert matrix.cell_text("A", 2) == "1"  # set on its claim: not overridden
    assert ("C3", "Credibility", 1) in count_rows(panel)
    assert ("A2", "Credibility", 1) in count_rows(panel)

    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    # Ctrl+Z in the (modal) dialog undoes the rating.
    refreshed(qtbot, panel, lambda: qtbot.keyClick(dialog.table, Qt.Key.Key_Z, CTRL))
    assert matrix.cell_text(None, 3) == "1" and matrix.cell_text("C", 3) == ""
    assert dialog.combo(dialog.row_of("Reuters")).currentText() == "not rated"
    assert ("3", "Credibility", 1) in count_rows(panel)


def test_by_source_breakdown_in_each_scope(window, qtbot) -> None:
    panel, grades = window.counts, window.counts.grades
    before = panel.refresh_count
    grades.show_by_source(True)  # the counts it shows were kept from the last refresh
    assert panel.refresh_count == before
    tree = grades.by_source
    assert grades.stack.currentWidget() is tree and tree.isVisible()
    assert tree.count("Reuters") == 2 and tree.count("Reuters", "3") == 1
    assert tree.count("Channel 9") == 0  # this document only
    dialog = SourcesDialog(window.store, window.undo_stack, window)
    qtbot.addWidget(dialog)
    refreshed(qtbot, panel, lambda: choose(dialog, "Reuters", "B"))
    assert tree.count("Reuters", "B3") == 1 and tree.count("Reuters", "3") == 0
    assert tree.count("Reuters", "A2") == 1
    top = tree.topLevelItem(0)
    assert top.text(0) == "Reuters  (B)" and top.text(1) == "2"
    children = {top.child(i).text(0) for i in range(top.childCount())}
    assert children == {"B3", "A2  · reliability set on the claims"}

    refreshed(qtbot, panel, panel.all_button.click)
    assert tree.count("Channel 9", "3") == 1 and tree.count("Reuters") == 2
    tops = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
    reuters = next(t for t in tops if t.text(0).startswith("Reuters"))
    reuters.setExpanded(False)  # the analyst folds a source away; a recount keeps it folded
    refreshed(qtbot, panel, lambda: choose(dialog, "Channel 9", "E"))
    assert tree.count("Channel 9", "E3") == 1
    assert panel.matrix.cell_text("E", 3) == "1" and panel.matrix.cell_text("B", 3) == "1"
    folded = {tree.topLevelItem(i).text(0): tree.topLevelItem(i).isExpanded() for i in range(2)}
    assert folded == {"Reuters  (B)": False, "Channel 9  (E)": True}


def test_changing_a_documents_source_recounts(window, qtbot) -> None:
    panel = window.counts
    dialog = SourcesDialog(window.store, window.undo_stack, window)
    qtbot.addWidget(dialog)
    refreshed(qtbot, panel, lambda: choose(dialog, "Channel 9", "D"))
    assert panel.matrix.cell_text("D", 3) == ""  # Channel 9's claim is in the other document
    doc = window.store.document(window.docs[0].id)
    new = replace(doc, source="Channel 9")
    refreshed(qtbot, panel, lambda: window.undo_stack.push(EditDocument(window.store, doc, new)))
    assert panel.matrix.cell_text("D", 3) == "1" and panel.matrix.cell_text("A", 2) == "1"
    assert dialog.table.item(dialog.row_of("Reuters"), 2).text() == "0"


def test_tooltip_says_where_the_reliability_came_from(window, qtbot) -> None:
    dialog = SourcesDialog(window.store, window.undo_stack, window)
    qtbot.addWidget(dialog)
    choose(dialog, "Reuters", "C")
    view = window.view

    def tip_at(word: str) -> str:
        pos = point_of(view, TEXT.index(word) + 2)
        view.event(QHelpEvent(QEvent.Type.ToolTip, pos, view.viewport().mapToGlobal(pos)))
        return QToolTip.text()

    borrowed = tip_at("ministry")
    assert "<b>C3</b>" in borrowed and "C3 — reliability from source “Reuters”" in borrowed
    own = tip_at("Witnesses")
    assert "<b>A2</b>" in own and "A2 — reliability set on this claim" in own
    window.undo_stack.undo()
    assert "reliability not judged (source “Reuters” not rated)" in tip_at("ministry")


def test_renaming_in_the_dialog_is_undoable_and_a_taken_name_is_refused(window, qtbot) -> None:
    dialog = SourcesDialog(window.store, window.undo_stack, window)
    qtbot.addWidget(dialog)
    dialog.show()
    steps = window.undo_stack.count()
    dialog.table.item(dialog.row_of("Reuters"), 0).setText("Reuters (wire)")
    assert window.undo_stack.count() == steps + 1
    assert window.store.document(window.docs[0].id).source == "Reuters (wire)"
    assert window.store.sources() == ["Channel 9", "Reuters (wire)"]
    dialog.table.item(dialog.row_of("Reuters (wire)"), 0).setText("Channel 9")
    assert window.undo_stack.count() == steps + 1
    assert "already a source called “Channel 9”" in dialog.error.text()
    assert dialog.table.item(dialog.row_of("Reuters (wire)"), 0).text() == "Reuters (wire)"
    window.undo_stack.undo()
    assert [s.name for s in dialog.sources] == ["Channel 9", "Reuters"]


def test_grade_popup_shows_the_borrowed_reliability(window, qtbot) -> None:
    dialog = SourcesDialog(window.store, window.undo_stack, window)
    qtbot.addWidget(dialog)
    choose(dialog, "Reuters", "B")
    prompt = GradePrompt(window, Grade(4), source=window.editor._source())
    qtbot.addWidget(prompt)
    assert prompt.reliability.button(0).text() == "—  the source's: B"
    assert "B4" in prompt.preview.text() and "from source “Reuters”" in prompt.preview.text()
    qtbot.keyClick(prompt, Qt.Key.Key_E)  # E on the claim wins
    assert prompt.grade() == Grade(4, "E")
    assert "E4" in prompt.preview.text() and "set on this claim" in prompt.preview.text()


def test_jumping_to_a_borrowed_grade_finds_its_claim(window, qtbot) -> None:
    dialog = SourcesDialog(window.store, window.undo_stack, window)
    qtbot.addWidget(dialog)
    refreshed(qtbot, window.counts, lambda: choose(dialog, "Reuters", "C"))
    cred = next(t.id for t in window.store.tag_types() if t.kind == "credibility")
    window.editor.jump_to_mention(cred, "C3")
    selected = window.view.selected_annotation()
    assert selected is not None and selected.quote == "ministry said"


def test_review_list_marks_a_grade_borrowed_from_the_source(qtbot, db, monkeypatch, tmp_path):
    monkeypatch.setattr(colleague_import, "ask_layer_name", lambda parent, default: default)
    monkeypatch.setattr(colleague_import, "confirm_match", lambda *a: True)
    w = make_window(qtbot, db, sample=True)
    doc = w.current_document()
    cred = next(t for t in w.store.tag_types() if t.kind == "credibility")
    quote = "the road to the capital is open"
    start = doc.text.index(quote)

    def claim(grade, who):
        return new_annotation(doc.text, doc.id, start, start + len(quote), cred.id, grade=grade,
                              annotator=who)  # fmt: skip

    w.undo_stack.push(AddAnnotations(w.store, [claim(Grade(3), "me")]))
    source = next(s for s in w.store.source_summaries() if s.name == doc.source)
    dialog = SourcesDialog(w.store, w.undo_stack, w)
    qtbot.addWidget(dialog)
    choose(dialog, source.name, "C")
    types = {t.id: t for t in w.store.tag_types()}
    path = tmp_path / "dana.json"
    data = w3c.write([doc], [claim(Grade(3, "C"), "Dana")], types, creator="Dana")
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    w.reviewing.review_file(str(path))
    QApplication.activeModalWidget().accept()  # the import report
    panel = w.reviewing.panel
    panel.mode.setChecked(True)
    qtbot.waitUntil(lambda: len(panel.items) == 1)
    entry = panel.list.item(0)
    # Agreement compares what is set on the claims ("3" vs "C3"): the mark shows why it differs.
    assert "mine Credibility: C3 (source's) · theirs Credibility: C3" in entry.text()
    assert entry.toolTip() == (
        f"Mine: C3 — reliability from source “{source.name}”\n"
        "Theirs: C3 — reliability set on this claim"
    )
    w.close()
