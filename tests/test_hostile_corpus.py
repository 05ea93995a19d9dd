"""Every file of the hostile corpus (tests/hostile/corpus.py), imported both ways the analyst can:
through the window's importer (store → match → plan → one undoable apply) and through
`loupe import`. A refusal must be one clear line naming the file, the record and the problem
(never a traceback), and the project must be byte-for-byte and dump-for-dump what it was. The
files that must import (formula-like text among them) must arrive verbatim in the layer, and leave
the project's CSV export neutralised."""

from __future__ import annotations

import csv
import functools
import importlib
import io
import re
import tempfile
import unicodedata
from pathlib import Path

import pytest

import main
from app.articles import read_article
from app.formats.csv_export import COLUMNS, neutralise
from app.review import accept_theirs, review_items
from app.store import Store
from db.connection import open_db
from tests.db_helpers import project_state
from tests.hostile import corpus

CASES = corpus.cases()


@functools.cache
def _template() -> bytes:
    """Our project: the sample article, added the way the window adds it; closed, no -wal."""
    with tempfile.TemporaryDirectory(prefix="loupe-hostile-") as folder:
        path = Path(folder) / "project.loupe"
        db = open_db(path)
        try:
            Store(db).add_documents([read_article(corpus.SAMPLE)])
        finally:
            db.close()
        assert [p.name for p in Path(folder).iterdir()] == ["project.loupe"]
        return path.read_bytes()


def _project(folder: Path) -> Path:
    folder.mkdir()
    path = folder / "project.loupe"
    path.write_bytes(_template())
    return path


_state = project_state


def _check_message(case: corpus.Case, message: str, prefix: str = "") -> None:
    assert "Traceback" not in message, message
    assert message.count("\n") == 0, message
    hidden = [c for c in message if unicodedata.category(c) in ("Cc", "Cf", "Cs")]
    assert not hidden, f"control or direction characters {hidden} in: {message}"
    assert message.startswith(f"{prefix}{case.named_file}"), message  # the file, first
    assert re.search(case.expect, message), f"expected /{case.expect}/ in: {message}"
    if case.record:
        assert re.search(case.record, message), f"expected record /{case.record}/ in: {message}"


def _import_in_window(project: Path, source: Path, monkeypatch):
    """What File ▸ Review colleague's file… does, with the analyst saying yes to every question:
    (the `failed` message or None, the store, the parent widget)."""
    from PySide6.QtGui import QUndoStack
    from PySide6.QtWidgets import QWidget

    from widgets import colleague_import

    monkeypatch.setattr(colleague_import, "ask_layer_name", lambda parent, default: default)
    monkeypatch.setattr(colleague_import, "confirm_match", lambda *args: True)
    db = open_db(project)
    store, parent = Store(db), QWidget()
    importer = colleague_import.ColleagueImporter(store, QUndoStack(parent), parent)
    failures: list[str] = []
    importer.failed.connect(failures.append)
    try:
        plan = importer.import_path(str(source))
    except BaseException:
        db.close()
        raise
    assert (plan is None) == bool(failures), failures
    return (failures[0] if failures else None), store, parent


def _stored_verbatim(case: corpus.Case, annotations: list) -> object:
    """The imported annotation holding every (field, value) of `case.stored`, exactly."""
    wanted = dict(case.stored)
    found = [a for a in annotations if all(getattr(a, k) == v for k, v in wanted.items())]
    assert found, f"no imported annotation has {wanted}: {annotations}"
    return found[0]


