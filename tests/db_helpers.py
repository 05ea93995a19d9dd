"""A small realistic project for the db tests: two articles, entities, graded claims."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

from app.articles import make_document
from app.model import Grade, TagType
from app.offsets import new_annotation
from db import repository as repo

REPORT = "Rebels took Hama. Homs is next, said al-Jolani; Homs fell by night.\n"
REWRITE = "Al-Jolani’s men entered Homs. Damascus 🇸🇾 waits 🐈.\n"


def tag(db, name: str) -> TagType:
    found = repo.find_tag_type(db, name)
    assert found is not None
    return found


def fill(db) -> dict:
    """Two documents, entities of two types, graded claims; one transaction, as the store does."""
    with db.atomic():
        d1 = repo.insert_document(db, make_document(REPORT, source="Wire"))
        d2 = repo.insert_document(db, make_document(REWRITE, source="Blog"))
        actor, loc, cred = tag(db, "Actor"), tag(db, "Location"), tag(db, "Credibility")

        def ann(doc, quote, tag_type, entity="", grade=Grade(), nth=0):
            start = -1
            for _ in range(nth + 1):
                start = doc.text.index(quote, start + 1)
            return new_annotation(
                doc.text, doc.id, start, start + len(quote), tag_type.id, entity=entity, grade=grade
            )

        anns = [
            ann(d1, "Homs", loc, "Homs"),
            ann(d1, "Homs", loc, "Homs", Grade(2, "B"), nth=1),  # same entity, also graded
            ann(d1, "Hama", loc, "Hama"),
            ann(d1, "al-Jolani", actor, "Abu Mohammad al-Jolani"),
            ann(d1, "Homs is next", cred, grade=Grade(3, "B")),
            ann(d2, "Homs", loc, "Homs"),
            ann(d2, "Al-Jolani’s men", actor, "Abu Mohammad al-Jolani"),
            ann(d2, "Damascus 🇸🇾 waits", cred, grade=Grade(3, "B")),
            ann(d2, "entered Homs", cred, grade=Grade(6)),
        ]
        repo.insert_annotations(db, anns)
    return {"d1": d1, "d2": d2, "actor": actor, "loc": loc, "cred": cred, "anns": anns}


def unchecked_grade(credibility, reliability) -> Grade:
    """A Grade the dataclass would refuse, to prove the database refuses it too."""
    grade = object.__new__(Grade)
    object.__setattr__(grade, "credibility", credibility)
    object.__setattr__(grade, "reliability", reliability)
    return grade


def project_state(project: Path) -> tuple:
    """A project file's bytes, its SQL dump (read with every connection closed) and its folder:
    what a refused import must leave exactly as it was."""
    conn = sqlite3.connect(f"{project.as_uri()}?mode=ro", uri=True)
    try:
        dump = list(conn.iterdump())
    finally:
        conn.close()
    listing = sorted(p.name for p in project.parent.iterdir())
    return hashlib.sha256(project.read_bytes()).hexdigest(), dump, listing


# The full-text index's segment pages: adding a document and undoing it leaves the index logically
# as it was (FTS5's own integrity-check proves it agrees with the documents), but in other segments.
_FTS_SEGMENTS = ('INSERT INTO "documents_fts_data"', 'INSERT INTO "documents_fts_idx"')
# The highest entity id ever given (db.entities.new_entity_id) only rises, as SQLite's own
# AUTOINCREMENT counter does: an undo takes the entities away, not the mark.
_COUNTERS = ("INSERT INTO \"settings\" VALUES('entity_id_high_water',",)


def logical_dump(conn: sqlite3.Connection) -> list[str]:
    """The database as sorted SQL text, with the full-text index checked against the documents
    instead of compared segment for segment: what "undo gives back the database" means."""
    conn.execute("INSERT INTO documents_fts (documents_fts, rank) VALUES ('integrity-check', 1)")
    if conn.in_transaction:
        conn.rollback()  # the check is an INSERT: sqlite3 opened a transaction for it
    skipped = _FTS_SEGMENTS + _COUNTERS
    return sorted(line for line in conn.iterdump() if not line.startswith(skipped))
