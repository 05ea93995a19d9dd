"""Which names a tag teaches the registry: a quote tagged as an entity becomes one of its
aliases, unless that form is already known for the tag type (its own name, or any entity's
alias). The window (through the Store) and the command line (`loupe tag`, `loupe suggest
--accept-all`) apply this same rule inside their tagging transaction.

Pure: the caller passes the lookup of an entity by name and writes the aliases returned.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from app.alias_match import AliasEntry, normalize
from app.model import Annotation

AliasIndex = dict[tuple[int, str], int]  # (tag type, normalized name) → entity id


def alias_index(rows: Iterable[tuple[int, int, str]]) -> AliasIndex:
    """From (entity id, tag type id, name or alias) rows: each normalized name's owner, the
    lowest entity id holding it."""
    index: AliasIndex = {}
    for eid, tid, alias in sorted(rows):
        index.setdefault((tid, normalize(alias)), eid)
    return index


def names_taught(
    annotations: Sequence[Annotation],
    index: AliasIndex,
    find_entity: Callable[[int, str], int | None],
) -> tuple[list[AliasEntry], list[tuple[int, str]]]:
    """The names these tags make known (for suggestions to look for) and the (entity id,
    alias) rows to write. `index` is updated in place, so a name taught twice in one batch is
    taught once; `find_entity(tag type id, name)` gives the id the insert gave an entity."""
    taught: list[AliasEntry] = []
    rows: list[tuple[int, str]] = []
    for a in annotations:
        if not a.entity:
            continue
        quote = " ".join(a.quote.split())
        forms = [(a.entity, normalize(a.entity)), (quote, normalize(quote))]
        if all((a.tag_type_id, key) in index or not key for _, key in forms):
            continue
        eid = find_entity(a.tag_type_id, a.entity)
        for form, key in forms:
            if eid is None or not key or (a.tag_type_id, key) in index:
                continue
            index[(a.tag_type_id, key)] = eid
            if form != a.entity:
                rows.append((eid, form))
            taught.append(AliasEntry(eid, a.tag_type_id, form))
    return taught, rows