def _csv_export_neutralises(store: Store, theirs, folder: Path) -> None:
    """Accept their tag into the analyst's own, export the project's CSV: formula-like cells
    come out behind an apostrophe, and nothing else in the row changed."""
    layer = theirs.layer
    items = review_items(store.annotations(theirs.document_id),
                         store.layer_annotations(layer, theirs.document_id), {})  # fmt: skip
    item = next(it for it in items if it.theirs is not None and it.theirs.id == theirs.id)
    change = accept_theirs(item, {a.id for a in store.annotations(theirs.document_id)})
    store.decide(layer, [(i, new) for i, new, _ in change.theirs], [], change.add, change.remove)
    out = folder / "export.csv"
    store.export_csv(str(out))
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"), newline="")))
    (row,) = [r for r in rows if r["quote"] == theirs.quote]
    assert list(rows[0]) == list(COLUMNS)
    for column in ("entity", "note"):
        assert row[column] == neutralise(getattr(theirs, column)), (column, row[column])


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_file(case, tmp_path, qapp, monkeypatch, capsys):
    source = case.make(tmp_path / "from-colleague")
    for module, attribute, value in case.limits:
        monkeypatch.setattr(importlib.import_module(module), attribute, value)
    window_project = _project(tmp_path / "window")
    cli_project = _project(tmp_path / "cli") if case.expect is None else window_project
    before = _state(window_project)

    message, store, parent = _import_in_window(window_project, source, monkeypatch)
    try:
        if case.expect is None:
            assert message is None, message
            (layer,) = store.layers()
            theirs = _stored_verbatim(case, store.layer_annotations(layer.name))
            if case.stored and any(k in ("entity", "note") for k, _ in case.stored):
                _csv_export_neutralises(store, theirs, tmp_path)
        else:
            assert message is not None, "the file was imported"
            _check_message(case, message)
    finally:
        store.db.close()
        parent.deleteLater()
    if case.expect is not None:
        assert _state(window_project) == before, "the window's import changed the project"

    capsys.readouterr()
    # --yes: the CLI's answer to "is this the same article?", as confirm_match above
    status = main.main(["import", str(source), "--yes", "--db", str(cli_project)])
    out, err = capsys.readouterr()
    if case.expect is None:
        assert status == 0, err
        assert re.match(r"\d+ annotations from .*: \d+ anchored, ", out), out
        db = open_db(cli_project)
        try:
            (layer,) = Store(db).layers()
            _stored_verbatim(case, Store(db).layer_annotations(layer.name))
        finally:
            db.close()
        return
    assert status in (1, 2), (status, out, err)
    assert out == ""
    assert err.endswith("\n") and err.count("\n") == 1, err
    _check_message(case, err.rstrip("\n"), prefix="loupe import: ")
    assert _state(cli_project) == before, "`loupe import` changed the project"


def test_corpus_covers_the_issue(tmp_path):
    """The bullets of the issue, each present (by name) in the corpus."""
    names = {c.name for c in CASES}
    wanted = [
        "w3c-empty", "w3c-truncated", "w3c-binary", "w3c-top-level-text", "w3c-invalid-utf8",
        "w3c-lone-surrogate", "w3c-nan", "w3c-infinity", "w3c-duplicate-key", "w3c-deep-nesting",
        "w3c-huge-integer", "w3c-over-size-limit", "w3c-missing-target", "w3c-start-as-text",
        "w3c-negative-offset", "w3c-reversed-offsets", "w3c-offsets-past-end",
        "w3c-quote-mismatch", "w3c-unknown-tag-type", "w3c-credibility-7", "w3c-duplicate-id",
        "w3c-newer-format", "w3c-rlo-tag-type", "w3c-rlo-entity", "w3c-rlo-creator",
        "w3c-formula-strings", "csv-wrong-header", "csv-short-row", "csv-duplicate-annotation-id",
        "brat-offsets-shifted", "doccano-nan", "doccano-duplicate-key", "doccano-deep-nesting",
        "labelstudio-nan", "labelstudio-duplicate-key", "labelstudio-deep-nesting",
        "db-garbled-middle", "db-truncated", "db-plain-sqlite", "db-trigger", "db-view",
        "db-newer-schema",
    ]  # fmt: skip
    assert not [n for n in wanted if n not in names]
    deep = next(c for c in CASES if c.name == "w3c-deep-nesting")
    assert deep.make(tmp_path).read_bytes().count(b"[") == corpus.DEEP
