"""Exact undo of the rows a step creates on the side. A tag typed with a new name makes an
entity and teaches an alias, an import or a document edit may name a new source; these used to
outlive the undo of the step, so undoing everything did not give back the project as it was.
Mixed into `Store` like the other `store_*` mixins: each method runs inside the caller's
transaction or right after its COMMIT.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.alias_match import AliasEntry
from db import repository as repo


@dataclass(eq=False, slots=True)
class CreatedRows:
    """The registry rows one undoable step created: entities for new names typed on its tags,
    aliases its quotes taught, sources its documents named. The store records them at the step's
    first run (`recorded`); its undo takes away exactly these and its redo puts them back with
    the same ids, since later steps on the stack name those ids, and learns nothing else. A step
    that only puts back what was there (undo of a delete or an edit) passes `restoring()`."""

    entities: tuple[tuple[int, int, str], ...] = ()  # (id, tag type id, name)
    aliases: tuple[tuple[int, int, str], ...] = ()  # (entity id, tag type id, alias)
    sources: tuple[tuple[int, str], ...] = ()  # (id, name)
    recorded: bool = False

    @classmethod
    def restoring(cls) -> CreatedRows:
        return cls(recorded=True)

    def record(self, created: CreatedRows) -> None:
        self.entities, self.aliases, self.sources = (
            created.entities, created.aliases, created.sources)  # fmt: skip
        self.recorded = True


class StepRecordMixin:
    def _write_step(self, db, made: CreatedRows | None, write, annotations=(), sources=()):
        """One step's write inside its transaction: `write()` stores `annotations` (or the
        documents naming `sources`). Returns what `write` returned, the names taught and the rows
        created (None unless `made` is a first run's empty record). A first run learns as always
        (new entities, aliases); a redo (`made` recorded) puts the recorded rows back first, same
        ids, and learns nothing else, so undo and redo stay exact."""
        if made is not None and made.recorded:
            repo.entities.put_back(db, made.entities, made.aliases)
            repo.sources.put_back_sources(db, made.sources)
            taught = [AliasEntry(*row) for row in (*made.entities, *made.aliases)]
            return write(), taught, None
        if made is None:  # not an undoable step: nothing to record
            result = write()
            return result, self._collect_aliases(db, annotations)[0] if annotations else [], None
        names = {(a.tag_type_id, a.entity) for a in annotations if a.entity}
        new_names = sorted(n for n in names if repo.entities.find_entity(db, *n) is None)
        wanted = {s.strip() for s in sources} - {""}
        new_sources = sorted(s for s in wanted if repo.sources.find_source_id(db, s) is None)
        result = write()
        taught, alias_rows = self._collect_aliases(db, annotations) if annotations else ([], ())
        created = CreatedRows(
            tuple((repo.entities.find_entity(db, t, n), t, n) for t, n in new_names),
            alias_rows,
            tuple((repo.sources.find_source_id(db, s), s) for s in new_sources),
        )
        return result, taught, created

    def _step_written(self, made: CreatedRows | None, created: CreatedRows | None) -> None:
        """After COMMIT: a first run keeps what it created; a redo that put rows back makes the
        alias index reload (it was read before they were there)."""
        if made is None:
            return
        if created is not None:
            made.record(created)
        elif made.entities or made.aliases:
            self._alias_index = None

    def _take_away(self, db, forget: CreatedRows | None) -> bool:
        """Undo: the rows the step being undone created go, in its transaction. True when
        entities or aliases went (the caller then says the registry changed, after COMMIT)."""
        if forget is None:
            return False
        repo.entities.take_away(db, forget.entities, forget.aliases)
        repo.sources.take_away_sources(db, forget.sources)
        return bool(forget.entities or forget.aliases)
