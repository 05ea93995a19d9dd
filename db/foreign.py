"""Reading a colleague's Loupe project: checked first, never written, and no code in it ever runs.

The colleague's file is opened by SQLite only as a private copy (the original is read once, byte by
byte, and its size, time and neighbours compared before and after, so a project still open in
another Loupe is refused instead of being read half-written). Before any row is read, the copy must
carry Loupe's header marks, a schema version this Loupe knows, a schema holding nothing that can
run (no triggers, views, virtual tables, computed columns or expression indexes, except Loupe's own
full-text index and its triggers, word for word) and pass SQLite's
quick_check. The connection is read-only and immutable, with `trusted_schema` off, extension
loading off, and an authorizer that allows only the fixed SELECTs and pragmas written here. Every
value read is then type-checked and cross-checked (offsets in the text, quote = text[start:end],
text = its SHA-256) in `db/foreign_rows.py`; the first fault names the table, row and column.
"""

from __future__ import annotations

import functools
import os
import sqlite3
import stat
import struct
import tempfile
from pathlib import Path

from db import migrations
from db.foreign_rows import (
    COLUMNS,
    ForeignProject,
    ForeignProjectAnnotation,
    ForeignProjectDocument,
    ForeignProjectError,
    read_rows,
    shown,
)

__all__ = [
    "MAX_PROJECT_BYTES",
    "ForeignProject",
    "ForeignProjectAnnotation",
    "ForeignProjectDocument",
    "ForeignProjectError",
    "read_project",
]

MAX_PROJECT_BYTES = 1 << 30  # 1 GiB: everything read is held in memory for one import
MAX_SCHEMA_ENTRIES = 1_000  # Loupe writes about 25
SIDECARS = ("-wal", "-journal")
MAGIC = b"SQLite format 3\x00"
_CHUNK = 1 << 20

_READABLE = frozenset(COLUMNS) | {"sqlite_master"}
_PRAGMAS = frozenset({"quick_check", "table_xinfo", "index_xinfo", "index_list"})
_FUNCTIONS = frozenset({"count"})


def read_project(path: str | Path) -> ForeignProject:
    """Everything a colleague's Loupe project holds that an import needs; `ForeignProjectError`
    (a message for people) on the first problem. The file itself is never written."""
    path = Path(path)
    name = path.name
    try:
        scratch = tempfile.TemporaryDirectory(prefix="loupe-import-", ignore_cleanup_errors=True)
    except OSError as exc:
        raise _error(
            name, f"cannot be copied: no temporary folder ({exc.strerror or exc})"
        ) from None
    with scratch as folder:
        copy = Path(folder) / "project.db"
        header = _copy_unchanged(path, copy, name)
        _check_header(name, header, copy.stat().st_size)
        try:
            conn = _open_readonly(copy)
        except sqlite3.Error as exc:
            raise _error(name, f"cannot be opened (SQLite says: {exc})") from None
        try:
            _check_schema(conn, name)
            rows = conn.execute("PRAGMA quick_check(3)").fetchall()
            if rows != [("ok",)]:
                said = "; ".join(" ".join(str(r[0]).split())[:200] for r in rows)  # one line
                raise _error(name, f"the file is damaged (SQLite says: {said})")
            return read_rows(conn, name)
        except sqlite3.Error as exc:
            raise _error(name, f"the file is damaged or altered (SQLite says: {exc})") from None
        except UnicodeError:  # a name that is not UTF-8, in SQLite's message or in a PRAGMA
            raise _error(name, "the file is damaged or altered (its schema holds text that is "
                         "not UTF-8)") from None  # fmt: skip
        finally:
            conn.close()


def _error(name: str, problem: str) -> ForeignProjectError:
    return ForeignProjectError(name, "", problem)


# ---------------------------------------------------------------- the file, before SQLite


def _snapshot(path: Path, name: str) -> tuple[int, int, int, int]:
    """What must not change while the file is copied; refuses what is not a closed project file."""
    st = path.stat()
    if stat.S_ISDIR(st.st_mode):
        raise _error(name, "this is a folder, not a Loupe project file")
    if not stat.S_ISREG(st.st_mode):
        raise _error(name, "this is not an ordinary file")
    if st.st_size == 0:
        raise _error(name, "the file is empty")
    if st.st_size > MAX_PROJECT_BYTES:
        raise _error(
            name,
            f"the file is {st.st_size / 2**20:,.0f} MiB, over the "
            f"{MAX_PROJECT_BYTES // 2**20:,} MiB limit for a colleague's project",
        )
    for suffix in SIDECARS:
        if path.with_name(path.name + suffix).exists():
            raise _error(
                name,
                f"a “{path.name}{suffix}” file lies beside it: the project is open in Loupe right "
                "now, or Loupe stopped without closing it, so its latest changes may be missing "
                "from the file. Close it in Loupe (or open and close it once), then import again",
            )
    return st.st_size, st.st_mtime_ns, st.st_ino, st.st_dev


