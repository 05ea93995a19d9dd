"""The rows of a colleague's Loupe project, read by fixed SQL and checked value by value.

Only called by `db.foreign.read_project` once the file has passed its checks. Every value is
type-checked (SQLite keeps whatever type it is given), sizes are capped, references must resolve,
offsets must fall inside the text, the quote and its context must be the text there, and the text
must match its recorded SHA-256, so an altered file is refused rather than imported wrongly.
"""

from __future__ import annotations

import hashlib
import sqlite3
import unicodedata
from dataclasses import dataclass

from app.model import CREDIBILITY_NAMES, RELIABILITY_NAMES, TAG_KINDS, Grade

MAX_DOCUMENTS = 100_000
MAX_ANNOTATIONS = 1_000_000
MAX_TEXT_CHARS = 50 * 2**20  # an article, as app/articles.py caps files
MAX_NOTE_CHARS = 1_000_000
MAX_SHORT_CHARS = 10_000  # titles, URLs, names, timestamps, ids

# What is read, table by table; the schema check requires exactly these columns.
COLUMNS: dict[str, tuple[str, ...]] = {
    "sources": ("id", "name"),
    "tag_types": ("id", "name", "kind"),
    "entities": ("id", "tag_type_id", "name"),
    "documents": ("id", "title", "source_id", "url", "published", "text", "text_sha256"),
    "annotations": (
        "id", "document_id", "start", "end", "quote", "prefix", "suffix", "tag_type_id",
        "entity_id", "credibility", "reliability", "note", "annotator", "created_at", "updated_at",
    ),
}  # fmt: skip
_ORDER = {"documents": " ORDER BY id", "annotations": ' ORDER BY document_id, start, "end", id'}


class ForeignProjectError(Exception):
    """A colleague's project Loupe will not read; `str()` is the whole message for people.
    `file`, `where` and `problem` map one to one onto `app.interchange.ImportProblem`."""

    def __init__(self, file: str, where: str, problem: str) -> None:
        self.file, self.where, self.problem = file, where, problem
        super().__init__(f"{file}, {where}: {problem}" if where else f"{file}: {problem}")


@dataclass(frozen=True, slots=True)
class ForeignProjectDocument:
    key: str  # str(documents.id) in the colleague's file
    title: str
    url: str
    source: str
    published: str
    text: str
    text_sha256: str  # checked: the SHA-256 of `text` (UTF-8), lower-case hex


@dataclass(frozen=True, slots=True)
class ForeignProjectAnnotation:
    id: str
    document_key: str
    start: int  # code points into the document's text, half-open
    end: int
    quote: str  # == text[start:end]
    prefix: str
    suffix: str
    tag_type: str
    tag_kind: str  # "entity" or "credibility"
    entity: str  # "" when none
    credibility: int | None
    reliability: str | None
    note: str
    annotator: str
    created_at: str
    updated_at: str

    @property
    def grade(self) -> Grade:
        return Grade(self.credibility, self.reliability)


@dataclass(frozen=True, slots=True)
class ForeignProject:
    creator: str  # the one annotator of every annotation, or "" when there are several or none
    documents: tuple[ForeignProjectDocument, ...]
    annotations: tuple[ForeignProjectAnnotation, ...]


def shown(value: str, limit: int = 40) -> str:
    """A name from the file, fit for a message: cut short, controls and direction marks as '?'."""
    cut = value[:limit] + ("…" if len(value) > limit else "")
    return "".join("?" if unicodedata.category(c)[0] == "C" else c for c in cut)


_TYPE_NAMES = {int: "a whole number", float: "a decimal number", bytes: "binary data (a blob)"}


class _Rows:
    """Reads one table and checks each value, naming table, row and column on a fault."""

    def __init__(self, conn: sqlite3.Connection, file: str, table: str) -> None:
        self.conn, self.file, self.table, self.key = conn, file, table, ""

    def __iter__(self):
        columns = ", ".join(f'"{c}"' for c in COLUMNS[self.table])
        sql = f"SELECT {columns} FROM {self.table} NOT INDEXED{_ORDER.get(self.table, '')}"
        for number, row in enumerate(self.conn.execute(sql), start=1):
            self.key = f"row {number}"
            yield row

    def fail(self, problem: str, column: str = "") -> ForeignProjectError:
        where = f"table {self.table}, {self.key}" + (f", column {column}" if column else "")
        return ForeignProjectError(self.file, where, problem)

    def text(self, column: str, value: object, limit: int = MAX_SHORT_CHARS) -> str:
        if not isinstance(value, str):
            kind = "empty (NULL)" if value is None else _TYPE_NAMES.get(type(value), "not text")
            raise self.fail(f"must be text, but is {kind}", column)
        if len(value) > limit:
            raise self.fail(f"is longer than {limit:,} characters", column)
        if "\0" in value:
            raise self.fail("contains a NUL character, which Loupe never stores", column)
        if not value.isascii():
            try:
                value.encode("utf-8")  # bad UTF-8 in the file was decoded to lone surrogates
            except UnicodeEncodeError:
                raise self.fail("is not valid UTF-8 text", column) from None
        return value

    def integer(self, column: str, value: object, *, null: bool = False) -> int | None:
        if value is None and null:
            return None
        if not isinstance(value, int):
            kind = "empty (NULL)" if value is None else _TYPE_NAMES.get(type(value), "text")
            raise self.fail(f"must be a whole number, but is {kind}", column)
        return value

    def ref(self, column: str, value: object, known: dict, what: str, *, null: bool = False):
        number = self.integer(column, value, null=null)
        if number is None:
            return None
        if number not in known:
            raise self.fail(f"refers to {what} {number}, which the file does not have", column)
        return known[number]


