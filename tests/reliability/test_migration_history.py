"""Upgrading a project written by any released Loupe: nothing lost, a verified backup first, and a
file this Loupe must not touch left byte for byte as it was.

The projects are the committed fixtures tests/data/schemas/v{k}.loupe (make_schema_fixtures.py),
one per released schema; every one older than the code's schema is upgraded, so a new migration is
tested against every past release without a new test.
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from collections import Counter
from pathlib import Path

import pytest

from db import connection, migrations
from db import repository as repo
from db.connection import DatabaseOpenError, open_db
from tests.reliability.make_schema_fixtures import FIXTURES, fixture_path

CURRENT = migrations.schema_version()
FIXTURE_VERSIONS = sorted(int(p.stem[1:]) for p in FIXTURES.glob("v*.loupe"))
OLDER = [v for v in FIXTURE_VERSIONS if v < CURRENT]

# How a migration moved data, for the row comparison: tables and columns renamed by the step that
# made this version (none so far), and tables a migration may add rows to.
RENAMED_TABLES: dict[str, str] = {}
RENAMED_COLUMNS: dict[tuple[str, str], str] = {}  # (new table, old column) → new column
GROWING_TABLES = {"_sqlite_migrations"}


# ------------------------------------------------------------------ helpers


def read_only(path: Path) -> sqlite3.Connection:
    """Reads a closed project without creating anything beside it."""
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)


def all_rows(conn: sqlite3.Connection) -> dict[str, tuple[list[str], list[tuple]]]:
    """Every table's column names and rows."""
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    found = {}
    for table in tables:
        cursor = conn.execute(f'SELECT * FROM "{table}"')
        found[table] = ([d[0] for d in cursor.description], cursor.fetchall())
    return found


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def files_in(folder: Path) -> dict[str, str]:
    return {p.name: sha256(p) if p.is_file() else "folder" for p in folder.iterdir()}


def project_copy(version: int, folder: Path) -> Path:
    path = folder / "project.loupe"
    shutil.copyfile(fixture_path(version), path)
    return path


def dump(path: Path) -> list[str]:
    conn = read_only(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def assert_every_row_kept(before: dict, after: dict) -> None:
    """Each table of the old file is there with each of its rows, values unchanged, mapped through
    renames; only GROWING_TABLES may hold more rows than before."""
    for table, (columns, rows) in before.items():
        new_table = RENAMED_TABLES.get(table, table)
        assert new_table in after, f"table {table} is gone"
        new_columns, new_rows = after[new_table]
        picked = [new_columns.index(RENAMED_COLUMNS.get((new_table, c), c)) for c in columns]
        kept = Counter(tuple(row[i] for i in picked) for row in new_rows)
        old = Counter(rows)
        if table in GROWING_TABLES:
            assert not old - kept, f"{table} lost {old - kept}"
        else:
            assert kept == old, f"{table}: lost {old - kept}, gained {kept - old}"


def assert_aliases_derived_from_quotes(conn: sqlite3.Connection) -> None:
    """m004: each quote tagged as an entity under another name became one of its aliases."""
    derived = set(
        conn.execute(
            "SELECT DISTINCT a.entity_id, a.quote FROM annotations a"
            " JOIN entities e ON e.id = a.entity_id WHERE a.quote != e.name"
        )
    )
    assert derived, "the fixture should have quotes that differ from their entity's name"
    assert set(conn.execute("SELECT entity_id, alias FROM entity_aliases")) == derived


DERIVED_BY_MIGRATION = {4: assert_aliases_derived_from_quotes}


# ------------------------------------------------------------------ the fixtures


def test_every_schema_released_before_this_one_has_a_fixture():
    """The fixture of a version is due when the next migration is added, while the migration
    that made it is still as released (`python -m tests.reliability.make_schema_fixtures`)."""
    assert set(range(1, CURRENT)) <= set(FIXTURE_VERSIONS)
    assert max(FIXTURE_VERSIONS) <= CURRENT


@pytest.mark.parametrize("version", FIXTURE_VERSIONS)
def test_each_fixture_is_a_closed_loupe_project_of_its_version(version):
    path = fixture_path(version)
    assert not path.with_name(path.name + "-wal").exists()
    conn = read_only(path)
    try:
        assert conn.execute("PRAGMA user_version").fetchone() == (version,)
        assert conn.execute("PRAGMA application_id").fetchone() == (migrations.APPLICATION_ID,)
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        empty = [t for t, (_, rows) in all_rows(conn).items() if not rows]
        assert not empty, f"tables without a row test nothing: {empty}"
    finally:
        conn.close()


# ------------------------------------------------------------------ upgrading


@pytest.mark.parametrize("version", OLDER)
def test_an_old_project_opens_upgraded_with_every_row_kept(version, tmp_path):
    path = project_copy(version, tmp_path)
    conn = read_only(path)
    before = all_rows(conn)
    conn.close()

    db = open_db(path)
    try:
        assert db.execute("PRAGMA user_version").fetchone() == (CURRENT,)
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        after = all_rows(db.conn)
        columns, records = after["_sqlite_migrations"]
        applied = [record[columns.index("name")] for record in records]
        assert applied == [step.name for step in migrations.migrations._migrations]
        assert_every_row_kept(before, after)
        for step, check in DERIVED_BY_MIGRATION.items():
            if version < step <= CURRENT:
                check(db.conn)
        # The app reads it: every quote is still its slice of the article.
        for summary in repo.list_document_summaries(db):
            document = repo.get_document(db, summary.id)
            for ann in repo.annotations_for_document(db, summary.id):
                assert ann.quote == document.text[ann.start : ann.end]
    finally:
        db.close()

    upgraded = dump(path)
    db = open_db(path)  # reopening upgrades nothing more and backs up nothing more
    db.close()
    assert dump(path) == upgraded
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "project.loupe",
        f"project.loupe.v{version}.bak",
    ]


