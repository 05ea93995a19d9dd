"""Another Loupe project as a colleague's file. `db/foreign.py` reads and checks the database;
this turns what it read into the interchange vocabulary, checking names as every format does."""

from __future__ import annotations

from app.articles import text_sha256
from app.interchange import ForeignAnnotation, ForeignDocument, ForeignFile, clean_name
from app.model import Grade


def to_foreign(project, name: str) -> ForeignFile:
    """`project` is a `db.foreign.ForeignProject` (duck-typed: pure modules do not import db)."""
    documents = tuple(
        ForeignDocument(d.key, d.title, d.url, d.text, text_sha256(d.text))
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
            a.created_at, a.updated_at, where,
        ))  # fmt: skip
    creator = clean_name(project.creator, file=name, where="", what="the creator")
    return ForeignFile("loupe-db", name, creator, documents, tuple(annotations))
