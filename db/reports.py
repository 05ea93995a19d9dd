"""Read-only reports over annotations: counts for the panel and the CLI, mentions for jumping,
rows for CSV export. Each is one query shaped to be answered from a covering index."""

from __future__ import annotations

from collections.abc import Iterator

from sqlite_utils import Database

from app.model import CSV_COLUMNS, EntityCount, GradeCount
from db.sources import EFFECTIVE_RELIABILITY, source_grade_counts

# ---------------------------------------------------------------- counts


def _scope(
    document_id: int | None, tag_type_id: int | None, alias: str = ""
) -> tuple[str, list[object]]:
    clauses, params = [], []
    if document_id is not None:
        clauses.append(f"{alias}document_id = ?")
        params.append(document_id)
    if tag_type_id is not None:
        clauses.append(f"{alias}tag_type_id = ?")
        params.append(tag_type_id)
    return (" AND ".join(clauses) or "1"), params


def entity_counts(
    db: Database, document_id: int | None = None, tag_type_id: int | None = None
) -> list[EntityCount]:
    """One GROUP BY over a covering index; names are joined after aggregation, not per row.

    A claim graded for credibility only is labelled with its source's reliability when the source
    is rated (`app.grading`). Grouping every row by document to find its source would double the
    query over a million annotations, so the plain count is corrected instead: `filled` counts
    those claims through the index by document of rated sources' documents only (nothing when no
    source is rated), and moves them from their own label ("3") to the effective one ("B3")."""
    where, params = _scope(document_id, tag_type_id)
    filled_where, filled_params = _scope(document_id, tag_type_id, alias="a.")
    rows = db.execute(
        "WITH filled AS ("
        "  SELECT a.tag_type_id, s.reliability AS rel, a.credibility AS cred, count(*) AS n"
        # CROSS JOIN keeps this order: rated sources first, then their documents' index ranges.
        "  FROM sources s CROSS JOIN documents d ON d.source_id = s.id"
        "  CROSS JOIN annotations a INDEXED BY annotations_counts_by_document"
        "   ON a.document_id = d.id"
        f"  WHERE s.reliability IS NOT NULL AND {filled_where} AND a.entity_id IS NULL"
        "   AND a.reliability IS NULL AND a.credibility IS NOT NULL"
        "  GROUP BY a.tag_type_id, s.reliability, a.credibility)"
        " SELECT g.tag_type_id, t.name, coalesce(e.name, coalesce(g.rel, '') ||"
        " coalesce(g.cred, '')), g.n FROM ("
        "  SELECT tag_type_id, entity_id, rel, cred, sum(n) AS n FROM ("
        # An entity is counted once whatever grades its mentions carry; grades label the rest.
        # The inner GROUP BY walks the covering index in order; folding the grades of named
        # entities happens on its (few) result rows, not on every annotation.
        "   SELECT tag_type_id, entity_id,"
        "    CASE WHEN entity_id IS NULL THEN reliability END AS rel,"
        "    CASE WHEN entity_id IS NULL THEN credibility END AS cred, n FROM ("
        "     SELECT tag_type_id, entity_id, reliability, credibility, count(*) AS n"
        f"     FROM annotations WHERE {where}"
        "     GROUP BY tag_type_id, entity_id, reliability, credibility)"
        "   UNION ALL SELECT tag_type_id, NULL, NULL, cred, -n FROM filled"
        "   UNION ALL SELECT tag_type_id, NULL, rel, cred, n FROM filled)"
        "  GROUP BY tag_type_id, entity_id, rel, cred HAVING sum(n) > 0) g"
        " JOIN tag_types t ON t.id = g.tag_type_id LEFT JOIN entities e ON e.id = g.entity_id"
        " ORDER BY g.n DESC, t.position, 3 COLLATE NOCASE",
        [*filled_params, *params],
    ).fetchall()
    return [EntityCount(*row) for row in rows]


def grade_counts(db: Database, document_id: int | None = None) -> list[GradeCount]:
    """Effective grades (a rated source fills in a claim's missing reliability), summed over the
    sources: finding each claim's source needs the grouping by document that query does anyway."""
    cells: dict[tuple[str | None, int | None], int] = {}
    for c in source_grade_counts(db, document_id):
        key = (c.reliability, c.credibility)
        cells[key] = cells.get(key, 0) + c.count
    return [GradeCount(rel, cred, n) for (rel, cred), n in cells.items()]


