"""A scripted tagging session in a process of its own, for the crash tests of issue 5.

It drives the real `Store` and one `QUndoStack` as the window does (commands pushed, undone and
redone; a colleague's file imported through the headless review flow of `app/cli_review.py`) and,
once a store call has returned (its COMMIT done), prints one acknowledgement line: what the
database now holds for what changed. The tests kill it and hold the database to every line.

    python -m tests.reliability.session_driver DB --colleague FILE --seed N [--ops N]
        [--kinds add,note,…] [--ack-before-commit] [--kill-at-statement K] [--states-to FILE]
    python -m tests.reliability.session_driver DB --open-only [--kill-at-statement K]
    python -m tests.reliability.session_driver --serve

Lines are JSON: {"phase": "begin" | "ack", "op", "kind", "put": [annotation rows], "gone": [ids],
"layers_put": [layers with their rows], "layers_gone": [names], "statements": n}. `--serve`
makes it a fork server (tests/reliability/driver_process.py): starting Python and Qt costs
0.3 s, a fork 5 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import sys
import uuid
from dataclasses import asdict, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtGui import QUndoStack  # noqa: E402

from app.articles import make_document  # noqa: E402
from app.commands import (  # noqa: E402
    AddAnnotations,
    EditAnnotation,
    ImportColleagueFile,
    RemoveAnnotations,
)
from app.model import CREDIBILITY_KIND, Annotation, Grade  # noqa: E402
from app.offsets import new_annotation  # noqa: E402
from app.review_import import match_documents, plan_import, unique_layer_name  # noqa: E402
from app.store import Store  # noqa: E402
from db.connection import open_db  # noqa: E402
from tests.reliability.crash_state import annotation_row, canonical_state  # noqa: E402
from tests.reliability.driver_process import StatementKiller, serve  # noqa: E402

TEXTS = (
    "Rebels took Hama 🐈 at dawn; Abu Mohammad al-Jolani 👨‍👩‍👧 spoke from Idlib.\n"
    "Homs is next, said the statement. Damascus 🇸🇾 waits.\n",
    "قالَ المُتَحَدِّثُ إنَّ القُوّاتِ دَخَلَتْ حِمْصَ صَباحاً 🕌، وإنَّ أبا محمدٍ الجولانيَّ في إدلبَ.\nوَنَفَتِ الحُكومةُ ذلكَ.\n",
    "Командир «Вагнера» 🐻 заявил, что Бахмут взят.\nПригожин выступил в Ростове-на-Дону 🎥.\n",
)
NAMES = {
    "Actor": ("Abu Mohammad al-Jolani", "الجولاني", "Пригожин", "Wagner 🐻", "HTS"),
    "Location": ("Homs", "حمص", "Бахмут", "Idlib", "Ростов-на-Дону"),
}
NOTES = ("", "seen twice", "مصدرٌ موثوق", "Источник: Telegram 📣", "line one\nline two", '"q", c')
ANNOTATOR, COLLEAGUE = "analyst-a", "Colleague"
# Random sessions draw these; `--kinds` fixes the order (each falls back to `add` when it cannot
# apply: nothing to edit, nothing to undo).
KINDS = {"add": 22, "add_many": 8, "retag": 6, "rename": 6, "regrade": 5, "note": 6,
         "delete": 14, "undo": 18, "redo": 10, "import": 5}  # fmt: skip


def stamp(seed: int, op: int) -> str:
    """A fixed clock: the same script gives the same rows, so states can be compared byte for
    byte between a reference run and a killed one."""
    moment = datetime(2025, 3, 1, tzinfo=UTC) + timedelta(seconds=seed % 10**6 * 600 + op)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def prepare_project(path: Path, colleague: Path) -> None:
    """The project the sessions work on (the three articles) and a colleague's W3C file over the
    same articles, written by Loupe's own export from a scratch project."""
    for target, tag in ((path, False), (colleague.with_suffix(".scratch.loupe"), True)):
        store = Store(open_db(target))
        docs = store.add_documents([make_document(t) for t in TEXTS])
        if tag:
            rng = random.Random(7)
            when = stamp(0, 0)
            types = store.tag_types()
            anns = [_random_annotation(rng, types, d.id, d.text, when) for d in docs for _ in "abc"]
            store.add_annotations([replace(a, annotator=COLLEAGUE) for a in anns])
            store.export_w3c(str(colleague), creator=COLLEAGUE)
        store.db.close()
    colleague.with_suffix(".scratch.loupe").unlink()


