"""Another Loupe project as a colleague's file. `db/foreign.py` reads and checks the database;
this turns what it read into the interchange vocabulary, checking names and times as every
format does (the reader leaves both to the import: docs/formats.md)."""

from __future__ import annotations

from datetime import datetime

from app.articles import text_sha256
from app.interchange import (
    ForeignAnnotation,
    ForeignDocument,
    ForeignFile,
    ImportProblem,
    clean_name,
)
from app.model import Grade


def _time(value: str, *, file: str, where: str, what: str) -> str:
    """Loupe writes ISO 8601 times with a zone (2025-03-01T09:30:12.345Z); others were altered."""
    try:
        ok = not value or ("T" in value and datetime.fromisoformat(value).tzinfo is not None)
    except ValueError:
        ok = False
    if not ok:
        raise ImportProblem(file, where, f"{what} must be an ISO 8601 time with zone, like "
                            f"2025-03-01T09:30:12.345Z, not {value!r:.40}")  # fmt: skip
    return value


def to_foreign(project, name: str) -> ForeignFile:
    """`project` is a `db.foreign.ForeignProject` (duck-typed: pure modules do not import db)."""
    documents = tuple(
        ForeignDocument(d.key, d.title, d.url, d.text, text_sha256(d.text), d.source, d.published)
        for d in project.documents
    )
    annotations = []
    for a in project.annotations:
        where = f"annotation {a.id}"
        annotations.append(ForeignAnnotation(
            a.id, a.document_key, a.start, a.end, a.quote, a.prefix, a.suffix,
            clean_name(a.tag_type, file=name, where=where, what="the tag type"),
            clean_name(a.entity, file=name, where=where, what="the entity"),
            Grade(a.credibility, a.reliability), a.note,
            clean_name(a.annotator, file=name, where=where, what="the annotator"),
            _time(a.created_at, file=name, where=where, what="created_at"),
            _time(a.updated_at, file=name, where=where, what="updated_at"), where,
        ))  # fmt: skip
    creator = clean_name(project.creator, file=name, where="", what="the creator")
    return ForeignFile("loupe-db", name, creator, documents, tuple(annotations))
