"""Planning and applying a colleague's import: documents matched, annotations anchored or kept as
orphans, one undoable step, nothing written on a bad file or a cancel."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QUndoStack

from app.articles import make_document, text_sha256
from app.commands import ImportColleagueFile, ReviewDecision
from app.interchange import ForeignAnnotation, ForeignDocument, ForeignFile, ImportProblem
from app.model import Grade
from app.review_import import ImportCancelled, match_documents, plan_import
from app.store import Store
from tests.db_helpers import logical_dump

TEXT = "Rebels entered Homs on Friday. Officials in Damascus denied that Homs had fallen.\n"


def fa(doc_key, quote, text=TEXT, occurrence=1, tag="Location", **kw):
    start = -1
    for _ in range(occurrence):
        start = text.index(quote, start + 1)
    return ForeignAnnotation(
        kw.pop("id", f"{doc_key}-{quote}-{occurrence}"), doc_key, start, start + len(quote), quote,
        text[max(0, start - 32) : start], text[start + len(quote) : start + len(quote) + 32], tag,
        **kw,
    )  # fmt: skip


@pytest.fixture
def store(qapp, db):
    s = Store(db)
    s.add_documents([make_document(TEXT, title="Homs report")])
    return s


def dump(db):
    return logical_dump(db.conn)


def plan_for(store, foreign, layer="Dana", **kw):
    matches = match_documents(foreign, store.local_documents(), store.document_text)
    return plan_import(foreign, matches, store.tag_types(), store.document_text,
                       layer_name=layer, **kw)  # fmt: skip


def test_same_text_anchors_and_counts(store):
    doc = ForeignDocument("urn:x", "Homs report", text_sha256=text_sha256(TEXT))
    anns = (fa("urn:x", "Homs"), fa("urn:x", "Damascus", tag="Actor", entity="Damascus govt"),
            fa("urn:x", "Rebels entered Homs", tag="Credibility", grade=Grade(3, "B")))  # fmt: skip
    plan = plan_for(store, ForeignFile("loupe-w3c", "dana.json", "Dana", (doc,), anns))
    assert plan.counts == {"anchored": 3, "moved": 0, "review": 0, "orphan": 0}
    assert "3 anchored" in plan.report()
    stack = QUndoStack()
    stack.push(ImportColleagueFile(store, plan))
    rows = store.layer_annotations("Dana")
    assert {(r.quote, r.anchor, r.entity, r.grade.compact) for r in rows} == {
        ("Homs", "anchored", "Homs", ""),
        ("Damascus", "anchored", "Damascus govt", ""),
        ("Rebels entered Homs", "anchored", "", "B3"),
    }
    assert [layer.name for layer in store.layers()] == ["Dana"]
    assert store.entity_counts() == []  # a colleague's tags are not the analyst's counts
    stack.undo()
    assert store.layers() == [] and store.layer_annotations("Dana") == []


def test_edited_copy_is_proposed_and_quotes_move_or_orphan(store):
    edited = "UPDATE 2: more came in.\n" + TEXT.replace("Damascus", "the capital")
    doc = ForeignDocument("urn:y", "Homs report", text=edited)
    anns = (fa("urn:y", "Homs", text=edited, occurrence=2), fa("urn:y", "the capital", text=edited),
            fa("urn:y", "more came in", text=edited))  # fmt: skip
    foreign = ForeignFile("loupe-w3c", "dana.json", "Dana", (doc,), anns)
    (match,) = match_documents(foreign, store.local_documents(), store.document_text)
    assert match.how == "proposed" and match.similarity >= 60
    plan = plan_for(store, foreign)
    by_quote = {a.quote: a for a in plan.annotations}
    assert by_quote["Homs"].anchor == "moved"
    assert TEXT[by_quote["Homs"].start : by_quote["Homs"].end] == "Homs"
    assert by_quote["Homs"].start == TEXT.index("Homs had")
    assert by_quote["more came in"].anchor == "orphan" and by_quote["more came in"].start is None
    assert by_quote["the capital"].anchor in ("orphan", "review")


def test_a_document_the_file_carries_is_added_and_undo_removes_it(store):
    other = "A different article about Aleppo.\n"
    doc = ForeignDocument("urn:z", "", text=other)
    foreign = ForeignFile("loupe-w3c", "d.json", "Dana", (doc,),
                          (fa("urn:z", "Aleppo", text=other),))  # fmt: skip
    plan = plan_for(store, foreign)
    stack = QUndoStack()
    stack.push(ImportColleagueFile(store, plan))
    titles = [d.title for d in store.document_summaries()]
    assert titles == ["Homs report", "A different article about Aleppo."]
    (row,) = store.layer_annotations("Dana")
    assert store.document_text(row.document_id)[row.start : row.end] == "Aleppo"
    stack.undo()
    assert [d.title for d in store.document_summaries()] == ["Homs report"]
    stack.redo()
    assert len(store.document_summaries()) == 2 and len(store.layer_annotations("Dana")) == 1


def test_unmatched_document_keeps_its_annotations_as_orphans(store):
    doc = ForeignDocument("row-doc-9", "Some other title")  # a CSV: no text, no hash
    foreign = ForeignFile("loupe-csv", "d.csv", "", (doc,), (fa("row-doc-9", "Homs"),))
    plan = plan_for(store, foreign)
    (row,) = plan.annotations
    assert (row.anchor, row.document_id, row.quote) == ("orphan", None, "Homs")


def test_unknown_tag_type_is_refused_and_nothing_is_written(store):
    doc = ForeignDocument("urn:x", "t", text_sha256=text_sha256(TEXT))
    bad = fa("urn:x", "Homs", tag="Weapon", record="annotation 7")
    before = dump(store.db)
    with pytest.raises(ImportProblem, match=r"d\.json, annotation 7: unknown tag type “Weapon”"):
        plan_for(store, ForeignFile("loupe-w3c", "d.json", "", (doc,), (bad,)))
    assert dump(store.db) == before


def test_cancel_writes_nothing(store):
    doc = ForeignDocument("urn:x", "t", text_sha256=text_sha256(TEXT))
    foreign = ForeignFile("loupe-w3c", "d.json", "", (doc,), (fa("urn:x", "Homs"),))
    before = dump(store.db)
    with pytest.raises(ImportCancelled):
        plan_for(store, foreign, cancelled=lambda: True)
    assert dump(store.db) == before


def test_review_decision_changes_own_tags_and_verdicts_and_undoes(store):
    doc = ForeignDocument("urn:x", "t", text_sha256=text_sha256(TEXT))
    foreign = ForeignFile("loupe-w3c", "d.json", "Dana", (doc,), (fa("urn:x", "Damascus"),))
    stack = QUndoStack()
    stack.push(ImportColleagueFile(store, plan_for(store, foreign)))
    (theirs,) = store.layer_annotations("Dana")
    before = dump(store.db)
    stack.push(ReviewDecision(store, "Dana", "Accept theirs",
                              theirs=[(theirs.key, "accepted", "")],
                              add=[theirs.as_annotation()]))  # fmt: skip
    assert [a.quote for a in store.annotations(theirs.document_id)] == ["Damascus"]
    assert store.layer_annotations("Dana")[0].decision == "accepted"
    after = dump(store.db)
    stack.undo()
    assert dump(store.db) == before  # the entity the accepted tag made went with it
    stack.redo()
    assert dump(store.db) == after


def test_titles_from_a_file_lose_line_breaks_and_direction_overrides():
    from app.review_import import safe_title

    assert safe_title("Evil \u202etitle\nsecond line") == "Evil title second line"
    assert safe_title("\u200fتقرير حمص") == "\u200fتقرير حمص"  # a right-to-left mark is kept
    assert safe_title("\x00\u2066") == "Untitled"


def test_an_article_the_file_carries_comes_in_with_its_source_and_date(store):
    other = "Aleppo: the airport reopened on Monday, officials said.\n"
    doc = ForeignDocument("urn:z", "Aleppo\u202e\nairport", text=other, source="Reuters\n",
                          published="2025-03-01")  # fmt: skip
    foreign = ForeignFile("loupe-w3c", "dana.json", "Dana", (doc,), (fa("urn:z", "Aleppo", other),))
    plan = plan_for(store, foreign)
    (new,) = plan.new_documents
    assert (new.title, new.source, new.published) == ("Aleppo airport", "Reuters", "2025-03-01")
    stack = QUndoStack()
    stack.push(ImportColleagueFile(store, plan))
    (summary,) = [d for d in store.document_summaries() if d.title == "Aleppo airport"]
    stored = store.document(summary.id)
    assert (stored.text, stored.source, stored.published) == (other, "Reuters", "2025-03-01")
