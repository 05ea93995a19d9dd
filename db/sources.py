"""Sources (outlets, channels, agencies) and their Admiralty reliability, and the counts of graded
claims by source. A claim graded for credibility alone borrows its document's source rating
(`app.grading.effective_grade`); `EFFECTIVE_RELIABILITY` is that rule in SQL, used here and by
`db/reports.py`, so every count agrees with the views.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlite_utils import Database

from app.model import Source, SourceGradeCount

# app.grading.effective_grade in SQL: `{a}` prefixes the annotation's columns, `{source}` is an
# expression for its document's source reliability.
EFFECTIVE_RELIABILITY = (
    "coalesce({a}reliability, CASE WHEN {a}credibility IS NOT NULL THEN {source} END)"
)


def source_summaries(db: Database, source_id: int | None = None) -> list[Source]:
    """Every source (or one) with its rating, documents and credibility tags, by name. The tags
    are found per (document, credibility tag type) through the counting index, not by reading
    every row."""
    only, params = ("WHERE s.id = ?", [source_id]) if source_id is not None else ("", [])
    rows = db.execute(
        "SELECT s.id, s.name, s.reliability,"
        " (SELECT count(*) FROM documents d WHERE d.source_id = s.id),"
        " (SELECT count(*) FROM documents d JOIN tag_types t ON t.kind = 'credibility'"
        "  JOIN annotations a ON a.document_id = d.id AND a.tag_type_id = t.id"
        "  WHERE d.source_id = s.id)"
        f" FROM sources s {only} ORDER BY s.name COLLATE NOCASE, s.id",
        params,
    ).fetchall()
    return [Source(*row) for row in rows]


def get_source(db: Database, source_id: int) -> Source | None:
    found = source_summaries(db, source_id)
    return found[0] if found else None


def find_source_id(db: Database, name: str) -> int | None:
    row = db.execute("SELECT id FROM sources WHERE name = ?", [name]).fetchone()
    return row[0] if row else None


def update_source(db: Database, source: Source) -> None:
    """Name and rating as given (undo writes the old ones back the same way)."""
    db.execute(
        "UPDATE sources SET name = ?, reliability = ? WHERE id = ?",
        [source.name, source.reliability, source.id],
    )


def document_source(db: Database, document_id: int) -> tuple[str, str | None]:
    """(source name, reliability) of a document; ("", None) without a source."""
    row = db.execute(
        "SELECT s.name, s.reliability FROM documents d JOIN sources s ON s.id = d.source_id"
        " WHERE d.id = ?",
        [document_id],
    ).fetchone()
    return (row[0], row[1]) if row else ("", None)


def document_sources(db: Database) -> dict[int, tuple[str, str | None]]:
    """Every document with a source: what the count tally needs to grade a new tag without a
    query (a project holds thousands of documents, not millions)."""
    rows = db.execute(
        "SELECT d.id, s.name, s.reliability FROM documents d JOIN sources s ON s.id = d.source_id"
    )
    return {doc: (name, rel) for doc, name, rel in rows}


def source_grade_counts(db: Database, document_id: int | None = None) -> list[SourceGradeCount]:
    """Graded claims by source and effective grade. The inner GROUP BY names every column of the
    covering index by document, in its order, so it walks the index without sorting; sources are
    joined on its (few) result rows, not on every annotation."""
    where, params = ("document_id = ?", [document_id]) if document_id is not None else ("1", [])
    rel = EFFECTIVE_RELIABILITY.format(a="g.", source="s.reliability")
    rows = db.execute(
        f"SELECT coalesce(s.name, ''), {rel}, g.credibility, sum(g.n) FROM ("
        "  SELECT document_id, reliability, credibility, count(*) AS n FROM annotations"
        f"  WHERE {where} AND (credibility IS NOT NULL OR reliability IS NOT NULL)"
        "  GROUP BY document_id, tag_type_id, entity_id, reliability, credibility) g"
        " JOIN documents d ON d.id = g.document_id LEFT JOIN sources s ON s.id = d.source_id"
        " GROUP BY 1, 2, 3",
        params,
    ).fetchall()
    return [SourceGradeCount(*row) for row in rows]


def put_back_sources(db: Database, sources: Iterable[tuple[int, str]]) -> None:
    """Redo of a document edit or import that created these (id, name) sources: the same ids."""
    db.conn.executemany("INSERT OR IGNORE INTO sources (id, name) VALUES (?, ?)", list(sources))


def take_away_sources(db: Database, sources: Iterable[tuple[int, str]]) -> None:
    """Undo of that edit: the sources it created, unless a document still names one."""
    db.conn.executemany(
        "DELETE FROM sources WHERE id = ?"
        " AND NOT EXISTS (SELECT 1 FROM documents WHERE source_id = ?)",
        [(sid, sid) for sid, _name in sources],
    )
