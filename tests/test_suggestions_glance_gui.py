"""Suggestions appear with the text: while the whole document is searched on the worker, what is
on screen is searched at once (and again after a scroll), and equals the whole search there.
Accepting all never settles for what happens to be on screen.

The worker's search is held back by a gate, so each test sees the window mid-search.
"""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt

from app.articles import make_document
from app.commands import AddAnnotations
from app.offsets import new_annotation
from tests.gui_helpers import make_window

ACTOR = 1
PARAGRAPH = (
    "Fighters of the Northern Front entered Aldane at dawn, a spokesman said. "
    "Marrow, the commander, was not seen; residents of Aldane described queues.\n\n"
)


@pytest.fixture
def gate(monkeypatch):
    """Holds every whole-document search until `gate.set()`."""
    import widgets.suggestion_controller as controller

    event, real = threading.Event(), controller._search

    def held(*args):
        event.wait(10)
        return real(*args)

    monkeypatch.setattr(controller, "_search", held)
    yield event
    event.set()


@pytest.fixture
def window(qtbot, db, gate):
    w = make_window(qtbot, db)
    (doc,) = w.store.add_documents([make_document(PARAGRAPH * 80, title="Long")])
    text = w.store.document(doc.id).text
    tags = [("Marrow", "Ilyas Marrow"), ("Aldane", "Aldane")]
    w.undo_stack.push(AddAnnotations(w.store, [
        new_annotation(text, doc.id, text.index(q), text.index(q) + len(q), ACTOR, entity=e,
                       annotator="tester")
        for q, e in tags
    ]))  # fmt: skip
    gate.set()
    w.open_document(doc.id)
    qtbot.waitUntil(w.suggesting.ready)
    gate.clear()
    return w


def on_screen(w) -> set[tuple[int, int, int]]:
    start, end = w.view.visible_range()
    return {
        (o.start, o.end, o.entity_id)
        for o in w.suggesting.shown()
        if o.start < end and o.end > start
    }


def reopen_mid_search(w, qtbot) -> None:
    doc = w.view.document_id
    w.open_document(doc)
    qtbot.waitUntil(lambda: len(w.view.suggestions) > 0, timeout=2000)
    qtbot.waitUntil(lambda: not w.suggesting._start.isActive())  # the whole search submitted
    assert not w.suggesting.ready()  # and held back


def test_what_is_on_screen_is_offered_before_the_whole_search_lands(window, qtbot, gate):
    w = window
    whole_on_screen = on_screen(w)
    everything = len(w.suggesting.shown())
    assert whole_on_screen and everything > len(whole_on_screen)
    reopen_mid_search(w, qtbot)
    assert on_screen(w) == whole_on_screen
    assert len(w.suggesting.shown()) < everything  # only the screen so far
    gate.set()
    qtbot.waitUntil(w.suggesting.ready)
    assert len(w.suggesting.shown()) == everything


def test_scrolling_mid_search_looks_at_the_new_screen(window, qtbot, gate):
    w = window
    bar = w.view.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)
    qtbot.wait(20)
    middle = on_screen(w)
    bar.setValue(0)
    reopen_mid_search(w, qtbot)
    bar.setValue(bar.maximum() // 2)
    qtbot.waitUntil(lambda: on_screen(w) == middle, timeout=1000)
    assert not w.suggesting.ready()


def test_a_rejection_mid_search_takes_the_suggestion_away(window, qtbot):
    w = window
    reopen_mid_search(w, qtbot)
    first = w.suggesting.shown()[0]
    w.suggesting.reject(first)
    qtbot.waitUntil(lambda: first not in w.suggesting.shown(), timeout=1000)
    assert w.suggesting.shown() and not w.suggesting.ready()


def test_accept_all_mid_search_takes_every_suggestion_of_the_document(window, qtbot, gate):
    w = window
    everything = len(w.suggesting.shown())
    reopen_mid_search(w, qtbot)
    before = len(w.view.annotation_ids())
    threading.Timer(0.05, gate.set).start()  # the search lands while accept-all waits for it
    assert w.suggesting.accept_all() == everything
    assert len(w.view.annotation_ids()) == before + everything
    qtbot.waitUntil(lambda: w.suggesting.shown() == [])


def test_a_name_taught_mid_search_is_looked_for_when_the_search_lands(window, qtbot, gate):
    """Tagging while the document is searched neither restarts the search nor loses the name:
    its other mentions are offered once the search is in."""
    from app.alias_match import AliasMatcher, prepare, suggestions

    w = window
    reopen_mid_search(w, qtbot)
    running = w.suggesting._future
    text, doc = w.view.text, w.view.document_id
    at = text.index("Northern Front")
    w.undo_stack.push(AddAnnotations(w.store, [
        new_annotation(text, doc, at, at + 14, ACTOR, entity="Northern Front", annotator="t")
    ]))  # fmt: skip
    qtbot.wait(20)
    assert w.suggesting._future is running and not w.suggesting.ready()
    gate.set()
    qtbot.waitUntil(w.suggesting.ready)
    qtbot.waitUntil(lambda: not w.suggesting._added_timer.isActive())
    s = w.store
    found = AliasMatcher(s.alias_entries()).find(prepare(text))
    fresh = suggestions(found, [(a, b, t) for _i, a, b, t in s.spans(doc)], set())
    offered = [(o.start, o.end, o.entity_id) for o in w.suggesting.shown()]
    assert offered == [(o.start, o.end, o.entity_id) for o in fresh]
    assert sum(text[a:b] == "Northern Front" for a, b, _e in offered) == 79


def test_a_long_search_shows_a_busy_bar_and_stop_drops_its_result(window, qtbot, gate):
    """Past half a second the status bar says the document is being searched; Stop keeps the
    names on screen, drops the rest when it lands, and writes nothing."""
    w = window
    progress = w.suggestion_progress
    reopen_mid_search(w, qtbot)
    glanced = set(on_screen(w))
    assert not progress.isVisible()  # quick searches show nothing
    qtbot.waitUntil(progress.isVisible, timeout=2000)  # SHOW_AFTER_MS later, still searching
    rows = w.store.db.execute("SELECT count(*) FROM annotations").fetchone()
    qtbot.mouseClick(progress.stop_button, Qt.MouseButton.LeftButton)
    assert not progress.isVisible() and w.suggesting.ready()
    assert "Stopped looking for suggestions" in w.last_message
    gate.set()  # the worker finishes; its result must be dropped
    qtbot.wait(100)
    assert set(on_screen(w)) == glanced
    assert len(w.suggesting.shown()) == len(glanced)  # only the glance: the rest was dropped
    assert w.store.db.execute("SELECT count(*) FROM annotations").fetchone() == rows


def test_the_busy_bar_goes_away_when_the_search_lands(window, qtbot, gate):
    w = window
    reopen_mid_search(w, qtbot)
    qtbot.waitUntil(w.suggestion_progress.isVisible, timeout=2000)
    gate.set()
    qtbot.waitUntil(w.suggesting.ready)
    qtbot.waitUntil(lambda: not w.suggestion_progress.isVisible())
    assert len(w.suggesting.shown()) > len(on_screen(w))  # the whole document's, off screen too
