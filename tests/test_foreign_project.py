"""Reading a colleague's Loupe project (db/foreign.py): everything it holds comes back exactly, and
every bad file is refused with a message naming it, with the file byte-identical afterwards.
Altered schemas and rows: tests/test_foreign_project_schema.py."""

from __future__ import annotations

import os
import random
import sqlite3
import tempfile

import pytest

import db.foreign as foreign
import db.foreign_rows as foreign_rows
from app.model import Grade
from db import repository
from db.connection import open_db
from db.foreign import read_project
from db.migrations import DEFAULT_TAG_TYPES
from tests.foreign_helpers import ARABIC, alter, build, fingerprint, refused


def test_everything_comes_back_and_the_file_is_untouched(tmp_path):
    path, (doc, also), made = build(tmp_path)
    before = fingerprint(path)
    project = read_project(path)
    assert fingerprint(path) == before  # same bytes; no -wal, -shm or -journal beside it

    assert project.creator == "k.ng"
    first, second = project.documents
    assert (first.key, first.title, first.source, first.url) == (
        str(doc.id), "حمص", "وكالة 🐈", "https://example.org/a"
    )  # fmt: skip
    assert (first.text, first.text_sha256) == (ARABIC, doc.text_sha256)
    assert first.published == "2025-03-01"
    assert (second.key, second.text, second.source, second.published) == (
        str(also.id), also.text, "Wire", ""
    )  # fmt: skip

    kinds = {i + 1: (name, kind) for i, (name, kind, _, _) in enumerate(DEFAULT_TAG_TYPES)}
    by_id = {a.id: a for a in project.annotations}
    assert set(by_id) == {a.id for a in made}
    for a in made:
        got = by_id[a.id]
        assert got.document_key == str(a.document_id)
        assert (got.start, got.end, got.quote, got.prefix, got.suffix) == (
            a.start, a.end, a.quote, a.prefix, a.suffix
        )  # fmt: skip
        assert (got.tag_type, got.tag_kind) == kinds[a.tag_type_id]
        assert (got.entity, got.grade, got.note, got.annotator) == (
            a.entity, a.grade, a.note, a.annotator
        )  # fmt: skip
        assert (got.created_at, got.updated_at) == (a.created_at, a.updated_at)
    flag = by_id[made[1].id]
    assert flag.quote == "🇸🇾 صباح" and flag.grade == Grade(2, "B")  # code points, not UTF-16
    assert ARABIC[flag.start : flag.end] == flag.quote and flag.note == "مصدر واحد 🐈 only"
    assert by_id[made[2].id].entity == "أبو محمد الجولاني"
    # ordered by document, then offset
    keys = [(int(a.document_key), a.start) for a in project.annotations]
    assert keys == sorted(keys)
    from app.formats.loupe_project import to_foreign

    carried = to_foreign(project, path.name).documents  # what an import can add as articles
    assert [(d.source, d.published) for d in carried] == [("وكالة 🐈", "2025-03-01"), ("Wire", "")]


def test_creator_is_empty_when_several_annotators(tmp_path):
    path, _, _ = build(tmp_path, annotators=("k.ng", "r.haddad"))
    project = read_project(path)
    assert project.creator == "" and {a.annotator for a in project.annotations} == {
        "k.ng", "r.haddad"
    }  # fmt: skip


def test_an_older_loupe_project_is_read(tmp_path):
    path, _, made = build(tmp_path)
    alter(path, "PRAGMA user_version = 1")
    assert len(read_project(path).annotations) == len(made)


def test_the_private_copy_is_removed(tmp_path, monkeypatch):
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    (tmp_path / "in").mkdir()
    path, _, _ = build(tmp_path / "in", name="p.db")
    opened = []
    real = foreign._open_readonly
    monkeypatch.setattr(foreign, "_open_readonly", lambda copy: opened.append(copy) or real(copy))
    read_project(path)
    assert opened[0].parent.parent == scratch and opened[0].name == "project.db"
    (path.parent / "bad.db").write_bytes(b"not a database at all" * 10)
    refused(path.parent / "bad.db", "not an SQLite database")
    assert list(scratch.iterdir()) == []


