"""The in-memory tally must always equal a fresh GROUP BY, whatever edits happen."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.articles import make_document
from app.model import Grade
from app.offsets import new_annotation
from app.tally import CountTally
from db import repository as repo
from db.connection import open_db

TEXT = "Rebels entered Homs and Hama; officials in Damascus denied it. " * 4
NAMES = ["HTS", "Assad", "Homs", "Hama", "Hayat Tahrir al-Sham"]
GRADES = [Grade(), Grade(3), Grade(2, "B"), Grade(None, "C"), Grade(6, "F")]

ops = st.lists(
    st.tuples(
        st.sampled_from(["add", "remove", "update"]),
        st.integers(0, 1),  # document
        st.integers(0, 2),  # tag type index
        st.sampled_from(NAMES + [""]),
        st.sampled_from(GRADES),
        st.integers(0, 200),
    ),
    max_size=40,
)


def _seed(db, doc, type_id, types):
    return CountTally(
        repo.entity_counts(db, doc, type_id), repo.grade_counts(db, doc),
        document_id=doc, tag_type_id=type_id, tag_types=types,
    )  # fmt: skip


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops=ops, scope_doc=st.sampled_from([None, 0, 1]), filter_type=st.sampled_from([None, 0, 2]))
def test_tally_matches_a_fresh_query_after_random_edits(ops, scope_doc, filter_type):
    db = open_db(None)
    types = repo.list_tag_types(db)
    with db.atomic():
        docs = [repo.insert_document(db, make_document(TEXT + str(i))) for i in range(2)]
    doc = None if scope_doc is None else docs[scope_doc].id
    type_id = None if filter_type is None else types[filter_type].id
    tally = _seed(db, doc, type_id, types)
    live = []
    for op, d, t, name, grade, pos in ops:
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
    db.close()
