"""The project file: how it is opened, migrated and refused (the bytes of a refused file stay
exactly as they were)."""

from __future__ import annotations

import hashlib
import itertools
import random
import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlite_utils.migrations import Migrations

from db import migrations
from db import repository as repo
from db.connection import DatabaseOpenError, open_db
from tests.db_helpers import fill

# ------------------------------------------------------------------ helpers

_copies = itertools.count()


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def dump(path: Path, tmp_dir: Path) -> list[str]:
    """The SQL dump of a file, read from a copy so that reading cannot touch the original."""
    copy = tmp_dir / f"copy-{next(_copies)}.db"
    shutil.copyfile(path, copy)
    conn = sqlite3.connect(copy)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def listing(folder: Path) -> dict[str, str]:
    return {p.name: sha256(p) for p in folder.iterdir() if p.is_file()}


def pragma(db, name: str):
    return db.execute(f"PRAGMA {name}").fetchone()[0]


def extended_plan(*extra) -> Migrations:
    """The real migrations followed by test ones, under the real set's name."""
    plan = Migrations(migrations.migrations.name)
    for step in migrations.migrations._migrations:
        plan(name=step.name)(step.fn)
    for fn in extra:
        plan()(fn)
    return plan


# ------------------------------------------------------------------ opening


def test_pragmas_on_a_project_file(tmp_path) -> None:
    db = open_db(tmp_path / "p.loupe")
    try:
        assert pragma(db, "journal_mode") == "wal"
        assert pragma(db, "foreign_keys") == 1
        assert pragma(db, "synchronous") == 2  # FULL
        assert pragma(db, "busy_timeout") > 0
        assert pragma(db, "secure_delete") == 1
        assert pragma(db, "application_id") == migrations.APPLICATION_ID
        assert pragma(db, "user_version") == len(migrations.migrations._migrations)
        assert pragma(db, "user_version") == migrations.schema_version()
        assert not db.conn.in_transaction  # nothing left uncommitted by opening
    finally:
        db.close()


def test_default_tag_types(db) -> None:
    tags = repo.list_tag_types(db)
    assert [(t.name, t.kind, t.shortcut) for t in tags] == [
        ("Actor", "entity", "1"),
        ("Location", "entity", "2"),
        ("Credibility", "credibility", "3"),
    ]
    assert len({t.color.lower() for t in tags}) == 3
    assert all(t.color.startswith("#") and len(t.color) == 7 for t in tags)


def test_reopening_shows_the_same_documents_and_annotations(tmp_path) -> None:
    path = tmp_path / "p.loupe"
    db = open_db(path)
    made = fill(db)
    before = (
        repo.list_document_summaries(db),
        [repo.get_document(db, d.id) for d in (made["d1"], made["d2"])],
        [repo.annotations_for_document(db, d.id) for d in (made["d1"], made["d2"])],
    )
    db.close()
    db = open_db(path)
    try:
        after = (
            repo.list_document_summaries(db),
            [repo.get_document(db, d.id) for d in (made["d1"], made["d2"])],
            [repo.annotations_for_document(db, d.id) for d in (made["d1"], made["d2"])],
        )
        assert after == before
        assert sum(len(a) for a in after[2]) == len(made["anns"])
        assert not list(tmp_path.glob("*.bak"))  # no migration, no backup
    finally:
        db.close()


def test_zero_byte_file_is_a_new_project(tmp_path) -> None:
    path = tmp_path / "empty.loupe"
    path.touch()
    db = open_db(path)
    try:
        assert pragma(db, "application_id") == migrations.APPLICATION_ID
        assert len(repo.list_tag_types(db)) == 3
    finally:
        db.close()


def test_a_folder_is_refused(tmp_path) -> None:
    with pytest.raises(DatabaseOpenError, match="folder"):
        open_db(tmp_path)


# ------------------------------------------------------------------ migrations


def m900_add_language(db) -> None:
    db.execute("ALTER TABLE documents ADD COLUMN language TEXT NOT NULL DEFAULT 'en'")
    db.execute("CREATE TABLE reviews (annotation_id TEXT REFERENCES annotations(id))")


def m901_fails_halfway(db) -> None:
    db.execute("CREATE TABLE half_done (x)")
    db.execute(
        "INSERT INTO documents (title, text, text_length, text_sha256, created_at)"
        " VALUES ('t','x',1,'h','')"
    )
    raise RuntimeError("migration m901 failed")


def test_migration_keeps_data_bumps_version_and_backs_up_first(tmp_path) -> None:
    path = tmp_path / "p.loupe"
    db = open_db(path)
    made = fill(db)
    anns_before = repo.annotations_for_document(db, made["d1"].id)
    db.close()
    v1_dump = dump(path, tmp_path)
    n = migrations.schema_version()

    db = open_db(path, plan=extended_plan(m900_add_language))
    try:
        assert pragma(db, "user_version") == n + 1
        assert repo.annotations_for_document(db, made["d1"].id) == anns_before
        assert repo.get_document(db, made["d2"].id) == made["d2"]
        assert db.execute("SELECT DISTINCT language FROM documents").fetchall() == [("en",)]
        assert "reviews" in db.table_names()
    finally:
        db.close()

    backup = tmp_path / f"p.loupe.v{n}.bak"
    assert backup.exists()
    assert dump(backup, tmp_path) == v1_dump
    copy = tmp_path / "backup-check.db"
    shutil.copyfile(backup, copy)
    conn = sqlite3.connect(copy)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("PRAGMA user_version").fetchone() == (n,)
    finally:
        conn.close()

    # Opening the migrated file with the same plan migrates nothing more.
    db = open_db(path, plan=extended_plan(m900_add_language))
    db.close()
    assert sorted(p.name for p in tmp_path.glob("*.bak")) == [f"p.loupe.v{n}.bak"]