# ---------------------------------------------------------------- the file itself


def test_random_bytes(tmp_path):
    path = tmp_path / "noise.db"
    path.write_bytes(random.Random(7).randbytes(10_000))
    refused(path, "noise.db: the file is not an SQLite database")


def test_empty_file(tmp_path):
    path = tmp_path / "empty.loupe"
    path.write_bytes(b"")
    refused(path, "empty.loupe: the file is empty")


def test_truncated_project(tmp_path):
    path, _, _ = build(tmp_path)
    data = path.read_bytes()
    page = int.from_bytes(data[16:18], "big")
    path.write_bytes(data[: 2 * page])
    refused(path, "colleague.db: the file is cut short", "Ask for it again")


def test_damaged_page(tmp_path):
    path, _, _ = build(tmp_path)
    conn = sqlite3.connect(path)
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'annotations'").fetchone()
    page = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    with path.open("r+b") as f:
        f.seek((root[0] - 1) * page)
        f.write(b"\x0d\xff\xff\xff" * (page // 4))
    refused(path, "colleague.db: the file is damaged", "SQLite says")


def test_plain_sqlite_file(tmp_path):
    path = tmp_path / "other.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
    conn.commit()
    conn.close()
    refused(path, "other.sqlite: the file is an SQLite database, but not a Loupe project")


def test_application_id_changed(tmp_path):
    path, _, _ = build(tmp_path)
    alter(path, "PRAGMA application_id = 1234")
    refused(path, "not a Loupe project")


def test_newer_loupe(tmp_path):
    path, _, _ = build(tmp_path)
    alter(path, "PRAGMA user_version = 99")
    refused(path, "written by a newer Loupe (schema version 99", "Update Loupe")


def test_no_schema_version(tmp_path):
    path, _, _ = build(tmp_path)
    alter(path, "PRAGMA user_version = 0")
    refused(path, "holds no Loupe schema")


@pytest.mark.parametrize("sidecar", ["-wal", "-journal"])
def test_open_elsewhere_or_not_closed(tmp_path, sidecar):
    path, _, _ = build(tmp_path)
    (tmp_path / f"colleague.db{sidecar}").write_bytes(b"pending changes")
    refused(path, f"“colleague.db{sidecar}” file lies beside it", "Close it in Loupe")
    assert (tmp_path / f"colleague.db{sidecar}").read_bytes() == b"pending changes"


def test_a_project_open_in_loupe_is_refused_through_the_facade(tmp_path):
    path, _, _ = build(tmp_path)
    ours = open_db(path)  # WAL: its -wal lies beside it while it is open
    try:
        with pytest.raises(repository.ForeignProjectError, match="lies beside it"):
            repository.read_project(path)
    finally:
        ours.close()
    assert len(repository.read_project(path).documents) == 2


def test_folder_missing_and_oversized(tmp_path, monkeypatch):
    refused(tmp_path, "this is a folder")
    with pytest.raises(foreign.ForeignProjectError, match="gone.db: cannot be read"):
        read_project(tmp_path / "gone.db")
    path, _, _ = build(tmp_path)
    monkeypatch.setattr(foreign, "MAX_PROJECT_BYTES", 4096)
    refused(path, "over the 0 MiB limit")


def test_too_many_annotations(tmp_path, monkeypatch):
    path, _, _ = build(tmp_path)
    monkeypatch.setattr(foreign_rows, "MAX_ANNOTATIONS", 4)
    refused(path, "the file has 5 annotations, over the 4 Loupe imports at once")


def test_changed_while_read(tmp_path, monkeypatch):
    path, _, _ = build(tmp_path)
    real, calls = foreign._snapshot, []

    def snapshot(p, name):
        result = real(p, name)
        calls.append(result)
        if len(calls) == 1:  # the colleague's Loupe writes while we copy
            with p.open("ab") as f:
                f.write(os.urandom(4096))
        return result

    monkeypatch.setattr(foreign, "_snapshot", snapshot)
    with pytest.raises(foreign.ForeignProjectError, match="changed while it was being read"):
        read_project(path)
