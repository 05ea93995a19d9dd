"""Full-text search across the project's documents (the `documents_fts` index of migration 6).

The index is external-content FTS5 over the `documents_searchable` view of `documents(title,
text)`, the same text without Arabic vowel marks and tatweel: it holds tokens and positions, not
offsets. Where a match lies is asked of FTS5's own `highlight()`, which re-reads the view's text
with the index's tokenizer, so the place found is always the place the index matched (no second
tokenizer in Python that could disagree with it); `to_stored_places` maps it to the stored text.
Expressions come from app.search_query.match_expression, which makes anything typed safe.
"""

from __future__ import annotations

from bisect import bisect_left

from sqlite_utils import Database

from app.model import SNIPPET_CLOSE, SNIPPET_OPEN, SearchHit
from db.migrations import M006_UNINDEXED

SNIPPET_WORDS = 16  # tokens of context around the best match
_UNINDEXED = str.maketrans("", "", M006_UNINDEXED)


def indexed_form(text: str) -> str:
    """The text as the index reads it (the `documents_searchable` view): without Arabic vowel
    marks and tatweel, so "الحمد" typed finds "الْحَمْدُ" and the other way round."""
    return text.translate(_UNINDEXED)


def search_documents(
    db: Database, expression: str, limit: int = 200
) -> tuple[int, list[SearchHit]]:
    """(how many documents match, the best `limit` of them by bm25, title matches weighing more).

    In three steps, because a snippet re-reads and re-tokenises a whole document: in one query
    with ORDER BY … LIMIT, SQLite makes the snippet of every match before sorting (10,000 documents
    of 5 KB: 50–350 ms). Counting and ranking read only the index; then each of the best rows
    is looked up by rowid with its snippet (about 20 ms for 200). Snippets are cut from the
    indexed form: an Arabic passage shows without its vowel marks."""
    expression = indexed_form(expression)
    total = db.execute(
        "SELECT count(*) FROM documents_fts WHERE documents_fts MATCH ?", [expression]
    ).fetchone()[0]
    ranked = db.execute(
        "SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?"
        " ORDER BY bm25(documents_fts, 5.0, 1.0) LIMIT ?",
        [expression, limit],
    ).fetchall()
    hits = []
    for (rowid,) in ranked:
        row = db.execute(
            "SELECT f.rowid, d.title, coalesce(s.name, ''), d.published,"
            " snippet(documents_fts, 1, ?, ?, '…', ?)"
            " FROM documents_fts f JOIN documents d ON d.id = f.rowid"
            " LEFT JOIN sources s ON s.id = d.source_id"
            " WHERE documents_fts MATCH ? AND f.rowid = ?",
            [SNIPPET_OPEN, SNIPPET_CLOSE, SNIPPET_WORDS, expression, rowid],
        ).fetchone()
        if row is not None:
            hits.append(SearchHit(*row))
    return total, hits


def match_spans(db: Database, document_id: int, expression: str) -> list[tuple[int, int]]:
    """Half-open code-point spans of the matches in the document's text, in order.

    Empty when the document matches only by its title or not at all, or (practically never) when
    its text itself holds the private-use characters used as markers. FTS5 marks places in the
    indexed form (no vowel marks); they are mapped back to the stored text, a match keeping the
    marks of its last letter ("الحمد" → "الْحَمْدُ")."""
    row = db.execute(
        "SELECT highlight(documents_fts, 1, ?, ?), d.text FROM documents_fts f"
        " JOIN documents d ON d.id = f.rowid WHERE documents_fts MATCH ? AND f.rowid = ?",
        [SNIPPET_OPEN, SNIPPET_CLOSE, indexed_form(expression), document_id],
    ).fetchone()
    if row is None or row[0] is None:
        return []
    return to_stored_places(spans_from_markers(row[0]), row[1])


def to_stored_places(spans: list[tuple[int, int]], text: str) -> list[tuple[int, int]]:
    """Spans in the indexed form of `text` as spans of `text` itself."""
    dropped = [i for i, ch in enumerate(text) if ch in M006_UNINDEXED]
    if not dropped:
        return spans  # most texts: the indexed form is the text

    def stored(k: int) -> int:
        """Where the indexed form's k-th character sits in `text`: k plus the marks before it."""
        lo, hi = k, k + len(dropped)
        while lo < hi:  # the least i with k characters kept before it
            mid = (lo + hi) // 2
            if mid - bisect_left(dropped, mid) < k:
                lo = mid + 1
            else:
                hi = mid
        while lo < len(text) and text[lo] in M006_UNINDEXED:
            lo += 1  # marks ending the previous letter: the k-th kept character is after them
        return lo

    places = []
    for start, end in spans:
        stop = stored(end - 1) + 1 if end > start else stored(start)
        while stop < len(text) and text[stop] in M006_UNINDEXED:
            stop += 1  # the last letter's own marks belong to the match
        places.append((stored(start), stop))
    return places


def spans_from_markers(marked: str) -> list[tuple[int, int]]:
    spans, start, removed = [], None, 0
    for i, ch in enumerate(marked):
        if ch == SNIPPET_OPEN:
            if start is not None:
                return []  # markers in the text itself: their places cannot be trusted
            start = i - removed
            removed += 1
        elif ch == SNIPPET_CLOSE:
            if start is None:
                return []
            spans.append((start, i - removed))
            start, removed = None, removed + 1
    return spans if start is None else []


def document_ids_with_tag_type(db: Database, tag_type_id: int) -> set[int]:
    """Documents with at least one annotation of this tag type (the document list's tag filter,
    asked again after every tag while it is on). One probe of the covering index
    `annotations_counts_by_document` per document: 1.6 ms for 1,000 documents holding a million
    annotations, where DISTINCT over the type's annotations read them all (364 ms)."""
    rows = db.execute(
        "SELECT id FROM documents d WHERE EXISTS (SELECT 1 FROM annotations a"
        " WHERE a.document_id = d.id AND a.tag_type_id = ?)",
        [tag_type_id],
    ).fetchall()
    return {r[0] for r in rows}


def optimize_full_text_index(db: Database) -> None:
    """Merge the index into one segment. Deleting a document from external-content FTS5 only
    writes a tombstone: its words stay in the older segments' pages, in the project file, until
    a merge drops them. Costs little when the index is one segment already (nothing to merge).
    (SQLite 3.42's 'secure-delete' option would avoid that; Python here ships 3.40.)"""
    with db.conn:  # committed at once: VACUUM cannot run inside a transaction
        db.execute("INSERT INTO documents_fts (documents_fts) VALUES ('optimize')")