def _copy_unchanged(path: Path, copy: Path, name: str) -> bytes:
    """Copy the file (capped at the size limit) and return its first 100 bytes; refuse it if it
    changed, or a journal appeared beside it, while it was being copied."""
    try:
        before = _snapshot(path, name)
        # O_NONBLOCK: a FIFO swapped in after the check must not hang the open.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        with os.fdopen(fd, "rb") as src, copy.open("xb") as dst:
            if not stat.S_ISREG(os.fstat(src.fileno()).st_mode):
                raise _error(name, "this is not an ordinary file")
            header, copied = b"", 0
            while chunk := src.read(_CHUNK):
                copied += len(chunk)
                if copied > MAX_PROJECT_BYTES:
                    raise _error(name, "the file grew past the size limit while it was read")
                header = header or chunk[:100]
                try:
                    dst.write(chunk)
                except OSError as exc:
                    raise _error(name, f"cannot be copied to a temporary folder ({exc})") from None
        after = _snapshot(path, name)
    except OSError as exc:
        raise _error(name, f"cannot be read ({exc.strerror or exc})") from None
    if before != after or copied != before[0]:
        raise _error(
            name,
            "the file changed while it was being read (is it open in Loupe?). "
            "Close it there, then import again",
        )
    return header


def _check_header(name: str, header: bytes, size: int) -> None:
    """The 100-byte SQLite header, read by us before SQLite sees the file."""
    if len(header) < 100 or not header.startswith(MAGIC):
        raise _error(name, "the file is not an SQLite database, so not a Loupe project")
    page_size = struct.unpack(">H", header[16:18])[0]
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        raise _error(name, f"the file is damaged (its header gives a page size of {page_size})")
    changes, pages = struct.unpack(">II", header[24:32])
    (version,) = struct.unpack(">i", header[60:64])
    (app_id,) = struct.unpack(">i", header[68:72])
    (valid_for,) = struct.unpack(">I", header[92:96])
    if app_id != migrations.APPLICATION_ID:
        raise _error(name, "the file is an SQLite database, but not a Loupe project")
    known = migrations.schema_version()
    if version > known:
        raise _error(
            name,
            f"the file was written by a newer Loupe (schema version {version}; this Loupe reads "
            f"up to {known}). Update Loupe to import it",
        )
    if version < 1:
        raise _error(name, "the file is marked as Loupe's but holds no Loupe schema")
    if valid_for == changes and pages and pages * page_size > size:
        raise _error(
            name,
            f"the file is cut short ({size:,} of {pages * page_size:,} bytes), so it is damaged. "
            "Ask for it again",
        )


# ---------------------------------------------------------------- SQLite, fenced in


