"""A small project whose summary is counted by hand in the tests that use it.

Three documents: "Reuters" (rated B) published 2024-03-01 and 2024-03-03, and one with no source
and no date. Actors: Assad ×3 (one tagged as the alias "Bashar al-Assad", then merged into
"Assad"), Jolani ×2 (one in the undated document); locations: Homs ×2; credibility claims:
Reuters 2, 2, 5; unsourced 3.
"""

from __future__ import annotations

from app.articles import make_document
from app.commands import AddAnnotations, AddDocuments
from app.entity_commands import MergeEntities
from app.model import Grade, Source
from app.offsets import new_annotation
from app.source_commands import EditSource

TEXTS = (
    "Assad spoke in Homs. Assad left. Jolani replied from Idlib. Later news followed.",
    "Bashar al-Assad visited Homs today with officials, the agency said on Sunday.",
    "An undated note about nothing much, with a doubtful claim in it somewhere.",
)


def word(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return start, start + len(needle)


def build_project(store, stack) -> dict:
    """Tags as the window would make them (undoable commands); returns ids by name."""
    docs = [
        make_document(TEXTS[0], title="Homs visit", source="Reuters", published="2024-03-01"),
        make_document(TEXTS[1], title="Second visit", source="Reuters", published="2024-03-03"),
        make_document(TEXTS[2], title="Undated note"),
    ]
    add = AddDocuments(store, docs)
    stack.push(add)
    d1, d2, d3 = (d.id for d in add.added)
    types = {t.name: t.id for t in store.tag_types()}
    actor, location, cred = types["Actor"], types["Location"], types["Credibility"]

    def tag(doc_id, text, needle, type_id, entity="", grade=Grade(), nth=0):
        start, end = word(text, needle, nth)
        return new_annotation(text, doc_id, start, end, type_id, entity=entity, grade=grade)

    t0, t1, t2 = TEXTS
    stack.push(AddAnnotations(store, [
        tag(d1, t0, "Assad", actor, "Assad"),
        tag(d1, t0, "Assad", actor, "Assad", nth=1),
        tag(d1, t0, "Jolani", actor, "Jolani"),
        tag(d1, t0, "Homs", location, "Homs"),
        tag(d1, t0, "replied", cred, grade=Grade(2)),
        tag(d1, t0, "Later", cred, grade=Grade(5)),
    ]))  # fmt: skip
    stack.push(AddAnnotations(store, [
        tag(d2, t1, "Bashar al-Assad", actor, "Bashar al-Assad"),
        tag(d2, t1, "Homs", location, "Homs"),
        tag(d2, t1, "the agency said", cred, grade=Grade(2)),
    ]))  # fmt: skip
    stack.push(AddAnnotations(store, [
        tag(d3, t2, "doubtful claim", cred, grade=Grade(3)),
        tag(d3, t2, "nothing much", actor, "Jolani"),
    ]))  # fmt: skip
    keep, gone = store.entity_id(actor, "Assad"), store.entity_id(actor, "Bashar al-Assad")
    stack.push(MergeEntities(store, keep, gone))
    reuters = next(s for s in store.source_summaries() if s.name == "Reuters")
    stack.push(EditSource(store, reuters, Source(reuters.id, "Reuters", "B")))
    return {"docs": (d1, d2, d3), "actor": actor, "location": location}