def _random_annotation(rng: random.Random, types: list, doc_id: int, text: str, when: str):
    """A random span (it may split an emoji or a letter from its haraka: offsets are code points)
    of a random tag type, with a seeded id."""
    tag = rng.choice(types)
    start = end = 0
    while not text[start:end].strip():  # a span of white space alone is refused (SpanError)
        start = rng.randrange(len(text) - 1)
        end = rng.randint(start + 1, min(len(text), start + 40))
    if tag.kind == CREDIBILITY_KIND:
        extra = {"grade": Grade(rng.randint(1, 6), rng.choice([None, *"ABCDEF"]))}
    else:
        extra = {"entity": rng.choice(NAMES.get(tag.name, NAMES["Actor"]))}
    a = new_annotation(text, doc_id, start, end, tag.id, note=rng.choice(NOTES),
                       annotator=ANNOTATOR, **extra)  # fmt: skip
    aid = str(uuid.UUID(int=rng.getrandbits(128), version=4))
    return replace(a, id=aid, created_at=when, updated_at=when)


class Session:
    """The analyst: chooses the next step from the seed and what the project holds, performs it
    through the undo stack, and says what it did. `on_ack` hears each acknowledged record."""

    def __init__(self, store: Store, colleague: Path | None, seed: int, *, ack_first=False,
                 on_ack=None, killer: StatementKiller | None = None) -> None:  # fmt: skip
        self.store, self.stack, self.colleague = store, QUndoStack(), colleague
        self.rng, self.seed = random.Random(seed), seed
        self.ack_first, self.on_ack = ack_first, on_ack
        self.texts = {s.id: store.document_text(s.id) for s in store.document_summaries()}
        self.live = {a.id: a for d in self.texts for a in store.annotations(d)}
        self.types = {t.id: t for t in store.tag_types()}
        self.history: list[tuple[dict, dict]] = []  # (redo effect, undo effect) per command
        self.op, self.killer = 0, killer  # the killer counts the statements run so far

    def run(self, ops: int | None, kinds: list[str] | None) -> None:
        n = 0
        while ops is None or n < ops:
            kind = kinds[n % len(kinds)] if kinds else self._draw()
            getattr(self, f"_{kind}")()
            n += 1

    def _draw(self) -> str:
        return self.rng.choices(list(KINDS), weights=list(KINDS.values()))[0]

    # ------------------------------------------------------------ saying what happened

    def _say(self, phase: str, record: dict) -> None:
        line = {"phase": phase, **record, "statements": self.killer.count if self.killer else 0}
        _print_line(line)
        if phase == "ack" and self.on_ack is not None:
            self.on_ack(line)

    def _perform(self, kind: str, effect: dict, action) -> None:
        self.op += 1
        record = {"op": self.op, "kind": kind, **_serialised(effect)}
        self._say("begin", record)
        if self.ack_first:  # the negative control: the lie the harness must catch
            self._say("ack", record)
            action()
        else:
            action()
            self._say("ack", record)
        for a in effect.get("put", ()):
            self.live[a.id] = a
        for aid in effect.get("gone", ()):
            self.live.pop(aid, None)

    def _push(self, kind: str, command, forward: dict, backward: dict) -> None:
        del self.history[self.stack.index() :]
        self.history.append((forward, backward))
        self._perform(kind, forward, lambda: self.stack.push(command))

    # ------------------------------------------------------------ the steps

    def _add(self, count: int = 1) -> None:
        doc = self.rng.choice(sorted(self.texts))
        text, when = self.texts[doc], self._now()
        types = list(self.types.values())
        anns = [_random_annotation(self.rng, types, doc, text, when) for _ in range(count)]
        self._push("add", AddAnnotations(self.store, anns), {"put": anns},
                   {"gone": [a.id for a in anns]})  # fmt: skip

    def _add_many(self) -> None:
        self._add(self.rng.randint(2, 4))

    def _pick(self, kind: str | None = None) -> Annotation | None:
        ids = [i for i, a in self.live.items()
               if kind is None or self.types[a.tag_type_id].kind == kind]  # fmt: skip
        return self.live[self.rng.choice(ids)] if ids else None

    def _edit(self, old: Annotation, kind: str, **changes) -> None:
        new = replace(old, updated_at=self._now(), **changes)
        self._push(kind, EditAnnotation(self.store, old, new, kind), {"put": [new]},
                   {"put": [old]})  # fmt: skip

    def _retag(self) -> None:
        old = self._pick()
        if old is None:
            return self._add()
        tag = self.rng.choice([t for t in self.types.values() if t.id != old.tag_type_id])
        if tag.kind == CREDIBILITY_KIND:
            return self._edit(old, "retag", tag_type_id=tag.id, entity="", grade=self._grade())
        name = self.rng.choice(NAMES.get(tag.name, NAMES["Actor"]))
        self._edit(old, "retag", tag_type_id=tag.id, entity=name, grade=Grade())

    def _rename(self) -> None:
        old = self._pick("entity")
        if old is None:
            return self._retag()
        names = NAMES.get(self.types[old.tag_type_id].name, NAMES["Actor"])
        self._edit(old, "rename", entity=self.rng.choice(names))

    def _regrade(self) -> None:
        old = self._pick(CREDIBILITY_KIND)
        if old is None:
            return self._retag()
        self._edit(old, "regrade", grade=self._grade())

    def _note(self) -> None:
        old = self._pick()
        if old is None:
            return self._add()
        self._edit(old, "note", note=f"{self.rng.choice(NOTES)} #{self.op}")

    def _delete(self) -> None:
        if not self.live:
            return self._add()
        picked = list({a.id: a for a in (self._pick() for _ in range(2))}.values())
        self._push("delete", RemoveAnnotations(self.store, picked),
                   {"gone": [a.id for a in picked]}, {"put": picked})  # fmt: skip

    def _undo(self) -> None:
        if not self.stack.canUndo():
            return self._add()
        effect = self.history[self.stack.index() - 1][1]
        self._perform("undo", effect, self.stack.undo)

    def _redo(self) -> None:
        if not self.stack.canRedo():
            return self._add()
        effect = self.history[self.stack.index()][0]
        self._perform("redo", effect, self.stack.redo)

    def _import(self) -> None:
        """The headless review flow of app/cli_review.py: read, match, plan; then the command."""
        if self.colleague is None:
            return self._add()
        store = self.store
        foreign = store.read_colleague_file(self.colleague)
        matches = match_documents(foreign, store.local_documents(), store.document_text)
        taken = {layer.name for layer in store.layers()}
        name = unique_layer_name(foreign.creator or self.colleague.stem, taken)
        plan = plan_import(foreign, matches, store.tag_types(), store.document_text,
                           layer_name=name)  # fmt: skip
        plan = replace(plan, layer=replace(plan.layer, imported_at=self._now()))
        assert not plan.new_documents, "the colleague's file holds the project's own articles"
        layer = {**asdict(plan.layer), "rows": [list(r) for r in plan.rows]}
        self._push("import", ImportColleagueFile(store, plan), {"layers_put": [layer]},
                   {"layers_gone": [name]})  # fmt: skip

    def _grade(self) -> Grade:
        return Grade(self.rng.randint(1, 6), self.rng.choice([None, *"ABCDEF"]))

    def _now(self) -> str:
        return stamp(self.seed, self.op + 1)


