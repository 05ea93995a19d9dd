"""The real window over a project file, driven as the analyst drives it, and what the analyst can
see of it: for the fault tests, "nothing shown as saved that is not" is a comparison of two
`Seen` snapshots, one before the action and one after.

Actions run from the event loop (as a key press does), so an exception escaping a slot reaches
`main._install_error_dialog`'s hook exactly as in the application, and every message the analyst
is shown (that hook's box, the window's own message boxes, the status bar) is collected in `told`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from tests.gui_helpers import count_rows, make_window


@dataclass(frozen=True)
class Seen:
    """What is saved (the committed database, read by another connection) and what the window
    shows of it: highlights, document counts, entity counts, the undo history."""

    saved: tuple[str, ...]
    stored: tuple[str, ...]  # ids of the open document's annotations in the saved project
    painted: tuple[str, ...]
    documents: tuple[tuple[str, ...], ...]
    counts: tuple[tuple[str, str, int], ...]
    history: tuple[int, tuple[str, ...]]

    @property
    def shows_what_is_saved(self) -> bool:
        """The highlights are exactly the open document's saved annotations."""
        return self.painted == self.stored

    def differences(self, other: Seen) -> list[str]:
        return [name for name in self.__dataclass_fields__
                if getattr(self, name) != getattr(other, name)]  # fmt: skip


@dataclass
class Analyst:
    qtbot: object
    window: object
    path: Path
    told: list[str] = field(default_factory=list)

    @property
    def db(self):
        return self.window.store.db

    def act(self, do: Callable[[], object]) -> None:
        """Run `do` from the event loop, as Qt runs a slot for a key press, and wait for it."""
        done: list[bool] = []

        def run() -> None:
            try:
                do()
            finally:
                done.append(True)

        QTimer.singleShot(0, run)
        self.qtbot.waitUntil(lambda: bool(done), timeout=10_000)
        self.read_message_boxes()

    def read_message_boxes(self) -> None:
        """Window-modal boxes (`MainWindow.notify`, the import report) are read, then closed."""
        closed = False
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QMessageBox) and widget.isVisible():
                self.told.append(widget.text())
                widget.done(0)
                closed = True
        if closed:  # the analyst is back in the window, and its shortcuts work again
            self.window.activateWindow()
            self.qtbot.waitUntil(self.window.isActiveWindow, timeout=5000)

    def forget_messages(self) -> None:
        self.told.clear()
        self.window.statusBar().clearMessage()

    def status(self) -> str:
        return self.window.statusBar().currentMessage()

    def settle(self) -> None:
        """Let the coalescing timers (document list, count panel) do what they were asked to."""
        w = self.window
        self.qtbot.waitUntil(
            lambda: not w._doc_refresh.isActive() and not w.counts.refresh_pending, timeout=5000
        )

    def seen(self) -> Seen:
        self.settle()
        w, stack = self.window, self.window.undo_stack
        reader = sqlite3.connect(f"{self.path.as_uri()}?mode=ro", uri=True)
        try:
            saved = tuple(sorted(reader.iterdump()))
            stored = reader.execute(
                "SELECT id FROM annotations WHERE document_id = ?", [w.view.document_id]
            )
            stored = tuple(sorted(row[0] for row in stored))
        finally:
            reader.close()
        return Seen(
            saved=saved,
            stored=stored,
            painted=tuple(sorted(w.view.annotation_ids())),
            documents=tuple(  # title, source, tag count of each row, as listed
                (title, source, tags) for title, source, _, tags in w.documents.rows()
            ),
            counts=tuple(count_rows(w.counts)),
            history=(stack.index(), tuple(stack.text(i) for i in range(stack.count()))),
        )


def open_analyst(qtbot, monkeypatch, path: Path) -> Analyst:
    """The real window over the project at `path`, with Loupe's own error hook installed
    (pytest-qt's exception capture must be off: `pytest.mark.qt_no_exception_capture`)."""
    import sys

    import main
    from db.connection import open_db

    db = open_db(path)
    analyst = Analyst(qtbot, None, path)

    def box(parent, title, text, *args, **kwargs):
        analyst.told.append(text)
        return QMessageBox.StandardButton.Ok

    for kind in ("warning", "critical", "information"):
        monkeypatch.setattr(QMessageBox, kind, staticmethod(box))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored at teardown
    main._install_error_dialog()
    analyst.window = make_window(qtbot, db)
    return analyst


def close_analyst(analyst: Analyst) -> None:
    """The window first: closing it stops timers that would still read the database."""
    analyst.window.close()
    analyst.db.close()
