"""Child process of test_note_drafts.py: opens the real window on a project, opens the note
dialog of its first annotation (the N action), types words at random pace and SIGKILLs itself at
a random moment, printing `time<TAB>text` after each word and `time<TAB>kill` last.

Run as `python -m tests.reliability._e_note_child PROJECT SEED` (QT_QPA_PLATFORM=offscreen)."""

from __future__ import annotations

import os
import random
import signal
import sys
import time

from PySide6.QtCore import QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

import main
from app.user_settings import UserSettings
from db.connection import open_db


def type_then_die(rng: random.Random) -> None:
    while QApplication.activeModalWidget() is None:
        QTest.qWait(20)
    note = QApplication.activeModalWidget().text
    words = ["seen", "on two feeds,", "one of them", "a relay", "of the other;", "dates disagree"]
    die_at = time.monotonic() + rng.uniform(1.2, 3.0)
    while time.monotonic() < die_at:
        QTest.keyClicks(note, " " + rng.choice(words))  # ASCII: QTest.keyClicks
        print(f"{time.monotonic()}\t{note.toPlainText()}", flush=True)
        QTest.qWait(rng.randint(0, 250))
    print(f"{time.monotonic()}\tkill", flush=True)
    os.kill(os.getpid(), signal.SIGKILL)


def run(path: str, seed: int) -> None:
    app = QApplication([])  # noqa: F841  (kept alive until the kill)
    window = main.build_window(open_db(path), path, UserSettings(annotator="ana"),
                               lambda s: None, first_run_sample=False)  # fmt: skip
    window.show()
    ann = window.store.annotations(window.view.document_id)[0]
    window.view.select_annotation(ann.id, reveal=False)
    QTimer.singleShot(100, lambda: type_then_die(random.Random(seed)))
    window.actions["edit_note"].trigger()  # what N does


if __name__ == "__main__":
    run(sys.argv[1], int(sys.argv[2]))
