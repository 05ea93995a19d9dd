"""The store and its undo stack against a plain-Python model (issue 5): random sessions of
tagging, retagging, deleting, undo, redo, document edits, tag-type removal, colleague imports and
review decisions, exports and reopening, driven by a hypothesis state machine over a real project
file. After every step the database must say what the model says (annotations, layers, verdicts,
documents, counts), every quote must be its slice of the text, no transaction may be open, every
signal must come after its COMMIT and the store's name caches must match the database. Undoing
everything since the last reopen must give back that database exactly, registry rows included.

Size: `LOUPE_RELIABILITY_SCALE` (tests/reliability/scale.py); figures in docs/reliability.md.
"""

from __future__ import annotations

import shutil
import tempfile
import uuid
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from PySide6.QtGui import QUndoStack

from app.articles import make_document
from app.commands import (
    AddAnnotations,
    EditAnnotation,
    EditDocument,
    ImportColleagueFile,
    RemoveAnnotations,
    RemoveTagType,
    ReviewDecision,
)
from app.formats import loupe_csv, w3c
from app.interchange import ImportProblem
from app.model import Grade, utc_now
from app.offsets import new_annotation
from app.review import accept_theirs, keep_mine, reject_theirs, review_items
from app.review_import import match_documents, plan_import, unique_layer_name
from app.store import Store
from db.connection import open_db
from tests.reliability.model_support import (
    ARTICLES,
    NAMES,
    NOTES,
    SOURCES,
    THEIR_ARTICLE,
    ModelChecks,
    assert_same_database,
    dump,
    grades,
    write_colleague_file,
)
from tests.reliability.scale import SCALE, pick


@pytest.fixture(scope="module")
def colleague_file(tmp_path_factory) -> Path:
    return write_colleague_file(tmp_path_factory.mktemp("colleague"))


