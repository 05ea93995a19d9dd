"""Sources and their reliability without widgets: the pure rule, the SQL that must follow it, and
the store/undo path (one transaction, signals after COMMIT, a failed edit never on the stack)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtGui import QUndoStack

from app.articles import make_document
from app.grading import CLAIM, SOURCE, effective_grade, grade_explanation
from app.model import EntityCount, Grade, GradeCount, Source, SourceGradeCount
from app.offsets import new_annotation
from app.source_commands import EditSource
from app.store import Store
from app.store_sources import SourceError
from db import repository as repo

TEXT = "The ministry said the convoy was hit; witnesses disagreed. " * 3


# ---------------------------------------------------------------- the rule


@pytest.mark.parametrize(
    ("grade", "source", "expected", "origin"),
    [
        (Grade(3), "C", Grade(3, "C"), SOURCE),
        (Grade(3, "B"), "C", Grade(3, "B"), CLAIM),  # set on the claim: never overridden
        (Grade(3, "B"), None, Grade(3, "B"), CLAIM),
        (Grade(3), None, Grade(3), ""),
        (Grade(None, "E"), "A", Grade(None, "E"), CLAIM),
        (Grade(), "A", Grade(), ""),  # not a graded claim: a rated source does not make it one
    ],
)
def test_effective_grade(grade, source, expected, origin) -> None:
    assert effective_grade(grade, source) == (expected, origin)


def test_explanation_says_where_the_reliability_came_from() -> None:
    assert grade_explanation(Grade(3), "Reuters", "C") == "C3 — reliability from source “Reuters”"
    assert grade_explanation(Grade(3, "B"), "Reuters", "C") == "B3 — reliability set on this claim"
    assert "source “Blog” not rated" in grade_explanation(Grade(3), "Blog", None)
    assert "no source" in grade_explanation(Grade(3), "", None)
    assert grade_explanation(Grade(), "Reuters", "C") == ""


# ---------------------------------------------------------------- queries


@pytest.fixture
def project(db):
    """Reuters (documents 0 and 1), Blog (document 2), no source (document 3); credibility
    claims "3" everywhere, one "A2" set on its claim in document 0, and an Actor tag."""
    types = {t.name: t for t in repo.list_tag_types(db)}
    cred, actor = types["Credibility"].id, types["Actor"].id
    sources = ["Reuters", "Reuters", "Blog", ""]
    with db.atomic():
        docs = [
            repo.insert_document(db, make_document(TEXT + str(i), source=s))
            for i, s in enumerate(sources)
        ]
        anns = [new_annotation(d.text, d.id, 4, 12, cred, grade=Grade(3)) for d in docs]
        anns.append(new_annotation(docs[0].text, docs[0].id, 13, 19, cred, grade=Grade(2, "A")))
        anns.append(new_annotation(docs[0].text, docs[0].id, 20, 26, actor, entity="Ministry"))
        repo.insert_annotations(db, anns)
    reuters = repo.sources.find_source_id(db, "Reuters")
    return {"docs": docs, "cred": cred, "actor": actor, "reuters": reuters, "anns": anns}


def _rate(db, source_id: int, rating: str | None) -> None:
    name = next(s.name for s in repo.sources.source_summaries(db) if s.id == source_id)
    with db.atomic():
        repo.sources.update_source(db, Source(source_id, name, rating))


def test_source_summaries_count_documents_and_credibility_tags(db, project) -> None:
    summaries = repo.sources.source_summaries(db)
    assert [(s.name, s.reliability, s.documents, s.claims) for s in summaries] == [
        ("Blog", None, 1, 1),
        ("Reuters", None, 2, 3),  # the Actor tag is not a credibility tag
    ]


def test_a_rated_source_moves_its_unrated_claims_in_every_count(db, project) -> None:
    cred, docs = project["cred"], project["docs"]
    assert sorted(repo.grade_counts(db), key=repr) == sorted(
        [GradeCount(None, 3, 4), GradeCount("A", 2, 1)], key=repr
    )
    _rate(db, project["reuters"], "C")

    assert sorted(repo.grade_counts(db), key=repr) == sorted(
        [GradeCount("C", 3, 2), GradeCount(None, 3, 2), GradeCount("A", 2, 1)], key=repr
    )
    assert sorted(repo.sources.source_grade_counts(db), key=repr) == sorted(
        [
            SourceGradeCount("Reuters", "C", 3, 2),
            SourceGradeCount("Reuters", "A", 2, 1),
            SourceGradeCount("Blog", None, 3, 1),
            SourceGradeCount("", None, 3, 1),
        ],
        key=repr,
    )
    assert repo.entity_counts(db, None, cred) == [
        EntityCount(cred, "Credibility", "3", 2),
        EntityCount(cred, "Credibility", "C3", 2),
        EntityCount(cred, "Credibility", "A2", 1),
    ]
    assert repo.entity_counts(db, docs[0].id, cred) == [
        EntityCount(cred, "Credibility", "A2", 1),
        EntityCount(cred, "Credibility", "C3", 1),
    ]
    c3 = repo.mentions(db, None, cred, "C3")
    assert sorted(m[0] for m in c3) == [docs[0].id, docs[1].id]
    assert sorted(m[0] for m in repo.mentions(db, None, cred, "3")) == [docs[2].id, docs[3].id]
    assert len(repo.mentions(db, None, cred, "A2")) == 1  # its own reliability wins


def test_document_sources(db, project) -> None:
    docs = project["docs"]
    _rate(db, project["reuters"], "B")
    assert repo.sources.document_source(db, docs[0].id) == ("Reuters", "B")
    assert repo.sources.document_source(db, docs[3].id) == ("", None)
    assert repo.sources.document_sources(db) == {
        docs[0].id: ("Reuters", "B"),
        docs[1].id: ("Reuters", "B"),
        docs[2].id: ("Blog", None),
    }


# ---------------------------------------------------------------- store and undo


@pytest.fixture
def env(db, project):
    store = Store(db)
    return store, QUndoStack(), project


def test_rating_is_one_undoable_command_and_signals_after_commit(env) -> None:
    store, stack, project = env
    reuters = store.source(project["reuters"])
    seen = []
    # The signal must find the new rating already committed: read through a fresh query.
    store.sources_changed.connect(lambda: seen.append(store.source(reuters.id).reliability))
    stack.push(EditSource(store, reuters, replace(reuters, reliability="D")))
    assert stack.count() == 1 and seen == ["D"]
    assert store.document_source(project["docs"][1].id) == ("Reuters", "D")
    stack.undo()
    assert seen == ["D", None] and store.source(reuters.id).reliability is None
    stack.redo()
    assert store.source(reuters.id).reliability == "D"


def test_rename_is_undoable_and_a_taken_name_is_refused_without_a_step(env) -> None:
    store, stack, project = env
    reuters = store.source(project["reuters"])
    changed = []
    store.documents_changed.connect(lambda: changed.append(True))
    stack.push(EditSource(store, reuters, replace(reuters, name="  Reuters   wire ")))
    assert store.document(project["docs"][0].id).source == "Reuters wire"
    assert changed  # the document list shows source names
    with pytest.raises(SourceError, match="already a source called “Blog”"):
        stack.push(EditSource(store, store.source(reuters.id), replace(reuters, name="Blog")))
    with pytest.raises(SourceError, match="needs a name"):
        stack.push(EditSource(store, store.source(reuters.id), replace(reuters, name=" ")))
    assert stack.count() == 1  # failed edits are not kept
    stack.undo()
    assert store.source(reuters.id).name == "Reuters"
    assert "Reuters" in store.sources()