def _print_line(line: dict) -> None:
    """One write per line, so a kill cuts at most the line being written (which the tests then
    ignore: an acknowledgement is a whole line)."""
    data = json.dumps(line, ensure_ascii=False).encode() + b"\n"
    while data:
        data = data[os.write(1, data) :]


def _serialised(effect: dict) -> dict:
    out = dict(effect)
    if "put" in out:
        out["put"] = [annotation_row(a) for a in out["put"]]
    return out


# ---------------------------------------------------------------- entry point


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="session_driver")
    parser.add_argument("db", nargs="?")
    parser.add_argument("--serve", action="store_true")
    parser.add_argument("--open-only", action="store_true")
    parser.add_argument("--colleague", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--ops", type=int)
    parser.add_argument("--kinds", type=lambda s: s.split(","))
    parser.add_argument("--ack-before-commit", action="store_true")
    parser.add_argument("--kill-at-statement", type=int)
    parser.add_argument("--log-statements", action="store_true")
    parser.add_argument("--states-to", type=Path)
    args = parser.parse_args(argv)
    if args.serve:
        return serve(main)
    killer = StatementKiller(args.kill_at_statement, [] if args.log_statements else None)
    if args.open_only:
        killer.watch_every_connection()
        open_db(args.db).close()
    else:
        _run_session(args, killer)
    _print_line({"done": True, "statements": killer.count, "log": killer.log})
    return 0


def _run_session(args: argparse.Namespace, killer: StatementKiller) -> None:
    store = Store(open_db(args.db))
    states = args.states_to.open("w", encoding="utf-8") if args.states_to else None
    reader = sqlite3.connect(args.db) if states else None

    def record_state(_line: dict | None = None) -> None:
        """The reference run: the state after each operation, read by another connection."""
        states.write(json.dumps(canonical_state(reader), ensure_ascii=False) + "\n")

    session = Session(store, args.colleague, args.seed, ack_first=args.ack_before_commit,
                      on_ack=record_state if states else None, killer=killer)  # fmt: skip
    store.db.conn.set_trace_callback(killer)
    if states:
        record_state()
    session.run(args.ops, args.kinds)
    store.db.close()
    if states:
        states.close()
        reader.close()


if __name__ == "__main__":
    sys.exit(main())
