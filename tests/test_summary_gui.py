"""View ▸ Summary… and File ▸ Export summary report… in the real window, on a project tagged
through the undo stack whose figures are counted by hand in tests/summary_helpers.py."""

from __future__ import annotations

import threading
from html.parser import HTMLParser

import pytest
from PySide6.QtCore import Qt

from app.commands import AddAnnotations
from app.offsets import new_annotation
from db import repository
from tests.background_helpers import reader_threads
from tests.gui_helpers import make_window
from tests.summary_helpers import TEXTS, build_project, word
from widgets import file_dialogs


def table_rows(dialog, key: str) -> list[list[str]]:
    t = dialog.tables[key]
    return [[t.item(r, c).text() for c in range(t.columnCount())] for r in range(t.rowCount())]


@pytest.fixture
def window(qtbot, db):
    w = make_window(qtbot, db)
    w.ids = build_project(w.store, w.undo_stack)
    w.open_document(w.ids["docs"][0])
    return w


def open_by_keyboard(qtbot, window):
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    ctrl_shift = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(window, Qt.Key.Key_M, ctrl_shift)
    qtbot.waitUntil(lambda: getattr(window, "summary_dialog", None) is not None
                    and window.summary_dialog.isVisible())  # fmt: skip
    dialog = window.summary_dialog
    qtbot.waitUntil(dialog.isActiveWindow)  # its mnemonics (Alt+A, Alt+T, Alt+X) answer
    return dialog


def test_summary_shows_the_open_documents_figures_then_the_whole_projects(qtbot, window):
    dialog = open_by_keyboard(qtbot, window)
    assert dialog.document_button.isChecked()
    assert dialog.heading.text() == "Homs visit — 1 document, 4 entity mentions"
    assert table_rows(dialog, "Actor") == [["Assad", "2"], ["Jolani", "1"]]
    assert dialog.plots["Actor"].bars.opts["width"] == [2, 1]
    assert table_rows(dialog, "credibility") == [["Reuters", "B", "0", "1", "0", "0", "1", "0"]]
    assert table_rows(dialog, "timeline") == [["2024-03-01", "4"]]

    qtbot.keyClick(dialog, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)  # &All documents
    qtbot.waitUntil(lambda: dialog.heading.text().startswith("All documents"))
    assert table_rows(dialog, "Actor") == [["Assad", "3"], ["Jolani", "2"]]
    assert table_rows(dialog, "Location") == [["Homs", "2"]]
    assert table_rows(dialog, "credibility") == [
        ["Reuters", "B", "0", "2", "0", "0", "1", "0"],
        ["(no source)", "not rated", "0", "0", "1", "0", "0", "0"],
    ]
    assert table_rows(dialog, "timeline") == [
        ["2024-03-01", "4"], ["2024-03-02", "0"], ["2024-03-03", "2"], ["no date", "1"],
    ]  # fmt: skip
    assert list(dialog.plots["timeline"].bars.opts["height"]) == [4, 0, 2, 1]


def test_reopening_the_summary_shows_tags_made_meanwhile(qtbot, window):
    dialog = open_by_keyboard(qtbot, window)
    dialog.close()
    d1 = window.ids["docs"][0]
    start, end = word(TEXTS[0], "Idlib")
    actor = window.ids["actor"]
    window.undo_stack.push(AddAnnotations(window.store, [
        new_annotation(TEXTS[0], d1, start, end, actor, entity="Jolani")
    ]))  # fmt: skip
    dialog = open_by_keyboard(qtbot, window)
    assert table_rows(dialog, "Actor") == [["Assad", "2"], ["Jolani", "2"]]


class Cells(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.cells: list[str] = []
        self._open = False

    def handle_starttag(self, tag, attrs):
        if tag in ("td", "th"):
            self._open = True
            self.cells.append("")

    def handle_endtag(self, tag):
        self._open = False if tag in ("td", "th") else self._open

    def handle_data(self, data):
        if self._open:
            self.cells[-1] += data


def test_export_report_writes_the_same_figures_for_project_and_document(
    qtbot, window, tmp_path, monkeypatch
):
    target = tmp_path / "briefing.html"
    monkeypatch.setattr(file_dialogs, "report_path", lambda *_: str(target))
    window.actions["export_report"].trigger()
    page = target.read_text(encoding="utf-8")
    parser = Cells()
    parser.feed(page)
    cells = parser.cells
    first = cells.index("Assad")
    assert cells[first + 1] == "3"  # the project first
    assert cells[cells.index("Assad", first + 1) + 1] == "2"  # then the open document
    assert cells[cells.index("no date") + 1] == "1"
    assert '<h2 dir="auto">Homs visit</h2>' in page and "tester" in page
    assert "<script" not in page
    assert window.last_message.endswith(str(target))


def test_an_empty_project_gives_an_empty_summary_and_report(qtbot, db, tmp_path, monkeypatch):
    window = make_window(qtbot, db)
    dialog = open_by_keyboard(qtbot, window)
    assert dialog.all_button.isChecked() and not dialog.document_button.isEnabled()
    assert dialog.tables == {}
    assert "0 documents, 0 entity mentions" in dialog.heading.text()
    target = tmp_path / "empty.html"
    monkeypatch.setattr(file_dialogs, "report_path", lambda *_: str(target))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    page = target.read_text(encoding="utf-8")
    assert "No claims graded for credibility yet." in page and "No documents." in page


# ------------------------------------------------------------ a project file: counted on a worker


@pytest.fixture
def file_window(qtbot, tmp_path):
    from db.connection import open_db

    database = open_db(tmp_path / "project.loupe")
    w = make_window(qtbot, database)
    w.ids = build_project(w.store, w.undo_stack)
    w.open_document(w.ids["docs"][0])
    yield w
    w.close()
    database.close()


def test_a_project_file_is_counted_on_a_worker_with_the_same_figures(
    qtbot, file_window, tmp_path, monkeypatch
):
    threads = reader_threads(monkeypatch)
    target = tmp_path / "report.html"
    monkeypatch.setattr(file_dialogs, "report_path", lambda *_: str(target))
    file_window.actions["export_report"].trigger()
    dialog = open_by_keyboard(qtbot, file_window)
    assert table_rows(dialog, "Actor") == [["Assad", "2"], ["Jolani", "1"]]
    assert threads and all(t is not threading.main_thread() for t in threads)
    parser = Cells()
    parser.feed(target.read_text(encoding="utf-8"))
    assert parser.cells[parser.cells.index("Assad") + 1] == "3"


def test_cancelling_the_report_writes_nothing(qtbot, file_window, tmp_path, monkeypatch):
    from tests.background_helpers import Watch, press_cancel, wait_for

    go = threading.Event()
    real = repository.entity_counts

    def slow(db, *args):
        if threading.current_thread() is not threading.main_thread():  # not the count panel's
            wait_for(go)
        return real(db, *args)

    monkeypatch.setattr(repository, "entity_counts", slow)
    target = tmp_path / "report.html"
    target.write_text("the earlier report", encoding="utf-8")
    monkeypatch.setattr(file_dialogs, "report_path", lambda *_: str(target))

    def cancel(dialog):
        press_cancel(qtbot)(dialog)
        go.set()

    with Watch(file_window, cancel) as watch:
        file_window.actions["export_report"].trigger()
    assert watch.seen is not None  # the progress dialog was on screen
    assert file_window.last_message == f"Report cancelled; nothing was written to {target}."
    assert target.read_text(encoding="utf-8") == "the earlier report"
