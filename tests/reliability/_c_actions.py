"""The core operations as the analyst performs them in the window, each with the set-up it needs
and what "it worked" looks like, for the fault tests to replay under every fault.

An operation's `do` repeats everything the analyst would do again after a refusal (select the text
or the highlight, press the key), so the same operation can be replayed on the same window.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt

from app.commands import AddAnnotations
from app.formats import w3c
from app.offsets import new_annotation
from tests.gui_helpers import select_code_points
from tests.reliability._c_window import Analyst, Seen

ARTICLE = (
    "Rebels led by Jolani entered Homs at dawn, officials said.\n"
    "The claim cannot be independently verified by Loupe's reporters.\n"
)
SECOND_ARTICLE = "Damascus was quiet on Friday; the ministry denied any movement near Hama.\n"
ENTITY, NEW_ENTITY, NEW_NOTE = "Abu Mohammad al-Jolani", "Homs (city)", "seen on two wires"
CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier
_ARTICLES_WRITTEN = itertools.count(1)


def press(analyst: Analyst, key, modifiers=Qt.KeyboardModifier.NoModifier) -> None:
    w = analyst.window
    w.activateWindow()
    w.view.setFocus()
    analyst.qtbot.keyClick(w.view, key, modifiers)


def tag_directly(analyst: Analyst, quote: str, type_index: int = 1, note: str = ""):
    """Set-up, not under test: a tag pushed as the editor pushes it."""
    w = analyst.window
    start = ARTICLE.index(quote)
    ann = new_annotation(ARTICLE, w.view.document_id, start, start + len(quote),
                         w.store.tag_types()[type_index].id, entity=quote, note=note,
                         annotator="tester")  # fmt: skip
    w.undo_stack.push(AddAnnotations(w.store, [ann]))
    return ann


def _select_highlight(analyst: Analyst, ann) -> None:
    analyst.window.view.select_annotation(ann.id, reveal=False)


@dataclass
class Operation:
    name: str
    setup: Callable[[Analyst, Path, bool], object]  # big: needs many new pages to be saved
    do: Callable[[Analyst, object], None]
    worked: Callable[[Seen, Seen, Analyst, object], bool]  # before, after, analyst, set-up


def _tag(analyst: Analyst, _ctx) -> None:
    start = ARTICLE.index("Jolani")
    select_code_points(analyst.window.view, start, start + len("Jolani"))
    press(analyst, Qt.Key.Key_1)


def _counted(before: Seen, after: Seen, annotations: int, history: int) -> bool:
    return (len(after.painted) - len(before.painted) == annotations
            and after.history[0] - before.history[0] == history)  # fmt: skip


def _reported(analyst: Analyst) -> bool:
    return any("anchored" in m for m in analyst.told)  # the import's report


def _colleague_file(analyst: Analyst, folder: Path, big: bool) -> Path:
    w = analyst.window
    doc = w.current_document()
    types = {t.id: t for t in w.store.tag_types()}
    quotes = [("Jolani", 0), ("Homs", 1), ("officials said", 2)]
    theirs = [new_annotation(ARTICLE, doc.id, ARTICLE.index(q), ARTICLE.index(q) + len(q),
                             w.store.tag_types()[i].id, entity=q, annotator="Dana",
                             note=f"Dana's reading {n}" * (40 if big else 0))
              for n, (q, i) in enumerate(quotes * (100 if big else 1))]  # fmt: skip
    path = folder / "dana.json"
    data = w3c.write([doc], theirs, types, creator="Dana")
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def _article_file(_analyst: Analyst, folder: Path, big: bool) -> Path:
    """A new article each time: the same text twice is refused as already in the project."""
    n = next(_ARTICLES_WRITTEN)
    path = folder / f"article-{n}.txt"
    path.write_text(f"{n}. " + SECOND_ARTICLE * (400 if big else 1), encoding="utf-8")
    return path


def _undone_tag(analyst: Analyst, _folder: Path, _big: bool):
    ann = tag_directly(analyst, "Homs")
    analyst.window.undo_stack.undo()
    return ann


OPERATIONS = {
    op.name: op
    for op in (
        Operation("tag", lambda a, f, big: None, _tag,
                  lambda b, a, an, _: _counted(b, a, 1, 1) and an.status().startswith("Tagged")),
        Operation("edit note", lambda a, f, big: tag_directly(a, "Homs"),
                  lambda a, ann: (_select_highlight(a, ann), press(a, Qt.Key.Key_N)),
                  lambda b, a, an, _: _counted(b, a, 0, 1) and b.saved != a.saved),
        Operation("edit entity", lambda a, f, big: tag_directly(a, "Homs"),
                  lambda a, ann: (_select_highlight(a, ann), press(a, Qt.Key.Key_E)),
                  lambda b, a, an, _: _counted(b, a, 0, 1) and NEW_ENTITY in a.counts[0]),
        Operation("delete", lambda a, f, big: tag_directly(a, "Homs"),
                  lambda a, ann: (_select_highlight(a, ann), press(a, Qt.Key.Key_Delete)),
                  lambda b, a, an, _: _counted(b, a, -1, 1) and not a.counts),
        Operation("undo", lambda a, f, big: tag_directly(a, "Homs"),
                  lambda a, _: press(a, Qt.Key.Key_Z, CTRL),
                  lambda b, a, an, _: _counted(b, a, -1, -1) and not a.counts),
        Operation("redo", _undone_tag, lambda a, _: press(a, Qt.Key.Key_Z, CTRL | SHIFT),
                  lambda b, a, an, _: _counted(b, a, 1, 1) and len(a.counts) == 1),
        Operation("import a colleague's file", _colleague_file,
                  lambda a, path: a.window.reviewing.review_file(str(path)),
                  lambda b, a, an, _: _counted(b, a, 0, 1) and _reported(an)),
        Operation("add an article", _article_file,
                  lambda a, path: a.window.open_files([str(path)]),
                  lambda b, a, an, _: len(a.documents) == len(b.documents) + 1
                  and a.history[0] == b.history[0] + 1),
    )
}  # fmt: skip


def _shown(seen: Seen) -> tuple:
    return seen.painted, seen.documents, seen.counts


def undo_of(op: Operation) -> Operation:
    """Ctrl+Z after `op` (done without a fault): what the window shows returns to before `op`."""

    def setup(a: Analyst, folder: Path, big: bool):
        ctx = op.setup(a, folder, big)
        first = a.seen()
        a.act(lambda: op.do(a, ctx))
        a.forget_messages()
        return first

    return Operation(f"undo of {op.name}", setup, lambda a, _: press(a, Qt.Key.Key_Z, CTRL),
                     lambda b, a, an, first: a.history[0] == b.history[0] - 1
                     and _shown(a) == _shown(first))  # fmt: skip


def redo_of(op: Operation) -> Operation:
    """Ctrl+Shift+Z after `op` and its undo: what the window shows returns to after `op`."""
    undo = undo_of(op)

    def setup(a: Analyst, folder: Path, big: bool):
        undo.setup(a, folder, big)
        done = a.seen()
        a.act(lambda: press(a, Qt.Key.Key_Z, CTRL))
        return done

    return Operation(f"redo of {op.name}", setup,
                     lambda a, _: press(a, Qt.Key.Key_Z, CTRL | SHIFT),
                     lambda b, a, an, done: a.history[0] == b.history[0] + 1
                     and _shown(a) == _shown(done))  # fmt: skip


UNDOABLE = ["tag", "edit note", "edit entity", "delete", "import a colleague's file",
            "add an article"]  # fmt: skip
STEPS_OF_EVERY_OPERATION = {
    o.name: o for name in UNDOABLE for o in (undo_of(OPERATIONS[name]), redo_of(OPERATIONS[name]))
}
