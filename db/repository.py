"""Repository functions: dataclasses in, dataclasses out. All of Loupe's SQL lives in db/.

Functions here never commit on their own; callers wrap each user action in `write_transaction(db)`
(`BEGIN IMMEDIATE`, db/connection.py; the store and the CLI do), so one action is one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from sqlite_utils import Database

from app.model import (
    LAYER_COLUMNS,
    Annotation,
    Document,
    DocumentSummary,
    Grade,
    TagType,
)
from db.search import (  # noqa: F401  the store reaches db through this module only
    document_ids_with_tag_type,
    match_spans,
    search_documents,
)

# ---------------------------------------------------------------- settings


def get_setting(db: Database, key: str, default: str = "") -> str:
    row = db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
    return row[0] if row else default


def set_setting(db: Database, key: str, value: str) -> None:
    db.execute(
        "INSERT INTO settings (key, value) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [key, value],
    )


# ---------------------------------------------------------------- tag types

_TAG_COLUMNS = "id, name, kind, color, shortcut, position"


def list_tag_types(db: Database) -> list[TagType]:
    rows = db.execute(f"SELECT {_TAG_COLUMNS} FROM tag_types ORDER BY position, id").fetchall()
    return [TagType(*row) for row in rows]


def find_tag_type(db: Database, name: str) -> TagType | None:
    row = db.execute(
        f"SELECT {_TAG_COLUMNS} FROM tag_types WHERE name = ? COLLATE NOCASE", [name.strip()]
    ).fetchone()
    return TagType(*row) if row else None


def insert_tag_type(db: Database, tag: TagType) -> TagType:
    cur = db.execute(
        "INSERT INTO tag_types (id, name, kind, color, shortcut, position) VALUES (?,?,?,?,?,?)",
        [tag.id, tag.name, tag.kind, tag.color, tag.shortcut, tag.position],
    )
    return TagType(cur.lastrowid, tag.name, tag.kind, tag.color, tag.shortcut, tag.position)


def update_tag_type(db: Database, tag: TagType) -> None:
    db.execute(
        "UPDATE tag_types SET name = ?, kind = ?, color = ?, shortcut = ?, position = ?"
        " WHERE id = ?",
        [tag.name, tag.kind, tag.color, tag.shortcut, tag.position, tag.id],
    )


def count_annotations_of_type(db: Database, tag_type_id: int) -> int:
    return db.execute(
        "SELECT count(*) FROM annotations WHERE tag_type_id = ?", [tag_type_id]
    ).fetchone()[0]


@dataclass(frozen=True, slots=True)
class TagTypeSnapshot:
    """Everything removing a tag type deletes, so undo can put it back exactly."""

    tag_type: TagType
    entities: tuple[tuple[int, str], ...]
    annotations: tuple[Annotation, ...]
    # What the deletes cascade to: the entities' aliases and rejected suggestions, and
    # colleagues' annotations of the type (`LAYER_COLUMNS` rows).
    aliases: tuple[tuple[int, str], ...] = ()
    rejections: tuple[tuple[int, int, int, int], ...] = ()
    layer_rows: tuple[tuple, ...] = ()


def delete_tag_type(db: Database, tag_type_id: int) -> TagTypeSnapshot:
    tag = next(t for t in list_tag_types(db) if t.id == tag_type_id)
    entities = tuple(
        db.execute("SELECT id, name FROM entities WHERE tag_type_id = ?", [tag_type_id]).fetchall()
    )
    annotations = tuple(_annotations_where(db, "a.tag_type_id = ?", [tag_type_id]))

    def rows(sql: str) -> tuple[tuple, ...]:
        return tuple(map(tuple, db.execute(sql, [tag_type_id]).fetchall()))

    of_type = "JOIN entities e ON e.id = x.entity_id WHERE e.tag_type_id = ?"
    aliases = rows(f"SELECT x.entity_id, x.alias FROM entity_aliases x {of_type}")
    rejections = rows(
        f'SELECT x.document_id, x.start, x."end", x.entity_id FROM rejected_suggestions x {of_type}'
    )
    columns = ", ".join(f'"{c}"' for c in LAYER_COLUMNS)
    layer_rows = rows(f"SELECT {columns} FROM layer_annotations WHERE tag_type_id = ?")
    db.execute("DELETE FROM annotations WHERE tag_type_id = ?", [tag_type_id])
    db.execute("DELETE FROM entities WHERE tag_type_id = ?", [tag_type_id])
    db.execute("DELETE FROM tag_types WHERE id = ?", [tag_type_id])
    entity_rows = tuple(map(tuple, entities))
    return TagTypeSnapshot(tag, entity_rows, annotations, aliases, rejections, layer_rows)


def restore_tag_type(db: Database, snap: TagTypeSnapshot) -> None:
    insert_tag_type(db, snap.tag_type)
    db.conn.executemany(
        "INSERT INTO entities (id, tag_type_id, name) VALUES (?, ?, ?)",
        [(eid, snap.tag_type.id, name) for eid, name in snap.entities],
    )
    insert_annotations(db, snap.annotations)
    entities.add_alias_rows(db, snap.aliases)
    db.conn.executemany(
        'INSERT INTO rejected_suggestions (document_id, start, "end", entity_id) VALUES (?,?,?,?)',
        snap.rejections,
    )
    columns = ", ".join(f'"{c}"' for c in LAYER_COLUMNS)
    marks = ",".join("?" * len(LAYER_COLUMNS))
    sql = f"INSERT INTO layer_annotations ({columns}) VALUES ({marks})"
    db.conn.executemany(sql, snap.layer_rows)


# ---------------------------------------------------------------- documents

_DOC_COLUMNS = (
    "d.id, d.title, d.text, d.text_sha256, coalesce(s.name, ''), d.url, d.published, d.created_at,"
    " d.author"
)


def _source_id(db: Database, name: str) -> int | None:
    name = name.strip()
    if not name:
        return None
    db.execute("INSERT INTO sources (name) VALUES (?) ON CONFLICT (name) DO NOTHING", [name])
    return db.execute("SELECT id FROM sources WHERE name = ?", [name]).fetchone()[0]


def list_sources(db: Database) -> list[str]:
    return [r[0] for r in db.execute("SELECT name FROM sources ORDER BY name COLLATE NOCASE")]


def find_document_by_hash(db: Database, text_sha256: str) -> DocumentSummary | None:
    rows = list_document_summaries(db, "d.text_sha256 = ?", [text_sha256])
    return rows[0] if rows else None


def insert_document(db: Database, doc: Document) -> Document:
    cur = db.execute(
        "INSERT INTO documents (id, title, source_id, url, published, text, text_length,"
        " text_sha256, created_at, author) VALUES (?,?,?,?,?,?,?,?,?,?)",
        [
            doc.id,
            doc.title,
            _source_id(db, doc.source),
            doc.url,
            doc.published,
            doc.text,
            len(doc.text),
            doc.text_sha256,
            doc.created_at,
            doc.author,
        ],
    )
    return Document(
        cur.lastrowid,
        doc.title,
        doc.text,
        doc.text_sha256,
        doc.source,
        doc.url,
        doc.published,
        doc.created_at,
        doc.author,
    )


def delete_document(db: Database, document_id: int) -> None:
    db.execute("DELETE FROM documents WHERE id = ?", [document_id])


def get_document(db: Database, document_id: int) -> Document | None:
    row = db.execute(
        f"SELECT {_DOC_COLUMNS} FROM documents d LEFT JOIN sources s ON s.id = d.source_id "
        "WHERE d.id = ?",
        [document_id],
    ).fetchone()
    return Document(*row) if row else None


def update_document_properties(db: Database, doc: Document) -> None:
    db.execute(
        "UPDATE documents SET title = ?, source_id = ?, url = ?, published = ?, author = ?"
        " WHERE id = ?",
        [doc.title, _source_id(db, doc.source), doc.url, doc.published, doc.author, doc.id],
    )


def list_document_summaries(
    db: Database, where: str = "1", params: Sequence[object] = ()
) -> list[DocumentSummary]:
    rows = db.execute(
        "SELECT d.id, d.title, coalesce(s.name, ''),"
        " (SELECT count(*) FROM annotations a WHERE a.document_id = d.id), d.text_length,"
        " d.published, d.author FROM documents d LEFT JOIN sources s ON s.id = d.source_id"
        f" WHERE {where} ORDER BY d.id",
        list(params),
    ).fetchall()
    return [DocumentSummary(*row) for row in rows]


def count_documents(db: Database) -> int:
    return db.execute("SELECT count(*) FROM documents").fetchone()[0]


# ---------------------------------------------------------------- annotations

_ANN_SELECT = (
    'SELECT a.id, a.document_id, a.start, a."end", a.quote, a.prefix, a.suffix, a.tag_type_id,'
    " coalesce(e.name, ''), a.credibility, a.reliability, a.note, a.annotator,"
    " a.created_at, a.updated_at FROM annotations a LEFT JOIN entities e ON e.id = a.entity_id"
)


def _row_to_annotation(row: tuple) -> Annotation:
    (aid, doc, start, end, quote, prefix, suffix, tag, entity, cred, rel, note, who, ca, ua) = row
    return Annotation(
        aid,
        doc,
        start,
        end,
        quote,
        prefix,
        suffix,
        tag,
        entity,
        Grade(cred, rel),
        note,
        who,
        ca,
        ua,
    )


def _annotations_where(db: Database, where: str, params: Sequence[object]) -> Iterator[Annotation]:
    for row in db.execute(f"{_ANN_SELECT} WHERE {where}", list(params)):
        yield _row_to_annotation(row)


def annotations_for_document(db: Database, document_id: int) -> list[Annotation]:
    return list(
        _annotations_where(
            db, "a.document_id = ? ORDER BY a.start, a.end, a.created_at", [document_id]
        )
    )


def annotation_spans(db: Database, document_id: int) -> list[tuple[str, int, int, int]]:
    """(id, start, end, tag_type_id) in paint order, read from the covering index alone: opening
    a document needs only these, and building 50,000 full records would triple the time."""
    return db.conn.execute(
        'SELECT id, start, "end", tag_type_id FROM annotations WHERE document_id = ?'
        ' ORDER BY start, "end" DESC',
        [document_id],
    ).fetchall()


def get_annotation(db: Database, annotation_id: str) -> Annotation | None:
    return next(_annotations_where(db, "a.id = ?", [annotation_id]), None)


def _entity_id(db: Database, tag_type_id: int, name: str) -> int | None:
    if not name:
        return None
    row = db.execute(
        "SELECT id FROM entities WHERE tag_type_id = ? AND name = ?", [tag_type_id, name]
    ).fetchone()
    if row:
        return row[0]
    return entities.create_entity(db, tag_type_id, name)


# Column order of an annotation row; the update rewrites all but the first two and created_at.
_ANN_COLUMNS = (
    "id", "document_id", "start", "end", "quote", "prefix", "suffix", "tag_type_id", "entity_id",
    "credibility", "reliability", "note", "annotator", "created_at", "updated_at",
)  # fmt: skip
_UPDATED = [c for c in _ANN_COLUMNS if c not in ("id", "document_id", "created_at")]


def _annotation_params(db: Database, a: Annotation) -> dict:
    return {
        "id": a.id, "document_id": a.document_id, "start": a.start, "end": a.end,
        "quote": a.quote, "prefix": a.prefix, "suffix": a.suffix, "tag_type_id": a.tag_type_id,
        "entity_id": _entity_id(db, a.tag_type_id, a.entity),
        "credibility": a.grade.credibility, "reliability": a.grade.reliability, "note": a.note,
        "annotator": a.annotator, "created_at": a.created_at, "updated_at": a.updated_at,
    }  # fmt: skip


def insert_annotations(db: Database, annotations: Iterable[Annotation]) -> None:
    columns = ", ".join(f'"{c}"' for c in _ANN_COLUMNS)
    values = ", ".join(f":{c}" for c in _ANN_COLUMNS)
    db.conn.executemany(
        f"INSERT INTO annotations ({columns}) VALUES ({values})",
        (_annotation_params(db, a) for a in annotations),
    )


def update_annotation(db: Database, a: Annotation) -> None:
    assignments = ", ".join(f'"{c}" = :{c}' for c in _UPDATED)
    db.conn.execute(
        f"UPDATE annotations SET {assignments} WHERE id = :id", _annotation_params(db, a)
    )


def delete_annotations(db: Database, ids: Iterable[str]) -> None:
    db.conn.executemany("DELETE FROM annotations WHERE id = ?", [(i,) for i in ids])


def entity_names(db: Database, tag_type_id: int) -> list[str]:
    rows = db.execute(
        "SELECT name FROM entities WHERE tag_type_id = ? ORDER BY name COLLATE NOCASE",
        [tag_type_id],
    )
    return [r[0] for r in rows]


# Reports (counts, mentions, export) live in db/reports.py; re-exported so callers have one facade.
# The entity registry (db/entities.py) and sources (db/sources.py) are reached as modules:
# `repo.entities.merge_entities(…)`, `repo.sources.…`.
from db import drafts, entities, sources, summary  # noqa: E402, F401
from db.connection import write_transaction  # noqa: E402, F401  (BEGIN IMMEDIATE, for the Store)
from db.foreign import (  # noqa: E402  (a colleague's Loupe project, read-only: db/foreign.py)
    ForeignProject,
    ForeignProjectAnnotation,
    ForeignProjectDocument,
    ForeignProjectError,
    read_project,
)
from db.layers import (  # noqa: E402  (colleagues' layers: db/layers.py)
    anchor_counts,
    delete_layer,
    document_refs,
    import_layer,
    insert_layer,
    layer_annotations,
    layer_exists,
    list_layers,
    orphans,
    own_decisions,
    set_decisions,
    set_layer_visible,
    set_own_decisions,
)
from db.reader import project_file, read_only  # noqa: E402, F401  (for worker threads)
from db.reports import (  # noqa: E402
    EXPORT_COLUMNS,
    entity_counts,
    export_rows,
    grade_counts,
    mentions,
)

__all__ = [
    "EXPORT_COLUMNS", "entity_counts", "export_rows", "grade_counts", "mentions",
    "anchor_counts", "delete_layer", "document_refs", "import_layer", "insert_layer",
    "layer_annotations", "layer_exists", "list_layers", "orphans", "own_decisions",
    "set_decisions", "set_own_decisions", "set_layer_visible",
    "ForeignProject", "ForeignProjectAnnotation", "ForeignProjectDocument", "ForeignProjectError",
    "read_project", "entities", "sources", "summary",
]  # fmt: skip
