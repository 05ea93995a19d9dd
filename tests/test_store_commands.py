"""The store and the undo commands: every edit lands in the database in one transaction, its
signals come after COMMIT, undo puts the database back exactly, redo does it again, and a failed
write changes nothing and stays off the undo stack."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field, replace

import pytest
from PySide6.QtGui import QUndoStack

from app.articles import make_document
from app.commands import (
    AddAnnotations,
    AddDocuments,
    AddTagType,
    EditAnnotation,
    EditDocument,
    EditTagType,
    RemoveAnnotations,
    RemoveTagType,
)
from app.entity_commands import RenameEntity
from app.model import Grade, TagType
from app.offsets import new_annotation
from app.store import Store
from db.connection import open_db
from tests.db_helpers import logical_dump

TEXT = "Rebels took Hama. Homs is next, said al-Jolani; Homs fell by night 🐈.\n"
OTHER = "Al-Jolani’s men entered Homs. Damascus 🇸🇾 waits.\n"
SIGNALS = (
    "annotations_added",
    "annotations_removed",
    "annotation_updated",
    "documents_changed",
    "document_updated",
    "tag_types_changed",
)


@dataclass
class Env:
    store: Store
    stack: QUndoStack
    reader: sqlite3.Connection  # a second connection: it sees only what was committed
    events: list = field(default_factory=list)

    @property
    def db(self):
        return self.store.db

    def dump(self) -> list[str]:
        return logical_dump(self.db.conn)

    def committed(self) -> list[str]:
        return logical_dump(self.reader)

    def record(self, name: str):
        def slot(*args):
            # Inside the slot, another connection must already read what this one holds: the
            # transaction is committed. (Before COMMIT it would still read the old state.)
            self.events.append((name, args, self.committed() == self.dump()))

        return slot

    def take(self) -> list[tuple[str, tuple]]:
        """The signals since the last call; each one must have come after its COMMIT."""
        events, self.events = self.events, []
        for name, _args, committed in events:
            assert committed, f"{name} was emitted before its change was committed"
        return [(name, args) for name, args, _committed in events]


@pytest.fixture
def env(qapp, tmp_path):
    db = open_db(tmp_path / "project.loupe")
    store = Store(db)
    reader = sqlite3.connect(tmp_path / "project.loupe")
    env = Env(store, QUndoStack(), reader)
    for name in SIGNALS:
        getattr(store, name).connect(env.record(name))
    yield env
    reader.close()
    db.close()


@pytest.fixture
def seeded(env):
    """A document with tags, so entities and sources the commands use already exist."""
    store = env.store
    (doc,) = store.add_documents([make_document(TEXT, source="Wire")])
    loc, actor, cred = (next(t for t in store.tag_types() if t.name == n) for n in
                        ("Location", "Actor", "Credibility"))  # fmt: skip
    anns = [
        new_annotation(TEXT, doc.id, 18, 22, loc.id, entity="Homs"),
        new_annotation(TEXT, doc.id, 12, 16, loc.id, entity="Hama"),
        new_annotation(TEXT, doc.id, 37, 46, actor.id, entity="al-Jolani"),
        new_annotation(TEXT, doc.id, 18, 30, cred.id, grade=Grade(3, "B")),
    ]
    store.add_annotations(anns)
    env.take()
    return {"doc": doc, "loc": loc, "actor": actor, "cred": cred, "anns": anns}


def run(env: Env, command, on_redo, on_undo) -> None:
    """push → undo → redo, checking signals, COMMIT-before-signal and exact database states."""
    before = env.dump()
    env.stack.push(command)
    assert env.take() == on_redo
    after = env.dump()
    assert after != before, "the command changed nothing"
    env.stack.undo()
    assert env.take() == on_undo
    assert env.dump() == before
    env.stack.redo()
    assert env.take() == on_redo
    assert env.dump() == after


def test_add_annotations(env, seeded) -> None:
    doc, loc = seeded["doc"], seeded["loc"]
    new = [
        new_annotation(TEXT, doc.id, 48, 52, loc.id, entity="Homs"),
        new_annotation(TEXT, doc.id, 67, 68, seeded["cred"].id, grade=Grade(6)),
    ]
    run(
        env,
        AddAnnotations(env.store, new),
        [("annotations_added", (new,))],
        [("annotations_removed", (new,))],
    )
    assert [env.store.annotation(a.id) for a in new] == new
    assert env.store.entity_counts(doc.id, loc.id)[0].count == 2  # both "Homs" in TEXT


def test_remove_annotations(env, seeded) -> None:
    gone = seeded["anns"][:2]
    run(
        env,
        RemoveAnnotations(env.store, gone),
        [("annotations_removed", (gone,))],
        [("annotations_added", (gone,))],
    )
    assert [env.store.annotation(a.id) for a in gone] == [None, None]


def test_edit_annotation(env, seeded) -> None:
    old = seeded["anns"][0]
    new = replace(old, entity="Hama", grade=Grade(2, "A"), note="misread", updated_at="2030")
    run(
        env,
        EditAnnotation(env.store, old, new, "Edit tag"),
        [("annotation_updated", (old, new))],
        [("annotation_updated", (new, old))],
    )
    assert env.store.annotation(old.id) == new


def test_add_documents_keeps_ids_on_redo(env, seeded) -> None:
    docs = [make_document(OTHER, source="Blog"), make_document("Another: Idlib.\n")]
    command = AddDocuments(env.store, docs)
    changed = [("documents_changed", ())]
    run(env, command, changed, changed)  # "Blog", a new source, goes with the undo
    assert [d.id for d in command.added] == [2, 3]
    assert [env.store.document(d.id).text for d in command.added] == [OTHER, "Another: Idlib.\n"]


def test_edit_document(env, seeded) -> None:
    old = seeded["doc"]
    new = replace(old, title="Homs report", url="https://example.org/homs", published="2024-12-06")
    run(
        env,
        EditDocument(env.store, old, new),
        [("document_updated", (new,)), ("documents_changed", ())],
        [("document_updated", (old,)), ("documents_changed", ())],
    )
    assert env.store.document(old.id) == new


def test_add_tag_type(env, seeded) -> None:
    command = AddTagType(env.store, TagType(None, "Weapon", "entity", "#CC79A7", "4", 3))
    run(
        env,
        command,
        [("tag_types_changed", ())],
        [("tag_types_changed", ()), ("annotations_removed", ([],))],
    )
    assert command.added in env.store.tag_types()
    assert env.store.tag_type(command.added.id).name == "Weapon"


def test_edit_tag_type(env, seeded) -> None:
    old = seeded["loc"]
    new = replace(old, name="Place", color="#56B4E9", shortcut="9")
    run(env, EditTagType(env.store, old, new), [("tag_types_changed", ())],
        [("tag_types_changed", ())])  # fmt: skip
    assert env.store.tag_type(old.id) == new  # the store's cache was refreshed


def test_remove_tag_type_and_undo_restores_everything(env, seeded) -> None:
    loc = seeded["loc"]
    tagged = [a for a in seeded["anns"] if a.tag_type_id == loc.id]
    command = RemoveTagType(env.store, loc)
    before = env.dump()
    env.stack.push(command)
    events = env.take()
    assert [name for name, _ in events] == ["tag_types_changed", "annotations_removed"]
    assert sorted(a.id for a in events[1][1][0]) == sorted(a.id for a in tagged)
    assert env.store.tag_type(loc.id) is None
    assert env.store.entity_names(loc.id) == []
    after = env.dump()
    env.stack.undo()
    events = env.take()
    assert [name for name, _ in events] == ["tag_types_changed", "annotations_added"]
    assert sorted(a.id for a in events[1][1][0]) == sorted(a.id for a in tagged)
    assert env.dump() == before
    assert env.store.tag_type(loc.id) == loc
    env.stack.redo()
    assert [name for name, _ in env.take()] == ["tag_types_changed", "annotations_removed"]
    assert env.dump() == after


def test_several_commands_undo_in_order_back_to_the_start(env, seeded) -> None:
    start = env.dump()
    (doc,) = AddDocuments(env.store, [make_document(OTHER)])._documents
    add_doc = AddDocuments(env.store, [doc])
    env.stack.push(add_doc)
    added = add_doc.added[0]
    ann = new_annotation(OTHER, added.id, 24, 28, seeded["loc"].id, entity="Homs")
    env.stack.push(AddAnnotations(env.store, [ann]))
    env.stack.push(RemoveTagType(env.store, seeded["actor"]))
    env.stack.push(EditAnnotation(env.store, ann, replace(ann, note="x"), "Note"))
    end = env.dump()
    while env.stack.canUndo():
        env.stack.undo()
    assert env.dump() == start
    while env.stack.canRedo():
        env.stack.redo()
    assert env.dump() == end
    assert env.store.annotation(ann.id).note == "x"


@pytest.mark.parametrize("via_stack", [True, False], ids=["undo-stack", "store"])
def test_a_failing_write_raises_emits_nothing_and_changes_nothing(env, seeded, via_stack) -> None:
    doc, loc = seeded["doc"], seeded["loc"]
    fresh = new_annotation(TEXT, doc.id, 48, 52, loc.id, entity="Homs")
    duplicate = seeded["anns"][0]
    earlier = new_annotation(TEXT, doc.id, 0, 6, seeded["actor"].id, entity="al-Jolani")
    env.stack.push(AddAnnotations(env.store, [earlier], "an edit before"))
    env.take()
    before, count = env.dump(), env.stack.count()
    with pytest.raises(sqlite3.IntegrityError):
        if via_stack:
            env.stack.push(AddAnnotations(env.store, [fresh, duplicate]))
        else:
            env.store.add_annotations([fresh, duplicate])
    assert env.take() == []
    assert env.dump() == before  # the first, valid row was rolled back with the failing one
    assert env.committed() == before
    assert not env.db.conn.in_transaction
    # The failed command is not on the stack, so Ctrl+Z undoes the edit before it and does not
    # delete the annotation that was already there.
    assert env.stack.count() == count
    env.stack.undo()
    assert env.store.annotation(earlier.id) is None
    assert env.store.annotation(duplicate.id) == duplicate


def test_undoing_a_tag_takes_away_the_entity_and_alias_it_made_and_redo_keeps_their_id(
    env, seeded
) -> None:
    """Undo is exact (docs/architecture.md): a new name typed on a tag made an entity and its
    quote an alias; undo takes both away, redo brings them back with the same id, so a later
    step that names the id (a rename) still applies."""
    loc, start = seeded["loc"], TEXT.index("night")
    ann = new_annotation(TEXT, seeded["doc"].id, start, start + 5, loc.id, entity="Secret source")
    before = env.dump()
    env.stack.push(AddAnnotations(env.store, [ann]))
    made = env.store.entity_id(loc.id, "Secret source")
    assert env.store.entity(made).aliases == ("night",)
    env.stack.push(RenameEntity(env.store, made, "Safe house"))
    after = env.dump()
    env.stack.undo()
    env.stack.undo()
    assert env.dump() == before
    assert env.store.entity(made) is None
    assert "Secret source" not in env.store.entity_names(loc.id)
    assert env.store.alias_owner(loc.id, "night") is None
    env.stack.redo()
    env.stack.redo()
    assert env.dump() == after
    assert env.store.entity(made).name == "Safe house"
    assert env.store.alias_owner(loc.id, "night") == made
