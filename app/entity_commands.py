"""Undoable edits of the entity registry: each is one step on the one undo stack, and undo puts
back exactly what was there (same ids), so the steps around it still apply."""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand

from app.commands import _dropped_if_failed
from app.store import Store


class RenameEntity(QUndoCommand):
    def __init__(self, store: Store, entity_id: int, name: str) -> None:
        before = store.entity(entity_id)
        super().__init__(f"Rename “{before.name}” to “{name}”")
        self._store, self._id, self._name, self._before = store, entity_id, name, before

    @_dropped_if_failed
    def redo(self) -> None:
        self._store.rename_entity(self._id, self._name)

    def undo(self) -> None:
        self._store.set_entity_state(self._before)


class EditAliases(QUndoCommand):
    """Add or remove one alias."""

    def __init__(self, store: Store, entity_id: int, alias: str, *, add: bool) -> None:
        before = store.entity(entity_id)
        verb = "Add alias" if add else "Remove alias"
        super().__init__(f"{verb} “{alias}” of “{before.name}”")
        self._store, self._id, self._alias, self._add, self._before = (
            store, entity_id, alias, add, before)  # fmt: skip

    @_dropped_if_failed
    def redo(self) -> None:
        if self._add:
            self._store.add_alias(self._id, self._alias)
        else:
            self._store.remove_alias(self._id, self._alias)

    def undo(self) -> None:
        self._store.set_entity_state(self._before)


class MergeEntities(QUndoCommand):
    """`gone`'s mentions, aliases and rejections go to `keep`; `gone` disappears."""

    def __init__(self, store: Store, keep_id: int, gone_id: int) -> None:
        keep, gone = store.entity(keep_id), store.entity(gone_id)
        super().__init__(f"Merge “{gone.name}” into “{keep.name}”")
        self._store, self._keep, self._gone, self._record = store, keep_id, gone_id, None

    @_dropped_if_failed
    def redo(self) -> None:
        self._record = self._store.merge_entities(self._keep, self._gone)

    def undo(self) -> None:
        self._store.unmerge(self._record)


class SplitAlias(QUndoCommand):
    """An alias leaves its entity and becomes one of its own, with the mentions written so."""

    def __init__(self, store: Store, entity_id: int, alias: str) -> None:
        super().__init__(f"Split “{alias}” off “{store.entity(entity_id).name}”")
        self._store, self._id, self._alias, self._record = store, entity_id, alias, None

    @_dropped_if_failed
    def redo(self) -> None:
        if self._record is None:
            self._record = self._store.split_alias(self._id, self._alias)
        else:
            self._store.redo_split(self._record, self._alias)

    def undo(self) -> None:
        self._store.unsplit(self._record)


class DeleteEntity(QUndoCommand):
    """The entity with all its mentions (the window asks first)."""

    def __init__(self, store: Store, entity_id: int) -> None:
        entity = store.entity(entity_id)
        super().__init__(f"Delete “{entity.name}” and its {entity.mentions} mentions")
        self._store, self._id, self._snap = store, entity_id, None

    @_dropped_if_failed
    def redo(self) -> None:
        self._snap = self._store.delete_entity(self._id)

    def undo(self) -> None:
        self._store.restore_entity(self._snap)


class RejectSuggestion(QUndoCommand):
    def __init__(self, store: Store, document_id: int, start: int, end: int, entity_id: int):
        super().__init__("Reject suggestion")
        self._store, self._key = store, (document_id, start, end, entity_id)

    @_dropped_if_failed
    def redo(self) -> None:
        self._store.set_suggestion_rejected(*self._key, rejected=True)

    def undo(self) -> None:
        self._store.set_suggestion_rejected(*self._key, rejected=False)


class ImportEntities(QUndoCommand):
    """A whole entity list (`app.entity_import`): new entities and added aliases, one step."""

    def __init__(self, store: Store, plan, file_name: str) -> None:
        super().__init__(f"Import entity list “{file_name}”")
        self._store, self._plan, self._made = store, plan, ()

    @_dropped_if_failed
    def redo(self) -> None:
        self._made = self._store.import_entities(self._plan, self._made)

    def undo(self) -> None:
        self._store.unimport_entities(self._plan, self._made)
