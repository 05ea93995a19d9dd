"""Colleagues' layers: imported annotations kept apart from the analyst's own, with how each was
re-anchored and what the reviewer decided about it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlite_utils import Database

from app.model import Grade, Layer, LayerAnnotation

LAYER_COLUMNS = (
    "layer", "id", "document_id", "start", "end", "quote", "prefix", "suffix", "tag_type_id",
    "entity", "credibility", "reliability", "note", "annotator", "created_at", "updated_at",
    "anchor", "score", "decision",
)  # fmt: skip
_SELECT = "SELECT " + ", ".join(f'"{c}"' for c in LAYER_COLUMNS) + " FROM layer_annotations"


def _row(la: LayerAnnotation) -> tuple:
    return (
        la.layer, la.id, la.document_id, la.start, la.end, la.quote, la.prefix, la.suffix,
        la.tag_type_id, la.entity, la.grade.credibility, la.grade.reliability, la.note,
        la.annotator, la.created_at, la.updated_at, la.anchor, la.score, la.decision,
    )  # fmt: skip


def _from_row(r: tuple) -> LayerAnnotation:
    (layer, aid, doc, start, end, quote, prefix, suffix, tag, entity, cred, rel, note, who,
     created, updated, anchor, score, decision) = r  # fmt: skip
    return LayerAnnotation(
        layer, aid, doc, start, end, quote, prefix, suffix, tag, entity, Grade(cred, rel),
        note, who, created, updated, anchor, score, decision,
    )  # fmt: skip


def list_layers(db: Database) -> list[Layer]:
    rows = db.execute(
        "SELECT name, source_file, format, imported_at, visible FROM layers ORDER BY imported_at"
    ).fetchall()
    return [Layer(n, f, fmt, at, bool(v)) for n, f, fmt, at, v in rows]


def layer_exists(db: Database, name: str) -> bool:
    return db.execute("SELECT 1 FROM layers WHERE name = ?", [name]).fetchone() is not None


def insert_layer(db: Database, layer: Layer, annotations: Iterable[LayerAnnotation]) -> None:
    db.execute(
        "INSERT INTO layers (name, source_file, format, imported_at, visible) VALUES (?,?,?,?,?)",
        [layer.name, layer.source_file, layer.format, layer.imported_at, int(layer.visible)],
    )
    marks = ",".join("?" * len(LAYER_COLUMNS))
    columns = ", ".join(f'"{c}"' for c in LAYER_COLUMNS)
    db.conn.executemany(
        f"INSERT INTO layer_annotations ({columns}) VALUES ({marks})", map(_row, annotations)
    )


def delete_layer(db: Database, name: str) -> None:
    db.execute("DELETE FROM layers WHERE name = ?", [name])  # annotations cascade


def set_layer_visible(db: Database, name: str, visible: bool) -> None:
    db.execute("UPDATE layers SET visible = ? WHERE name = ?", [int(visible), name])


def layer_annotations(
    db: Database, layer: str, document_id: int | None = None
) -> list[LayerAnnotation]:
    if document_id is None:
        rows = db.execute(f"{_SELECT} WHERE layer = ? ORDER BY document_id, start", [layer])
    else:
        rows = db.execute(
            f'{_SELECT} WHERE layer = ? AND document_id = ? ORDER BY start, "end"',
            [layer, document_id],
        )
    return [_from_row(r) for r in rows]


def orphans(db: Database, layer: str) -> list[LayerAnnotation]:
    rows = db.execute(f"{_SELECT} WHERE layer = ? AND anchor = 'orphan' ORDER BY id", [layer])
    return [_from_row(r) for r in rows]


def set_decisions(db: Database, layer: str, decisions: Sequence[tuple[str, str]]) -> None:
    """(annotation id, decision) pairs; "" clears a decision (undo)."""
    db.conn.executemany(
        "UPDATE layer_annotations SET decision = ? WHERE layer = ? AND id = ?",
        [(decision, layer, aid) for aid, decision in decisions],
    )


def anchor_counts(db: Database, layer: str) -> dict[str, int]:
    rows = db.execute(
        "SELECT anchor, count(*) FROM layer_annotations WHERE layer = ? GROUP BY anchor", [layer]
    )
    return dict(rows.fetchall())


def import_layer(
    db: Database, layer: Layer, documents: Sequence, annotations: Sequence[LayerAnnotation]
) -> list:
    """Write a planned import: the documents the file carried, then the layer and its
    annotations (whose document_id -(i + 1) means the i-th of `documents`). The caller holds the
    transaction, so the import is all or nothing. Returns the documents as stored (with ids)."""
    from dataclasses import replace

    from db.repository import insert_document

    added = [insert_document(db, d) for d in documents]
    if added:
        ids = {-(i + 1): d.id for i, d in enumerate(added)}
        annotations = [
            replace(a, document_id=ids[a.document_id])
            if a.document_id is not None and a.document_id < 0
            else a
            for a in annotations
        ]
    insert_layer(db, layer, annotations)
    return added


def own_decisions(db: Database, layer: str) -> dict[str, str]:
    rows = db.execute(
        "SELECT annotation_id, decision FROM reviewed_own WHERE layer = ?", [layer]
    ).fetchall()
    return dict(rows)


def set_own_decisions(db: Database, layer: str, decisions: Sequence[tuple[str, str]]) -> None:
    """(own annotation id, decision); "" removes the verdict (undo)."""
    for aid, decision in decisions:
        if decision:
            db.execute(
                "INSERT INTO reviewed_own (layer, annotation_id, decision) VALUES (?, ?, ?)"
                " ON CONFLICT (layer, annotation_id) DO UPDATE SET decision = excluded.decision",
                [layer, aid, decision],
            )
        else:
            db.execute(
                "DELETE FROM reviewed_own WHERE layer = ? AND annotation_id = ?", [layer, aid]
            )
