"""The runner itself (widgets/background.py) on a bare window: quick work shows no dialog, the
window's own keys wait until the work is done, and the export's chunked reporting hands on every
row whatever the chunk size."""

from __future__ import annotations

import threading

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QProgressDialog

from app import store_background
from app.progress import ProgressTracker
from widgets import background


def bare_window(qtbot) -> QMainWindow:
    window = QMainWindow()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_quick_work_returns_its_result_and_never_shows_a_dialog(qtbot):
    window = bare_window(qtbot)
    shown = []
    timer = QTimer(interval=1)
    timer.timeout.connect(lambda: shown.extend(
        d for d in window.findChildren(QProgressDialog) if d.isVisible()
    ))  # fmt: skip
    timer.start()
    result = background.run(window, "Quick", lambda tracker: sum(range(1000)))
    timer.stop()
    assert result == 499500 and shown == []


def test_the_window_does_not_act_on_keys_while_work_runs(qtbot):
    """A key pressed while work runs must not start a second action on a half-done one."""
    window = bare_window(qtbot)
    fired = []
    action = QAction("Export", window, shortcut=QKeySequence("Ctrl+E"))
    action.triggered.connect(lambda: fired.append(True))
    window.addAction(action)
    pressed, go = threading.Event(), threading.Event()

    def press_then_release() -> None:
        qtbot.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
        pressed.set()
        go.set()

    def work(tracker: ProgressTracker) -> str:
        assert go.wait(10), "the key was never pressed"
        return "done"

    QTimer.singleShot(20, press_then_release)
    assert background.run(window, "Working", work) == "done"
    assert pressed.is_set() and fired == []
    qtbot.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert fired == [True]  # the same key works once the work is done


@given(
    rows=st.lists(st.tuples(st.integers(), st.text(max_size=3)), max_size=60),
    chunk=st.integers(1, 7),
)
def test_chunked_reporting_hands_on_every_row_and_counts_them(rows, chunk):
    seen: list[tuple[int, int]] = []

    class Tracker(ProgressTracker):
        def __call__(self, done: int, total: int) -> None:
            seen.append((done, total))
            super().__call__(done, total)

    old, store_background.CHUNK_ROWS = store_background.CHUNK_ROWS, chunk
    try:
        out = list(store_background._reported(iter(rows), Tracker(), len(rows)))
    finally:
        store_background.CHUNK_ROWS = old
    assert out == rows
    assert [d for d, _ in seen] == [*range(0, len(rows), chunk), len(rows)]
    assert all(total == len(rows) for _, total in seen)


def until_cancelled(tracker: ProgressTracker) -> str:
    for i in range(2000):  # 10 s at most: work nobody cancels fails the test instead of hanging
        tracker(i, 2000)
        threading.Event().wait(0.005)
    return "not cancelled"


def test_escape_in_the_progress_dialog_cancels_the_work(qtbot):
    window = bare_window(qtbot)

    def press_escape() -> None:
        dialog = window.findChild(QProgressDialog)
        if dialog is None or not dialog.isVisible():
            QTimer.singleShot(20, press_escape)
            return
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)

    QTimer.singleShot(20, press_escape)
    with pytest.raises(background.Cancelled):
        background.run(window, "Working", until_cancelled)


def test_closing_the_window_while_work_runs_cancels_it_and_keeps_the_window(qtbot):
    window = bare_window(qtbot)
    QTimer.singleShot(50, window.close)
    with pytest.raises(background.Cancelled):
        background.run(window, "Working", until_cancelled)
    assert window.isVisible()
