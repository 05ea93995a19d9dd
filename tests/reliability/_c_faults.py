"""Faults for the I/O tests: a failing disk under the store's SQLite connection, a full one, and
failing file writes under the exports.

Real disks fail in three ways that reach Loupe differently, and each is reproduced here at the
layer it reaches: SQLite reports a failed statement or COMMIT as `sqlite3.OperationalError` (and,
for an I/O error or a full disk, has usually rolled the whole transaction back by then, which the
caller must survive too); a full disk is real SQLite behaviour once the database may not grow
(`PRAGMA max_page_count`); a file export sees `OSError(ENOSPC)` from write, fsync or rename.
"""

from __future__ import annotations

import errno
import os
import sqlite3
from contextlib import contextmanager

# Statements that write or open, close or mark a write transaction. A read outside a transaction
# writes nothing, so a fault there is not "a fault at a write" and is not injected.
WRITE_WORDS = ("INSERT", "UPDATE", "DELETE", "REPLACE", "BEGIN", "COMMIT", "END", "SAVEPOINT",
               "RELEASE", "CREATE", "DROP", "ALTER")  # fmt: skip
DISK_IO_ERROR = "disk I/O error"


class FaultyConnection:
    """Stands in for the store's `sqlite3.Connection` (everything else is passed through) and
    counts the statements that write: any statement while a transaction is open, and every
    statement starting one of WRITE_WORDS. The armed one fails with "disk I/O error", either
    leaving the transaction open (`rollback=False`) or, as SQLite does for an I/O error or a full
    disk, rolled back whole before the error is raised (`rollback=True`). One shot: the statements
    after it run normally, which is the disk recovering."""

    def __init__(self, real: sqlite3.Connection) -> None:
        object.__setattr__(self, "_real", real)
        self.arm(None)

    def arm(self, at: int | None, *, rollback: bool = False) -> None:
        object.__setattr__(self, "_state", {"at": at, "rollback": rollback, "seen": 0,
                                            "fired": None})  # fmt: skip

    @property
    def seen(self) -> int:
        """Write statements since the last `arm`."""
        return self._state["seen"]

    @property
    def fired(self) -> str | None:
        """The statement the fault hit, None if the armed number was never reached."""
        return self._state["fired"]

    def _tick(self, sql: str) -> None:
        words = sql.lstrip().upper()
        if words.startswith("ROLLBACK"):  # how callers recover: never failed here
            return
        if not (self._real.in_transaction or words.startswith(WRITE_WORDS)):
            return
        state = self._state
        state["seen"] += 1
        if state["seen"] != state["at"]:
            return
        state["fired"] = sql.strip()[:80]
        if state["rollback"] and self._real.in_transaction:
            self._real.execute("ROLLBACK")
        raise sqlite3.OperationalError(DISK_IO_ERROR)

    def execute(self, sql, *args):
        self._tick(sql)
        return self._real.execute(sql, *args)

    def executemany(self, sql, *args):
        self._tick(sql)
        return self._real.executemany(sql, *args)

    def executescript(self, sql):
        self._tick(sql)
        return self._real.executescript(sql)

    def __getattr__(self, name: str):
        return getattr(self._real, name)

    def __setattr__(self, name: str, value) -> None:
        setattr(self._real, name, value)  # isolation_level, row_factory: the real connection's


@contextmanager
def faulty_connection(db):
    """The sqlite-utils Database `db` runs every statement through a FaultyConnection."""
    real = db.conn
    db.conn = proxy = FaultyConnection(real)
    try:
        yield proxy
    finally:
        db.conn = real


NO_LIMIT = 4294967294


@contextmanager
def full_disk(db):
    """From here on the database may not grow by a single page: SQLite's own "database or disk is
    full" (SQLITE_FULL), raised by whatever needs a new page, until the block ends."""
    conn = db.conn
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages}")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA max_page_count = {NO_LIMIT}")


def no_space() -> OSError:
    return OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


EXPORT_STEPS = ("create", "write", "fsync", "rename")


class _FailingFile:
    """A file whose first write puts half its text on disk and then finds the disk full."""

    def __init__(self, real) -> None:
        self._real = real

    def write(self, text):
        self._real.write(text[: len(text) // 2])
        self._real.flush()
        raise no_space()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self._real.close()

    def __getattr__(self, name: str):
        return getattr(self._real, name)


@contextmanager
def failing_file_step(step: str):
    """Writing a file fails at `step`, as on a full disk: creating the temporary file, writing it,
    syncing it, or renaming it into place. Yields a list that holds the step once it was reached,
    so a test can tell a step that failed from one that was never taken."""
    import tempfile

    reached: list[str] = []

    def fail(*args, **kwargs):
        reached.append(step)
        raise no_space()

    def fdopen(*args, **kwargs):
        reached.append(step)
        return _FailingFile(real_fdopen(*args, **kwargs))

    real_fdopen = os.fdopen
    target, name, replacement = {
        "create": (tempfile, "mkstemp", fail),
        "write": (os, "fdopen", fdopen),
        "fsync": (os, "fsync", fail),
        "rename": (os, "replace", fail),
    }[step]
    real = getattr(target, name)
    setattr(target, name, replacement)
    try:
        yield reached
    finally:
        setattr(target, name, real)
