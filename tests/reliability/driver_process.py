"""Running the session driver in another process, killing it, and hearing what it said.

Starting Python with Qt and Loupe's modules costs 0.3 s, too much for hundreds of kills, so the
tests start one fork server (`session_driver --serve`, which has imported everything but opened
nothing) and have it fork a child per run: 5 ms. The child's stdout is relayed line by line; it
is reaped only when the test says so, so the pid the test may SIGKILL cannot name another
process. `start_program` runs the driver as a program of its own, to show the server hides
nothing. The child's side of killing at statement K (`StatementKiller`) is here too.
"""

from __future__ import annotations

import json
import os
import select
import signal
import sqlite3
import subprocess
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
_ENV = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
_DRIVER = [sys.executable, "-m", "tests.reliability.session_driver"]


class _Lines:
    """JSON lines from a pipe, read with a deadline, so a test never hangs on a dead child."""

    def __init__(self, fd: int) -> None:
        self.fd, self.buffer = fd, b""

    def next(self, timeout: float) -> dict | None:
        deadline = time.monotonic() + timeout
        while b"\n" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.fd], [], [], left)[0]:
                return None
            chunk = os.read(self.fd, 1 << 16)
            if not chunk:
                raise EOFError("the driver's output ended")
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        try:
            return json.loads(line)
        except ValueError:  # the line a kill cut short: never an acknowledgement
            return {"cut": line.decode(errors="replace")}


@dataclass
class ChildRun:
    """One driver run: the records it printed, and how it ended (-9: SIGKILL)."""

    pid: int
    lines: _Lines
    reap: Callable[[], int]  # waits for the end; until then the pid stays this child's
    records: list[dict] = field(default_factory=list)
    ended: bool = False

    def read(self, timeout: float) -> dict | None:
        """The next record within `timeout` seconds; None if none came or the output ended."""
        if self.ended:
            return None
        try:
            record = self.lines.next(max(timeout, 0))
        except EOFError:
            record = {"eof": True}
        if record is not None and "eof" in record:
            self.ended = True
            return None
        if record is not None and "cut" not in record:
            self.records.append(record)
        return record

    def read_for(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0 and not self.ended:
            self.read(left)

    def read_acks(self, count: int, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while sum(r.get("phase") == "ack" for r in self.records) < count and not self.ended:
            if time.monotonic() > deadline:
                raise TimeoutError(f"fewer than {count} acknowledgements in {timeout} s")
            self.read(deadline - time.monotonic())

    def finish(self, kill: bool, timeout: float = 60) -> int:
        """SIGKILL it if asked, read all it printed before it died, and give its exit code."""
        if kill and not self.ended:
            os.kill(self.pid, signal.SIGKILL)
        deadline = time.monotonic() + timeout
        while not self.ended:
            if time.monotonic() > deadline:
                raise TimeoutError("the driver did not end")
            self.read(deadline - time.monotonic())
        return self.reap()


def start_program(argv: list) -> ChildRun:
    proc = subprocess.Popen([*_DRIVER, *map(str, argv)], cwd=ROOT, env=_ENV,
                            stdout=subprocess.PIPE)  # fmt: skip

    def reap() -> int:
        code = proc.wait()
        proc.stdout.close()
        return code

    return ChildRun(proc.pid, _Lines(proc.stdout.fileno()), reap)


class DriverServer:
    """The test's end of the fork server."""

    def __init__(self, stderr_path: Path) -> None:
        self.stderr_path = stderr_path
        with stderr_path.open("wb") as err:
            self.proc = subprocess.Popen([*_DRIVER, "--serve"], cwd=ROOT, env=_ENV, stderr=err,
                                         stdin=subprocess.PIPE, stdout=subprocess.PIPE)  # fmt: skip
        self.lines = _Lines(self.proc.stdout.fileno())
        self.active: ChildRun | None = None

    def start(self, argv: list) -> ChildRun:
        self._say(json.dumps([str(a) for a in argv]))
        first = self.lines.next(timeout=60)
        if first is None or "pid" not in first:
            raise RuntimeError(f"the fork server started nothing: {self.stderr()}")
        self.active = ChildRun(first["pid"], self.lines, self._reap)
        return self.active

    def _reap(self) -> int:
        self._say("reap")
        return self.lines.next(timeout=60)["exit"]

    def _say(self, line: str) -> None:
        self.proc.stdin.write(line.encode() + b"\n")
        self.proc.stdin.flush()

    def stderr(self) -> str:
        return self.stderr_path.read_text(errors="replace")[-3000:]

    def close(self) -> None:
        """Ends a child a failed test left running (by its pid, not yet reaped), then the server."""
        if self.active is not None and not self.active.ended:
            self.active.finish(kill=True)
        self.proc.stdin.close()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()  # the server this object started, by its pid
            self.proc.wait()
        self.proc.stdout.close()


def serve(main: Callable[[list[str]], int]) -> int:
    """The server's loop: one JSON argv per line; a forked child runs `main(argv)` with its
    stdout relayed, then {"eof": true}; at the next line ("reap") it is reaped and
    {"exit": code} written."""
    out = sys.stdout.buffer
    while line := sys.stdin.readline():
        read_end, write_end = os.pipe()
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            os.close(read_end)
            os.dup2(write_end, 1)
            os.close(write_end)
            code = 1
            try:
                code = main(json.loads(line))
            except BaseException:
                traceback.print_exc()
            finally:
                sys.stderr.flush()
                os._exit(code)
        os.close(write_end)
        out.write(json.dumps({"pid": pid}).encode() + b"\n")
        out.flush()
        last = b"\n"
        while chunk := os.read(read_end, 1 << 16):
            out.write(chunk)
            out.flush()
            last = chunk[-1:]
        os.close(read_end)
        out.write((b"" if last == b"\n" else b"\n") + b'{"eof": true}\n')  # ends a cut line
        out.flush()
        sys.stdin.readline()
        _, status = os.waitpid(pid, 0)
        out.write(json.dumps({"exit": os.waitstatus_to_exitcode(status)}).encode() + b"\n")
        out.flush()
    return 0


# ---------------------------------------------------------------- in the child: kill at K


class StatementKiller:
    """A trace callback: counts SQL statements (and backup steps) and SIGKILLs this process
    just before number `kill_at` runs; `log` keeps their text for the reference run."""

    def __init__(self, kill_at: int | None, log: list[str] | None = None) -> None:
        self.kill_at, self.log, self.count = kill_at, log, 0

    def __call__(self, statement: str) -> None:
        self.count += 1
        if self.log is not None:
            self.log.append(" ".join(statement.split())[:120])
        if self.count == self.kill_at:
            os.kill(os.getpid(), signal.SIGKILL)

    def watch_every_connection(self) -> None:
        """For opening a project: its probe, its connection and its backup copy all count,
        and the backup API copies a page per step so that a kill can fall between two pages."""
        real_connect, killer = sqlite3.connect, self

        class Counted(sqlite3.Connection):
            def backup(self, target, *, pages=-1, progress=None, name="main", sleep=0.25):
                def step(status, remaining, total):
                    killer(f"backup step ({remaining} of {total} pages left)")
                    if progress is not None:
                        progress(status, remaining, total)

                super().backup(target, pages=1, progress=step, name=name, sleep=0)

        def connect(*args, **kwargs):
            conn = real_connect(*args, **{"factory": Counted, **kwargs})
            conn.set_trace_callback(killer)
            return conn

        sqlite3.connect = connect
