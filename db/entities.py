"""The entity registry: canonical entities, their aliases, and suggestions the analyst rejected.

Every change here is written so that undo can put back exactly what was there: functions that
take something away return an `EntitySnapshot`, and `restore_entity` puts it back with the same
ids, so later undo steps that name those ids still find them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlite_utils import Database

from app.model import Entity, EntitySnapshot


def list_entities(db: Database, tag_type_id: int | None = None) -> list[Entity]:
    """Every entity (of one tag type, or all), with aliases, mention count and documents. The
    counts come from the covering index by document, so no annotation row is read."""
    where, params = ("WHERE e.tag_type_id = ?", [tag_type_id]) if tag_type_id else ("", [])
    rows = db.execute(
        f"SELECT e.id, e.tag_type_id, e.name FROM entities e {where}"
        " ORDER BY e.tag_type_id, e.name COLLATE NOCASE",
        params,
    ).fetchall()
    aliases: dict[int, list[str]] = {}
    for eid, alias in db.execute(
        "SELECT entity_id, alias FROM entity_aliases ORDER BY entity_id, alias COLLATE NOCASE"
    ):
        aliases.setdefault(eid, []).append(alias)
    mentions: dict[int, int] = {}
    documents: dict[int, list[int]] = {}
    for doc, eid, n in db.execute(
        "SELECT document_id, entity_id, count(*) FROM annotations"
        " INDEXED BY annotations_counts_by_document WHERE entity_id IS NOT NULL"
        " GROUP BY document_id, entity_id"
    ):
        mentions[eid] = mentions.get(eid, 0) + n
        documents.setdefault(eid, []).append(doc)
    return [
        Entity(
            eid,
            tid,
            name,
            tuple(aliases.get(eid, ())),
            mentions.get(eid, 0),
            tuple(documents.get(eid, ())),
        )  # fmt: skip
        for eid, tid, name in rows
    ]


def get_entity(db: Database, entity_id: int) -> Entity | None:
    row = db.execute(
        "SELECT id, tag_type_id, name FROM entities WHERE id = ?", [entity_id]
    ).fetchone()
    if row is None:
        return None
    aliases = tuple(
        r[0]
        for r in db.execute(
            "SELECT alias FROM entity_aliases WHERE entity_id = ? ORDER BY alias COLLATE NOCASE",
            [entity_id],
        )
    )
    docs = db.execute(
        "SELECT document_id, count(*) FROM annotations WHERE entity_id = ? GROUP BY document_id",
        [entity_id],
    ).fetchall()
    return Entity(*row, aliases, sum(n for _, n in docs), tuple(d for d, _ in docs))


def entity_name(db: Database, entity_id: int) -> str | None:
    row = db.execute("SELECT name FROM entities WHERE id = ?", [entity_id]).fetchone()
    return row[0] if row else None


def find_entity(db: Database, tag_type_id: int, name: str) -> int | None:
    row = db.execute(
        "SELECT id FROM entities WHERE tag_type_id = ? AND name = ?", [tag_type_id, name]
    ).fetchone()
    return row[0] if row else None


ID_HIGH_WATER = "entity_id_high_water"  # settings key: the highest entity id ever given


def new_entity_id(db: Database) -> int:
    """An id no entity of this project ever had. Rowids are reused once the highest is deleted,
    so after a merge another window (or `loupe`) could take the id the merge freed, and the
    merge's undo, which puts the entity back under its own id, was refused. The high-water mark
    only rises: an undo takes its entities away but not the mark, as SQLite's AUTOINCREMENT
    keeps its counter (tests compare the database without it)."""
    top = db.execute("SELECT coalesce(max(id), 0) FROM entities").fetchone()[0]
    mark = db.execute("SELECT value FROM settings WHERE key = ?", [ID_HIGH_WATER]).fetchone()
    new = max(top, int(mark[0]) if mark and str(mark[0]).isdigit() else 0) + 1
    db.execute(
        "INSERT INTO settings (key, value) VALUES (?, ?)"
        " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [ID_HIGH_WATER, str(new)],
    )
    return new


def create_entity(db: Database, tag_type_id: int, name: str, entity_id: int | None = None) -> int:
    """`entity_id` puts an entity back under its own id (undo, redo); None gives a new one."""
    entity_id = new_entity_id(db) if entity_id is None else entity_id
    db.execute(
        "INSERT INTO entities (id, tag_type_id, name) VALUES (?, ?, ?)",
        [entity_id, tag_type_id, name],
    )
    return entity_id


def mentions_in_document(db: Database, document_id: int) -> dict[int, int]:
    rows = db.execute(
        "SELECT entity_id, count(*) FROM annotations WHERE document_id = ?"
        " AND entity_id IS NOT NULL GROUP BY entity_id",
        [document_id],
    )
    return dict(rows.fetchall())


def mention_quotes(db: Database, entity_id: int) -> list[tuple[str, str]]:
    """(annotation id, quote) of every mention: what splitting an alias off sorts through."""
    rows = db.execute("SELECT id, quote FROM annotations WHERE entity_id = ?", [entity_id])
    return [tuple(r) for r in rows]


def quote_counts(
    db: Database, entity_id: int, document_id: int | None = None
) -> list[tuple[str, int]]:
    """How an entity's mentions are written, most frequent first: the aliases behind a count."""
    scope, params = ("AND document_id = ?", [document_id]) if document_id is not None else ("", [])
    rows = db.execute(
        f"SELECT quote, count(*) AS n FROM annotations WHERE entity_id = ? {scope}"
        " GROUP BY quote ORDER BY n DESC, quote",
        [entity_id, *params],
    )
    return [tuple(r) for r in rows]


