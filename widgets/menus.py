"""Menus and their shortcuts, in one table so the Help dialog and the README list the same keys."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QInputDialog,
    QMainWindow,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from app.commands import step
from widgets import entity_exchange, file_dialogs, sources_dialog


def _action(window: QMainWindow, menu, text: str, slot, keys=(), checkable=False) -> QAction:
    action = QAction(text, window)
    if keys:
        action.setShortcuts([QKeySequence(k) for k in keys])
    action.setCheckable(checkable)
    action.triggered.connect(slot)
    menu.addAction(action)
    return action


def build_menus(w) -> dict:
    bar = w.menuBar()
    a: dict = {}
    file = bar.addMenu("&File")
    a["open"] = _action(
        w, file, "&Open articles…", lambda: w.open_files(file_dialogs.article_paths(w)), ["Ctrl+O"]
    )
    a["paste"] = _action(w, file, "&Paste as new document", w.paste_document, ["Ctrl+Shift+V"])
    a["properties"] = _action(w, file, "Document p&roperties…", w.edit_properties, ["Ctrl+I"])
    a["review"] = _action(w, file, "&Review colleague's file…", lambda: w.reviewing.review_file(),
                          ["Ctrl+R"])  # fmt: skip
    file.addSeparator()
    a["new_project"] = _action(
        w, file, "&New project…", lambda: w.request_project(True), ["Ctrl+Shift+N"]
    )
    a["open_project"] = _action(
        w, file, "Open pro&ject…", lambda: w.request_project(False), ["Ctrl+Shift+O"]
    )
    file.addSeparator()
    a["export_doc"] = _action(
        w, file, "&Export CSV — this document…", lambda: w.export_csv(False), ["Ctrl+E"]
    )
    a["export_all"] = _action(
        w, file, "Export CSV — &all documents…", lambda: w.export_csv(True), ["Ctrl+Shift+E"]
    )
    a["export_w3c"] = _action(w, file, "Export annotations (W3C JSON-LD)…", w.export_w3c)
    a["export_entities"] = _action(
        w, file, "Export en&tities…", lambda: entity_exchange.export_entities(w)
    )
    a["import_entities"] = _action(
        w, file, "Import entit&ies…", lambda: entity_exchange.import_entities(w)
    )
    file.addSeparator()
    a["quit"] = _action(w, file, "&Quit", w.close, ["Ctrl+Q"])

    edit = bar.addMenu("&Edit")
    undo = w.undo_stack.createUndoAction(w, "&Undo")
    undo.setShortcuts([QKeySequence("Ctrl+Z")])
    redo = w.undo_stack.createRedoAction(w, "&Redo")
    redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
    for action, forward in ((undo, False), (redo, True)):
        action.triggered.disconnect()  # Qt's slot moves the history past a step that failed
        action.triggered.connect(lambda _=False, f=forward: step(w.undo_stack, forward=f))
    edit.addActions([undo, redo])
    a["undo"], a["redo"] = undo, redo
    edit.addSeparator()
    a["edit_details"] = _action(
        w, edit, "Change &entity or grade…", lambda: _on_selected(w, w.editor.change_details), ["E"]
    )
    a["edit_note"] = _action(
        w, edit, "Edit &note…", lambda: _on_selected(w, w.editor.edit_note), ["N"]
    )
    a["delete"] = _action(w, edit, "&Delete annotation", lambda: w.editor.delete(), ["Delete"])
    for key in ("edit_details", "edit_note", "delete"):
        a[key].setEnabled(False)
    edit.addSeparator()
    a["annotator"] = _action(w, edit, "Annotator &name…", lambda: _ask_annotator(w))
    a["sources"] = _action(
        w, edit, "&Sources and reliability…", lambda: sources_dialog.open_sources_dialog(w)
    )

    a["tag_menu"] = bar.addMenu("&Tag")
    a["manage_tags"] = QAction("&Manage tag types…", w)
    a["manage_tags"].triggered.connect(w.manage_tag_types)
    a["accept_suggestions"] = QAction("&Accept all suggestions in this document", w)
    a["accept_suggestions"].setShortcut(QKeySequence("Ctrl+Shift+A"))
    a["accept_suggestions"].triggered.connect(lambda: _accept_all_suggestions(w))
    w.addAction(a["accept_suggestions"])

    view = bar.addMenu("&View")
    a["view_menu"] = view
    a["snap"] = _action(
        w, view, "&Snap selection to whole words", w.set_snap_to_words, ["Ctrl+W"], checkable=True
    )
    a["snap"].setChecked(w.view.snap_to_words)
    a["suggestions"] = _action(
        w, view, "Show s&uggestions (known names not yet tagged)", w.suggesting.set_enabled,
        checkable=True,
    )  # fmt: skip
    a["suggestions"].setChecked(True)
    view.addSeparator()
    for dock in w._docks.values():
        view.addAction(dock.toggleViewAction())
    a["entities_panel"] = _action(w, view, "Go to &entities", w.entities.reveal, ["Ctrl+Shift+L"])
    view.addAction(w.tag_bar.toggleViewAction())

    help_menu = bar.addMenu("&Help")
    a["shortcuts"] = _action(
        w, help_menu, "&Keyboard shortcuts", lambda: _show_shortcuts(w), ["F1"]
    )
    return a


def _on_selected(w, fn) -> None:
    ann = w.view.selected_annotation()
    if ann is not None:
        fn(ann)


def _accept_all_suggestions(w) -> None:
    n = w.suggesting.accept_all()
    w.show_status(f"Accepted {n} suggestions as tags." if n else "No suggestions to accept here.")


def _ask_annotator(w) -> None:
    name, ok = QInputDialog.getText(
        w, "Annotator", "Your name, saved with every annotation:", text=w.settings.annotator
    )
    if ok and name.strip():
        w.set_annotator(name.strip())
        w._save_settings(w.settings)


def shortcut_rows(w) -> list[tuple[str, str]]:
    rows = []
    for action in [*w.tag_actions.values(), *w.actions.values()]:
        if isinstance(action, QAction) and action.shortcuts():
            keys = ", ".join(
                k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts()
            )
            rows.append((keys, action.text().replace("&", "").split("\t")[0]))
    rows += [
        ("Click a highlight", "Select it; click again to cycle through stacked ones"),
        ("Esc", "Clear the annotation selection"),
    ]
    return rows


def _show_shortcuts(w) -> None:
    rows = shortcut_rows(w)
    dialog = QDialog(w)
    dialog.setWindowTitle("Keyboard shortcuts")
    table = QTableWidget(len(rows), 2, dialog)
    table.setHorizontalHeaderLabels(["Keys", "Action"])
    for i, (keys, text) in enumerate(rows):
        table.setItem(i, 0, QTableWidgetItem(keys))
        table.setItem(i, 1, QTableWidgetItem(text))
    table.resizeColumnsToContents()
    table.verticalHeader().hide()
    QVBoxLayout(dialog).addWidget(table)
    dialog.resize(520, 480)
    dialog.open()
