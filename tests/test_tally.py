"""The in-memory tally must always equal a fresh GROUP BY, whatever edits happen, and both must
follow `app.grading.effective_grade` (a claim borrows its document's source rating)."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.articles import make_document
from app.grading import count_label, effective_grade, is_graded
from app.model import Grade, Source
from app.offsets import new_annotation
from app.tally import CountTally
from db import repository as repo
from db.connection import open_db

TEXT = "Rebels entered Homs and Hama; officials in Damascus denied it. " * 4
NAMES = ["HTS", "Assad", "Homs", "Hama", "Hayat Tahrir al-Sham"]
GRADES = [Grade(), Grade(3), Grade(2, "B"), Grade(None, "C"), Grade(6, "F"), Grade(2)]
SOURCES = ["Wire", "Blog", ""]  # document i's source; the third document has none
RATINGS = st.sampled_from([None, "A", "B", "E"])

ops = st.lists(
    st.tuples(
        st.sampled_from(["add", "remove", "update", "rate"]),
        st.integers(0, 2),  # document (for "rate": its source)
        st.integers(0, 2),  # tag type index
        st.sampled_from(NAMES + [""]),
        st.sampled_from(GRADES),
        st.integers(0, 200),
    ),
    max_size=40,
)


def _seed(db, doc, type_id, types):
    return CountTally(
        repo.entity_counts(db, doc, type_id), repo.sources.source_grade_counts(db, doc),
        document_id=doc, tag_type_id=type_id, tag_types=types,
        document_sources=repo.sources.document_sources(db),
    )  # fmt: skip


def _reference(db, live, doc, type_id):
    """Counts computed from scratch with the pure rule, to hold the SQL to it."""
    sources = repo.sources.document_sources(db)
    entities, grades = Counter(), Counter()
    for a in live:
        if doc is not None and a.document_id != doc:
            continue
        rel = sources.get(a.document_id, ("", None))[1]
        if type_id is None or a.tag_type_id == type_id:
            entities[(a.tag_type_id, count_label(a, rel))] += 1
        if is_graded(a.grade):
            g = effective_grade(a.grade, rel)[0]
            grades[(g.reliability, g.credibility)] += 1
    return entities, grades


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    ops=ops,
    scope_doc=st.sampled_from([None, 0, 1, 2]),
    filter_type=st.sampled_from([None, 0, 2]),
    ratings=st.tuples(RATINGS, RATINGS),
)
def test_tally_matches_a_fresh_query_after_random_edits(ops, scope_doc, filter_type, ratings):
    db = open_db(None)
    types = repo.list_tag_types(db)
    with db.atomic():
        docs = [
            repo.insert_document(db, make_document(TEXT + str(i), source=SOURCES[i]))
            for i in range(3)
        ]
        for name, rating in zip(SOURCES, ratings, strict=False):
            source_id = repo.sources.find_source_id(db, name)
            repo.sources.update_source(db, Source(source_id, name, rating))
    doc = None if scope_doc is None else docs[scope_doc].id
    type_id = None if filter_type is None else types[filter_type].id
    tally = _seed(db, doc, type_id, types)
    live = []
    for op, d, t, name, grade, pos in ops:
        if op == "rate":  # the panel answers a new rating with a fresh tally
            if d < 2:
                source_id = repo.sources.find_source_id(db, SOURCES[d])
                with db.atomic():
                    repo.sources.update_source(
                        db, Source(source_id, SOURCES[d], [None, "A", "C", "F"][pos % 4])
                    )
                tally = _seed(db, doc, type_id, types)
            continue
        tag = types[t]
        entity = name if tag.kind == "entity" else ""
        grade = grade if tag.kind == "credibility" else Grade()
        if op == "add" or not live:
            start = pos % 60
            ann = new_annotation(docs[d].text, docs[d].id, start, start + 5, tag.id,
                                 entity=entity or "x", grade=grade)  # fmt: skip
            if tag.kind == "credibility":
                ann = replace(ann, entity="")
            with db.atomic():
                repo.insert_annotations(db, [ann])
            live.append(ann)
            tally.apply(added=[ann])
        elif op == "remove":
            ann = live.pop(pos % len(live))
            with db.atomic():
                repo.delete_annotations(db, [ann.id])
            tally.apply(removed=[ann])
        else:
            old = live.pop(pos % len(live))
            kind = next(x.kind for x in types if x.id == old.tag_type_id)
            new = replace(old, entity=(name or "y") if kind == "entity" else "",
                          grade=grade if kind == "credibility" else Grade())  # fmt: skip
            with db.atomic():
                repo.update_annotation(db, new)
            live.append(new)
            tally.apply(added=[new], removed=[old])
    fresh = _seed(db, doc, type_id, types)
    assert sorted(tally.entity_counts(), key=repr) == sorted(fresh.entity_counts(), key=repr)
    assert sorted(tally.grade_counts(), key=repr) == sorted(fresh.grade_counts(), key=repr)
    assert sorted(tally.grade_counts(), key=repr) == sorted(repo.grade_counts(db, doc), key=repr)
    assert sorted(tally.source_grade_counts(), key=repr) == sorted(
        fresh.source_grade_counts(), key=repr
    )
    entities, grades = _reference(db, live, doc, type_id)
    assert {(c.tag_type_id, c.entity): c.count for c in fresh.entity_counts()} == +entities
    assert {(g.reliability, g.credibility): g.count for g in fresh.grade_counts()} == +grades
    db.close()
