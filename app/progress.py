"""How a long step on a worker thread says how far it is and hears that the analyst cancelled.

Pure and thread-safe: the worker calls the tracker as `(done, total)` (the `Progress` shape the
importers already take) and it raises `Cancelled` once Cancel was pressed, so cancelling needs
no check of its own in each step; the GUI thread only reads the latest figures from a timer.
Nothing is queued per call, so a step may report as often as it likes.
"""

from __future__ import annotations

import threading

from app.interchange import ImportCancelled


class Cancelled(ImportCancelled):
    """The analyst pressed Cancel. A subclass of ImportCancelled, so the importers' own
    `cancelled` checks and this token stop the same way and are caught by the same handlers."""


class ProgressTracker:
    """One task's progress and cancel token, shared by the worker and the GUI thread."""

    def __init__(self) -> None:
        self._cancel = threading.Event()
        self.done, self.total = 0, 0  # read by the GUI thread; each one assignment, atomic
        self.label = ""  # the current stage in words, when a task has several

    def __call__(self, done: int, total: int) -> None:
        self.done, self.total = done, total
        self.check()

    def stage(self, label: str, total: int = 0) -> None:
        """A new stage of the task: its own words, and its count from zero."""
        self.label, self.done, self.total = label, 0, total
        self.check()

    def cancel(self) -> None:
        self._cancel.set()

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def check(self) -> None:
        if self._cancel.is_set():
            raise Cancelled()
