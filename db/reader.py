"""A second, read-only connection to the open project, for work on a worker thread.

SQLite connections belong to the thread that made them, so an export running off the GUI thread
cannot borrow the window's. In WAL mode a reader sees the last committed state and neither waits
for nor blocks the window's writes. An in-memory project (tests) has no file to reopen:
`project_file` says "" and the caller reads on its own thread instead.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlite_utils import Database

from db.connection import BUSY_TIMEOUT_MS


def project_file(db: Database) -> str:
    """The file behind `db`'s main database, or "" for an in-memory one."""
    for _seq, name, file in db.conn.execute("PRAGMA database_list"):
        if name == "main":
            return file or ""
    return ""


@contextmanager
def read_only(path: str) -> Iterator[Database]:
    """Open `path` read-only on the calling thread, and close it there when done."""
    uri = f"{Path(path).resolve().as_uri()}?mode=ro"
    conn = sqlite3.connect(uri, uri=True)
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA query_only = ON")
        yield Database(conn)
    finally:
        conn.close()
