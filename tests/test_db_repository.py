"""Repository functions over a real (in-memory) project: dataclasses in, dataclasses out; the
schema's constraints; the count queries answered from their covering indexes."""

from __future__ import annotations

import sqlite3

import pytest

from app.articles import make_document
from app.model import Annotation, EntityCount, Grade, GradeCount, TagType
from app.offsets import new_annotation
from db import repository as repo
from tests.db_helpers import REPORT, REWRITE, fill, unchecked_grade


def test_annotation_round_trip_with_entity_get_or_create(db) -> None:
    made = fill(db)
    for a in made["anns"]:
        assert repo.get_annotation(db, a.id) == a
    loc, actor = made["loc"], made["actor"]
    assert repo.entity_names(db, loc.id) == ["Hama", "Homs"]  # "Homs" made once, used three times
    assert repo.entity_names(db, actor.id) == ["Abu Mohammad al-Jolani"]
    assert db.execute("SELECT count(*) FROM entities").fetchone()[0] == 3

    first = made["anns"][0]
    changed = Annotation(
        first.id, first.document_id, first.start, first.end, first.quote, first.prefix,
        first.suffix, actor.id, "Homs Military Council", Grade(1, "A"), "checked", "bob",
        first.created_at, "2030-01-01T00:00:00.000Z",
    )  # fmt: skip
    with db.atomic():
        repo.update_annotation(db, changed)
    assert repo.get_annotation(db, first.id) == changed
    assert "Homs Military Council" in repo.entity_names(db, actor.id)

    with db.atomic():
        repo.delete_annotations(db, [first.id, made["anns"][1].id])
    assert repo.get_annotation(db, first.id) is None
    assert repo.get_annotation(db, made["anns"][1].id) is None
    assert len(repo.annotations_for_document(db, made["d1"].id)) == 3


def test_annotations_for_document_are_in_start_order(db) -> None:
    made = fill(db)
    anns = repo.annotations_for_document(db, made["d1"].id)
    assert [(a.start, a.end) for a in anns] == sorted((a.start, a.end) for a in anns)
    assert {a.id for a in anns} == {a.id for a in made["anns"] if a.document_id == made["d1"].id}


def test_entity_counts_per_document_and_overall(db) -> None:
    made = fill(db)
    actor, loc, cred = made["actor"], made["loc"], made["cred"]
    jolani = "Abu Mohammad al-Jolani"

    def ec(t, name, n):
        return EntityCount(t.id, t.name, name, n)

    assert repo.entity_counts(db) == [
        ec(loc, "Homs", 3),  # counted once although one mention carries a grade
        ec(actor, jolani, 2),
        ec(cred, "B3", 2),
        ec(loc, "Hama", 1),
        ec(cred, "6", 1),
    ]
    assert repo.entity_counts(db, made["d1"].id) == [
        ec(loc, "Homs", 2), ec(actor, jolani, 1), ec(loc, "Hama", 1), ec(cred, "B3", 1),
    ]  # fmt: skip
    assert repo.entity_counts(db, None, loc.id) == [ec(loc, "Homs", 3), ec(loc, "Hama", 1)]
    assert repo.entity_counts(db, made["d2"].id, cred.id) == [ec(cred, "6", 1), ec(cred, "B3", 1)]
    assert repo.entity_counts(db, made["d2"].id, loc.id) == [ec(loc, "Homs", 1)]


def test_grade_counts(db) -> None:
    made = fill(db)
    assert sorted(repo.grade_counts(db), key=repr) == sorted(
        [GradeCount("B", 2, 1), GradeCount("B", 3, 2), GradeCount(None, 6, 1)], key=repr
    )
    assert sorted(repo.grade_counts(db, made["d1"].id), key=repr) == sorted(
        [GradeCount("B", 2, 1), GradeCount("B", 3, 1)], key=repr
    )


def test_mentions(db) -> None:
    made = fill(db)
    loc, cred = made["loc"], made["cred"]
    homs = repo.mentions(db, None, loc.id, "Homs")
    expected = sorted(
        (a.document_id, a.start, a.end, a.id) for a in made["anns"] if a.entity == "Homs"
    )
    assert homs == expected and len(homs) == 3
    assert [m[0] for m in repo.mentions(db, made["d2"].id, loc.id, "Homs")] == [made["d2"].id]
    b3 = repo.mentions(db, None, cred.id, "B3")
    texts = {made["d1"].id: made["d1"].text, made["d2"].id: made["d2"].text}
    assert [texts[doc][s:e] for doc, s, e, _ in b3] == ["Homs is next", "Damascus 🇸🇾 waits"]
    assert repo.mentions(db, None, loc.id, "B2") == []  # a graded entity is found by its name


def test_delete_tag_type_and_restore_puts_back_the_same_rows(db) -> None:
    made = fill(db)
    loc = made["loc"]
    before = sorted(db.conn.iterdump())
    entity_ids = db.execute(
        "SELECT id, name FROM entities WHERE tag_type_id = ? ORDER BY id", [loc.id]
    ).fetchall()
    with db.atomic():
        snap = repo.delete_tag_type(db, loc.id)
    assert snap.tag_type == loc
    assert len(snap.annotations) == 4 and len(snap.entities) == 2
    assert repo.find_tag_type(db, "Location") is None
    assert repo.entity_counts(db, None, loc.id) == []
    assert all(repo.get_annotation(db, a.id) is None for a in snap.annotations)
    with db.atomic():
        repo.restore_tag_type(db, snap)
    assert sorted(db.conn.iterdump()) == before
    assert repo.find_tag_type(db, "Location") == loc
    assert (
        db.execute(
            "SELECT id, name FROM entities WHERE tag_type_id = ? ORDER BY id", [loc.id]
        ).fetchall()
        == entity_ids
    )