@pytest.mark.parametrize("version", OLDER)
def test_the_backup_is_the_old_project_whole_and_checked(version, tmp_path):
    path = project_copy(version, tmp_path)
    old = dump(path)
    open_db(path).close()
    backup = tmp_path / f"project.loupe.v{version}.bak"
    assert dump(backup) == old
    conn = read_only(backup)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("PRAGMA user_version").fetchone() == (version,)
    finally:
        conn.close()


def _damaged_copy(source: sqlite3.Connection, path: Path) -> None:
    """The copy reaches the disk damaged (a failing disk, a full one that truncated it)."""
    real_copy(source, path)
    data = bytearray(path.read_bytes())
    data[4096 * 2 : 4096 * 6] = b"\xa5" * (4096 * 4)  # pages 3–6: tables and indexes
    path.write_bytes(bytes(data))


def _copy_missing_rows(source: sqlite3.Connection, path: Path) -> None:
    """A whole, valid file that lacks rows: only the row counts can tell."""
    real_copy(source, path)
    conn = sqlite3.connect(path)
    conn.execute("DELETE FROM annotations WHERE rowid IN (SELECT rowid FROM annotations LIMIT 2)")
    conn.commit()
    conn.close()


real_copy = connection._copy


@pytest.mark.parametrize("fault", ["damaged copy", "rows missing", "backup name taken"])
def test_without_a_verified_backup_the_upgrade_is_refused_and_nothing_changes(
    fault, tmp_path, monkeypatch
):
    version = OLDER[0]
    path = project_copy(version, tmp_path)
    backup = tmp_path / f"project.loupe.v{version}.bak"
    if fault == "damaged copy":
        monkeypatch.setattr(connection, "_copy", _damaged_copy)
    elif fault == "rows missing":
        monkeypatch.setattr(connection, "_copy", _copy_missing_rows)
    else:
        backup.mkdir()  # a folder of that name: the checked copy cannot be put in its place
    before, digest = files_in(tmp_path), sha256(path)

    with pytest.raises(DatabaseOpenError) as refused:
        open_db(path)
    message = str(refused.value)
    assert str(path) in message and "verified backup" in message and "not changed" in message
    assert sha256(path) == digest
    assert files_in(tmp_path) == before, "a refused upgrade left files (-wal, .part, .bak …)"

    monkeypatch.undo()
    if backup.is_dir():
        backup.rmdir()
    open_db(path).close()  # once the fault clears, the upgrade goes ahead
    for upgraded, expected in ((path, CURRENT), (backup, version)):
        conn = read_only(upgraded)
        assert conn.execute("PRAGMA user_version").fetchone() == (expected,)
        conn.close()


# ------------------------------------------------------------------ refusals


def test_a_project_from_a_newer_loupe_is_refused_byte_identical(tmp_path):
    path = project_copy(max(FIXTURE_VERSIONS), tmp_path)
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {CURRENT + 1}")
    conn.close()
    before, digest = files_in(tmp_path), sha256(path)
    with pytest.raises(DatabaseOpenError, match=rf"newer Loupe .*version {CURRENT + 1}"):
        open_db(path)
    assert sha256(path) == digest
    assert files_in(tmp_path) == before, "the refusal left -wal, -shm or a backup behind"


def test_another_programs_database_shaped_like_a_project_is_refused_byte_identical(tmp_path):
    path = project_copy(min(FIXTURE_VERSIONS), tmp_path)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA application_id = 1179210309")  # 'FIRE': not Loupe's mark
    conn.close()
    before, digest = files_in(tmp_path), sha256(path)
    with pytest.raises(DatabaseOpenError, match="not a Loupe project"):
        open_db(path)
    assert sha256(path) == digest
    assert files_in(tmp_path) == before
