"""The shared project of the two-process tests and what they read back from it: the articles,
a colleague's file to import, the saved annotations, and the check that a CSV export is whole."""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path

from app.formats.csv_export import unneutralise

ARTICLES = [
    "Rebels led by Jolani entered Homs at dawn, officials said; the claim was later denied. " * 6,
    "Damascus was quiet on Friday while the ministry denied any movement near Hama or Idlib. " * 6,
]


def shared_project(folder: Path) -> Path:
    from app.articles import make_document
    from app.store import Store
    from db.connection import open_db

    path = folder / "shared.loupe"
    db = open_db(path)
    Store(db).add_documents([make_document(t, source="Wire") for t in ARTICLES])
    db.close()
    return path


def colleague_file(project: Path, folder: Path, count: int) -> Path:
    """A colleague's W3C export of the same articles with `count` annotations: importing it is
    one long transaction."""
    from app.formats import w3c
    from app.offsets import new_annotation
    from app.store import Store
    from db.connection import open_db

    db = open_db(project)
    try:
        store = Store(db)
        docs = [store.document(d.id) for d in store.document_summaries()]
        types = {t.id: t for t in store.tag_types()}
        actor = next(t for t in types.values() if t.asks_for_entity)
        theirs = [new_annotation(doc.text, doc.id, start, start + 5, actor.id,
                                 entity=f"Dana {n % 50}", annotator="Dana")
                  for n in range(count)
                  for doc in [docs[n % len(docs)]]
                  for start in [n * 7 % (len(doc.text) - 5)]]  # fmt: skip
        data = w3c.write(docs, theirs, types, creator="Dana")
    finally:
        db.close()
    path = folder / "dana.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def export_is_consistent(path: Path, texts: dict[int, str]) -> int:
    """Every row of a CSV export is a whole annotation of a whole article: its quote is the
    article's text at its offsets, and no annotation appears twice. Returns the row count."""
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    ids = [r["annotation_id"] for r in rows]
    assert len(ids) == len(set(ids)), f"{path.name}: an annotation exported twice"
    for r in rows:
        start, end = int(r["start"]), int(r["end"])
        assert texts[int(r["document_id"])][start:end] == unneutralise(r["quote"]), r
    return len(rows)


def saved_annotations(path: Path) -> dict[str, list]:
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        rows = conn.execute(
            "SELECT a.id, a.document_id, a.start, a.end, a.quote, e.name"
            " FROM annotations a LEFT JOIN entities e ON e.id = a.entity_id"
        )
        return {r[0]: list(r[1:]) for r in rows}
    finally:
        conn.close()
