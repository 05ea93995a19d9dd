"""The window reopens as it was left: size, panel layout, article font, document and scroll.

What belongs to the person (geometry, dock layout, the recent projects) goes to settings.json via
the window's `save_settings`; what belongs to the project (the document open last and where it was
scrolled to) goes to the project's own settings table through `Store.remember_setting`, which is one
small transaction outside the undo history and never makes the action it follows look failed.

The scroll place is kept as the code point at the top of the view, not as the scroll bar's value:
a value counts wrapped lines, which change with the window's width and the font.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QPoint, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from app.offsets import Utf16Map
from widgets.preferences_dialog import apply_article_font

LAYOUT_VERSION = 1  # bump when docks or toolbars are renamed: an older layout is then ignored
SCROLL_KEY = "last_scroll"


def restore_session(window) -> None:
    """Before the window is first shown: font, size and layout; the scroll once it is painted."""
    settings = window.settings
    if settings.article_font_family or settings.article_font_size:
        apply_article_font(window.view, settings.article_font_family, settings.article_font_size)
    if settings.window_geometry:
        window.restoreGeometry(QByteArray.fromBase64(settings.window_geometry.encode("ascii")))
    if settings.window_state:  # refused (False) when garbled or from another layout version
        window.restoreState(
            QByteArray.fromBase64(settings.window_state.encode("ascii")), LAYOUT_VERSION
        )
    doc_id, top = _saved_scroll(window.store.setting(SCROLL_KEY))
    if doc_id is not None and doc_id == window.view.document_id:
        view = window.view

        def scroll_once(_painted_id) -> None:
            view.first_painted.disconnect(scroll_once)
            if view.document_id == doc_id:  # the analyst may have opened another one already
                QTimer.singleShot(0, lambda: scroll_to_top_line(view, top))

        view.first_painted.connect(scroll_once)


def save_session(window) -> None:
    """At close (and before a project switch): the layout into the settings, the place into the
    project. Safe to call twice, and after the project's database has closed."""
    geometry = bytes(window.saveGeometry().toBase64()).decode("ascii")
    state = bytes(window.saveState(LAYOUT_VERSION).toBase64()).decode("ascii")
    if (geometry, state) != (window.settings.window_geometry, window.settings.window_state):
        window.settings = window.settings.with_(window_geometry=geometry, window_state=state)
        window._save_settings(window.settings)
    view = window.view
    if view.document_id is not None:
        top = top_code_point(view)
        window.store.remember_setting(SCROLL_KEY, f"{view.document_id}:{top}")


def top_code_point(view) -> int:
    u16 = view.cursorForPosition(QPoint(0, 0)).position()
    return Utf16Map(view.text).to_code_point(u16)


def scroll_to_top_line(view, code_point: int) -> None:
    """Scroll so the line holding `code_point` is the first one shown (as far as the end allows)."""
    text_map = Utf16Map(view.text)
    u16 = text_map.to_utf16(min(max(code_point, 0), len(view.text)))
    bar = view.verticalScrollBar()
    bar.setValue(bar.maximum())  # from below, making the cursor visible puts its line at the top
    cursor = view.textCursor()
    cursor.setPosition(u16)
    view.setTextCursor(cursor)
    view.ensureCursorVisible()


def _saved_scroll(value: str) -> tuple[int | None, int]:
    doc, _, top = value.partition(":")
    if not (doc.isdigit() and top.isdigit()):
        return None, 0
    return int(doc), int(top)


# ------------------------------------------------------------------ File ▸ Open recent


def recent_menu(window, file_menu: QMenu) -> QMenu:
    """File ▸ Open recent: up to nine projects, newest first, keys 1–9; missing ones greyed."""
    menu = QMenu("Open re&cent", window)
    menu.aboutToShow.connect(lambda: _fill_recent(window, menu))
    file_menu.addMenu(menu)
    _fill_recent(window, menu)
    return menu


def _fill_recent(window, menu: QMenu) -> None:
    menu.clear()
    current = Path(window.project_path).resolve() if window.project_path else None
    for i, path in enumerate(window.settings.recent_projects, start=1):
        where = Path(path)
        name = where.name.replace("&", "&&")
        action = QAction(f"&{i}  {name}   ({where.parent})", menu)
        action.setToolTip(path)
        if not where.exists():
            action.setText(f"&{i}  {name}   (missing: {where.parent})")
            action.setEnabled(False)
        elif current is not None and where.resolve() == current:
            action.setText(f"&{i}  {name}   (open now)")
            action.setEnabled(False)
        action.triggered.connect(lambda _=False, p=path: window.project_open_requested.emit(p))
        menu.addAction(action)
    if not window.settings.recent_projects:
        empty = menu.addAction("No recent projects")
        empty.setEnabled(False)
    menu.addSeparator()
    clear = menu.addAction("&Clear list")
    clear.setEnabled(bool(window.settings.recent_projects))
    clear.triggered.connect(lambda: _clear_recent(window, menu))


def _clear_recent(window, menu: QMenu) -> None:
    window.settings = window.settings.with_(recent_projects=())
    window._save_settings(window.settings)
    _fill_recent(window, menu)
