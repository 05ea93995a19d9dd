"""Open notes and tag popups keep their typing in the project (widgets/drafts.py): saved at most a
second after a keystroke while the dialog is open, offered back after a crash, gone on OK/Cancel.

Driven through the real window and the real dialogs (keys typed with qtbot), over a project file
read back through a second SQLite connection, which sees only what was committed. The crash test
kills a child process that typed into the note dialog and reopens the project here.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from app.articles import make_document
from app.drafts import NOTE, Draft, DraftKey
from app.model import utc_now
from app.offsets import new_annotation
from app.store import Store
from db import repository as repo
from db.connection import open_db
from tests.gui_helpers import make_window
from tests.reliability.scale import pick

ROOT = Path(__file__).resolve().parents[2]
TEXT = "Fighters of Hayat Tahrir al-Sham (HTS) reached the outskirts of Homs on Friday.\n"
QUOTE = "Hayat Tahrir al-Sham"
FIRST_NOTE = "first note"


@pytest.fixture
def project(tmp_path) -> Path:
    """A project file with one article and one Actor tag with a note, closed."""
    path = tmp_path / "project.loupe"
    db = open_db(path)
    store = Store(db)
    (doc,) = store.add_documents([make_document(TEXT)])
    actor = store.tag_types()[0].id
    start = TEXT.index(QUOTE)
    ann = new_annotation(TEXT, doc.id, start, start + len(QUOTE), actor, entity="HTS",
                         note=FIRST_NOTE, annotator="ana")  # fmt: skip
    store.add_annotations([ann])
    db.close()
    return path


@pytest.fixture
def open_window(qtbot):
    """Open the real window on a project file; the window closes before its database."""
    opened = []

    def open_(path: Path):
        db = open_db(path)
        window = make_window(qtbot, db)
        opened.append((window, db))
        return window

    yield open_
    for window, db in opened:
        window.close()
        db.close()


def drafts_in(path: Path) -> list[tuple]:
    """The committed drafts, as another connection sees them."""
    conn = sqlite3.connect(path)
    try:
        return conn.execute(
            'SELECT dialog, annotation_id, start, "end", entity, note FROM drafts'
        ).fetchall()
    finally:
        conn.close()


def stored_note(path: Path) -> str | None:
    rows = [r for r in drafts_in(path) if r[0] == NOTE]
    return rows[0][5] if rows else None


def in_dialog(qtbot, open_it, drive) -> None:
    """Run `open_it` (which shows a modal dialog) while `drive(dialog)` works it; the dialog is
    closed afterwards whatever `drive` did, so a failing check cannot hang the suite."""

    def run() -> None:
        qtbot.waitUntil(lambda: QApplication.activeModalWidget() is not None)
        dialog = QApplication.activeModalWidget()
        try:
            drive(dialog)
        finally:
            if dialog.isVisible():
                dialog.reject()

    QTimer.singleShot(0, run)
    open_it()


def select_the_tag(window):
    ann = window.store.annotations(window.view.document_id)[0]
    window.view.select_annotation(ann.id, reveal=False)
    return ann


def test_typing_in_a_note_reaches_the_project_within_a_second_even_while_typing_goes_on(
    project, open_window, qtbot
):
    window = open_window(project)
    ann = select_the_tag(window)
    history: list[tuple[float, str]] = []  # (when, what the dialog held)
    lags: list[str] = []
    settled: list[float] = []

    def drive(dialog):
        for ch in "confirmed by two wire reports":  # ~3 s of steady typing
            qtbot.keyClicks(dialog.text, ch)
            history.append((time.monotonic(), dialog.text.toPlainText()))
            qtbot.wait(100)
            now, saved = time.monotonic(), stored_note(project) or FIRST_NOTE
            due = [text for when, text in history if when <= now - 1.0]
            if due and not saved.startswith(due[-1]):
                lags.append(f"{now - history[0][0]:.1f} s: saved {saved!r}, typed {due[-1]!r}")
        last = time.monotonic()
        qtbot.waitUntil(lambda: stored_note(project) == dialog.text.toPlainText(), timeout=3000)
        settled.append(time.monotonic() - last)

    in_dialog(qtbot, lambda: qtbot.keyClick(window.view, Qt.Key.Key_N), drive)
    assert history, "the note dialog did not open on N"
    assert not lags, f"the draft fell more than a second behind the typing: {lags}"
    assert settled and settled[0] <= 1.0, f"the last keys reached the project after {settled}"
    assert drafts_in(project) == []  # Cancel discards the draft …
    assert window.store.annotation(ann.id).note == FIRST_NOTE  # … and the note is unchanged


def test_ok_stores_the_note_and_removes_its_draft_and_drafts_stay_off_the_undo_stack(
    project, open_window, qtbot
):
    window = open_window(project)
    ann = select_the_tag(window)
    steps = window.undo_stack.count()
    seen: list[list] = []

    def drive(dialog):
        qtbot.keyClicks(dialog.text, " and a third")
        qtbot.waitUntil(lambda: stored_note(project) == FIRST_NOTE + " and a third")
        seen.append(drafts_in(project))
        assert window.undo_stack.count() == steps
        qtbot.keyClick(dialog.text, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # OK

    in_dialog(qtbot, lambda: window.editor.edit_note(ann), drive)
    assert seen == [[(NOTE, ann.id, ann.start, ann.end, "", FIRST_NOTE + " and a third")]]
    assert window.store.annotation(ann.id).note == FIRST_NOTE + " and a third"
    assert drafts_in(project) == []
    assert window.undo_stack.count() == steps + 1  # the edit, and nothing for its drafts


def test_the_tag_popup_keeps_entity_and_note_of_a_tag_not_yet_made(project, open_window, qtbot):
    window = open_window(project)
    start = TEXT.index("Homs")
    seen: list[list] = []

    def drive(dialog):
        qtbot.keyClicks(dialog.entity, "Homs, Syria")
        qtbot.keyClicks(dialog.note, "city, not governorate")
        qtbot.waitUntil(lambda: bool(drafts_in(project)) and drafts_in(project)[0][5] != "")
        seen.append(drafts_in(project))

    window.view.select_span(start, start + 4)
    in_dialog(qtbot, lambda: qtbot.keyClick(window.view, Qt.Key.Key_2), drive)  # Location
    assert seen == [[("entity", None, start, start + 4, "Homs, Syria", "city, not governorate")]]
    assert drafts_in(project) == []  # cancelled: gone, and no tag made
    assert len(window.store.annotations(window.view.document_id)) == 1


def test_the_grade_popup_keeps_the_grade_and_note(project, open_window, qtbot):
    window = open_window(project)
    seen: list[list] = []

    def drive(dialog):
        qtbot.keyClick(dialog, Qt.Key.Key_2)
        qtbot.keyClick(dialog, Qt.Key.Key_B)
        qtbot.keyClicks(dialog.note, "two sources")
        qtbot.waitUntil(lambda: bool(drafts_in(project)) and drafts_in(project)[0][5] != "")
        seen.append(drafts_in(project))
        dialog.accept()

    window.view.select_span(0, TEXT.index(" on Friday"))
    in_dialog(qtbot, lambda: qtbot.keyClick(window.view, Qt.Key.Key_3), drive)  # Credibility
    assert seen and seen[0][0][0] == "grade" and seen[0][0][4:] == ("B2", "two sources")
    assert drafts_in(project) == []
    assert {a.grade.compact for a in window.store.annotations(window.view.document_id)} >= {"B2"}


def test_a_draft_the_project_holds_is_offered_on_start_and_when_its_dialog_opens_again(
    project, open_window, qtbot
):
    db = open_db(project)
    store = Store(db)
    ann = store.annotations(store.document_summaries()[0].id)[0]
    key = DraftKey(NOTE, ann.document_id, ann.tag_type_id, ann.start, ann.end, ann.id)
    store.save_draft(Draft(key, "", "typed before the crash", utc_now()))
    db.close()

    window = open_window(project)
    box = window.recovery_message
    assert box.isVisible() and "note of the Actor tag on “Hayat Tahrir al-Sham”" in box.text()
    assert "typed before the crash" in box.detailedText()
    box.done(0)  # "Later"
    offered: list[tuple[str, bool, str]] = []

    def drive(dialog):
        label = dialog.draft_label
        offered.append((dialog.text.toPlainText(), label.isVisible(), label.text()))
        dialog.accept()

    in_dialog(qtbot, lambda: window.editor.edit_note(select_the_tag(window)), drive)
    (text, shown, says) = offered[0]
    assert text == "typed before the crash" and shown and says.startswith("Recovered")
    assert window.store.annotation(ann.id).note == "typed before the crash"
    assert drafts_in(project) == []


def test_a_grade_draft_of_a_tag_not_yet_made_comes_back_when_the_passage_is_tagged_again(
    project, open_window, qtbot
):
    db = open_db(project)
    store = Store(db)
    doc_id, cred = store.document_summaries()[0].id, store.tag_types()[2].id
    end = TEXT.index(" on Friday")
    key = DraftKey("grade", doc_id, cred, 0, end)
    store.save_draft(Draft(key, "B2", "two sources", utc_now()))
    db.close()

    window = open_window(project)
    window.recovery_message.done(0)  # "Later"
    offered: list[tuple] = []

    def drive(dialog):
        offered.append((dialog.grade().compact, dialog.note.text(), dialog.draft_label.text()))

    window.view.select_span(0, end)
    in_dialog(qtbot, lambda: qtbot.keyClick(window.view, Qt.Key.Key_3), drive)  # Cancel
    assert offered and offered[0][:2] == ("B2", "two sources")
    assert offered[0][2].startswith("Recovered") and drafts_in(project) == []


def test_a_draft_that_cannot_be_saved_is_said_and_the_note_is_still_saved_on_ok(
    project, open_window, qtbot, monkeypatch
):
    window = open_window(project)
    ann = select_the_tag(window)

    def disk_full(*_args):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(repo.drafts, "save_draft", disk_full)
    said: list[str] = []

    def drive(dialog):
        qtbot.keyClicks(dialog.text, "!")
        qtbot.waitUntil(lambda: dialog.draft_label.isVisible())
        said.append(dialog.draft_label.text())
        dialog.accept()

    in_dialog(qtbot, lambda: window.editor.edit_note(ann), drive)
    assert said and "could not be kept" in said[0] and "disk is full" in said[0]
    assert window.store.annotation(ann.id).note == FIRST_NOTE + "!"


def test_deleting_an_annotation_deletes_its_draft(project):
    db = open_db(project)
    store = Store(db)
    ann = store.annotations(store.document_summaries()[0].id)[0]
    key = DraftKey(NOTE, ann.document_id, ann.tag_type_id, ann.start, ann.end, ann.id)
    store.save_draft(Draft(key, "", "secret reasoning", utc_now()))
    store.remove_annotations([ann])
    assert store.drafts() == []
    db.close()


def killed_while_typing(project: Path, seed: int) -> tuple[str, str]:
    """Run the child; (what it had typed one second before its kill, all it typed)."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    child = subprocess.run(
        [sys.executable, "-m", "tests.reliability._e_note_child", str(project), str(seed)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert child.returncode == -signal.SIGKILL, child.stderr
    lines = [line.split("\t", 1) for line in child.stdout.splitlines()]
    assert lines and lines[-1][1] == "kill", child.stdout
    killed_at = float(lines[-1][0])
    typed = [(float(t), text) for t, text in lines[:-1]]
    due = [text for t, text in typed if t <= killed_at - 1.0]
    return (due[-1] if due else FIRST_NOTE), typed[-1][1]


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_after_a_kill_the_note_typed_up_to_a_second_before_is_offered_back(
    tmp_path, project, open_window, qtbot
):
    """One kill at CI size; `LOUPE_RELIABILITY_SCALE=large` kills 20 sessions at random moments."""
    template = project.read_bytes()
    for seed in range(pick(ci=1, large=20)):
        path = tmp_path / f"killed-{seed}.loupe"
        path.write_bytes(template)
        due, typed = killed_while_typing(path, seed)
        conn = sqlite3.connect(path)  # the killed process's -wal is recovered here
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        conn.close()

        window = open_window(path)
        box = window.recovery_message
        assert box is not None and "note of the Actor tag" in box.text(), (seed, due)
        offered: list[tuple[str, str]] = []

        def drive(dialog, offered=offered):
            offered.append((dialog.text.toPlainText(), dialog.draft_label.text()))
            dialog.accept()

        reopen = next(b for b in box.buttons() if b.text() == "Reopen now")
        in_dialog(qtbot, reopen.click, drive)
        text, says = offered[0]
        assert text.startswith(due), (seed, text, due)  # all typed ≥ 1 s before the kill …
        assert typed.startswith(text), (seed, text, typed)  # … and nothing else
        assert says.startswith("Recovered")
        ann = window.store.annotations(window.view.document_id)[0]
        assert ann.note == text and drafts_in(path) == []
