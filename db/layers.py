"""Colleagues' layers: imported annotations kept apart from the analyst's own, with how each was
re-anchored and what the reviewer decided about it."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sqlite_utils import Database

from app.model import LAYER_COLUMNS, Layer, LayerAnnotation

IMPORT_CACHE_KIB = 64 * 1024
_BATCH = 5_000  # rows between progress reports: about 30 ms of writing
Progress = Callable[[int, int], None]  # as app.interchange.Progress (db/ imports only app.model)
_SELECT = "SELECT " + ", ".join(f'"{c}"' for c in LAYER_COLUMNS) + " FROM layer_annotations"


def document_refs(db: Database) -> list[tuple[int, str, str, str]]:
    """(id, title, url, text_sha256) of every document, in id order: what matching a colleague's
    documents needs, without reading every article's text (1,000 articles: 50 ms less)."""
    return db.execute("SELECT id, title, url, text_sha256 FROM documents ORDER BY id").fetchall()


def list_layers(db: Database) -> list[Layer]:
    rows = db.execute(
        "SELECT name, source_file, format, imported_at, visible FROM layers ORDER BY imported_at"
    ).fetchall()
    return [Layer(n, f, fmt, at, bool(v)) for n, f, fmt, at, v in rows]


def layer_exists(db: Database, name: str) -> bool:
    return db.execute("SELECT 1 FROM layers WHERE name = ?", [name]).fetchone() is not None


def insert_layer(
    db: Database, layer: Layer, rows: Sequence[tuple], progress: Progress | None = None
) -> None:
    """The layer and its annotations, given as rows (`LayerAnnotation.as_row`). `progress` hears
    (done, total) between batches and may raise to stop; the caller's transaction rolls back."""
    db.execute(
        "INSERT INTO layers (name, source_file, format, imported_at, visible) VALUES (?,?,?,?,?)",
        [layer.name, layer.source_file, layer.format, layer.imported_at, int(layer.visible)],
    )
    marks = ",".join("?" * len(LAYER_COLUMNS))
    columns = ", ".join(f'"{c}"' for c in LAYER_COLUMNS)
    sql = f"INSERT INTO layer_annotations ({columns}) VALUES ({marks})"
    step = len(rows) if progress is None else _BATCH
    for done in range(0, len(rows), max(step, 1)):
        if progress is not None:
            progress(done, len(rows))
        db.conn.executemany(sql, rows[done : done + step])
    if progress is not None:
        progress(len(rows), len(rows))


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
    return [LayerAnnotation.from_row(r) for r in rows]


def orphans(db: Database, layer: str) -> list[LayerAnnotation]:
    rows = db.execute(f"{_SELECT} WHERE layer = ? AND anchor = 'orphan' ORDER BY id", [layer])
    return [LayerAnnotation.from_row(r) for r in rows]


def set_decisions(
    db: Database, layer: str, decisions: Sequence[tuple[tuple[int | None, str], str]]
) -> None:
    """((document id, annotation id), decision) pairs, keys as `LayerAnnotation.key`; "" clears
    a decision (undo). The document leads the lookup through the index by document."""
    db.conn.executemany(
        "UPDATE layer_annotations SET decision = ? WHERE document_id IS ? AND layer = ? AND id = ?",
        [(decision, doc, layer, aid) for (doc, aid), decision in decisions],
    )


def anchor_counts(db: Database, layer: str) -> dict[str, int]:
    rows = db.execute(
        "SELECT anchor, count(*) FROM layer_annotations WHERE layer = ? GROUP BY anchor", [layer]
    )
    return dict(rows.fetchall())


def import_layer(
    db: Database,
    layer: Layer,
    documents: Sequence,
    rows: Sequence[tuple],
    progress: Progress | None = None,
) -> list:
    """Write a planned import: the documents the file carried, then the layer and its
    annotations as rows (`LayerAnnotation.as_row`; a document_id -(i + 1) means the i-th of
    `documents`). The caller holds the transaction, so the import is all or nothing. Returns
    the documents as stored (with ids)."""
    from db.repository import insert_document

    added = [insert_document(db, d) for d in documents]
    if added:
        ids = {-(i + 1): d.id for i, d in enumerate(added)}
        rows = [
            (r[0], r[1], ids[r[2]], *r[3:]) if r[2] is not None and r[2] < 0 else r for r in rows
        ]
    # Room for the whole layer in the page cache (64 MiB at most, taken only as pages are used):
    # with SQLite's default 2 MiB, pages of the (layer, id) index are written out to the WAL
    # mid-transaction and then changed and written again (measured: 0.1 s of 100,000 rows).
    size = db.conn.execute("PRAGMA cache_size").fetchone()[0]
    db.conn.execute(f"PRAGMA cache_size = -{IMPORT_CACHE_KIB}")
    try:
        insert_layer(db, layer, rows, progress)
    finally:
        db.conn.execute(f"PRAGMA cache_size = {int(size)}")
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
