"""Suggestions in the window: once a name is tagged, its other mentions are offered (faintly, not
as tags); Tab steps to one, Enter or Space accepts it as a tag, Backspace rejects it for this
document; accepting all is one undoable step; a new alias is looked for at once."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.commands import AddAnnotations
from app.entity_commands import EditAliases
from app.offsets import new_annotation
from tests.gui_helpers import make_window

LOCATION, ACTOR = 2, 1


@pytest.fixture
def window(qtbot, db):
    return make_window(qtbot, db, sample=True)


def tag_first(w, quote, tag_type, entity=None):
    start = w.view.text.index(quote)
    ann = new_annotation(w.view.text, w.view.document_id, start, start + len(quote), tag_type,
                         entity=entity or quote, annotator="tester")  # fmt: skip
    w.undo_stack.push(AddAnnotations(w.store, [ann]))
    return ann


def shown(w):
    return [(o.start, o.end, w.view.text[o.start : o.end]) for o in w.view.suggestions.items]


def positions(text, quote):
    at, out = -1, []
    while (at := text.find(quote, at + 1)) >= 0:
        out.append(at)
    return out


def test_opening_does_not_wait_for_the_search_and_stale_results_are_dropped(window, qtbot):
    """The first search of a document runs on a worker: a result that arrives after another
    document (or the same one again) was opened is never shown."""
    w = window
    tag_first(w, "Port Aldane", LOCATION)
    qtbot.waitUntil(lambda: len(shown(w)) == 2)
    doc = w.view.document_id
    w.open_document(doc)  # the same document again: a new search, the old one is stale
    w.suggesting.set_enabled(False)  # and then hidden before any result arrives
    qtbot.wait(50)
    assert shown(w) == [] and w.suggesting.ready()
    w.suggesting.set_enabled(True)
    assert not w.suggesting.ready() or len(shown(w)) == 2
    qtbot.waitUntil(lambda: len(shown(w)) == 2)


def test_tagging_a_name_offers_its_other_mentions_and_keys_decide(window, qtbot):
    w = window
    assert shown(w) == []
    tag_first(w, "Port Aldane", LOCATION)
    others = positions(w.view.text, "Port Aldane")[1:]
    qtbot.waitUntil(lambda: [s for s, _, _ in shown(w)] == others)
    assert all(q == "Port Aldane" for _, _, q in shown(w))
    assert len(w.view.annotation_ids()) == 1  # offered, not tagged

    qtbot.keyClick(w.view, Qt.Key.Key_Tab)
    assert w.view.suggestions.current_item().start == others[0]
    qtbot.keyClick(w.view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(w.view.annotation_ids()) == 2)
    accepted = w.store.annotations(w.view.document_id)[1]
    assert (accepted.start, accepted.entity, accepted.annotator) == (
        others[0], "Port Aldane", "tester")  # fmt: skip
    qtbot.waitUntil(lambda: [s for s, _, _ in shown(w)] == others[1:])
    assert w.view.suggestions.current_item().start == others[1]  # moved on to the next

    qtbot.keyClick(w.view, Qt.Key.Key_Backspace)
    qtbot.waitUntil(lambda: shown(w) == [])
    doc = w.view.document_id
    entity = w.store.entity_id(LOCATION, "Port Aldane")
    assert w.store.rejected_suggestions(doc) == {(others[1], others[1] + 11, entity)}
    w.undo_stack.undo()  # the rejection
    qtbot.waitUntil(lambda: [s for s, _, _ in shown(w)] == others[1:])
    w.undo_stack.undo()  # the accepted tag
    qtbot.waitUntil(lambda: [s for s, _, _ in shown(w)] == others)


def test_accept_all_is_one_undoable_step(window, qtbot):
    w = window
    tag_first(w, "Port Aldane", LOCATION)
    qtbot.waitUntil(lambda: len(shown(w)) == 2)
    depth = w.undo_stack.count()
    w.actions["accept_suggestions"].trigger()
    qtbot.waitUntil(lambda: len(w.view.annotation_ids()) == 3)
    assert w.undo_stack.count() == depth + 1 and shown(w) == []
    assert "Accepted 2 suggestions" in w.last_message
    w.undo_stack.undo()
    qtbot.waitUntil(lambda: len(shown(w)) == 2)
    assert len(w.view.annotation_ids()) == 1


def test_a_new_alias_is_looked_for_at_once_and_tagged_mentions_are_not_offered(window, qtbot):
    w = window
    tag_first(w, "Ilyas Marrow", ACTOR)
    qtbot.waitUntil(lambda: w.suggesting.ready() and not w.suggesting._added_timer.isActive())
    assert shown(w) == []
    entity = w.store.entity_id(ACTOR, "Ilyas Marrow")
    w.undo_stack.push(EditAliases(w.store, entity, "marrow", add=True))
    # "Marrow" inside the tagged "Ilyas Marrow" is not offered; the later one is, on the next
    # turn of the event loop (no new search: the name alone is looked for)
    later = w.view.text.index("Marrow, who")
    qtbot.waitUntil(lambda: shown(w) == [(later, later + 6, "Marrow")], timeout=200)
    assert w.suggesting.ready()
    w.undo_stack.undo()
    qtbot.waitUntil(lambda: shown(w) == [])


def test_suggestions_can_be_hidden_and_are_not_painted_as_tags(window, qtbot):
    w = window
    tag_first(w, "Port Aldane", LOCATION)
    qtbot.waitUntil(lambda: len(shown(w)) == 2)
    w.actions["suggestions"].trigger()  # off
    assert shown(w) == []
    w.actions["suggestions"].trigger()  # on: searched again, on the worker
    qtbot.waitUntil(lambda: len(shown(w)) == 2)
    first = w.view.suggestions.items[0].start  # the sample has no emoji before it: u16 == cp
    (tip,) = w.view.suggestions.tips_at(first + 1, {LOCATION: "Location"})
    assert "Suggestion" in tip and "Location</b> Port Aldane" in tip and "Backspace" in tip
    assert w.view.annotations_at(first + 1) == []  # not a tag: nothing to select or edit there


def test_after_every_registry_edit_the_suggestions_equal_a_fresh_search(window, qtbot):
    """The controller hands found names to their new owners instead of searching again, and
    after an edit that keeps the names (merge, split) filters only what changed owner or
    rejection; both must give exactly what a new matcher over the whole registry, filtered
    afresh, offers. Rejections are in play: a merge carries them to the kept entity, a split
    leaves them with the entity split from, so a rejected mention is offered again."""
    from app.alias_match import AliasMatcher, leftmost_longest, prepare, suggestions
    from app.entity_commands import (
        DeleteEntity,
        MergeEntities,
        RejectSuggestion,
        RenameEntity,
        SplitAlias,
    )

    w = window
    tag_first(w, "Port Aldane", LOCATION)
    tag_first(w, "Aldane Observatory", ACTOR)
    tag_first(w, "Ilyas Marrow", ACTOR)
    tag_first(w, "Marrow", ACTOR, entity="Marrow")
    tag_first(w, "NFF", ACTOR)
    s, doc = w.store, w.view.document_id
    handed = []
    real = w.suggesting._hand_over
    w.suggesting._hand_over = lambda owners: (handed.append(1), real(owners))

    def check():
        qtbot.waitUntil(w.suggesting.ready)
        qtbot.waitUntil(lambda: not w.suggesting._added_timer.isActive())
        qtbot.waitUntil(lambda: not w.suggesting._timer.isActive())
        fresh = AliasMatcher(s.alias_entries()).find(prepare(w.view.text), overlapping=True)
        key = lambda o: (o.start, o.end, o.tag_type_id, o.entity_id)  # noqa: E731
        assert sorted(map(key, w.suggesting._all)) == sorted(map(key, fresh))
        assert list(map(key, w.suggesting._found)) == list(map(key, leftmost_longest(fresh)))
        annotated = [(a, b, t) for _id, a, b, t in s.spans(doc)]
        offered = suggestions(leftmost_longest(fresh), annotated, s.rejected_suggestions(doc))
        assert list(map(key, w.suggesting.shown())) == list(map(key, offered))
        return {w.view.text[o.start : o.end] for o in offered}

    assert "Marrow" in check()
    marrow, ilyas = s.entity_id(ACTOR, "Marrow"), s.entity_id(ACTOR, "Ilyas Marrow")
    alone = w.view.text.index("Marrow, who")
    nff = positions(w.view.text, "NFF")[1]
    nff_id = s.entity_id(ACTOR, "NFF")
    for start, end, entity in ((alone, alone + 6, marrow), (nff, nff + 3, nff_id)):
        w.undo_stack.push(RejectSuggestion(s, doc, start, end, entity))
    assert "Marrow" not in check()
    steps = [
        (lambda: MergeEntities(s, ilyas, marrow), False),  # the rejection follows: still hidden
        (lambda: RenameEntity(s, s.entity_id(ACTOR, "NFF"), "Northern Freedom Front"), False),
        (lambda: EditAliases(s, nff_id, "the group", add=True), False),
        (lambda: SplitAlias(s, ilyas, "Marrow"), True),  # the rejection stays with Ilyas
        # Ilyas merged into the new Marrow: "Marrow" keeps its owner, the rejection comes along
        (lambda: MergeEntities(s, s.entity_id(ACTOR, "Marrow"), ilyas), False),
        (lambda: RenameEntity(s, s.entity_id(ACTOR, "Marrow"), "Ilyas Marrow"), False),
        (lambda: DeleteEntity(s, s.entity_id(ACTOR, "Aldane Observatory")), False),
    ]  # fmt: skip
    for step, offered in steps:
        w.undo_stack.push(step())
        assert ("Marrow" in check()) is offered
    for _ in steps:
        w.undo_stack.undo()
        check()
    assert "Marrow" not in check()
    assert len(handed) >= 6  # merges, the split and their undo took the short way
