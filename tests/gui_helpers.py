"""Building the real window for tests: in-memory or file database, modal prompts replaced."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from app.user_settings import UserSettings


def make_window(qtbot, db, *, sample: bool = False, annotator: str = "tester"):
    import main

    saved = []
    window = main.build_window(
        db, "test.loupe", UserSettings(annotator=annotator), saved.append, first_run_sample=sample
    )
    window.saved_settings = saved
    qtbot.addWidget(window)  # closed and deleted at teardown, before the db fixture closes
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    window.view.setFocus()
    qtbot.waitUntil(lambda: window.isActiveWindow())
    return window


def select_code_points(view, start: int, end: int) -> None:
    """Select like a user would, in Qt's UTF-16 positions, from code-point offsets."""
    text = view.toPlainText()
    u16 = lambda cp: len(text[:cp].encode("utf-16-le")) // 2  # noqa: E731
    cursor = view.textCursor()
    cursor.setPosition(u16(start))
    cursor.setPosition(u16(end), QTextCursor.MoveMode.KeepAnchor)
    view.setTextCursor(cursor)


def press(qtbot, widget, key) -> None:
    qtbot.keyClick(widget, key)


KEY_1, KEY_2, KEY_3 = Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_3


def count_rows(panel) -> list[tuple[str, str, int]]:
    """What the count table shows, row by row, in its current sort order."""
    model = panel.model
    return [
        (e.entity, e.type_name, e.count) for e in (model.entry(r) for r in range(model.rowCount()))
    ]


def point_of(view, cp: int):
    """A viewport point inside the character at code point `cp`."""
    from PySide6.QtCore import QPoint

    text = view.toPlainText()
    cursor = view.textCursor()
    cursor.setPosition(len(text[:cp].encode("utf-16-le")) // 2)
    rect = view.cursorRect(cursor)
    return QPoint(rect.left() + 3, rect.center().y())
