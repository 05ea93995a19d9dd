"""Opening a project database: identify it before touching it, then pragmas, backup, migrations.

Order matters. Setting WAL or running a migration writes to the file, so a file that is not
Loupe's, or that a newer Loupe wrote, is recognised from read-only checks first and refused with
its bytes unchanged.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlite_utils import Database

from db import migrations
from db.search import optimize_full_text_index

BUSY_TIMEOUT_MS = 5000


class DatabaseOpenError(Exception):
    """A database Loupe will not open. The message is for people; the file was left untouched."""


_PLAIN_ERRORS = (  # SQLite's words → what the analyst can do about it
    ("database is locked", "another Loupe window or a loupe command kept this project busy for "
     f"more than {BUSY_TIMEOUT_MS // 1000} seconds; try again in a moment"),
    ("database table is locked", "another Loupe window or a loupe command kept this project busy; "
     "try again in a moment"),
    ("database or disk is full", "the disk is full; free some space, then try again"),
    ("disk I/O error", "the disk reported an error while reading or saving the project; check "
     "the drive (or the network share it is on), then try again"),
    ("readonly database", "the project file may not be written (a read-only file, folder or "
     "drive); check its permissions, then try again"),
)  # fmt: skip
_PYSIDE_PREFIX = re.compile(r"^(?:Error calling Python override of \S+\(\): )+")


def explain(exc: BaseException) -> str:
    """A database error as the analyst should read it: what happened in plain words and what to
    do, without SQLite's jargon or PySide's "Error calling Python override of …" wrapping.
    Another error keeps its own text."""
    text = _PYSIDE_PREFIX.sub("", str(exc))
    return next((plain for words, plain in _PLAIN_ERRORS if words in text), text)


@contextmanager
def write_transaction(db: Database) -> Iterator[Database]:
    """One user action's writes: all committed together or none. Every writer (the Store, the
    CLI) opens its transaction here.

    `BEGIN IMMEDIATE`, not sqlite-utils' plain (deferred) `BEGIN`: a deferred transaction that
    reads before its first write holds a snapshot, and once another process (a second window, a
    `loupe import`) has committed since, SQLite refuses the upgrade to a writer at once with
    "database is locked" (SQLITE_BUSY_SNAPSHOT in WAL mode: waiting would not help, so the busy
    timeout never applies). Taking the write lock first waits, up to BUSY_TIMEOUT_MS, for the
    other writer to finish, and then reads the latest state. Inside an open transaction this is
    a savepoint of it, as `db.atomic()` would make."""
    if db.conn.in_transaction:
        with db.atomic():
            yield db
        return
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        db.rollback()  # a no-op when SQLite rolled back already (I/O error, full disk)
        raise
    try:
        db.conn.execute("COMMIT")
    except BaseException:
        db.rollback()
        raise


def open_db(path: str | Path | None, *, plan: migrations.Migrations | None = None) -> Database:
    """Open (creating if needed) a Loupe project; None gives an in-memory project for tests."""
    plan = plan or migrations.migrations
    known = len(plan._migrations)
    if path is None:
        conn = sqlite3.connect(":memory:")
    else:
        path = Path(path)
        if path.is_dir():
            raise DatabaseOpenError(f"{path} is a folder, not a Loupe project file.")
        _check_readonly(path, known)
        try:
            conn = sqlite3.connect(str(path))
        except sqlite3.Error as exc:  # its folder is missing or not writable
            raise DatabaseOpenError(
                f"{path} cannot be opened ({exc}). Check that its folder exists and that you "
                "may write there, then try again."
            ) from exc
    db = Database(conn)
    try:
        db.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        db.conn.execute("PRAGMA foreign_keys = ON")
        db.conn.execute("PRAGMA secure_delete = ON")
        if path is not None:
            db.enable_wal()
        db.conn.execute("PRAGMA synchronous = FULL")
        version = db.conn.execute("PRAGMA user_version").fetchone()[0]
        if path is not None and 0 < version < known:
            _backup(db, path, path.with_name(f"{path.name}.v{version}.bak"))
        if version < known:
            migrations.apply(db, plan)  # marks the file as Loupe's in the same transaction
    except BaseException:
        db.close()  # a failed migration must not leave the project file open (and its -wal behind)
        raise
    return db


def _check_readonly(path: Path, known: int) -> None:
    if not path.exists() or path.stat().st_size == 0:
        return
    # With no -wal or -journal beside it, the file is closed and whole: read it as immutable, so
    # the probe creates no -wal/-shm next to a file it may refuse. Otherwise share it read-only.
    quiet = not any(path.with_name(path.name + s).exists() for s in ("-wal", "-journal"))
    uri = f"{path.resolve().as_uri()}?mode=ro" + ("&immutable=1" if quiet else "")
    try:
        probe = sqlite3.connect(uri, uri=True)
    except sqlite3.Error as exc:
        raise DatabaseOpenError(f"{path} cannot be opened: {exc}.") from exc
    try:
        app_id = probe.execute("PRAGMA application_id").fetchone()[0]
        version = probe.execute("PRAGMA user_version").fetchone()[0]
        tables = probe.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise DatabaseOpenError(
            f"{path} is not a Loupe project (SQLite says: {exc}). The file was not changed."
        ) from exc
    finally:
        probe.close()
    if app_id != migrations.APPLICATION_ID and (tables or version):
        raise DatabaseOpenError(
            f"{path} is an SQLite database, but not a Loupe project. The file was not changed."
        )
    if version > known:
        raise DatabaseOpenError(
            f"{path} was written by a newer Loupe (schema version {version}; this Loupe "
            f"understands up to {known}). Update Loupe to open it. The file was not changed."
        )


def _backup(db: Database, project: Path, target: Path) -> None:
    """A full copy before a schema change, through SQLite's backup API (consistent even in WAL).

    A backup nobody checked is a hope, not a backup: the copy is written under a temporary name and
    renamed to `target` only once it passes `PRAGMA integrity_check` and holds the same tables,
    row counts and schema version as the project, counted in the read transaction the copy was
    taken in. Otherwise the upgrade is refused: so far the project was only read, and it stays as
    it was, readable by the Loupe that wrote it.
    """
    partial = target.with_name(target.name + ".part")
    try:
        db.conn.execute("BEGIN")  # one snapshot for the counts and the copy
        try:
            expected = _inventory(db.conn)
            _copy(db.conn, partial)
        finally:
            db.conn.execute("COMMIT")  # ends the read transaction; nothing was written
        check = sqlite3.connect(str(partial))
        try:
            verdict = [row[0] for row in check.execute("PRAGMA integrity_check")]
            found = _inventory(check) if verdict == ["ok"] else None
        finally:
            check.close()
        if found != expected:
            problem = "; ".join(verdict[:3]) if found is None else "rows differ from the project"
            raise sqlite3.DatabaseError(f"the copy failed its check: {problem}")
        os.replace(partial, target)
    except (sqlite3.Error, OSError) as exc:
        for debris in ("", "-journal", "-wal", "-shm"):
            with contextlib.suppress(OSError):  # the refusal below says what went wrong
                partial.with_name(partial.name + debris).unlink(missing_ok=True)
        raise DatabaseOpenError(
            f"{project} needs its format upgraded for this Loupe, but a verified backup "
            f"({target.name}) could not be made first: {exc}. The project was not changed; make "
            "room on the disk or check the folder, then open it again."
        ) from exc


# Closing a changed project up to this size rewrites it (VACUUM, about 1 s per 60 MB here).
VACUUM_LIMIT_BYTES = 128 * 1024 * 1024


def close_db(db: Database) -> None:
    """Close a project so that what was deleted in it is gone from its files.

    `secure_delete` zeroes a deleted row where it lies, but two kinds of copy escape it: the WAL
    keeps the older versions of changed pages until it is folded into the file and truncated
    (SQLite does that by itself only when the last connection closes, so not while another window
    or a `loupe` command has the project open), and when SQLite rebalances a page it moves rows
    without clearing where they were, so a row deleted later can survive in the page's unused
    space (tests/reliability/test_secure_delete.py found both). A changed project is therefore
    rebuilt with VACUUM (in memory, so no temporary file holds it) and the WAL truncated. Above
    VACUUM_LIMIT_BYTES the rebuild would make closing slow, and only the checkpoint runs (the
    limit is documented in docs/reliability.md). If another program is mid-read, neither can
    finish: they are not waited for long, and the WAL is emptied when the last one closes."""
    try:
        db.conn.execute("PRAGMA busy_timeout = 1000")
        pages, page_size = (db.conn.execute(f"PRAGMA {p}").fetchone()[0]
                            for p in ("page_count", "page_size"))  # fmt: skip
        if db.conn.total_changes and pages * page_size <= VACUUM_LIMIT_BYTES:
            with contextlib.suppress(sqlite3.Error):  # busy: left for the next close
                optimize_full_text_index(db)  # a deleted document's words leave the index
            with contextlib.suppress(sqlite3.Error):  # busy, or a read still open: checkpoint
                db.conn.execute("PRAGMA temp_store = MEMORY")
                db.conn.execute("VACUUM")
        db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except sqlite3.Error:
        pass  # closing must close; the next close tries again
    finally:
        db.close()


def _copy(source: sqlite3.Connection, path: Path) -> None:
    dest = sqlite3.connect(str(path))
    try:
        source.backup(dest)
    finally:
        dest.close()


def _inventory(conn: sqlite3.Connection) -> dict[str, int]:
    """Rows per table, the schema's own entries and the schema version: what a copy must match."""
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    counts = {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
    counts["sqlite_master"] = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    counts["PRAGMA user_version"] = conn.execute("PRAGMA user_version").fetchone()[0]
    return counts