def rename_entity(db: Database, entity_id: int, name: str) -> None:
    db.execute("UPDATE entities SET name = ? WHERE id = ?", [name, entity_id])


def add_aliases(db: Database, entity_id: int, aliases: Iterable[str]) -> None:
    add_alias_rows(db, [(entity_id, a) for a in aliases])


def add_alias_rows(db: Database, rows: Iterable[tuple[int, str]]) -> None:
    """(entity id, alias) rows, as tagging teaches them; those already there are kept."""
    db.conn.executemany(
        "INSERT OR IGNORE INTO entity_aliases (entity_id, alias) VALUES (?, ?)", list(rows)
    )


def remove_aliases(db: Database, entity_id: int, aliases: Iterable[str]) -> None:
    db.conn.executemany(
        "DELETE FROM entity_aliases WHERE entity_id = ? AND alias = ?",
        [(entity_id, a) for a in aliases],
    )


def all_aliases(db: Database) -> list[tuple[int, int, str]]:
    """(entity id, tag type id, alias) for every name and alias: what suggestions look for."""
    rows = db.execute(
        "SELECT id, tag_type_id, name FROM entities UNION ALL"
        " SELECT e.id, e.tag_type_id, a.alias FROM entity_aliases a"
        " JOIN entities e ON e.id = a.entity_id"
    )
    return [tuple(r) for r in rows]


def move_mentions(db: Database, annotation_ids: Sequence[str], entity_id: int) -> None:
    """One statement for any number of ids (a JSON array read by json_each): 10,000 single
    UPDATEs by primary key took 3× as long."""
    import json

    db.execute(
        "UPDATE annotations SET entity_id = ? WHERE id IN (SELECT value FROM json_each(?))",
        [entity_id, json.dumps(list(annotation_ids))],
    )


def rejections_of(db: Database, entity_id: int) -> tuple[tuple[int, int, int], ...]:
    """(document_id, start, end) of the suggestions rejected for this entity."""
    rows = db.execute(
        'SELECT document_id, start, "end" FROM rejected_suggestions WHERE entity_id = ?',
        [entity_id],
    )
    return tuple(tuple(r) for r in rows)


def snapshot(db: Database, entity_id: int, with_annotations: bool = False) -> EntitySnapshot:
    from db.repository import _annotations_where

    entity = get_entity(db, entity_id)
    if entity is None:
        raise KeyError(f"no entity {entity_id}")
    ids = tuple(r[0] for r in db.execute(
        "SELECT id FROM annotations WHERE entity_id = ? ORDER BY id", [entity_id]
    ))  # fmt: skip
    annotations = tuple(_annotations_where(db, "a.entity_id = ?", [entity_id])) if (
        with_annotations) else ()  # fmt: skip
    return EntitySnapshot(entity, ids, annotations, rejections_of(db, entity_id))


def merge_entities(db: Database, keep_id: int, gone_id: int, aliases: Iterable[str]) -> None:
    """Every mention and rejection of `gone` goes to `keep`, which gains `aliases` (the caller
    passes gone's names not already known to keep). One UPDATE through the entity index moves
    the mentions."""
    db.execute("UPDATE annotations SET entity_id = ? WHERE entity_id = ?", [keep_id, gone_id])
    add_aliases(db, keep_id, aliases)
    db.execute(
        'INSERT OR IGNORE INTO rejected_suggestions (document_id, start, "end", entity_id)'
        ' SELECT document_id, start, "end", ? FROM rejected_suggestions WHERE entity_id = ?',
        [keep_id, gone_id],
    )
    delete_entity_row(db, gone_id)


