"""Driving long work in the real window from tests: a GUI-thread watcher that acts once the
progress dialog is on screen, a slow step that waits on the worker until let go, and a record of
which threads opened the read-only connection. Shared by tests/test_background.py and
tests/test_summary_gui.py."""

from __future__ import annotations

import itertools
import threading

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QProgressDialog, QPushButton

from db import repository

WAIT_LIMIT = 3000  # steps of 5 ms: a step nobody releases fails the test instead of hanging


class Watch:
    """A GUI-thread timer while a task works: counts its ticks, notes what the progress dialog
    shows once it is on screen, and acts (lets the work go, or cancels) only after `TICKS` more
    ticks, so the work ends only if the event loop kept running while it went on."""

    TICKS = 20  # of a 10 ms timer

    def __init__(self, window, act) -> None:
        self.window, self.act = window, act
        self.ticks, self.seen, self.acted = 0, None, False
        self.timer = QTimer(interval=10)
        self.timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        self.ticks += 1
        dialog = self.window.findChild(QProgressDialog, "background_progress")
        if dialog is None or not dialog.isVisible() or self.acted:
            return
        if self.seen is None:
            self.seen = (dialog.labelText(), dialog.value(), dialog.maximum(), self.ticks)
        elif self.ticks - self.seen[3] >= self.TICKS:
            self.acted = True
            self.act(dialog)

    def __enter__(self) -> Watch:
        self.timer.start()
        return self

    def __exit__(self, *exc) -> None:
        self.timer.stop()


def press_cancel(qtbot):
    return lambda dialog: qtbot.mouseClick(dialog.findChild(QPushButton), Qt.MouseButton.LeftButton)


def wait_for(event: threading.Event, report=None) -> None:
    """On the worker: report progress until `event` is set; the tracker raises once cancelled."""
    for i in itertools.count():
        if event.wait(0.005):
            return
        if report is not None:
            report(min(i, 99), 100)
        assert i < WAIT_LIMIT, "the test never let the slow step go"


def reader_threads(monkeypatch) -> list[threading.Thread]:
    """The threads that open the project read-only from now on (a worker's own connection)."""
    threads, real = [], repository.read_only

    def watched(path):
        threads.append(threading.current_thread())
        return real(path)

    monkeypatch.setattr(repository, "read_only", watched)
    return threads
