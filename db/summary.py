"""Read-only queries behind the summary charts and the HTML report.

Top entities and credibility by source reuse the count panel's own queries (`db.reports`,
`db.sources`), so the summary can never disagree with the panel. What is new here is the
mention count by publication date: one GROUP BY over the counting index per document, joined to
the (few thousand) documents afterwards, not per annotation.
"""

from __future__ import annotations

from sqlite_utils import Database

from app.model import ENTITY_KIND


def mentions_by_published(
    db: Database, document_id: int | None = None
) -> list[tuple[str, int, int]]:
    """(published as stored, documents, mentions) for every distinct `published` value among the
    documents in scope, mentions being tags of entity kinds. Documents with no mention count with
    zero, so an undated document is reported even when nothing in it is tagged yet."""
    doc_only, mention_only, params = "", "", []
    if document_id is not None:
        doc_only, mention_only, params = "WHERE d.id = ?", "AND document_id = ?", [document_id]
    rows = db.execute(
        # Mentions per document straight from the counting index (document_id, tag_type_id, …),
        # then one row per document joined: never a join per annotation.
        "SELECT d.published, count(*), coalesce(sum(m.n), 0) FROM documents d LEFT JOIN ("
        "  SELECT document_id, count(*) AS n"
        "  FROM annotations INDEXED BY annotations_counts_by_document"
        "  WHERE tag_type_id IN (SELECT id FROM tag_types WHERE kind = ?)"
        f"  {mention_only} GROUP BY document_id) m ON m.document_id = d.id"
        f" {doc_only} GROUP BY d.published ORDER BY d.published",
        [ENTITY_KIND, *params, *params],
    ).fetchall()
    return [(published or "", docs, mentions) for published, docs, mentions in rows]


def source_ratings(db: Database, document_id: int | None = None) -> dict[str, str | None]:
    """Each source's own reliability rating by name ("" for documents without a source), limited
    to the sources of documents in scope."""
    only, params = ("WHERE d.id = ?", [document_id]) if document_id is not None else ("", [])
    rows = db.execute(
        "SELECT DISTINCT coalesce(s.name, ''), s.reliability FROM documents d"
        f" LEFT JOIN sources s ON s.id = d.source_id {only}",
        params,
    ).fetchall()
    return {name: rel for name, rel in rows}