def set_rejections(
    db: Database, entity_id: int, rejections: Iterable[tuple[int, int, int]]
) -> None:
    """Replace an entity's rejected suggestions ((document_id, start, end)): undo of a merge."""
    db.execute("DELETE FROM rejected_suggestions WHERE entity_id = ?", [entity_id])
    db.conn.executemany(
        'INSERT INTO rejected_suggestions (document_id, start, "end", entity_id)'
        " VALUES (?, ?, ?, ?)",
        [(*r, entity_id) for r in rejections],
    )


def delete_entity_row(db: Database, entity_id: int) -> None:
    """The entity, its aliases and its rejections (cascade); its mentions must be gone or moved."""
    db.execute("DELETE FROM entities WHERE id = ?", [entity_id])


def delete_entity(db: Database, entity_id: int) -> EntitySnapshot:
    """The entity with its mentions, after the caller asked the analyst."""
    snap = snapshot(db, entity_id, with_annotations=True)
    db.execute("DELETE FROM annotations WHERE entity_id = ?", [entity_id])
    delete_entity_row(db, entity_id)
    return snap


def restore_entity(db: Database, snap: EntitySnapshot) -> None:
    """Put an entity back as `snapshot` saw it: same id, aliases, mentions and rejections."""
    from db.repository import insert_annotations

    e = snap.entity
    create_entity(db, e.tag_type_id, e.name, e.id)
    add_aliases(db, e.id, e.aliases)
    if snap.annotations:
        insert_annotations(db, snap.annotations)
    else:
        move_mentions(db, snap.mention_ids, e.id)
    db.conn.executemany(
        'INSERT OR IGNORE INTO rejected_suggestions (document_id, start, "end", entity_id)'
        " VALUES (?, ?, ?, ?)",
        [(*r, e.id) for r in snap.rejections],
    )


def set_aliases(db: Database, entity_id: int, aliases: Iterable[str]) -> None:
    """Replace an entity's aliases (undo of a merge gives the kept entity its old list back)."""
    db.execute("DELETE FROM entity_aliases WHERE entity_id = ?", [entity_id])
    add_aliases(db, entity_id, aliases)


def reject_suggestion(db: Database, document_id: int, start: int, end: int, entity_id: int) -> None:
    db.execute(
        'INSERT OR IGNORE INTO rejected_suggestions (document_id, start, "end", entity_id)'
        " VALUES (?, ?, ?, ?)",
        [document_id, start, end, entity_id],
    )


def unreject_suggestion(
    db: Database, document_id: int, start: int, end: int, entity_id: int
) -> None:
    db.execute(
        'DELETE FROM rejected_suggestions WHERE document_id = ? AND start = ? AND "end" = ?'
        " AND entity_id = ?",
        [document_id, start, end, entity_id],
    )


def rejected_suggestions(db: Database, document_id: int) -> set[tuple[int, int, int]]:
    """(start, end, entity_id) the analyst said no to in this document."""
    rows = db.execute(
        'SELECT start, "end", entity_id FROM rejected_suggestions WHERE document_id = ?',
        [document_id],
    )
    return {tuple(r) for r in rows}


def missing_alias_rows(db: Database, rows: Iterable[tuple[int, str]]) -> list[tuple[int, str]]:
    """The (entity id, alias) rows not stored yet: what writing `rows` would really add, so an
    undo takes away only those."""
    return [
        (eid, alias) for eid, alias in rows
        if db.execute("SELECT 1 FROM entity_aliases WHERE entity_id = ? AND alias = ?",
                      [eid, alias]).fetchone() is None
    ]  # fmt: skip


def put_back(
    db: Database, entities: Iterable[tuple[int, int, str]], aliases: Iterable[tuple[int, int, str]]
) -> None:
    """Redo of a tag that created these rows ((id, tag type id, name) and (entity id, tag type
    id, alias)): the same ids, so later steps that name them still apply. A row still there is
    kept."""
    db.conn.executemany(
        "INSERT OR IGNORE INTO entities (id, tag_type_id, name) VALUES (?, ?, ?)", list(entities)
    )
    add_alias_rows(db, [(eid, alias) for eid, _tag, alias in aliases])


def take_away(
    db: Database, entities: Iterable[tuple[int, int, str]], aliases: Iterable[tuple[int, int, str]]
) -> None:
    """Undo of that tag: the aliases it taught and the entities it created. An entity something
    still mentions stays (another window tagged it meanwhile): a mention must never be lost."""
    db.conn.executemany(
        "DELETE FROM entity_aliases WHERE entity_id = ? AND alias = ?",
        [(eid, alias) for eid, _tag, alias in aliases],
    )
    db.conn.executemany(
        "DELETE FROM entities WHERE id = ?"
        " AND NOT EXISTS (SELECT 1 FROM annotations WHERE entity_id = ?)",
        [(eid, eid) for eid, _tag, _name in entities],
    )
