"""Loupe reopens as it was left: the last project, its document and scroll place, the window's size
and panel layout; File ▸ Open recent lists the projects opened before; a garbled, old or foreign
settings file never stops it from starting."""

from __future__ import annotations

import json
import sys

import pytest
import shiboken6
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QInputDialog

import main
from app.articles import make_document
from app.commands import AddDocuments
from app.user_settings import UserSettings, default_config_path
from widgets.session_state import top_code_point

LONG_TEXT = "Long report\n\n" + "\n\n".join(
    f"Paragraph {i}: the convoy reached the river crossing at dawn, a local source said, and "
    "the rest of this sentence is long enough to wrap onto a second line in the view."
    for i in range(200)
)
LEFT, RIGHT = Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea


@pytest.fixture
def built(monkeypatch):
    """Every window main builds, deleted (then its database closed) after the test."""
    windows = []
    real_build = main.build_window

    def build_and_track(*args, **kwargs):
        window = real_build(*args, **kwargs)
        windows.append(window)
        return window

    monkeypatch.setattr(main, "build_window", build_and_track)
    yield windows
    for window in windows:
        if shiboken6.isValid(window):
            db = window.store.db
            window.close()
            shiboken6.delete(window)
            db.close()


def _session(config, settings=None) -> main.ProjectSession:
    return main.ProjectSession(settings or UserSettings.load(config), config)


def _line_of(view, code_point: int) -> int:
    """Where the line holding `code_point` sits in the view, in lines from the top."""
    cursor = view.textCursor()
    cursor.setPosition(len(view.text[:code_point].encode("utf-16-le")) // 2)
    rect = view.cursorRect(cursor)
    return round(rect.top() / rect.height())


def test_restart_reopens_project_document_scroll_size_and_panels(qtbot, tmp_path, built):
    config, project = tmp_path / "settings.json", tmp_path / "case.loupe"
    first = _session(config, UserSettings(annotator="t"))
    assert first.open_project(str(project))
    w = first.window
    qtbot.waitExposed(w)
    command = AddDocuments(w.store, [make_document(LONG_TEXT, title="Long report")])
    w.undo_stack.push(command)
    long_id = command.added[-1].id
    w.open_document(long_id)
    w.resize(700, 640)  # the offscreen screen is 800×800; the docks keep it ≥ ~790 wide
    w._docks["counts"].toggleViewAction().trigger()  # View ▸ Entity counts: hidden
    w.addDockWidget(RIGHT, w._docks["documents"])  # the document list dragged to the right
    qtbot.wait(50)
    size = w.size()
    assert size.height() == 640  # not the default size (1400×860, cut to the screen)
    bar = w.view.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)
    qtbot.wait(50)
    top = top_code_point(w.view)
    assert top > 1000
    first.close()  # what run_gui does when the analyst quits

    settings = UserSettings.load(config)
    reopened = main._project_to_open(None, settings)  # `loupe` with no argument
    assert reopened == project
    second = _session(config, settings)
    assert second.open_project(str(reopened))
    w2 = second.window
    qtbot.waitExposed(w2)
    assert w2.view.document_id == long_id
    assert w2.size() == size
    assert not w2._docks["counts"].isVisible()
    assert w2.dockWidgetArea(w2._docks["documents"]) == RIGHT
    qtbot.waitUntil(lambda: w2.view.verticalScrollBar().value() > 0)
    assert abs(_line_of(w2.view, top)) <= 1  # the same line at the top, give or take one


def test_other_documents_open_at_the_top_and_a_new_project_gets_the_current_layout(
    qtbot, tmp_path, built
):
    config = tmp_path / "settings.json"
    session = _session(config, UserSettings(annotator="t"))
    session.open_project(str(tmp_path / "a.loupe"))
    session.window.resize(700, 600)
    session.window._docks["documents"].toggleViewAction().trigger()
    size = session.window.size()
    assert size.height() == 600
    session.open_project(str(tmp_path / "b.loupe"))  # File ▸ Open project
    w = session.window
    qtbot.waitExposed(w)
    assert w.size() == size
    assert not w._docks["documents"].isVisible()
    assert w.view.verticalScrollBar().value() == 0


def _recent_actions(window) -> list:
    return [a for a in window.actions["recent_menu"].actions() if not a.isSeparator()]


def test_open_recent_lists_projects_newest_first_and_opens_one_by_its_number(
    qtbot, tmp_path, built
):
    config = tmp_path / "settings.json"
    a, b = tmp_path / "a.loupe", tmp_path / "b.loupe"
    session = _session(config, UserSettings(annotator="t"))
    session.open_project(str(a))
    session.open_project(str(b))
    w = session.window
    qtbot.waitExposed(w)
    texts = [(x.text(), x.isEnabled()) for x in _recent_actions(w)]
    assert texts[0] == ("&1  b.loupe   (open now)", False)
    assert texts[1] == (f"&2  a.loupe   ({tmp_path})", True)
    assert texts[-1] == ("&Clear list", True)
    menu = w.actions["recent_menu"]
    menu.popup(w.mapToGlobal(QPoint(40, 40)))
    qtbot.waitExposed(menu)
    qtbot.keyClick(menu, Qt.Key.Key_2)  # the mnemonic: keyboard only
    qtbot.waitUntil(lambda: session.window is not w)
    assert session.window.project_path == str(a)
    saved = json.loads(config.read_text(encoding="utf-8"))
    assert saved["recent_projects"] == [str(a), str(b)] and saved["last_project"] == str(a)


