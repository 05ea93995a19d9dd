"""Menus and their shortcuts, in one table so the Help dialog and the README list the same keys."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QInputDialog,
    QMainWindow,
)

from app.commands import step
from widgets import entity_exchange, file_dialogs, keyboard_help, sources_dialog
from widgets.find_bar import menu_actions as find_menu_actions
from widgets.search_panel import menu_actions as search_menu_actions


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
    a["properties"] = _action(w, file, "&Document properties…", w.edit_properties, ["Ctrl+I"])
    a["review"] = _action(w, file, "&Review colleague's file…", lambda: w.reviewing.review_file(),
                          ["Ctrl+R"])  # fmt: skip
    file.addSeparator()
    a["new_project"] = _action(
        w, file, "&New project…", lambda: w.request_project(True), ["Ctrl+Shift+N"]
    )
    a["open_project"] = _action(
        w, file, "Open pro&ject…", lambda: w.request_project(False), ["Ctrl+Shift+O"]
    )
    from widgets import preferences_dialog, session_state

    a["recent_menu"] = session_state.recent_menu(w, file)
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
    from widgets import summary_view

    a.update(summary_view.file_actions(w, file))  # export chart (PNG, SVG), summary report
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
    a["annotator"] = _action(w, edit, "Anno&tator name…", lambda: _ask_annotator(w))
    a["preferences"] = _action(
        w, edit, "&Preferences…", lambda: preferences_dialog.open_preferences(w), ["Ctrl+,"]
    )
    a["sources"] = _action(
        w, edit, "&Sources and reliability…", lambda: sources_dialog.open_sources_dialog(w)
    )
    edit.addSeparator()
    a.update(find_menu_actions(w, edit))  # Find…, next, previous, tag all matches

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
    a.update(search_menu_actions(w, edit, view))  # Search all documents…, Filter the list
    a.update(summary_view.view_actions(w, view))  # Summary… (charts per document or project)
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
    return keyboard_help.shortcut_rows(w)


def _show_shortcuts(w) -> None:
    keyboard_help.show_shortcuts(w)
