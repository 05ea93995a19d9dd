"""Checking an entity list against the project before anything is written.

`app.formats.entity_csv` says what the file holds; this decides what it means here and refuses it
whole when a row cannot be taken as it stands, naming the row and the entity in the way: a shared
list that half-applied would leave two analysts' registries differing in ways neither can see.
Names and aliases are compared as the registry compares them (`app.alias_match.normalize`: case,
accents and white space ignored), and one form names at most one entity per tag type, so a row
either creates an entity or adds aliases to the entity of the same name, and never takes a name
from another entity. The store writes the result as one undoable step (`Store.import_entities`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from app.alias_match import normalize
from app.formats.entity_csv import EntityRecord
from app.interchange import ImportProblem
from app.model import ENTITY_KIND, Entity, TagType
from app.wording import plural


@dataclass(frozen=True, slots=True)
class NewEntity:
    tag_type_id: int
    name: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class EntityImportPlan:
    new: tuple[NewEntity, ...] = ()
    aliases: tuple[tuple[int, tuple[str, ...]], ...] = ()  # (existing entity id, aliases to add)

    @property
    def empty(self) -> bool:
        return not self.new and not self.aliases

    @property
    def alias_count(self) -> int:
        return sum(len(n.aliases) for n in self.new) + sum(len(a) for _, a in self.aliases)

    def summary(self) -> str:
        if self.empty:
            return "nothing new: every entity and alias in the file is already in this project"
        parts = []
        if self.new:
            parts.append(_plural(len(self.new), "new entity", "new entities"))
        if self.alias_count:
            parts.append(_plural(self.alias_count, "alias", "aliases") + " added")
        if self.aliases:
            parts.append(_plural(len(self.aliases), "existing entity", "existing entities")
                         + " extended")  # fmt: skip
        return ", ".join(parts)


def plan_entity_import(
    records: Sequence[EntityRecord],
    tag_types: Iterable[TagType],
    entities: Iterable[Entity],
    file: str,
) -> EntityImportPlan:
    """What importing `records` adds to a project holding `entities`; ImportProblem otherwise."""
    types = list(tag_types)
    by_name = {t.name.casefold(): t for t in types}
    kinds = ", ".join(t.name for t in types if t.kind == ENTITY_KIND) or "none"
    owners: dict[tuple[int, str], Entity] = {}
    for entity in sorted(entities, key=lambda e: e.id):  # the store's rule: lowest id owns
        for form in entity.names:
            owners.setdefault((entity.tag_type_id, normalize(form)), entity)
    claimed: dict[tuple[int, str], tuple[EntityRecord, str]] = {}  # form → first row using it
    new: list[NewEntity] = []
    extended: dict[int, list[str]] = {}
    for record in records:
        where = f"row {record.row}"
        tag = by_name.get(record.tag_type.casefold())
        if tag is None:
            raise ImportProblem(file, where, f"unknown tag type “{record.tag_type}”; this "
                                f"project's entity types are: {kinds}")  # fmt: skip
        if tag.kind != ENTITY_KIND:
            raise ImportProblem(file, where, f"“{tag.name}” tags grade claims and have no "
                                f"entities; this project's entity types are: {kinds}")  # fmt: skip
        key = _key(record.name, file, where, "the name")
        _unclaimed(claimed, tag, key, record, file, where)
        target = owners.get((tag.id, key))
        if target is not None and normalize(target.name) != key:
            raise ImportProblem(file, where, f"“{record.name}” is already an alias of "
                                f"“{target.name}” ({tag.name}) in this project; give that "
                                "name in the row, or split the alias off first")  # fmt: skip
        claimed[(tag.id, key)] = (record, "name")
        added, seen = [], {key}
        for alias in record.aliases:
            alias_key = _key(alias, file, where, f"the alias “{alias}”")
            if alias_key in seen:
                continue
            seen.add(alias_key)
            _unclaimed(claimed, tag, alias_key, record, file, where)
            owner = owners.get((tag.id, alias_key))
            if owner is not None and (target is None or owner.id != target.id):
                raise ImportProblem(file, where, f"the alias “{alias}” already names "
                                    f"“{owner.name}” ({tag.name}) in this project; merge the "
                                    "two there, or take the alias out of the row")  # fmt: skip
            claimed[(tag.id, alias_key)] = (record, "alias")
            if owner is None:
                added.append(alias)
        if target is None:
            new.append(NewEntity(tag.id, record.name, tuple(added)))
        elif added:
            extended.setdefault(target.id, []).extend(added)
    return EntityImportPlan(tuple(new), tuple((i, tuple(a)) for i, a in extended.items()))


def _key(form: str, file: str, where: str, what: str) -> str:
    key = normalize(form)
    if not key:
        raise ImportProblem(file, where, f"{what} has no letter or digit to recognise it by")
    return key


def _unclaimed(claimed, tag: TagType, key: str, record: EntityRecord, file: str, where: str):
    if (tag.id, key) not in claimed:
        return
    first, role = claimed[(tag.id, key)]
    what = "its name" if role == "name" else f"an alias of “{first.name}”"
    raise ImportProblem(file, where, f"“{_form(record, key)}” is already in row {first.row} "
                        f"({what}, {tag.name}); one name belongs to one entity")  # fmt: skip


def _form(record: EntityRecord, key: str) -> str:
    return next((f for f in (record.name, *record.aliases) if normalize(f) == key), record.name)


def _plural(n: int, one: str, many: str) -> str:
    return plural(n, one, many)
