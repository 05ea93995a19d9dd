"""Projects as a user meets them: open one, refuse a file that is not ours (or is too new) without
touching it or losing the open project, switch to another; and jumping between an entity's mentions
from the count panel, across documents."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

import main
from app.articles import make_document
from app.commands import AddDocuments
from app.user_settings import UserSettings
from db.connection import open_db
from db.migrations import APPLICATION_ID
from db.repository import list_document_summaries
from tests.gui_helpers import KEY_2, count_rows, make_window, select_code_points
from widgets import file_dialogs, prompts


@pytest.fixture
def session(qtbot, tmp_path, monkeypatch):
    """A ProjectSession saving settings under tmp_path; each window it builds is deleted after."""
    built = []
    real_build = main.build_window

    def build_and_track(*args, **kwargs):
        window = real_build(*args, **kwargs)
        built.append(window)
        return window

    monkeypatch.setattr(main, "build_window", build_and_track)
    critical = []
    monkeypatch.setattr(
        QMessageBox, "critical", lambda parent, title, text, *a, **k: critical.append((title, text))
    )
    s = main.ProjectSession(UserSettings(annotator="t"), tmp_path / "settings.json")
    s.critical = critical
    yield s
    for window in built:  # delete now, so no timer of theirs outlives their database
        if shiboken6.isValid(window):
            db = window.store.db
            window.close()
            shiboken6.delete(window)
            db.close()


def _is_closed(db) -> bool:
    try:
        db.execute("SELECT 1")
    except sqlite3.ProgrammingError:
        return True
    return False


def _foreign_sqlite(path: Path) -> bytes:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
    conn.execute("INSERT INTO invoices (total) VALUES (12.5)")
    conn.commit()
    conn.close()
    return path.read_bytes()


def _siblings(path: Path) -> set[str]:
    return {p.name for p in path.parent.iterdir() if p.name.startswith(path.name)}


def test_open_project_shows_window_with_sample(session, qtbot, tmp_path):
    a = tmp_path / "a.loupe"
    assert session.open_project(str(a)) is True
    w = session.window
    qtbot.waitExposed(w)
    assert w.isVisible() and w.project_path == str(a)
    docs = w.store.document_summaries()
    assert [d.source for d in docs] == ["Loupe sample"]
    assert w.view.document_id == docs[0].id and "Port Aldane" in w.view.text
    assert w.windowTitle().endswith("a.loupe")
    assert session.critical == []


@pytest.mark.parametrize("kind", ["foreign", "newer", "garbage"])
def test_refused_file_keeps_the_open_project_and_leaves_the_file_untouched(
    session, qtbot, tmp_path, kind
):
    a = tmp_path / "a.loupe"
    session.open_project(str(a))
    current = session.window
    qtbot.waitExposed(current)
    title = current.windowTitle()

    bad = tmp_path / f"{kind}.db"
    if kind == "foreign":
        before = _foreign_sqlite(bad)
        expected = "not a Loupe project"
    elif kind == "newer":
        db = open_db(tmp_path / "donor.loupe")  # a real Loupe project, then "from the future"
        db.close()
        bad.write_bytes((tmp_path / "donor.loupe").read_bytes())
        conn = sqlite3.connect(bad)
        conn.execute("PRAGMA journal_mode = DELETE")
        conn.execute("PRAGMA user_version = 999")
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        conn.close()
        before = bad.read_bytes()
        expected = "newer Loupe"
    else:
        before = b"Quarterly report\n" * 200
        bad.write_bytes(before)
        expected = "not a Loupe project"
    siblings = _siblings(bad)

    assert session.open_project(str(bad)) is False
    assert len(session.critical) == 1
    title_shown, message = session.critical[0]
    assert title_shown == "Cannot open project"
    assert expected in message and str(bad) in message and "not changed" in message
    assert "Traceback" not in message
    # Nothing lost: the same window, still open, on the same project and still usable.
    assert session.window is current and current.isVisible() and not _is_closed(current.store.db)
    assert current.windowTitle() == title
    assert len(current.store.document_summaries()) == 1
    # The refused file is byte-identical and no -wal/-shm/-journal appeared beside it.
    assert bad.read_bytes() == before
    assert _siblings(bad) == siblings


def test_project_in_a_missing_folder_is_refused_with_a_message(session, qtbot, tmp_path):
    session.open_project(str(tmp_path / "a.loupe"))
    current = session.window
    target = tmp_path / "moved-away" / "p.loupe"  # e.g. `loupe --db` with a mistyped folder
    assert session.open_project(str(target)) is False
    ((title, message),) = session.critical
    assert title == "Cannot open project" and str(target) in message
    assert "folder" in message and "Traceback" not in message
    assert session.window is current and current.isVisible()
    assert not target.parent.exists()


def test_second_project_replaces_the_first_and_closes_its_database(session, qtbot, tmp_path):
    a, b = tmp_path / "a.loupe", tmp_path / "b.loupe"
    session.open_project(str(a))
    first = session.window
    first_db = first.store.db
    # Leave work in A that B must not show: a second document.
    first.undo_stack.push(AddDocuments(first.store, [make_document("Only in A.\n")]))
    assert session.open_project(str(b)) is True
    second = session.window
    assert second is not first
    qtbot.waitExposed(second)
    assert second.project_path == str(b) and second.windowTitle().endswith("b.loupe")
    assert [d.source for d in second.store.document_summaries()] == ["Loupe sample"]
    assert not first.isVisible()
    qtbot.waitUntil(lambda: _is_closed(first_db))
    qtbot.wait(120)  # A's pending refresh timers (document list, counts) must not touch its db
    assert not _is_closed(second.store.db)
    # A's work is on disk, intact.
    reopened = open_db(a)
    try:
        assert len(list_document_summaries(reopened)) == 2
    finally:
        reopened.close()


def test_file_new_project_menu_switches_project(session, qtbot, tmp_path, monkeypatch):
    session.open_project(str(tmp_path / "a.loupe"))
    first = session.window
    qtbot.waitExposed(first)
    target = tmp_path / "fresh.loupe"
    asked = []

    def choose(parent, new):
        asked.append(new)
        return str(target)

    monkeypatch.setattr(file_dialogs, "project_path", choose)
    first.actions["new_project"].trigger()
    assert asked == [True]
    assert session.window is not first and session.window.project_path == str(target)
    assert target.exists()
    qtbot.waitExposed(session.window)

    # Cancelling the chooser (empty path) keeps the project.
    current = session.window
    monkeypatch.setattr(file_dialogs, "project_path", lambda parent, new: "")
    current.actions["open_project"].trigger()
    assert session.window is current

    # File ▸ Open project goes back to A.
    monkeypatch.setattr(file_dialogs, "project_path", lambda parent, new: str(tmp_path / "a.loupe"))
    current.actions["open_project"].trigger()
    assert session.window.project_path == str(tmp_path / "a.loupe")
    qtbot.wait(120)


def test_settings_changed_in_the_window_are_saved_to_the_config_file(session, qtbot, tmp_path):
    session.open_project(str(tmp_path / "a.loupe"))
    w = session.window
    qtbot.waitExposed(w)
    w.actions["snap"].trigger()  # View ▸ Snap selection to whole words: off
    saved = UserSettings.load(tmp_path / "settings.json")
    assert saved.snap_to_words is False and saved.annotator == "t"
    assert session.settings.snap_to_words is False


# ---------------------------------------------------------------- jump to mention

SECOND = (
    "Dispatch from the coast\n\n"
    + "Nothing of note happened today.\n" * 150
    + ("Late reports placed the convoy near Port Aldane by nightfall.\n")
)


@pytest.fixture
def tagged(qtbot, db, monkeypatch):
    """Port Aldane tagged as a Location twice in the sample and once far down a second document."""
    monkeypatch.setattr(prompts, "ask_entity", lambda *a, **k: ("Port Aldane", ""))
    w = make_window(qtbot, db, sample=True)
    w.resize(900, 500)
    sample_id = w.view.document_id
    text = w.view.text
    first = text.index("Port Aldane")
    last = text.rindex("Port Aldane")
    for start in (last, first):  # tagged out of order; mentions are visited in text order
        select_code_points(w.view, start, start + len("Port Aldane"))
        qtbot.keyClick(w.view, KEY_2)
    w.undo_stack.push(AddDocuments(w.store, [make_document(SECOND, source="Coast Wire")]))
    w.refresh_documents()
    second_id = w.store.document_summaries()[-1].id
    w.open_document(second_id)
    s2 = SECOND.index("Port Aldane")
    select_code_points(w.view, s2, s2 + len("Port Aldane"))
    qtbot.keyClick(w.view, KEY_2)
    assert w.view.verticalScrollBar().maximum() > 0  # the second document really scrolls
    w.view.verticalScrollBar().setValue(0)
    w.open_document(sample_id)
    w.view.verticalScrollBar().setValue(0)
    location = w.store.tag_types()[1].id
    yield w, sample_id, second_id, location, (first, last, s2)
    w.close()
    shiboken6.delete(w)  # before the db fixture closes its database


def _visible(view, cp: int) -> bool:
    cursor = view.textCursor()
    cursor.setPosition(len(view.text[:cp].encode("utf-16-le")) // 2)
    return view.viewport().rect().contains(view.cursorRect(cursor).center())


def _selected(w):
    ann = w.view.selected_annotation()
    return (w.view.document_id, ann.start if ann else None)


def _click_count_row(w, qtbot, entity: str) -> None:
    qtbot.waitUntil(lambda: any(r[0] == entity for r in count_rows(w.counts)))
    row = next(i for i, r in enumerate(count_rows(w.counts)) if r[0] == entity)
    table = w.counts.table
    rect = table.visualRect(w.counts.model.index(row, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_count_panel_cycles_through_mentions_across_documents(tagged, qtbot):
    w, sample_id, second_id, location, (first, last, s2) = tagged
    qtbot.waitUntil(lambda: count_rows(w.counts) == [("Port Aldane", "Location", 2)])

    _click_count_row(w, qtbot, "Port Aldane")
    assert _selected(w) == (sample_id, first)
    assert _visible(w.view, first)
    assert "mention 1 of 3" in w.last_message

    _click_count_row(w, qtbot, "Port Aldane")
    assert _selected(w) == (sample_id, last)
    assert _visible(w.view, last)
    assert "mention 2 of 3" in w.last_message

    # The third is in the other document: it opens, and the mention far down is scrolled to.
    w.counts.entity_activated.emit(location, "Port Aldane")
    assert _selected(w) == (second_id, s2)
    assert w.documents.selected_title() == "Dispatch from the coast"
    assert w.view.verticalScrollBar().value() > 0 and _visible(w.view, s2)
    assert "mention 3 of 3" in w.last_message

    # Then it wraps to the first, back in the sample.
    w.counts.entity_activated.emit(location, "Port Aldane")
    assert _selected(w) == (sample_id, first)
    assert _visible(w.view, first)
    assert "mention 1 of 3" in w.last_message


def test_jump_starts_in_the_open_document_and_switching_entity_restarts(tagged, qtbot):
    w, sample_id, second_id, location, (first, last, s2) = tagged
    w.open_document(second_id)
    w.counts.entity_activated.emit(location, "Port Aldane")
    assert _selected(w) == (second_id, s2)  # the open document's mention comes first
    w.counts.entity_activated.emit(location, "Port Aldane")
    assert _selected(w) == (sample_id, first)
    # An entity nobody tagged moves nothing.
    w.counts.entity_activated.emit(location, "Merrin")
    assert _selected(w) == (sample_id, first)
