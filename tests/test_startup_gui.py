"""First start as a newcomer meets it: asked for a name once, default project in the platform data
folder, the sample article open."""

from __future__ import annotations

import json
import sys

from PySide6.QtWidgets import QInputDialog

import main
from db.connection import open_db
from db.repository import list_document_summaries


def _run(monkeypatch, tmp_path, answer):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # run_gui installs its own; restore it
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    asked = []

    def get_text(*args, **kwargs):
        asked.append(kwargs.get("text"))
        return answer

    monkeypatch.setattr(QInputDialog, "getText", get_text)
    original_hook = sys.excepthook
    session = main.start_gui([])
    sys.excepthook = original_hook  # a modal error box would hang the test; let pytest-qt report
    assert session is not None and session.window.isVisible()
    session.window.close()
    session.window.store.db.close()
    return asked, [session.window]


def test_first_start_asks_name_once_and_opens_sample(qapp, monkeypatch, tmp_path):
    asked, shown = _run(monkeypatch, tmp_path, ("Dana Analyst", True))
    assert len(asked) == 1 and asked[0]  # offered the OS user name as the default
    settings = json.loads((tmp_path / "config" / "Loupe" / "settings.json").read_text())
    assert settings["annotator"] == "Dana Analyst"
    db_path = tmp_path / "data" / "Loupe" / "loupe.db"
    assert db_path.exists() and shown
    db = open_db(db_path)
    docs = list_document_summaries(db)
    assert [d.source for d in docs] == ["Loupe sample"]
    db.close()

    asked, _ = _run(monkeypatch, tmp_path, ("ignored", True))
    assert asked == []  # asked once only
    db = open_db(db_path)
    assert len(list_document_summaries(db)) == 1  # the sample is not added twice
    db.close()


def test_cancelled_name_falls_back_to_os_user(qapp, monkeypatch, tmp_path):
    _run(monkeypatch, tmp_path, ("", False))
    settings = json.loads((tmp_path / "config" / "Loupe" / "settings.json").read_text())
    assert settings["annotator"]
