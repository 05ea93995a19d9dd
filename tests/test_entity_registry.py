"""The entity registry through the Store and its undo commands: aliases collected from tagging,
rename, merge, split and delete, each undone back to the same database."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QUndoStack

from app.articles import make_document
from app.commands import AddAnnotations
from app.entity_commands import (
    DeleteEntity,
    EditAliases,
    MergeEntities,
    RejectSuggestion,
    RenameEntity,
    SplitAlias,
)
from app.offsets import new_annotation
from app.store import Store
from app.store_entities import EntityError
from tests.db_helpers import logical_dump

TEXT = (
    "Abu Mohammad al-Jolani spoke in Idlib. Jolani said HTS would hold Idlib. "
    "Hayat Tahrir al-Sham fighters entered Hama; al-Julani was not seen.\n"
)
ACTOR, LOCATION = 1, 2


@pytest.fixture
def env(qapp, db):
    store = Store(db)
    store.add_documents([make_document(TEXT, title="Idlib")])
    doc = store.document_summaries()[0].id
    return store, QUndoStack(), doc


def tag(store, stack, doc, quote, entity, tag_type=ACTOR, occurrence=1):
    start = -1
    for _ in range(occurrence):
        start = TEXT.index(quote, start + 1)
    ann = new_annotation(TEXT, doc, start, start + len(quote), tag_type, entity=entity)
    stack.push(AddAnnotations(store, [ann]))
    return ann


def dump(store):
    return logical_dump(store.db.conn)


def by_name(store, name):
    return next(e for e in store.entities() if e.name == name)


def test_tagged_quotes_become_aliases_and_are_announced(env):
    store, stack, doc = env
    heard = []
    store.aliases_added.connect(heard.append)
    tag(store, stack, doc, "Abu Mohammad al-Jolani", "Abu Mohammad al-Jolani")
    tag(store, stack, doc, "Jolani", "Abu Mohammad al-Jolani", occurrence=2)
    jolani = by_name(store, "Abu Mohammad al-Jolani")
    assert jolani.aliases == ("Jolani",) and jolani.mentions == 2 and jolani.documents == (doc,)
    assert [[a.alias for a in batch] for batch in heard] == [["Abu Mohammad al-Jolani"], ["Jolani"]]
    tag(store, stack, doc, "Idlib", "Idlib", LOCATION)
    assert store.alias_owner(ACTOR, "JOLANI") == jolani.id
    assert store.alias_owner(LOCATION, "jolani") is None  # per tag type


def test_an_alias_owned_by_another_entity_is_refused(env):
    store, stack, doc = env
    tag(store, stack, doc, "Jolani", "Jolani")
    tag(store, stack, doc, "HTS", "HTS")
    hts = by_name(store, "HTS")
    with pytest.raises(EntityError, match="already names “Jolani”"):
        store.add_alias(hts.id, "  jolani ")
    before = dump(store)
    stack.push(EditAliases(store, hts.id, "Hayat Tahrir al-Sham", add=True))
    assert by_name(store, "HTS").aliases == ("Hayat Tahrir al-Sham",)
    stack.undo()
    assert dump(store) == before


def test_rename_keeps_the_old_name_as_an_alias_and_undoes(env):
    store, stack, doc = env
    tag(store, stack, doc, "HTS", "HTS")
    before = dump(store)
    changed = []
    store.entities_changed.connect(lambda: changed.append(1))
    stack.push(RenameEntity(store, by_name(store, "HTS").id, "Hayat Tahrir al-Sham"))
    renamed = by_name(store, "Hayat Tahrir al-Sham")
    assert renamed.aliases == ("HTS",) and renamed.mentions == 1 and changed == [1]
    assert store.annotations(doc)[0].entity == "Hayat Tahrir al-Sham"
    stack.undo()
    assert dump(store) == before


def test_merge_moves_mentions_aliases_and_rejections_and_undoes_exactly(env):
    store, stack, doc = env
    tag(store, stack, doc, "Abu Mohammad al-Jolani", "Abu Mohammad al-Jolani")
    tag(store, stack, doc, "Jolani", "Jolani", occurrence=2)
    tag(store, stack, doc, "al-Julani", "al-Julani")
    keep, gone = by_name(store, "Abu Mohammad al-Jolani"), by_name(store, "Jolani")
    stack.push(RejectSuggestion(store, doc, 0, 6, gone.id))
    before = dump(store)
    stack.push(MergeEntities(store, keep.id, gone.id))
    merged = by_name(store, "Abu Mohammad al-Jolani")
    assert merged.mentions == 2 and "Jolani" in merged.aliases
    assert [e.name for e in store.entities(ACTOR)] == ["Abu Mohammad al-Jolani", "al-Julani"]
    assert store.rejected_suggestions(doc) == {(0, 6, keep.id)}
    assert store.alias_owner(ACTOR, "jolani") == keep.id
    stack.undo()
    assert dump(store) == before
    assert store.alias_owner(ACTOR, "jolani") == gone.id
    stack.redo()
    assert by_name(store, "Abu Mohammad al-Jolani").mentions == 2
    with pytest.raises(EntityError):
        store.merge_entities(keep.id, by_name(store, "al-Julani").id + 99)


def test_split_takes_the_mentions_written_that_way(env):
    store, stack, doc = env
    tag(store, stack, doc, "Abu Mohammad al-Jolani", "Abu Mohammad al-Jolani")
    tag(store, stack, doc, "Jolani", "Abu Mohammad al-Jolani", occurrence=2)
    source = by_name(store, "Abu Mohammad al-Jolani")
    before = dump(store)
    stack.push(SplitAlias(store, source.id, "Jolani"))
    split = by_name(store, "Jolani")
    assert split.mentions == 1 and by_name(store, "Abu Mohammad al-Jolani").aliases == ()
    stack.undo()
    assert dump(store) == before
    stack.redo()
    assert by_name(store, "Jolani").id == split.id  # the same id again
    with pytest.raises(EntityError, match="own name"):
        store.split_alias(source.id, "ABU MOHAMMAD AL-JOLANI")


def test_delete_takes_the_mentions_and_undo_brings_them_back(env):
    store, stack, doc = env
    tag(store, stack, doc, "HTS", "HTS")
    tag(store, stack, doc, "Hayat Tahrir al-Sham", "HTS")
    before = dump(store)
    removed = []
    store.annotations_removed.connect(removed.append)
    stack.push(DeleteEntity(store, by_name(store, "HTS").id))
    assert store.annotations(doc) == [] and store.entities() == [] and len(removed[0]) == 2
    stack.undo()
    assert dump(store) == before


def test_a_failed_edit_leaves_nothing_on_the_stack(env):
    store, stack, doc = env
    tag(store, stack, doc, "HTS", "HTS")
    tag(store, stack, doc, "Jolani", "Jolani", occurrence=2)
    depth = stack.count()
    with pytest.raises(EntityError):
        stack.push(RenameEntity(store, by_name(store, "HTS").id, "JOLANI"))
    assert stack.count() == depth
