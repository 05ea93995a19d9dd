"""Summaries: the figures of a hand-counted project through the real Store (canonical entities,
grades by source with the source's rating, mentions by publication date with undated documents
apart), and the date bucketing on its own."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtGui import QUndoStack

from app.model import EntityCount, SourceGradeCount, TagType
from app.store import Store
from app.summary import credibility_by_source, parse_published, timeline, top_entities
from tests.summary_helpers import build_project


@pytest.fixture
def project(qapp, db):
    store, stack = Store(db), QUndoStack()
    return store, stack, build_project(store, stack)


def test_whole_project_summary_matches_the_hand_count(project):
    store, _stack, _ids = project
    s = store.summary()
    assert (s.scope, s.documents, s.mentions) == ("All documents", 3, 7)
    rankings = {r.type_name: r.rows for r in s.top_entities}
    # "Bashar al-Assad" was merged into "Assad": one entity, counted once under its name.
    assert rankings == {"Actor": (("Assad", 3), ("Jolani", 2)), "Location": (("Homs", 2),)}
    by_source = {c.source: (c.reliability, c.counts) for c in s.credibility}
    assert by_source == {
        "Reuters": ("B", (0, 2, 0, 0, 1, 0)),
        "(no source)": (None, (0, 0, 1, 0, 0, 0)),
    }
    assert s.timeline.unit == "day"
    assert s.timeline.points == (("2024-03-01", 4), ("2024-03-02", 0), ("2024-03-03", 2))
    assert (s.timeline.undated_documents, s.timeline.undated_mentions) == (1, 1)


def test_document_summary_counts_that_document_only(project):
    store, _stack, ids = project
    s = store.summary(ids["docs"][1])
    assert (s.scope, s.documents, s.mentions) == ("Second visit", 1, 2)
    assert {r.type_name: r.rows for r in s.top_entities} == {
        "Actor": (("Assad", 1),), "Location": (("Homs", 1),),
    }  # fmt: skip
    assert [(c.source, c.counts) for c in s.credibility] == [("Reuters", (0, 1, 0, 0, 0, 0))]
    assert s.timeline.points == (("2024-03-03", 2),) and s.timeline.undated_documents == 0


def test_undoing_the_merge_splits_the_count_again(project):
    store, stack, _ids = project
    assert dict(store.summary().top_entities[0].rows) == {"Assad": 3, "Jolani": 2}
    stack.undo()  # the rating
    stack.undo()  # the merge
    rows = dict(next(r.rows for r in store.summary().top_entities if r.type_name == "Actor"))
    assert rows == {"Assad": 2, "Jolani": 2, "Bashar al-Assad": 1}
    assert {c.source: c.reliability for c in store.summary().credibility}["Reuters"] is None


def test_an_empty_project_has_an_empty_summary(qapp, db):
    s = Store(db).summary()
    assert (s.documents, s.mentions, s.credibility) == (0, 0, ())
    assert all(r.rows == () for r in s.top_entities)
    assert s.timeline.points == () and s.timeline.undated_documents == 0


def test_top_entities_keep_ten_per_type_and_skip_credibility_types():
    types = [TagType(1, "Actor", position=0), TagType(2, "Credibility", "credibility", position=1)]
    counts = [EntityCount(1, "Actor", f"p{i:02d}", 100 - i) for i in range(15)]
    counts += [EntityCount(1, "Actor", "", 1), EntityCount(2, "Credibility", "B3", 50)]
    (actor,) = top_entities(counts, types)
    assert actor.type_name == "Actor" and len(actor.rows) == 10 and actor.rows[0] == ("p00", 100)


def test_credibility_leaves_out_reliability_only_grades():
    counts = [
        SourceGradeCount("AFP", "A", 1, 2),
        SourceGradeCount("AFP", "A", None, 9),
        SourceGradeCount("TASS", "E", None, 4),  # reliability only: no row at all
    ]
    rows = credibility_by_source(counts, {"AFP": "A", "TASS": "E"})
    assert [(r.source, r.reliability, r.counts) for r in rows] == [("AFP", "A", (2, 0, 0, 0, 0, 0))]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-03-05", ("2024-03-05", "day")),
        ("2024-03-05T10:00:00Z", ("2024-03-05", "day")),
        ("2024-03", ("2024-03-01", "month")),
        ("2024", ("2024-01-01", "year")),
        ("2024-02-30", None),
        ("5 March 2024", None),
        ("", None),
        ("20240305", None),
    ],
)
def test_publication_dates_are_read_with_their_precision(text, expected):
    parsed = parse_published(text)
    assert (None if parsed is None else (parsed[0].isoformat(), parsed[1])) == expected


def test_timeline_coarsens_to_months_over_a_long_range_and_to_years_for_a_bare_year():
    months = timeline([("2023-11-20", 1, 2), ("2024-02-01", 1, 3), ("", 2, 5)])
    assert months.unit == "month"
    assert months.points == (("2023-11", 2), ("2023-12", 0), ("2024-01", 0), ("2024-02", 3))
    assert (months.undated_documents, months.undated_mentions) == (2, 5)
    years = timeline([("2022", 1, 1), ("2024-06-01", 1, 4)])
    assert years.unit == "year" and years.points == (("2022", 1), ("2023", 0), ("2024", 4))


@given(
    st.lists(
        st.tuples(
            st.one_of(st.dates().map(str), st.text(max_size=12)),
            st.integers(0, 5), st.integers(0, 1000),
        ),
        max_size=30,
    )
)  # fmt: skip
def test_no_mention_is_lost_by_the_timeline(rows):
    t = timeline(rows)
    assert sum(n for _, n in t.points) + t.undated_mentions == sum(m for _, _, m in rows)
    dated = [p for p in t.points]
    assert [label for label, _ in dated] == sorted(label for label, _ in dated)
