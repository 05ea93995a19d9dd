"""A Loupe session on a shared project, for the two-process tests: the real Store and one undo
stack, tagging, deleting, undoing, redoing and merging entities in a seeded random order, as a
second window would. Run in a child process (`python -m tests.reliability._c_session`), or in the
test's own process as the other side.

Every error that reaches this session's "user" (any exception out of a push, an undo or a redo)
is recorded, and so is what the session holds as done at the end: the annotations its undo stack
says exist. The test checks those against the database.
"""

from __future__ import annotations

import json
import random
import re
import sys
import time
from pathlib import Path

TAG_WEIGHTS = {"tag": 8, "delete": 2, "undo": 2, "redo": 1, "merge": 1, "export": 1}


def _live(stack) -> dict[str, list]:
    """What the undo stack says is done, replayed: annotation id → [document, start, end, quote,
    entity], the entity as the analyst's merges since left it."""
    from app.commands import AddAnnotations, RemoveAnnotations
    from app.entity_commands import MergeEntities

    live: dict[str, list] = {}
    for i in range(stack.index()):
        command = stack.command(i)
        if isinstance(command, AddAnnotations):
            live.update({a.id: [a.document_id, a.start, a.end, a.quote, a.entity]
                         for a in command._annotations})  # fmt: skip
        elif isinstance(command, RemoveAnnotations):
            for a in command._annotations:
                live.pop(a.id, None)
        elif isinstance(command, MergeEntities):
            gone, keep = re.fullmatch(r"Merge “(.+)” into “(.+)”", command.text()).groups()
            for row in live.values():
                row[4] = keep if row[4] == gone else row[4]
    return live


class Session:
    """One analyst's session: `act()` does one random thing and says what reached the analyst."""

    def __init__(self, store, stack, side: str, seed: int) -> None:
        self.store, self.stack, self.side = store, stack, side
        self.rng = random.Random(seed)
        self.errors: list[str] = []
        self.acts = 0
        self.documents = [store.document(d.id) for d in store.document_summaries()]
        self.actor = next(t for t in store.tag_types() if t.asks_for_entity)

    def _tag(self, entity: str):
        from app.commands import AddAnnotations
        from app.offsets import new_annotation

        doc = self.rng.choice(self.documents)
        start = self.rng.randrange(0, len(doc.text) - 12)
        end = start + self.rng.randrange(3, 12)
        ann = new_annotation(doc.text, doc.id, start, end, self.actor.id, entity=entity,
                             annotator=self.side)  # fmt: skip
        self.stack.push(AddAnnotations(self.store, [ann]))
        return ann

    def _merge(self) -> None:
        """Two fresh names of this side's own, tagged, then merged: a transaction that reads
        (a snapshot of what it removes) before it writes."""
        from app.entity_commands import MergeEntities

        n = self.acts
        keep, gone = f"{self.side} keep {n}", f"{self.side} gone {n}"
        self._tag(keep), self._tag(gone)
        ids = [self.store.entity_id(self.actor.id, name) for name in (keep, gone)]
        self.stack.push(MergeEntities(self.store, *ids))

    def _export(self) -> None:
        """Both exports of the window, read back: each must be one whole picture of the project
        (Loupe re-reads its own W3C file; every quote is its article's text at its offsets)."""
        from app.formats.registry import read_colleague_file

        folder = Path(self.store.db.conn.execute("PRAGMA database_list").fetchone()[2]).parent
        target = folder / f"{self.side}-export.json"
        n = self.store.export_w3c(str(target), creator=self.side)
        back = read_colleague_file(target)
        texts = {d.key: d.text for d in back.documents}
        wrong = [
            a.id for a in back.annotations if texts[a.document_key][a.start : a.end] != a.exact
        ]
        if n != len(back.annotations) or wrong:
            self.errors.append(f"export: W3C holds {len(back.annotations)} of {n}, {wrong[:3]}")
        self.store.export_csv(str(target.with_suffix(".csv")))

    def act(self) -> None:
        from app.commands import RemoveAnnotations, step

        self.acts += 1
        what = self.rng.choices(list(TAG_WEIGHTS), weights=list(TAG_WEIGHTS.values()))[0]
        try:
            if what == "tag":
                self._tag(f"{self.side} {self.rng.randrange(20)}")
            elif what == "delete" and (live := _live(self.stack)):
                ann = self.store.annotation(self.rng.choice(sorted(live)))
                self.stack.push(RemoveAnnotations(self.store, [ann]))
            elif what in ("redo", "undo"):  # merges too: entity ids are never reused
                step(self.stack, forward=what == "redo")
            elif what == "merge":
                self._merge()
            elif what == "export":
                self._export()
        except Exception as exc:  # what the window's error hook would show the analyst
            self.errors.append(f"{what}: {type(exc).__name__}: {exc}")

    def report(self) -> dict:
        return {"side": self.side, "acts": self.acts, "errors": self.errors,
                "live": _live(self.stack)}  # fmt: skip


def open_session(path: Path, side: str, seed: int) -> Session:
    from PySide6.QtGui import QUndoStack

    from app.store import Store
    from db.connection import open_db

    store = Store(open_db(path))
    return Session(store, QUndoStack(), side, seed)


def main(argv: list[str]) -> int:
    """DB SIDE SEED ACTS READY GO OUT: signal READY (a file), wait for GO, act ACTS times or until
    a file OUT.stop appears, write the report to OUT."""
    from PySide6.QtCore import QCoreApplication

    path, side, seed, acts, ready, go, out = argv
    stop = Path(out + ".stop")
    app = QCoreApplication.instance() or QCoreApplication([])  # noqa: F841 (Qt objects need one)
    session = open_session(Path(path), side, int(seed))
    Path(ready).touch()
    deadline = time.monotonic() + 60
    while not Path(go).exists() and time.monotonic() < deadline:
        time.sleep(0.005)
    for _ in range(int(acts)):
        if stop.exists():
            break
        session.act()
    session.store.db.close()
    Path(out).write_text(json.dumps(session.report()), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    sys.exit(main(sys.argv[1:]))
