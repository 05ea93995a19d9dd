"""Colleagues' project files for the db/foreign tests: real Loupe projects, then altered."""

from __future__ import annotations

import dataclasses
import hashlib
import sqlite3
from pathlib import Path

import pytest

from app.articles import make_document
from app.model import Grade
from app.offsets import new_annotation
from db import repository as repo
from db.connection import open_db
from db.foreign import ForeignProjectError, read_project
from tests.db_helpers import REPORT, tag

ARABIC = "قال المتحدث إن القوات دخلت حمص 🇸🇾 صباح اليوم.\nHoms fell, said أبو محمد 🐈.\n"


def build(folder: Path, name: str = "colleague.db", annotators=("k.ng",)):
    """A closed Loupe project: an Arabic article with emoji and an English one, entity tags and
    graded claims with notes. Returns (path, documents, annotations)."""
    path = folder / name
    db = open_db(path)
    with db.atomic():
        first = make_document(ARABIC, title="حمص", source="وكالة 🐈", url="https://example.org/a")
        doc = repo.insert_document(db, dataclasses.replace(first, published="2025-03-01"))
        also = repo.insert_document(db, make_document(REPORT, source="Wire"))
        actor, loc, cred = tag(db, "Actor"), tag(db, "Location"), tag(db, "Credibility")
        made = []

        def ann(d, quote, tag_type, **kw):
            start = d.text.index(quote)
            who = annotators[len(made) % len(annotators)]
            end = start + len(quote)
            made.append(new_annotation(d.text, d.id, start, end, tag_type.id, annotator=who, **kw))

        ann(doc, "حمص", loc, entity="حمص")
        ann(doc, "🇸🇾 صباح", cred, grade=Grade(2, "B"), note="مصدر واحد 🐈 only")
        ann(doc, "أبو محمد", actor, entity="أبو محمد الجولاني", grade=Grade(3))
        ann(also, "Hama", loc, entity="Hama")
        ann(also, "Homs is next", cred, grade=Grade(6, "F"), note="=one source")
        repo.insert_annotations(db, made)
    db.close()
    assert sorted(p.name for p in folder.iterdir()) == [name]  # closed: no -wal, -shm
    return path, (doc, also), made


def alter(path: Path, *statements: str) -> None:
    """Another program edits the file: no foreign keys, no CHECKs, a function Loupe lacks."""
    conn = sqlite3.connect(path)
    conn.create_function("evil", 1, lambda value: 1, deterministic=True)
    conn.execute("PRAGMA ignore_check_constraints = ON")
    for sql in statements:
        conn.execute(sql)
    conn.commit()
    conn.close()
    assert not [p for p in path.parent.iterdir() if p.name.startswith(path.name + "-")]


def fingerprint(path: Path) -> tuple:
    """The file's bytes and every name in its folder."""
    data = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None
    return data, sorted(p.name for p in path.parent.iterdir())


def refused(path: Path, *fragments: str) -> str:
    """read_project refuses with a message containing every fragment; nothing was changed."""
    before = fingerprint(path)
    with pytest.raises(ForeignProjectError) as caught:
        read_project(path)
    assert fingerprint(path) == before
    message = str(caught.value)
    assert message.startswith(path.name + ": " if not caught.value.where else path.name + ", ")
    for fragment in fragments:
        assert fragment in message, message
    return message