def mentions(
    db: Database, document_id: int | None, tag_type_id: int, entity: str
) -> list[tuple[int, int, int, str]]:
    """(document_id, start, end, annotation id) of every mention of an entity or a grade label
    (effective: "B3" finds a "3" in a document from a B source). The source is looked up only for
    claims that lack their own reliability."""
    where, params = _scope(document_id, tag_type_id, alias="a.")
    source_rel = (
        "(SELECT s.reliability FROM documents d JOIN sources s ON s.id = d.source_id"
        " WHERE d.id = a.document_id)"
    )
    rel = EFFECTIVE_RELIABILITY.format(a="a.", source=source_rel)
    rows = db.execute(
        'SELECT a.document_id, a.start, a."end", a.id FROM annotations a'
        " LEFT JOIN entities e ON e.id = a.entity_id"
        f" WHERE {where}"
        f" AND CASE WHEN a.entity_id IS NULL THEN coalesce({rel}, '') ||"
        " coalesce(a.credibility, '') ELSE e.name END = ?"
        " ORDER BY a.document_id, a.start",
        [*params, entity],
    ).fetchall()
    return [tuple(r) for r in rows]


# ---------------------------------------------------------------- export

EXPORT_COLUMNS = CSV_COLUMNS  # the CSV header; expressions below follow its order

_EXPORT_EXPRESSIONS = (
    "a.id",
    "a.document_id",
    "d.title",
    "coalesce(s.name, '')",
    "d.url",
    "a.start",
    'a."end"',
    "a.quote",
    "a.prefix",
    "a.suffix",
    "t.name",
    "coalesce(e.name, '')",
    "a.credibility",
    "a.reliability",
    "a.note",
    "a.annotator",
    "a.created_at",
    "a.updated_at",
)
_TEXT_COLUMNS = {0, 2, 3, 4, 7, 8, 9, 10, 11, 14, 15, 16, 17}


def export_rows(
    db: Database, document_id: int | None = None, guard_leading: str = "", guard_skipped: str = ""
) -> Iterator[tuple]:
    """Rows in EXPORT_COLUMNS order. Text cells whose first character not in `guard_skipped` is in
    `guard_leading` get a leading apostrophe (csv_export.needs_guard), in SQL, because a Python
    pass over a million rows doubles export time.

    The test is staged by cost: a cell starting with neither set (most of them) is settled by one
    `unicode()` looked up in a constant list, as before leading spaces counted; one starting with
    spaces (a prefix, often) by SQLite's plain `ltrim`; only what is left is trimmed of every
    skipped character. A literal, not `char(…)`: SQLite rebuilds a function's value at each use.
    The cost of the wider rule on a million-row export is in docs/reliability.md.
    """
    if "\x00" in guard_skipped or "'" in guard_skipped:
        raise ValueError("guard_skipped cannot hold NUL or an apostrophe")
    exprs = []
    codes = lambda chars: ",".join(str(ord(c)) for c in dict.fromkeys(chars)) or "NULL"  # noqa: E731
    first, leading = codes(guard_leading + guard_skipped), codes(guard_leading)
    after_spaces = codes(guard_leading + guard_skipped.replace(" ", ""))
    for i, expr in enumerate(_EXPORT_EXPRESSIONS):
        if guard_leading and i in _TEXT_COLUMNS:
            test = (
                f"unicode({expr}) IN ({first}) AND unicode(ltrim({expr})) IN ({after_spaces})"
                f" AND unicode(ltrim({expr}, '{guard_skipped}')) IN ({leading})"
            )
            expr = f"CASE WHEN {test} THEN '''' || {expr} ELSE {expr} END"
        exprs.append(expr)
    where, params = ("a.document_id = ?", [document_id]) if document_id is not None else ("1", [])
    yield from db.conn.execute(
        f"SELECT {', '.join(exprs)} FROM annotations a"
        " JOIN documents d ON d.id = a.document_id"
        " LEFT JOIN sources s ON s.id = d.source_id"
        " JOIN tag_types t ON t.id = a.tag_type_id"
        " LEFT JOIN entities e ON e.id = a.entity_id"
        f" WHERE {where} ORDER BY a.document_id, a.start, a.id",
        params,
    )
