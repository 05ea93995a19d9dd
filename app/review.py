"""Reviewing a colleague's layer against one's own tags: the list of differences and what each
decision changes. Pure: the review panel shows these items and pushes the changes as one
`ReviewDecision` command each, so every decision is stored and undoable.

Decisions, for a pair of (mine, theirs):
- accept theirs: their tag replaces mine (or is added; or, where they have none, mine goes);
- reject theirs: their tag is set aside, mine stays;
- keep mine: mine stays as it is, and the difference is marked as seen.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace

from app.agreement import Pair, compare
from app.model import Annotation, LayerAnnotation, utc_now

AGREE, CONFLICT, ONLY_MINE, ONLY_THEIRS = "agree", "conflict", "only_a", "only_b"
KIND_LABELS = {
    AGREE: "Both agree",
    CONFLICT: "Conflict",
    ONLY_MINE: "Only mine",
    ONLY_THEIRS: "Only theirs",
}
# Okabe–Ito again, so the review colours stay apart for colour-blind readers too.
KIND_COLORS = {AGREE: "#009E73", CONFLICT: "#D55E00", ONLY_MINE: "#0072B2", ONLY_THEIRS: "#CC79A7"}
ACCEPTED, REJECTED, KEPT_MINE = "accepted", "rejected", "kept_mine"


@dataclass(frozen=True, slots=True)
class ReviewItem:
    pair: Pair
    theirs: LayerAnnotation | None
    decision: str  # "" until the reviewer decides

    @property
    def kind(self) -> str:
        return self.pair.kind

    @property
    def mine(self) -> Annotation | None:
        return self.pair.a


@dataclass(frozen=True, slots=True)
class Change:
    """What one decision does, with (key, new verdict, old verdict) for undo: `theirs` keyed by
    `LayerAnnotation.key`, `own` by the analyst's annotation id."""

    text: str
    theirs: list[tuple[tuple[int | None, str], str, str]] = field(default_factory=list)
    own: list[tuple[str, str, str]] = field(default_factory=list)
    add: list[Annotation] = field(default_factory=list)
    remove: list[Annotation] = field(default_factory=list)


def review_items(
    mine: list[Annotation], theirs: list[LayerAnnotation], own_decisions: dict[str, str]
) -> list[ReviewItem]:
    placed = {t.id: t for t in theirs if t.placed}
    pairs = compare(mine, [t.as_annotation() for t in placed.values()])
    items = []
    for pair in pairs:
        their = placed.get(pair.b.id) if pair.b is not None else None
        decision = their.decision if their else own_decisions.get(pair.a.id, "")
        items.append(ReviewItem(pair, their, decision))
    items.sort(key=lambda it: (it.pair.start, it.pair.end))
    return items


def _adopted(theirs: LayerAnnotation, taken: set[str]) -> Annotation:
    """Their tag as one of ours; a fresh id if ours already uses theirs for another tag."""
    ann = replace(theirs.as_annotation(), updated_at=utc_now())
    return replace(ann, id=str(uuid.uuid4())) if ann.id in taken else ann


def accept_theirs(item: ReviewItem, my_ids: set[str]) -> Change:
    t, m = item.theirs, item.mine
    if item.kind == ONLY_MINE:
        return Change("Accept theirs: remove my tag", own=[(m.id, ACCEPTED, item.decision)],
                      remove=[m])  # fmt: skip
    verdict = [(t.key, ACCEPTED, item.decision)]
    if item.kind == AGREE:
        return Change("Accept agreement", theirs=verdict)
    taken = my_ids - ({m.id} if m else set())
    add = [_adopted(t, taken)]
    return Change(f"Accept theirs: “{t.quote[:30]}”", theirs=verdict, add=add,
                  remove=[m] if m else [])  # fmt: skip


def reject_theirs(item: ReviewItem) -> Change:
    if item.kind == ONLY_MINE:
        return keep_mine(item)
    return Change(f"Reject theirs: “{item.theirs.quote[:30]}”",
                  theirs=[(item.theirs.key, REJECTED, item.decision)])  # fmt: skip


def keep_mine(item: ReviewItem) -> Change:
    if item.kind == ONLY_MINE:
        return Change(f"Keep mine: “{item.mine.quote[:30]}”",
                      own=[(item.mine.id, KEPT_MINE, item.decision)])  # fmt: skip
    return Change("Keep mine", theirs=[(item.theirs.key, KEPT_MINE, item.decision)])


def layer_agreement(
    documents: list[tuple[str, str, list[Annotation], list[LayerAnnotation]]],
    tag_types: dict,
) -> dict[str, object]:
    """Agreement per document (title → report) plus "All documents", mine as A, theirs as B."""
    from app.agreement import combine, report

    per = {
        title: report(mine, [t.as_annotation() for t in theirs if t.placed], text, tag_types)
        for title, text, mine, theirs in documents
    }
    if per:
        per["All documents"] = combine(list(per.values()))
    return per


def accept_all_agreements(items: list[ReviewItem]) -> Change:
    open_ = [it for it in items if it.kind == AGREE and not it.decision]
    return Change(f"Accept {len(open_)} agreements",
                  theirs=[(it.theirs.key, ACCEPTED, "") for it in open_])  # fmt: skip
