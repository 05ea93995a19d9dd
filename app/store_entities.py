"""The entity registry's half of the Store: rename, merge, split, delete, aliases, rejected
suggestions. Mixed into `Store`, which owns the connection, the transaction and the signals; like
every Store write, each method is one transaction and signals go out only after COMMIT.

Aliases are compared by `alias_match.normalize` (case, accents and white space ignored). One
normalized alias belongs to at most one entity of a tag type, so a suggestion never has to guess;
the registry below is the in-memory index of that rule, loaded once and kept in step by every
write that goes through here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.alias_collect import AliasIndex, alias_index, names_taught
from app.alias_match import AliasEntry, normalize
from app.model import Annotation, Entity, EntitySnapshot
from db import repository as repo

if TYPE_CHECKING:
    from app.entity_import import EntityImportPlan


class EntityError(ValueError):
    """A registry change the analyst must be told about instead (a name taken, an alias owned)."""


@dataclass(frozen=True, slots=True)
class MergeRecord:
    keep: Entity  # as it was before: its aliases are given back on undo
    keep_rejections: tuple[tuple[int, int, int], ...]
    gone: EntitySnapshot


@dataclass(frozen=True, slots=True)
class SplitRecord:
    source: Entity  # as it was before
    new_id: int
    moved: tuple[str, ...]  # annotation ids that went to the new entity


class EntityStoreMixin:
    _alias_index: dict[tuple[int, str], int] | None = None  # (tag type, normalized) → entity id
    _names_by_id: dict[int, str] | None = None  # filled as asked, dropped on any registry edit

    # ------------------------------------------------------------ reads

    def entities(self, tag_type_id: int | None = None) -> list[Entity]:
        return repo.entities.list_entities(self.db, tag_type_id)

    def entity(self, entity_id: int) -> Entity | None:
        return repo.entities.get_entity(self.db, entity_id)

    def entity_name(self, entity_id: int) -> str | None:
        """The canonical name alone: suggestions ask it per entity they show, so it is cached
        until the registry changes (a full `entity` also counts mentions: ~2 ms)."""
        if self._names_by_id is None:
            self._names_by_id = {}
        name = self._names_by_id.get(entity_id)
        if name is None:  # a miss is not kept: tagging makes entities without a registry edit
            name = repo.entities.entity_name(self.db, entity_id)
            if name is not None:
                self._names_by_id[entity_id] = name
        return name

    def entity_id(self, tag_type_id: int, name: str) -> int | None:
        return repo.entities.find_entity(self.db, tag_type_id, name)

    def entity_mentions_in(self, document_id: int) -> dict[int, int]:
        return repo.entities.mentions_in_document(self.db, document_id)

    def quote_counts(self, entity_id: int, document_id: int | None = None):
        return repo.entities.quote_counts(self.db, entity_id, document_id)

    def alias_entries(self) -> list[AliasEntry]:
        """Every name and alias as the suggestion matcher wants them."""
        return [AliasEntry(e, t, a) for e, t, a in repo.entities.all_aliases(self.db)]

    def alias_owner(self, tag_type_id: int, alias: str) -> int | None:
        return self._aliases().get((tag_type_id, normalize(alias)))

    def rejected_suggestions(self, document_id: int) -> set[tuple[int, int, int]]:
        return repo.entities.rejected_suggestions(self.db, document_id)

    def _aliases(self) -> AliasIndex:
        if self._alias_index is None:
            self._alias_index = alias_index(repo.entities.all_aliases(self.db))
        return self._alias_index

    def _registry_changed(self) -> None:
        """Rename, merge, split, delete, aliases edited, import: mentions may count under other
        names now, so the counts regroup too."""
        self._names_forgotten()
        self.mentions_regrouped.emit()

    def _names_forgotten(self) -> None:
        """Names went, no mention moved: an undo took away the entity or alias its step had
        created. Views and suggestions reload the registry; counts need nothing (the removed
        tags adjusted them), and recounting a million tags after every Ctrl+Z cost ~100 ms."""
        self._alias_index = None
        self._names_by_id = None
        self._entity_names.clear()
        self.entities_changed.emit()
        self.owners_changed.emit()

    # ------------------------------------------------------------ aliases from tagging

    def _collect_aliases(self, db, annotations: Sequence[Annotation]):
        """Inside the tagging transaction: the names these tags teach (`app/alias_collect.py`)
        and the alias rows that wrote, as (entity id, tag type id, alias)."""
        taught, rows = names_taught(
            annotations, self._aliases(), lambda t, name: repo.entities.find_entity(db, t, name)
        )
        rows = repo.entities.missing_alias_rows(db, rows)
        repo.entities.add_alias_rows(db, rows)
        types = {e.entity_id: e.tag_type_id for e in taught}
        return taught, tuple((eid, types[eid], alias) for eid, alias in rows)

    # ------------------------------------------------------------ registry edits

    def add_alias(self, entity_id: int, alias: str) -> None:
        entity = self._existing(entity_id)
        alias = " ".join(alias.split())
        owner = self.alias_owner(entity.tag_type_id, alias)
        if not normalize(alias):
            raise EntityError("An alias needs at least one letter or digit.")
        if owner is not None and owner != entity_id:
            other = self.entity(owner)
            raise EntityError(f"“{alias}” already names “{other.name}”; merge the two instead.")
        if owner == entity_id:
            return
        with self._transaction() as db:
            repo.entities.add_aliases(db, entity_id, [alias])
        self._aliases()[(entity.tag_type_id, normalize(alias))] = entity_id
        self.aliases_added.emit([AliasEntry(entity_id, entity.tag_type_id, alias)])
        self.entities_changed.emit()

    def remove_alias(self, entity_id: int, alias: str) -> None:
        with self._transaction() as db:
            repo.entities.remove_aliases(db, entity_id, [alias])
        self._registry_changed()

    def rename_entity(self, entity_id: int, name: str) -> str:
        """Returns the old name (for undo)."""
        entity = self._existing(entity_id)
        name = " ".join(name.split())
        if not name:
            raise EntityError("An entity needs a name.")
        owner = self.alias_owner(entity.tag_type_id, name)
        if owner is not None and owner != entity_id:
            other = self.entity(owner)
            raise EntityError(f"“{name}” already names “{other.name}”; merge the two instead.")
        with self._transaction() as db:
            repo.entities.rename_entity(db, entity_id, name)
            repo.entities.add_aliases(db, entity_id, [entity.name])  # the old name still finds it
            repo.entities.remove_aliases(db, entity_id, [name])
        self._registry_changed()
        return entity.name

    def set_entity_state(self, entity: Entity) -> None:
        """Undo of a rename or an alias edit: name and aliases exactly as they were."""
        with self._transaction() as db:
            repo.entities.rename_entity(db, entity.id, entity.name)
            repo.entities.set_aliases(db, entity.id, entity.aliases)
        self._registry_changed()

    def merge_entities(self, keep_id: int, gone_id: int) -> MergeRecord:
        keep, gone = self._existing(keep_id), self._existing(gone_id)
        if keep.tag_type_id != gone.tag_type_id or keep_id == gone_id:
            raise EntityError("Only two different entities of the same tag type can be merged.")
        known = {normalize(n) for n in keep.names}
        new = [n for n in gone.names if normalize(n) not in known]
        with self._transaction() as db:
            keep_rejections = repo.entities.rejections_of(db, keep_id)
            gone_snap = repo.entities.snapshot(db, gone_id)
            repo.entities.merge_entities(db, keep_id, gone_id, new)
        self._registry_changed()
        return MergeRecord(keep, keep_rejections, gone_snap)

    def unmerge(self, record: MergeRecord) -> None:
        with self._transaction() as db:
            repo.entities.set_aliases(db, record.keep.id, record.keep.aliases)
            repo.entities.set_rejections(db, record.keep.id, record.keep_rejections)
            repo.entities.restore_entity(db, record.gone)
        self._registry_changed()

    def split_alias(self, entity_id: int, alias: str) -> SplitRecord:
        """`alias` leaves the entity and becomes an entity of its own, taking the mentions
        written that way (compared as aliases are)."""
        source = self._existing(entity_id)
        key = normalize(alias)
        if key == normalize(source.name):
            raise EntityError("The entity's own name cannot be split off; rename it instead.")
        if self.entity_id(source.tag_type_id, alias) is not None:
            raise EntityError(f"An entity called “{alias}” exists already.")
        with self._transaction() as db:
            moved = tuple(
                aid for aid, quote in repo.entities.mention_quotes(db, entity_id)
                if normalize(quote) == key
            )  # fmt: skip
            new_id = repo.entities.create_entity(db, source.tag_type_id, alias)
            repo.entities.move_mentions(db, moved, new_id)
            gone = [a for a in source.aliases if normalize(a) == key]
            repo.entities.remove_aliases(db, entity_id, gone)
            repo.entities.add_aliases(db, new_id, [a for a in gone if a != alias])
        self._registry_changed()
        return SplitRecord(source, new_id, moved)

    def unsplit(self, record: SplitRecord) -> None:
        with self._transaction() as db:
            repo.entities.move_mentions(db, record.moved, record.source.id)
            repo.entities.delete_entity_row(db, record.new_id)
            repo.entities.set_aliases(db, record.source.id, record.source.aliases)
        self._registry_changed()

    def redo_split(self, record: SplitRecord, alias: str) -> None:
        """Redo with the same new id, so later steps that name it still find it."""
        key = normalize(alias)
        with self._transaction() as db:
            repo.entities.create_entity(db, record.source.tag_type_id, alias, record.new_id)
            repo.entities.move_mentions(db, record.moved, record.new_id)
            gone = [a for a in record.source.aliases if normalize(a) == key]
            repo.entities.remove_aliases(db, record.source.id, gone)
            repo.entities.add_aliases(db, record.new_id, [a for a in gone if a != alias])
        self._registry_changed()

    def delete_entity(self, entity_id: int) -> EntitySnapshot:
        """The entity and every mention of it (the caller asked first)."""
        with self._transaction() as db:
            snap = repo.entities.delete_entity(db, entity_id)
        self._registry_changed()
        if snap.annotations:
            self.annotations_removed.emit(list(snap.annotations))
        return snap

    def restore_entity(self, snap: EntitySnapshot) -> None:
        with self._transaction() as db:
            repo.entities.restore_entity(db, snap)
        self._registry_changed()
        if snap.annotations:
            self.annotations_added.emit(list(snap.annotations))

    def import_entities(self, plan: EntityImportPlan, ids: Sequence[int] = ()) -> tuple[int, ...]:
        """A checked entity list (`app.entity_import`) in one transaction; returns the new ids.
        Redo passes the ids the first run made, so later steps that name them still apply."""
        # The plan was checked against the registry of moments ago; make sure that still holds.
        wanted = [(n.tag_type_id, f, None) for n in plan.new for f in (n.name, *n.aliases)]
        for eid, aliases in plan.aliases:
            wanted += [(self._existing(eid).tag_type_id, a, eid) for a in aliases]
        if any(self.alias_owner(t, form) not in (None, eid) for t, form, eid in wanted):
            raise EntityError("The entity registry changed while the list was read; "
                              "import the file again.")  # fmt: skip
        with self._transaction() as db:
            made = tuple(
                repo.entities.create_entity(db, n.tag_type_id, n.name, ids[i] if ids else None)
                for i, n in enumerate(plan.new)
            )
            for eid, n in zip(made, plan.new, strict=True):
                repo.entities.add_aliases(db, eid, n.aliases)
            for eid, aliases in plan.aliases:
                repo.entities.add_aliases(db, eid, aliases)
        self._registry_changed()  # views, suggestions included, reload the registry once
        return made

    def unimport_entities(self, plan: EntityImportPlan, made: Sequence[int]) -> None:
        """Undo of `import_entities`: the entities it made (no mention can point at them yet:
        anything tagged since was undone first) and the aliases it added."""
        with self._transaction() as db:
            for eid, aliases in plan.aliases:
                repo.entities.remove_aliases(db, eid, aliases)
            for eid in made:
                repo.entities.delete_entity_row(db, eid)
        self._registry_changed()

    def set_suggestion_rejected(
        self, document_id: int, start: int, end: int, entity_id: int, rejected: bool
    ) -> None:
        with self._transaction() as db:
            change = repo.entities.reject_suggestion if rejected else (
                repo.entities.unreject_suggestion)  # fmt: skip
            change(db, document_id, start, end, entity_id)
        self.suggestions_changed.emit(document_id)

    def _existing(self, entity_id: int) -> Entity:
        entity = self.entity(entity_id)
        if entity is None:
            raise EntityError("That entity no longer exists.")
        return entity
