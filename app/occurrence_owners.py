"""How the occurrences found in a document follow an edit of the entity registry, so that a
rename, merge, split or delete needs no new search of the text.

Pure (no Qt, no SQL). An occurrence names its owner by (entity id, alias); the owner of a folded
name within a tag type is the entry a matcher would report for it (`owners_of`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from operator import attrgetter

from app.alias_match import AliasEntry, Occurrence, _make_occurrence, normalize

Owners = dict[tuple[int, str], AliasEntry]  # (tag type, folded name) → owner


def owners_of(entries: Iterable[AliasEntry], fold: Callable[[str], str] = normalize) -> Owners:
    """Of the entities sharing a folded name within a type, the lowest id (and its first
    spelling), as `AliasMatcher` picks."""
    owners: Owners = {}
    for e in sorted(entries, key=attrgetter("entity_id", "alias")):
        key = fold(e.alias)
        if key:
            owners.setdefault((e.tag_type_id, key), e)
    return owners


def follow_owners(
    everything: Iterable[Occurrence], owners: Owners, fold: Callable[[str], str]
) -> list[Occurrence]:
    """Any registry edit: each occurrence handed to its name's owner now, those of names no
    longer known dropped; order kept."""
    kept = []
    for o in everything:
        owner = owners.get((o.tag_type_id, fold(o.alias)))
        if owner is None:
            continue
        if (owner.entity_id, owner.alias) != (o.entity_id, o.alias):
            o = _make_occurrence(o.start, o.end, owner.entity_id, o.tag_type_id, owner.alias)
        kept.append(o)
    return kept


def moved_owners(before: Owners, after: Owners) -> dict[tuple[int, str], AliasEntry]:
    """(entity id, alias) of an owner before → its name's owner after, where they differ."""
    moved = {}
    for key, new in after.items():
        old = before[key]
        if (old.entity_id, old.alias) != (new.entity_id, new.alias):
            moved[old.entity_id, old.alias] = new
    return moved


def hand_over(
    everything: list[Occurrence],
    found: list[Occurrence],
    moved: dict[tuple[int, str], AliasEntry],
    touched: set[tuple[int, int]],
) -> tuple[list[Occurrence], list[Occurrence], list[Occurrence]]:
    """A registry edit that keeps every name (merge, split): the occurrences of a moved owner
    ((entity id, alias) → new entry) handed to it, in both lists, in the same order; and, in
    `found` order, those of `found` to filter again: handed over, or at a `touched` span (one
    whose rejection changed). Order and the leftmost-longest choice are unchanged, since an
    (entity, alias) names one folded name and a span of one type holds one name."""
    if not moved:
        again = [o for o in found if (o.start, o.end) in touched] if touched else []
        return everything, found, again
    make, new_at, out = _make_occurrence, {}, []
    for o in everything:
        new = moved.get((o.entity_id, o.alias))
        if new is not None:
            o = new_at[o.start, o.end, o.tag_type_id] = make(
                o.start, o.end, new.entity_id, o.tag_type_id, new.alias
            )
        out.append(o)
    chosen, again = [], []
    for o in found:
        new = moved.get((o.entity_id, o.alias))
        if new is not None:
            o = new_at.get((o.start, o.end, o.tag_type_id)) or make(
                o.start, o.end, new.entity_id, o.tag_type_id, new.alias
            )
            again.append(o)
        elif touched and (o.start, o.end) in touched:
            again.append(o)
        chosen.append(o)
    return out, chosen, again