def _count(conn: sqlite3.Connection, file: str, table: str, limit: int) -> None:
    count = conn.execute(f"SELECT count(*) FROM {table} NOT INDEXED").fetchone()[0]
    if count > limit:
        raise ForeignProjectError(
            file, "", f"the file has {count:,} {table}, over the {limit:,} Loupe imports at once"
        )


def read_rows(conn: sqlite3.Connection, file: str) -> ForeignProject:
    _count(conn, file, "documents", MAX_DOCUMENTS)
    _count(conn, file, "annotations", MAX_ANNOTATIONS)
    sources, tags, entities, documents = {}, {}, {}, {}
    rows = _Rows(conn, file, "sources")
    for sid, name in rows:
        sources[rows.integer("id", sid)] = rows.text("name", name)
    rows = _Rows(conn, file, "tag_types")
    for tid, name, kind in rows:
        tags[rows.integer("id", tid)] = (rows.text("name", name), rows.text("kind", kind))
        if kind not in TAG_KINDS:
            raise rows.fail(f"is “{shown(kind)}”, not one of {', '.join(TAG_KINDS)}", "kind")
    rows = _Rows(conn, file, "entities")
    for eid, tag_type_id, name in rows:
        rows.ref("tag_type_id", tag_type_id, tags, "tag type")
        entities[rows.integer("id", eid)] = (tag_type_id, rows.text("name", name))
    rows, hashes = _Rows(conn, file, "documents"), set()
    for did, title, source_id, url, published, text, sha in rows:
        rows.key = f"id {rows.integer('id', did)}"
        text = rows.text("text", text, MAX_TEXT_CHARS)
        actual = hashlib.sha256(text.encode("utf-8")).hexdigest()
        if rows.text("text_sha256", sha) != actual:
            raise rows.fail("is not the SHA-256 of the text: the text was altered", "text_sha256")
        if actual in hashes:
            raise rows.fail("has the same text as an earlier document", "text")
        hashes.add(actual)
        documents[did] = ForeignProjectDocument(
            str(did), rows.text("title", title), rows.text("url", url),
            rows.ref("source_id", source_id, sources, "source", null=True) or "",
            rows.text("published", published), text, actual,
        )  # fmt: skip
    annotations = tuple(_annotations(conn, file, documents, tags, entities))
    annotators = {a.annotator for a in annotations}
    creator = annotators.pop() if len(annotators) == 1 else ""
    return ForeignProject(creator, tuple(documents.values()), annotations)


def _annotations(conn, file, documents, tags, entities):
    rows, seen = _Rows(conn, file, "annotations"), set()
    for aid, did, start, end, quote, prefix, suffix, tid, eid, cred, rel, note, who, ca, ua in rows:
        if not rows.text("id", aid, 200):
            raise rows.fail("is empty", "id")
        rows.key = f"id {shown(aid)}"
        if aid in seen:
            raise rows.fail("is used twice", "id")
        seen.add(aid)
        doc = rows.ref("document_id", did, documents, "document")
        start, end = rows.integer("start", start), rows.integer("end", end)
        if not 0 <= start < end <= len(doc.text):
            raise rows.fail(
                f"the span {start}–{end} is not inside the text ({len(doc.text):,} characters)"
            )
        quote = rows.text("quote", quote, MAX_TEXT_CHARS)
        prefix, suffix = rows.text("prefix", prefix), rows.text("suffix", suffix)
        if len(quote) != end - start or not doc.text.startswith(quote, start):
            raise rows.fail(f"is not the document's text at {start}–{end}", "quote")
        if len(prefix) > start or not doc.text.startswith(prefix, start - len(prefix)):
            raise rows.fail(f"is not the text just before {start}", "prefix")
        if not doc.text.startswith(suffix, end):
            raise rows.fail(f"is not the text just after {end}", "suffix")
        tag_name, kind = rows.ref("tag_type_id", tid, tags, "tag type")
        entity = rows.ref("entity_id", eid, entities, "entity", null=True)
        if entity is not None and entity[0] != tid:
            raise rows.fail(f"refers to entity {eid} of another tag type", "entity_id")
        if rows.integer("credibility", cred, null=True) not in (None, *CREDIBILITY_NAMES):
            raise rows.fail(f"is {cred}, not 1–6", "credibility")
        if rel is not None and rows.text("reliability", rel) not in RELIABILITY_NAMES:
            raise rows.fail(f"is “{shown(rel)}”, not one of A–F", "reliability")
        yield ForeignProjectAnnotation(
            aid, doc.key, start, end, quote, prefix, suffix, tag_name, kind,
            entity[1] if entity else "", cred, rel, rows.text("note", note, MAX_NOTE_CHARS),
            rows.text("annotator", who), rows.text("created_at", ca), rows.text("updated_at", ua),
        )  # fmt: skip