def test_tag_type_names_are_unique_ignoring_case(db) -> None:
    added = repo.insert_tag_type(db, TagType(None, "Weapon", color="#CC79A7", shortcut="4"))
    assert repo.find_tag_type(db, " weapon ") == added
    with pytest.raises(sqlite3.IntegrityError):
        repo.insert_tag_type(db, TagType(None, "WEAPON"))
    renamed = TagType(added.id, "Arms", added.kind, "#000000", "5", 9)
    repo.update_tag_type(db, renamed)
    assert repo.find_tag_type(db, "arms") == renamed
    assert repo.count_annotations_of_type(db, added.id) == 0


def test_documents_are_unique_by_text_and_cascade(db) -> None:
    made = fill(db)
    d1 = made["d1"]
    assert repo.find_document_by_hash(db, d1.text_sha256).id == d1.id
    with pytest.raises(sqlite3.IntegrityError):
        repo.insert_document(db, make_document(REPORT, title="Same text, other title"))
    summaries = repo.list_document_summaries(db)
    assert [(s.id, s.annotation_count, s.length) for s in summaries] == [
        (d1.id, 5, len(REPORT)),
        (made["d2"].id, 4, len(REWRITE)),
    ]
    assert repo.count_documents(db) == 2
    assert repo.list_sources(db) == ["Blog", "Wire"]

    edited = make_document(REPORT, title="Homs report", source="Agency", url="https://x.test/1")
    edited = type(d1)(d1.id, edited.title, d1.text, d1.text_sha256, "Agency", edited.url,
                      "2024-12-06", d1.created_at)  # fmt: skip
    repo.update_document_properties(db, edited)
    assert repo.get_document(db, d1.id) == edited

    repo.delete_document(db, d1.id)
    assert repo.get_document(db, d1.id) is None
    assert all(repo.get_annotation(db, a.id) is None for a in made["anns"] if a.document_id == 1)
    assert repo.count_documents(db) == 1


def test_settings(db) -> None:
    assert repo.get_setting(db, "current_document", "none") == "none"
    repo.set_setting(db, "current_document", "1")
    repo.set_setting(db, "current_document", "2")
    assert repo.get_setting(db, "current_document") == "2"


@pytest.mark.parametrize(
    ("start", "end", "grade"),
    [
        (5, 5, Grade()),
        (6, 5, Grade()),
        (-1, 5, Grade()),
        (0, 4, unchecked_grade(7, None)),
        (0, 4, unchecked_grade(0, None)),
        (0, 4, unchecked_grade(None, "G")),
    ],
    ids=["empty", "reversed", "negative", "credibility-7", "credibility-0", "reliability-G"],
)
def test_check_constraints_refuse_bad_rows(db, start: int, end: int, grade: Grade) -> None:
    made = fill(db)
    bad = Annotation("bad-1", made["d1"].id, start, end, "q", "", "", made["cred"].id, "", grade)
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        repo.insert_annotations(db, [bad])
    assert repo.get_annotation(db, "bad-1") is None


def test_source_reliability_check(db) -> None:
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        db.execute("INSERT INTO sources (name, reliability) VALUES ('x', 'G')")


def test_duplicate_annotation_id_is_refused(db) -> None:
    made = fill(db)
    with pytest.raises(sqlite3.IntegrityError):
        repo.insert_annotations(db, [made["anns"][0]])


def test_count_queries_use_the_covering_indexes(db) -> None:
    made = fill(db)
    text = "Homs Hama " * 200
    with db.atomic():  # enough rows, and statistics, that the plan is a real choice
        doc = repo.insert_document(db, make_document(text))
        repo.insert_annotations(
            db,
            [
                new_annotation(text, doc.id, i, i + 4, made["loc"].id, entity=text[i : i + 4])
                for i in range(0, len(text), 5)
            ],
        )
    db.execute("ANALYZE")
    d1, loc = made["d1"].id, made["loc"].id
    cases = [
        (lambda: repo.entity_counts(db), "annotations_counts_all"),
        (lambda: repo.entity_counts(db, None, loc), "annotations_counts_all"),
        (lambda: repo.entity_counts(db, d1), "annotations_counts_by_document"),
        (lambda: repo.entity_counts(db, d1, loc), "annotations_counts_by_document"),
        # Grades borrow their document's source rating, so even all documents go by document.
        (lambda: repo.grade_counts(db), "annotations_counts_by_document"),
        (lambda: repo.grade_counts(db, d1), "annotations_counts_by_document"),
    ]
    for call, index in cases:
        statements: list[str] = []
        db.conn.set_trace_callback(statements.append)
        try:
            call()
        finally:
            db.conn.set_trace_callback(None)
        (sql,) = [s for s in statements if "annotations" in s]  # parameters inlined by SQLite
        plan = [row[3] for row in db.execute("EXPLAIN QUERY PLAN " + sql).fetchall()]
        assert any(index in step and "COVERING INDEX" in step for step in plan), (sql, plan)
        assert not any(step.strip() == "SCAN annotations" for step in plan), (sql, plan)