def test_failing_migration_rolls_back_and_closes_the_file(tmp_path) -> None:
    path = tmp_path / "p.loupe"
    db = open_db(path)
    fill(db)
    db.close()
    before = dump(path, tmp_path)

    with pytest.raises(RuntimeError, match="m901"):
        open_db(path, plan=extended_plan(m901_fails_halfway))

    assert dump(path, tmp_path) == before  # schema, data, user_version (PRAGMA) unchanged
    assert not (tmp_path / "p.loupe-wal").exists(), "the failed open left the file open"
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro&immutable=1", uri=True)
    try:
        assert conn.execute("PRAGMA user_version").fetchone() == (migrations.schema_version(),)
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        assert "half_done" not in names
        applied = [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations")]
        assert applied == [m.name for m in migrations.migrations._migrations]
    finally:
        conn.close()
    db = open_db(path)  # still a good project for this Loupe
    db.close()


# ------------------------------------------------------------------ refusals, untouched


def assert_refused_untouched(path: Path, scratch: Path, match: str, sqlite: bool = True) -> None:
    """Refused with a message naming the file; its bytes, its dump and its folder all unchanged."""
    folder = path.parent
    assert scratch != folder
    files, digest = listing(folder), sha256(path)
    before = dump(path, scratch) if sqlite else None
    with pytest.raises(DatabaseOpenError) as info:
        open_db(path)
    message = str(info.value)
    assert str(path) in message and match in message
    assert "not changed" in message
    assert sha256(path) == digest
    assert listing(folder) == files, "opening left files behind (-wal, -shm, backup …)"
    if sqlite:
        assert dump(path, scratch) == before


def test_a_newer_database_is_refused_untouched(tmp_path) -> None:
    folder = tmp_path / "projects"
    folder.mkdir()
    path = folder / "p.loupe"
    db = open_db(path)
    fill(db)
    db.close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    assert_refused_untouched(path, tmp_path, "newer")
    with pytest.raises(DatabaseOpenError, match=rf"99.*up to {migrations.schema_version()}"):
        open_db(path)


def test_a_newer_database_held_open_elsewhere_is_refused(tmp_path) -> None:
    """Another program has it open in WAL mode: the new version is only in the -wal file."""
    path = tmp_path / "p.loupe"
    open_db(path).close()
    holder = sqlite3.connect(path)
    try:
        holder.execute("PRAGMA user_version = 7")
        holder.execute("SELECT 1").fetchall()
        assert (tmp_path / "p.loupe-wal").exists()
        with pytest.raises(DatabaseOpenError, match="newer"):
            open_db(path)
        assert holder.execute("PRAGMA user_version").fetchone() == (7,)
    finally:
        holder.close()


@pytest.mark.parametrize("journal_mode", ["delete", "wal"])
def test_another_programs_sqlite_file_is_refused_untouched(tmp_path, journal_mode: str) -> None:
    folder = tmp_path / "other"
    folder.mkdir()
    path = folder / "places.sqlite"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA journal_mode = {journal_mode}")
    conn.execute("CREATE TABLE bookmarks (url TEXT)")
    conn.execute("INSERT INTO bookmarks VALUES ('https://example.org')")
    conn.commit()
    conn.close()
    assert_refused_untouched(path, tmp_path, "not a Loupe project")


@pytest.mark.parametrize(
    "data", [random.Random(7).randbytes(8192), b"hello, this is a note\n"], ids=["random", "text"]
)
def test_a_file_that_is_not_sqlite_is_refused_untouched(tmp_path, data: bytes) -> None:
    folder = tmp_path / "other"
    folder.mkdir()
    path = folder / "notes.loupe"
    path.write_bytes(data)
    assert_refused_untouched(path, tmp_path, "not a Loupe project", sqlite=False)


def test_a_first_version_project_migrates_to_the_current_schema(tmp_path) -> None:
    """A real upgrade path: a project written by the first schema (the committed v1 fixture; the
    current repository code no longer writes that schema's rows) gains every later table, keeps
    every row, and leaves a verified backup of the old file first."""
    import shutil
    import sqlite3

    from tests.reliability.make_schema_fixtures import fixture_path

    path = tmp_path / "old.loupe"
    shutil.copyfile(fixture_path(1), path)
    with sqlite3.connect(path) as conn:
        quotes = conn.execute("SELECT id, quote FROM annotations ORDER BY id").fetchall()
    old_dump = dump(path, tmp_path)

    db = open_db(path)
    try:
        assert pragma(db, "user_version") == migrations.schema_version()
        assert {"layer_annotations", "documents_fts"} <= set(db.table_names())
        assert db.execute("SELECT id, quote FROM annotations ORDER BY id").fetchall() == quotes
    finally:
        db.close()
    assert dump(tmp_path / "old.loupe.v1.bak", tmp_path) == old_dump


def first_versions(n: int):
    """A plan holding only the first `n` real migrations: a project as an older Loupe wrote it."""
    from sqlite_utils.migrations import Migrations

    plan = Migrations("loupe")
    for step in migrations.migrations._migrations[:n]:
        plan(name=step.name)(step.fn)
    return plan