def test_missing_projects_are_greyed_and_the_list_can_be_cleared(qtbot, tmp_path, built):
    config = tmp_path / "settings.json"
    gone = tmp_path / "moved-away.loupe"
    session = _session(config, UserSettings(annotator="t", recent_projects=(str(gone),)))
    session.open_project(str(tmp_path / "here.loupe"))
    w = session.window
    missing = next(x for x in _recent_actions(w) if "moved-away" in x.text())
    assert not missing.isEnabled() and "missing" in missing.text()
    clear = next(x for x in _recent_actions(w) if x.text() == "&Clear list")
    clear.trigger()
    assert [x.text() for x in _recent_actions(w)] == ["No recent projects", "&Clear list"]
    assert json.loads(config.read_text(encoding="utf-8"))["recent_projects"] == []


# ------------------------------------------------------------------ starting from any settings file


def _layout_of_another_version() -> str:
    """A real window's layout with the document list hidden, saved under a layout version this
    Loupe does not use (as a later one, with renamed panels, would)."""
    from db.connection import open_db

    window = main.build_window(open_db(None), "other.loupe", UserSettings("x"), lambda s: None)
    window._docks["documents"].hide()  # the `built` fixture deletes it after the test
    return bytes(window.saveState(99).toBase64()).decode("ascii")


SETTINGS_FILES = {
    "not JSON": "{ this is not json",
    "a list": '["annotator"]',
    "wrong types": json.dumps(
        {
            "annotator": "ana",
            "window_geometry": 12,
            "recent_projects": "x",
            "appearance": "pink",
            "article_font_size": "huge",
            "snap_to_words": "yes",
        }
    ),  # fmt: skip
    "garbled layout": json.dumps(
        {"annotator": "ana", "window_state": "!!!not base64", "window_geometry": "AAAA"}
    ),
    "older Loupe": json.dumps({"annotator": "ana", "snap_to_words": False}),
    "newer Loupe": json.dumps({"annotator": "ana", "toolbar_icons": "huge", "version": 9}),
    "binary": "\x00\x01\x02",
}


@pytest.mark.parametrize("content", SETTINGS_FILES.values(), ids=SETTINGS_FILES.keys())
def test_any_settings_file_still_starts(qapp, qtbot, monkeypatch, tmp_path, built, content):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # start_gui installs its own
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Dana", True))
    config = default_config_path()
    config.parent.mkdir(parents=True)
    config.write_text(content, encoding="utf-8")
    session = main.start_gui([])
    assert session is not None and session.window.isVisible()
    assert session.window.settings.annotator in ("ana", "Dana")


def test_a_layout_from_another_version_is_ignored(qapp, qtbot, monkeypatch, tmp_path, built):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    layout = _layout_of_another_version()
    UserSettings(annotator="ana", window_state=layout).save(default_config_path())
    session = main.start_gui([])
    assert session is not None
    assert session.window._docks["documents"].isVisible()  # the default layout, not that one


def test_last_project_gone_opens_the_default_one(qapp, qtbot, monkeypatch, tmp_path, built):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    gone = tmp_path / "gone.loupe"
    UserSettings(annotator="ana", last_project=str(gone)).save(default_config_path())
    session = main.start_gui([])
    assert session is not None
    assert session.window.project_path == str(tmp_path / "data" / "Loupe" / "loupe.db")
    assert not gone.exists()


def test_saved_font_and_dark_appearance_are_there_at_the_next_start(
    qapp, qtbot, monkeypatch, tmp_path, built
):
    from PySide6.QtGui import QPalette

    from widgets import theme

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    saved = UserSettings(annotator="ana", article_font_size=17.5, appearance="dark")
    saved.save(default_config_path())
    session = main.start_gui([])
    try:
        view = session.window.view
        assert view.font().pointSizeF() == 17.5
        qtbot.waitUntil(lambda: view.palette().color(QPalette.ColorRole.Base).lightness() < 60)
    finally:
        theme.apply_appearance("light")  # the palette is the application's: leave it as found


def test_a_last_project_that_no_longer_opens_falls_back_to_the_default_one(
    qapp, qtbot, monkeypatch, tmp_path, built
):
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    said = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, title, text, *a, **k: said.append(text))
    broken = tmp_path / "broken.loupe"
    broken.write_bytes(b"not a database at all, " * 100)
    UserSettings(annotator="ana", last_project=str(broken)).save(default_config_path())
    session = main.start_gui([])
    assert session is not None and session.window.isVisible()
    assert session.window.project_path == str(tmp_path / "data" / "Loupe" / "loupe.db")
    assert len(said) == 1  # the analyst is told why the last project did not open
