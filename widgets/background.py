"""Long work off the GUI thread: `run(parent, label, work)` runs `work(tracker)` on a worker
thread and returns its result (or raises its exception) to the caller, as a plain call would.

Why a call that waits rather than a callback: every caller (open articles, review a colleague's
file, exports) then keeps its straight-line code and its own error messages, and tests that call
`window.open_files(…)` still see the result on return. While it waits, a local event loop runs,
so the window repaints, timers fire and the progress dialog's Cancel works. Input to the rest of
the application is held back meanwhile (the window-modal dialog does that once it shows; a filter
does it before), so no second action can start on a half-done one.

The work gets a `ProgressTracker` (app/progress.py): it reports `(done, total)` through it and
is stopped by it (`Cancelled`) once the analyst cancels. It must not touch the GUI thread's
database connection (SQLite connections are per thread): it works on data handed to it, or
opens its own read-only connection (`db/reader.py`). Writes stay on the GUI thread, after it.

Quick work shows nothing: the dialog appears only after `MIN_DURATION_MS`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QEvent, QEventLoop, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QWindow
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

from app.progress import Cancelled, ProgressTracker

T = TypeVar("T")
MIN_DURATION_MS = 500  # work shorter than this shows no dialog at all
POLL_MS = 50  # how often the dialog reads the worker's figures

_INPUT = {
    QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.ShortcutOverride,
    QEvent.Type.Shortcut, QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease,
    QEvent.Type.MouseButtonDblClick, QEvent.Type.Wheel, QEvent.Type.ContextMenu,
    QEvent.Type.DragEnter, QEvent.Type.DragMove, QEvent.Type.Drop, QEvent.Type.Close,
}  # fmt: skip

__all__ = ["Cancelled", "ProgressTracker", "run"]


class _Finished(QObject):
    """Emitted from the worker; queued to the GUI thread, where it ends the waiting loop."""

    finished = Signal()


class _InputHold(QObject):
    """Lets input reach the progress dialog only; a close of the window asks to cancel."""

    def __init__(self, dialog: QProgressDialog, tracker: ProgressTracker) -> None:
        super().__init__(dialog)
        self._dialog, self._tracker = dialog, tracker

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt's name)
        if event.type() not in _INPUT:
            return False
        if event.type() == QEvent.Type.Close:
            if obj is not self._dialog.parentWidget().window():
                return False  # a message box may close meanwhile
            self._tracker.cancel()  # closing the window while work runs means "stop it"
            event.ignore()
            return True
        owner = obj if isinstance(obj, QWidget) else obj.parent()  # the dialog's Escape QShortcut
        if isinstance(owner, QWidget) and owner.window() is self._dialog:
            return False
        return not (isinstance(obj, QWindow) and obj is self._dialog.windowHandle())


def run(
    parent: QWidget,
    label: str,
    work: Callable[[ProgressTracker], T],
    *,
    title: str = "Working…",
    min_duration_ms: int = MIN_DURATION_MS,
    done_is_done: bool = False,
) -> T:
    """`work(tracker)` on a worker thread, its result here. Raises what `work` raised, and
    `Cancelled` when the analyst cancelled. A Cancel that came as the work was finishing still
    counts (its result is dropped: the caller writes nothing), unless `done_is_done`: work whose
    effect cannot be taken back (a file already renamed into place) reports what it did."""
    tracker = ProgressTracker()
    outcome: dict[str, object] = {}
    signal = _Finished()
    loop = QEventLoop()
    signal.finished.connect(loop.quit, Qt.ConnectionType.QueuedConnection)

    def on_worker() -> None:
        try:
            outcome["value"] = work(tracker)
        except BaseException as exc:  # handed to the GUI thread, raised there
            outcome["error"] = exc
        finally:
            signal.finished.emit()

    dialog = _dialog(parent, label, title, min_duration_ms)
    dialog.canceled.connect(tracker.cancel)
    poll = QTimer(dialog, interval=POLL_MS)
    poll.timeout.connect(lambda: _show_progress(dialog, tracker, label))
    hold = _InputHold(dialog, tracker)
    app = QApplication.instance()
    app.installEventFilter(hold)
    worker = threading.Thread(target=on_worker, name="loupe-task", daemon=True)
    try:
        worker.start()
        poll.start()
        loop.exec()
        if not outcome:  # the loop was ended from outside (the application quitting)
            tracker.cancel()
        worker.join()  # it has emitted `finished` (or stops at its next report)
        if dialog.wasCanceled():
            tracker.cancel()
    finally:
        app.removeEventFilter(hold)
        poll.stop()
        dialog.reset()
        dialog.hide()
        dialog.deleteLater()
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    if tracker.cancelled() and not done_is_done:
        raise Cancelled()
    return outcome["value"]  # type: ignore[return-value]


def _dialog(parent: QWidget, label: str, title: str, min_duration_ms: int) -> QProgressDialog:
    dialog = QProgressDialog(label, "Cancel", 0, 0, parent)
    dialog.setObjectName("background_progress")
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumWidth(420)
    dialog.setAutoReset(False)
    dialog.setAutoClose(False)
    dialog.setMinimumDuration(min_duration_ms)
    dialog.setValue(0)  # starts the dialog's own clock: it shows itself after the minimum
    return dialog


def _show_progress(dialog: QProgressDialog, tracker: ProgressTracker, label: str) -> None:
    if dialog.wasCanceled():
        tracker.cancel()  # also when cancelled by `cancel()` or Escape, not only the button
        return
    text = tracker.label or label
    if dialog.labelText() != text:
        dialog.setLabelText(text)
    total, done = tracker.total, tracker.done
    if dialog.maximum() != max(total, 0):
        dialog.setMaximum(max(total, 0))  # 0: a busy bar, for a step that cannot count
    if total > 0:
        dialog.setValue(min(done, total))