class StoreMachine(ModelChecks, RuleBasedStateMachine):
    colleague_file: Path  # set by the test

    @initialize(data=st.data())
    def open_project(self, data) -> None:
        """A project with three articles and some work saved before this session."""
        self.folder = Path(tempfile.mkdtemp(prefix="loupe-model-"))
        self.path = self.folder / "project.loupe"
        self.db = open_db(self.path)
        self.store = Store(self.db)
        docs = self.store.add_documents([make_document(t, title=n, source=s)
                                         for n, s, t in ARTICLES])  # fmt: skip
        # The model: what the database must hold.
        self.docs = {d.id: (d.title, d.text, d.source) for d in docs}
        self.types = {t.name: t for t in self.store.tag_types()}
        self.layers: dict = {}  # layer name → {colleague's id: row with its verdict}
        self.verdicts: dict = {}  # layer name → {own annotation id: verdict}
        self.next_id = 0
        self.exported: tuple = ()  # the model's documents, tags and types at the last export
        earlier = [self._draw_annotation(data) for _ in range(data.draw(st.integers(0, 4)))]
        self.store.add_annotations(earlier)
        self.anns = {a.id: a for a in earlier}
        self._reset_history()

    def _reset_history(self) -> None:
        """A new stack, as the app has after opening the project; the model's history too."""
        self.stack = QUndoStack()
        self.late_signals: list[str] = []
        for name in ("annotations_added", "annotations_removed", "annotation_updated",
                     "documents_changed", "document_updated", "tag_types_changed",
                     "entities_changed", "aliases_added", "owners_changed", "layers_changed",
                     "review_changed"):  # fmt: skip
            getattr(self.store, name).connect(lambda *_a, name=name: self._signalled(name))
        self.undone: list = []  # (model before, model after) of each step, oldest first
        self.redoable: list = []
        self.baseline = dump(self.store)

    def _signalled(self, name: str) -> None:
        if self.db.conn.in_transaction:
            self.late_signals.append(name)  # emitted before its COMMIT

    def teardown(self) -> None:
        if not hasattr(self, "db"):
            return
        try:
            self._undo_everything()
            assert_same_database(dump(self.store), self.baseline, "undo of all is not the start")
        finally:  # a failing run leaves no project behind either
            self.db.close()
            shutil.rmtree(self.folder, ignore_errors=True)

    # ------------------------------------------------------------ the model's history

    @staticmethod
    def _copy(state: tuple) -> tuple:
        docs, anns, types, layers, verdicts = state
        nested = ({k: dict(v) for k, v in d.items()} for d in (layers, verdicts))
        return (dict(docs), dict(anns), dict(types), *nested)

    def _state(self) -> tuple:
        return self._copy((self.docs, self.anns, self.types, self.layers, self.verdicts))

    def _restore(self, state: tuple) -> None:
        self.docs, self.anns, self.types, self.layers, self.verdicts = self._copy(state)

    def _push(self, command, change) -> None:
        before = self._state()
        self.stack.push(command)
        change()
        self.undone.append((before, self._state()))
        self.redoable.clear()

    def _undo_everything(self) -> None:
        """Step by step, each state checked: a loss undone later would hide from the end."""
        while self.stack.canUndo():
            self.undo()
            self.check_against_the_model()

    # ------------------------------------------------------------ tagging

    def _draw_annotation(self, data):
        """A valid span (not only white space) of one of the articles, tagged at random; ids
        are counted, not random, so hypothesis replays a failure exactly."""
        doc_id = data.draw(st.sampled_from(sorted(self.docs)))
        text = self.docs[doc_id][1]
        start = data.draw(st.sampled_from([i for i, c in enumerate(text) if not c.isspace()]))
        end = data.draw(st.integers(start + 1, min(len(text), start + 30)))
        tag, entity, grade = data.draw(self._tagging())
        ann = new_annotation(text, doc_id, start, end, self.types[tag].id, entity=entity,
                             grade=grade, note=data.draw(st.sampled_from(NOTES)))  # fmt: skip
        self.next_id += 1
        return replace(ann, id=str(uuid.UUID(int=self.next_id)))

    def _tagging(self):
        """(tag type, entity, grade) as the popups make them, over the types still there."""
        kinds = sorted(self.types)
        return st.sampled_from(kinds).flatmap(
            lambda tag: st.tuples(st.just(tag), st.sampled_from(NAMES[tag]), st.just(Grade()))
            if tag in NAMES else st.tuples(st.just(tag), st.just(""), grades)
        )  # fmt: skip

    @precondition(lambda self: self.types)
    @rule(data=st.data())
    def tag(self, data) -> None:
        self.tag_several(data, 1)

    @precondition(lambda self: self.types)
    @rule(data=st.data(), count=st.integers(2, 4))
    def tag_several(self, data, count: int) -> None:
        """Several tags in one command, as "accept all suggestions" makes them."""
        new = [self._draw_annotation(data) for _ in range(count)]
        self._push(
            AddAnnotations(self.store, new), lambda: self.anns.update({a.id: a for a in new})
        )

    @precondition(lambda self: self.anns)
    @rule(data=st.data())
    def retag(self, data) -> None:
        old = self.anns[data.draw(st.sampled_from(sorted(self.anns)))]
        tag, entity, grade = data.draw(self._tagging())
        new = replace(old, tag_type_id=self.types[tag].id, entity=entity, grade=grade,
                      note=data.draw(st.sampled_from(NOTES)), updated_at=utc_now())  # fmt: skip
        command = EditAnnotation(self.store, old, new, "Retag")
        self._push(command, lambda: self.anns.update({new.id: new}))

    @precondition(lambda self: self.anns)
    @rule(data=st.data())
    def delete(self, data) -> None:
        ids = data.draw(st.lists(st.sampled_from(sorted(self.anns)), min_size=1, max_size=3,
                                 unique=True))  # fmt: skip
        command = RemoveAnnotations(self.store, [self.anns[i] for i in ids])
        self._push(command, lambda: [self.anns.pop(i) for i in ids])

    @rule()
    def undo(self) -> None:
        assert self.stack.canUndo() == bool(self.undone)
        if self.undone:
            self.stack.undo()
            before, after = self.undone.pop()
            self._restore(before)
            self.redoable.append((before, after))

    @rule()
    def redo(self) -> None:
        assert self.stack.canRedo() == bool(self.redoable)
        if self.redoable:
            self.stack.redo()
            before, after = self.redoable.pop()
            self._restore(after)
            self.undone.append((before, after))

    # ------------------------------------------------------------ documents and tag types

    @rule(data=st.data())
    def edit_document_source(self, data) -> None:
        doc_id = data.draw(st.sampled_from(sorted(self.docs)))
        old = self.store.document(doc_id)
        new = replace(old, source=data.draw(st.sampled_from(SOURCES)), title=old.title + "·")
        model = (new.title, new.text, new.source)
        self._push(EditDocument(self.store, old, new), lambda: self.docs.update({doc_id: model}))

    @precondition(lambda self: self.types)
    @rule(data=st.data())
    def remove_tag_type(self, data) -> None:
        """With its tags, entities and aliases, and a colleague's tags of that type."""
        gone = self.types[data.draw(st.sampled_from(sorted(self.types)))]

        def change() -> None:
            del self.types[gone.name]
            self.anns = {i: a for i, a in self.anns.items() if a.tag_type_id != gone.id}
            for name, rows in self.layers.items():
                self.layers[name] = {i: r for i, r in rows.items() if r[4] != gone.id}

        self._push(RemoveTagType(self.store, gone), change)

    # ------------------------------------------------------------ a colleague's file

    @precondition(lambda self: len(self.layers) < 3)
    @rule()
    def import_colleague_file(self) -> None:
        """The headless flow of app/cli_review.py: read, match, plan, one undoable write. A file
        naming a tag type this project no longer has is refused whole, before any write."""
        store = self.store
        foreign = store.read_colleague_file(self.colleague_file)
        matches = match_documents(foreign, store.local_documents(), store.document_text)
        assert {m.how for m in matches} <= {"hash", "new"}
        name = unique_layer_name(foreign.creator, {layer.name for layer in store.layers()})
        if {a.tag_type for a in foreign.annotations} - set(self.types):
            before = dump(store)
            with pytest.raises(ImportProblem, match="unknown tag type"):
                plan_import(foreign, matches, store.tag_types(), store.document_text,
                            layer_name=name)  # fmt: skip
            assert dump(store) == before
            return
        plan = plan_import(foreign, matches, store.tag_types(), store.document_text,
                           layer_name=name)  # fmt: skip
        command = ImportColleagueFile(store, plan)

        def change() -> None:
            for doc in command.added:
                self.docs[doc.id] = (doc.title, doc.text, doc.source)
            assert [(d.title, d.source) for d in command.added] in ([], [THEIR_ARTICLE[:2]])
            by_text = {text: i for i, (_title, text, _source) in self.docs.items()}
            texts = {d.key: d.text for d in foreign.documents}
            self.layers[name] = {
                a.id: (by_text[texts[a.document_key]], a.start, a.end, a.exact,
                       self.types[a.tag_type].id, a.entity, a.grade.compact, a.note, "")
                for a in foreign.annotations
            }  # fmt: skip
            self.verdicts[name] = {}

        self._push(command, change)

    @precondition(lambda self: any(self.layers.values()))
    @rule(data=st.data())
    def review(self, data) -> None:
        """Accept theirs, reject theirs or keep mine on one difference, as the review panel."""
        name = data.draw(st.sampled_from(sorted(n for n, rows in self.layers.items() if rows)))
        doc_id = data.draw(st.sampled_from(sorted({r[0] for r in self.layers[name].values()})))
        store = self.store
        items = review_items(store.annotations(doc_id), store.layer_annotations(name, doc_id),
                             store.own_decisions(name))  # fmt: skip
        item = data.draw(st.sampled_from(items))
        verdict = data.draw(st.sampled_from(("accept", "reject", "keep")))
        change = (accept_theirs(item, set(self.anns)) if verdict == "accept" else
                  reject_theirs(item) if verdict == "reject" else keep_mine(item))  # fmt: skip
        command = ReviewDecision(store, name, change.text, theirs=change.theirs, own=change.own,
                                 add=change.add, remove=change.remove)  # fmt: skip

        def apply() -> None:
            for a in change.remove:
                del self.anns[a.id]
            self.anns.update({a.id: a for a in change.add})
            rows = self.layers[name]
            for (_doc, their_id), decision, _old in change.theirs:
                rows[their_id] = (*rows[their_id][:-1], decision)
            self.verdicts[name].update({i: decision for i, decision, _old in change.own})

        self._push(command, apply)

    # ------------------------------------------------------------ exports and reopening

    @precondition(lambda self: self.exported != self._state()[:3])
    @rule()
    def export_csv_and_w3c(self) -> None:
        """Both exports read back through Loupe's own parsers give the model's annotations.
        (Only when something changed since the last export: the same export proves nothing.)"""
        self.exported = self._state()[:3]
        names = {t.id: name for name, t in self.types.items()}

        def expected(key):
            return sorted(
                (a.id, key(a.document_id), a.start, a.end, a.quote, a.prefix, a.suffix,
                 names[a.tag_type_id], a.entity, a.grade, a.note, a.created_at, a.updated_at)
                for a in self.anns.values()
            )  # fmt: skip

        def read(file):
            return sorted(
                (a.id, a.document_key, a.start, a.end, a.exact, a.prefix, a.suffix, a.tag_type,
                 a.entity, a.grade, a.note, a.created, a.modified) for a in file.annotations
            )  # fmt: skip

        csv_path, w3c_path = self.folder / "export.csv", self.folder / "export.json"
        self.store.export_csv(str(csv_path))
        assert read(loupe_csv.parse(csv_path.read_bytes(), csv_path.name)) == expected(str)
        self.store.export_w3c(str(w3c_path))
        from_w3c = w3c.parse(w3c_path.read_bytes(), w3c_path.name)
        hashes = {i: make_document(text).text_sha256 for i, (_t, text, _s) in self.docs.items()}
        assert read(from_w3c) == expected(lambda i: f"urn:sha256:{hashes[i]}")
        assert {(d.title, d.text, d.source) for d in from_w3c.documents} == set(self.docs.values())

    @precondition(lambda self: len(self.undone) + len(self.redoable) >= 2)
    @rule()
    def reopen(self) -> None:
        """Close and open the file as the app does: the undo history is gone."""
        self.db.close()
        self.db = open_db(self.path)
        self.store = Store(self.db)
        self._reset_history()

    @precondition(lambda self: len(self.undone) >= 2)
    @rule()
    def undo_everything_and_redo_it(self) -> None:
        end, steps = dump(self.store), len(self.undone)
        self._undo_everything()
        assert_same_database(dump(self.store), self.baseline, "undo of all is not the last open")
        for _ in range(steps):
            self.redo()
            self.check_against_the_model()
        assert_same_database(dump(self.store), end, "redo of all is not where it was")

    # ------------------------------------------------------------ invariants

    @invariant()
    def database_agrees_with_the_model(self) -> None:
        if hasattr(self, "store"):
            self.check_against_the_model()


def test_store_and_undo_stack_always_agree_with_the_model(qapp, colleague_file) -> None:
    StoreMachine.colleague_file = colleague_file
    run_state_machine_as_test(
        StoreMachine,
        settings=settings(
            max_examples=pick(ci=100, large=1000),
            stateful_step_count=60 if SCALE == "large" else 30,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
