"""Opening a project database: identify it before touching it, then pragmas, backup, migrations.

Order matters. Setting WAL or running a migration writes to the file, so a file that is not
Loupe's, or that a newer Loupe wrote, is recognised from read-only checks first and refused with
its bytes unchanged.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlite_utils import Database

from db import migrations

BUSY_TIMEOUT_MS = 5000


class DatabaseOpenError(Exception):
    """A database Loupe will not open. The message is for people; the file was left untouched."""


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
            _backup(db, path.with_name(f"{path.name}.v{version}.bak"))
        if version < known:
            db.conn.execute(f"PRAGMA application_id = {migrations.APPLICATION_ID}")
            migrations.apply(db, plan)
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


def _backup(db: Database, target: Path) -> None:
    """A full copy before a schema change, through SQLite's backup API (consistent even in WAL)."""
    dest = sqlite3.connect(str(target))
    try:
        db.conn.backup(dest)
    finally:
        dest.close()
