"""The colleague-layer table: its checks still refuse what they should, rows round-trip through
`LayerAnnotation.as_row`/`from_row`, and a bulk insert stays cheap per row."""

from __future__ import annotations

import sqlite3
from dataclasses import replace

import pytest

from app.articles import make_document
from app.model import LAYER_COLUMNS, Grade, Layer, LayerAnnotation
from db import repository as repo

TEXT = "Rebels entered Homs on Friday.\n"


@pytest.fixture
def doc(db):
    with db.atomic():
        return repo.insert_document(db, make_document(TEXT, title="Homs"))


def layer_row(doc_id: int, **changes) -> tuple:
    la = LayerAnnotation("Dana", "a-1", doc_id, 15, 19, "Homs", "Rebels entered ", " on Fr", 2,
                         "Homs", Grade(3, "B"), "a note", "dana", "2025-01-01T00:00:00.000Z",
                         "2025-01-02T00:00:00.000Z", "moved", 91.5)  # fmt: skip
    row = dict(zip(LAYER_COLUMNS, la.as_row(), strict=True))
    row.update(changes)
    return tuple(row.values())


def test_rows_round_trip_and_refs_list_documents_without_text(db, doc) -> None:
    with db.atomic():
        repo.import_layer(db, Layer("Dana", "d.json", "loupe-w3c", "2025-01-03T00:00:00Z"), [],
                          [layer_row(doc.id)])  # fmt: skip
    (stored,) = repo.layer_annotations(db, "Dana", doc.id)
    assert (
        stored.as_row() == layer_row(doc.id) and LayerAnnotation.from_row(stored.as_row()) == stored
    )
    assert repo.document_refs(db) == [(doc.id, "Homs", "", doc.text_sha256)]


@pytest.mark.parametrize(
    "changes",
    [{"anchor": "lost"}, {"decision": "maybe"}, {"reliability": "G"}, {"reliability": "AB"},
     {"credibility": 7}, {"anchor": "orphan"}, {"start": 19}],
    ids=["anchor", "decision", "reliability-G", "reliability-two-letters", "credibility",
         "orphan-with-position", "empty-span"],
)  # fmt: skip
def test_layer_checks_refuse_bad_rows(db, doc, changes) -> None:
    layer = Layer("Dana", "d.json", "loupe-w3c", "2025-01-03T00:00:00Z")
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"), db.atomic():
        repo.import_layer(db, layer, [], [layer_row(doc.id, **changes)])
    assert repo.list_layers(db) == []  # the whole import went with the bad row


def test_inserting_a_layer_row_builds_no_temporary_index(db) -> None:
    """An IN list of more than two constants in a CHECK is filled into a temporary index for each
    row written: 0.5 s more for 100,000 rows. The checks are spelled as equalities instead."""
    marks = ", ".join("?" * len(LAYER_COLUMNS))
    program = db.execute(f"EXPLAIN INSERT INTO layer_annotations VALUES ({marks})",
                         [None] * len(LAYER_COLUMNS)).fetchall()  # fmt: skip
    assert "OpenEphemeral" not in {row[1] for row in program}


def test_m003_keeps_every_layer_row_and_finds_rows_by_document(tmp_path) -> None:
    """A project made before m003 (layers keyed by (layer, id)) keeps every row, decision and
    index-backed lookup once opened by this version, and the rebuilt table has no (layer, id) key
    left to make imports write ids into random places."""
    from sqlite_utils.migrations import Migrations

    from db import migrations
    from db.connection import open_db

    before = Migrations(migrations.migrations.name)
    for step in migrations.migrations._migrations:
        if step.name != "m003_layer_rows_keyed_by_document":
            before(name=step.name)(step.fn)
    path = tmp_path / "old.loupe"
    db = open_db(path, plan=before)
    with db.atomic():
        doc = repo.insert_document(db, make_document(TEXT, title="Homs"))
        orphan = layer_row(None, id="a-2", start=None, end=None, anchor="orphan", score=0.0)
        repo.import_layer(db, Layer("Dana", "d.json", "loupe-w3c", "2025-01-03T00:00:00Z"), [],
                          [layer_row(doc.id, decision="accepted"), orphan])  # fmt: skip
    old = sorted(db.execute("SELECT * FROM layer_annotations").fetchall(), key=str)
    assert "sqlite_autoindex_layer_annotations_1" in {
        i.name for i in db["layer_annotations"].indexes
    }
    db.close()

    db = open_db(path)
    try:
        assert sorted(db.execute("SELECT * FROM layer_annotations").fetchall(), key=str) == old
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        assert [i.name for i in db["layer_annotations"].indexes] == [
            "layer_annotations_by_document"
        ]
        with db.atomic():
            repo.set_decisions(
                db, "Dana", [((doc.id, "a-1"), "rejected"), ((None, "a-2"), "accepted")]
            )
        got = {a.id: a.decision for a in repo.layer_annotations(db, "Dana")}
        assert got == {"a-1": "rejected", "a-2": "accepted"}
        plan = db.execute(
            "EXPLAIN QUERY PLAN UPDATE layer_annotations SET decision = '' "
            "WHERE document_id IS ? AND layer = ? AND id = ?", [doc.id, "Dana", "a-1"],
        ).fetchall()  # fmt: skip
        assert "USING INDEX layer_annotations_by_document" in str(plan)
    finally:
        db.close()


def test_m003_failing_after_the_rebuild_leaves_the_old_table(tmp_path) -> None:
    from sqlite_utils.migrations import Migrations

    from db import migrations
    from db.connection import open_db

    def plan(fail: bool) -> Migrations:
        out = Migrations(migrations.migrations.name)
        for step in migrations.migrations._migrations:
            fn = step.fn
            if step.name == "m003_layer_rows_keyed_by_document" and fail:

                def fn(db, real=step.fn):
                    real(db)
                    raise RuntimeError("power cut after the rebuild")

            out(name=step.name)(fn)
        return out

    path = tmp_path / "old.loupe"
    old = plan(False)
    old._migrations = old._migrations[:2]
    db = open_db(path, plan=old)
    with db.atomic():
        doc = make_document(TEXT, title="Homs")  # the v2 columns: today's repository adds author
        db.execute(
            "INSERT INTO documents (id, title, text, text_length, text_sha256, created_at)"
            " VALUES (1, ?, ?, ?, ?, ?)",
            [doc.title, doc.text, len(doc.text), doc.text_sha256, doc.created_at],
        )
        doc = replace(doc, id=1)
        repo.import_layer(db, Layer("Dana", "d.json", "loupe-w3c", "2025-01-03T00:00:00Z"), [],
                          [layer_row(doc.id)])  # fmt: skip
    db.close()
    with pytest.raises(RuntimeError, match="power cut"):
        open_db(path, plan=plan(True))
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("SELECT count(*) FROM layer_annotations").fetchone() == (1,)
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        assert "sqlite_autoindex_layer_annotations_1" in names
        assert "layer_annotations_v3" not in names
    finally:
        conn.close()