def _open_readonly(copy: Path) -> sqlite3.Connection:
    # immutable=1: no locks, no -wal/-shm/-journal, never a write; the copy is ours alone.
    conn = sqlite3.connect(f"{copy.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    try:
        conn.isolation_level = None  # no implicit BEGIN
        conn.text_factory = _decode
        if hasattr(conn, "enable_load_extension"):  # absent when Python was built without it
            conn.enable_load_extension(False)
        for pragma in ("trusted_schema = OFF", "query_only = ON", "cell_size_check = ON"):
            conn.execute(f"PRAGMA {pragma}")
        conn.setlimit(sqlite3.SQLITE_LIMIT_ATTACHED, 0)
        conn.set_authorizer(_authorize)
    except BaseException:
        conn.close()
        raise
    return conn


# Bad UTF-8 becomes lone surrogates, which the row checks report with table, row and column.
_decode = functools.partial(bytes.decode, encoding="utf-8", errors="surrogateescape")


def _authorize(action: int, arg1, arg2, db_name, source) -> int:
    """Only the fixed statements of this module: SELECTs of Loupe's tables, count(), and four
    read-only pragmas. Nothing through a view or trigger; no writes, ATTACH or other functions."""
    if source is not None:
        allowed = False
    elif action == sqlite3.SQLITE_SELECT:
        allowed = True
    elif action == sqlite3.SQLITE_READ:
        allowed = arg1 in _READABLE and db_name in (None, "main")
    elif action == sqlite3.SQLITE_FUNCTION:
        allowed = arg2 in _FUNCTIONS
    elif action == sqlite3.SQLITE_PRAGMA:
        allowed = arg1 in _PRAGMAS
    else:
        allowed = False
    return sqlite3.SQLITE_OK if allowed else sqlite3.SQLITE_DENY


def _quoted(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


_ALTERED = "which Loupe never creates: another program altered the file, so it is not read"


@functools.cache
def _loupe_own_code() -> frozenset[tuple[str, str, str]]:
    """(type, name, sql) of the triggers, view and virtual table Loupe itself creates (m006: the
    full-text index, the view it reads and the triggers keeping it in step), taken from a fresh
    project in memory.
    Only these, character for character, are let through: none can run here, since the copy is
    immutable (no trigger fires) and the authorizer lets no statement read the virtual table."""
    from sqlite_utils import Database

    db = Database(memory=True)
    try:
        migrations.apply(db)
        rows = db.execute(
            "SELECT type, name, sql FROM sqlite_master"
            " WHERE type IN ('trigger', 'view') OR sql LIKE 'CREATE VIRTUAL TABLE%'"
        ).fetchall()
    finally:
        db.close()
    return frozenset(rows)


def _check_schema(conn: sqlite3.Connection, name: str) -> None:
    """Only plain tables and plain indexes, and Loupe's tables with the columns read from them.
    Checked before quick_check, because quick_check computes generated columns."""
    entries = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchmany(
        MAX_SCHEMA_ENTRIES + 1
    )
    if len(entries) > MAX_SCHEMA_ENTRIES:
        raise _error(name, f"the file's schema has over {MAX_SCHEMA_ENTRIES:,} entries, {_ALTERED}")
    code, odd, tables, indexes = [], [], [], []
    for kind, entry, table, sql in entries:
        if not all(isinstance(v, str) and "\0" not in v for v in (kind, entry, table)):
            raise _error(name, "the file is damaged (its schema table holds a malformed entry)")
        sql = sql if isinstance(sql, str) else None
        if (kind, entry, sql) in _loupe_own_code():
            continue
        if kind in ("trigger", "view") or (sql or "").startswith(("CREATE TRIGGER", "CREATE VIEW")):
            code.append(f"{shown(kind)} “{shown(entry)}”")
        elif kind == "table" and sql and sql.startswith("CREATE TABLE "):
            tables.append(entry)
        elif kind == "index" and (
            (sql is None and entry.startswith("sqlite_autoindex_"))
            or (sql or "").startswith(("CREATE INDEX ", "CREATE UNIQUE INDEX "))
        ):
            indexes.append((entry, table))
        else:
            what = "virtual table" if "VIRTUAL" in (sql or "") else shown(kind)
            odd.append(f"{what} “{shown(entry)}”")
    if code:
        listed = ", ".join(code[:5])
        raise _error(name, f"the file contains triggers or views ({listed}), {_ALTERED}")
    if odd:
        raise _error(name, f"the file contains {', '.join(odd[:5])}, {_ALTERED}")
    for table in tables:
        columns = conn.execute(f"PRAGMA table_xinfo({_quoted(table)})").fetchall()
        computed = [c[1] for c in columns if c[6] != 0]
        if computed:
            listed = shown(", ".join(computed))
            raise _error(name, f"table {shown(table)} has computed columns ({listed}), {_ALTERED}")
        if table in COLUMNS:
            missing = [c for c in COLUMNS[table] if c not in {col[1] for col in columns}]
            if missing:
                raise _error(name, f"table {table} is missing columns: {', '.join(missing)}")
    absent = [t for t in COLUMNS if t not in tables]
    if absent:
        raise _error(name, f"the file is missing tables: {', '.join(absent)}")
    for index, table in indexes:
        listed = conn.execute(f"PRAGMA index_list({_quoted(table)})").fetchall()
        partial = any(row[1] == index and row[4] for row in listed)
        keys = conn.execute(f"PRAGMA index_xinfo({_quoted(index)})").fetchall()
        if partial or any(row[1] == -2 for row in keys):
            raise _error(
                name, f"index “{shown(index)}” is computed (expression or WHERE), {_ALTERED}"
            )
