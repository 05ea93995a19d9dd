"""Keeps the open document's suggestions current: every unannotated mention of a known name.

What the analyst sees comes first. The text on screen is searched at once on the GUI thread when
the document is first painted, and again when they scroll while the rest is being searched (a
screenful costs ~1 ms with the automaton built), so suggestions appear with the text. The whole
document (~60–90 ms of work for 1 MB and 5,000 names, ~0.45 s for 5 MB) is searched on a worker
thread 30 ms after that first paint, so opening paints as fast as before; its result replaces
the glances, and a result for a document no longer open is dropped. After that, everything is
incremental on the GUI thread: a name added by tagging or by hand is looked for on its own in
the prepared text (~17 ms for 1 MB), a registry edit hands the names found to their new owners
(`widgets/suggestion_registry.py`). Accepting is an ordinary tag (one undoable step); rejecting
is remembered per document and span.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoStack

from app.alias_match import (
    AliasMatcher,
    Occurrence,
    find_between,
    leftmost_longest,
    prepare,
    suggestions,
)
from app.commands import AddAnnotations
from app.entity_commands import RejectSuggestion
from app.occurrence_owners import owners_of
from app.offsets import new_annotation
from app.store import Store
from widgets.article_view import ArticleView
from widgets.suggestion_registry import RegistryFollower

SETTLE_MS = 30  # after the first paint: the opening's own queued work runs first


def _search(matcher, entries, text):
    """On the worker: everything the first look at a document needs; touches no shared state."""
    matcher = matcher or AliasMatcher(entries)
    prepared = prepare(text)
    everything = matcher.find(prepared, overlapping=True)
    return matcher, prepared, everything, leftmost_longest(everything), owners_of(entries)


class SuggestionController(RegistryFollower, QObject):
    _searched = Signal(int, object)  # generation, Future of `_search` (queued to the GUI thread)
    search_started = Signal()  # the whole-document search went to the worker
    search_ended = Signal()  # … landed, was dropped or was stopped

    def __init__(self, store: Store, stack: QUndoStack, view: ArticleView, annotator) -> None:
        """`annotator()` names who accepts, as for any tag the analyst makes."""
        super().__init__(view)
        self._store, self._stack, self._view, self._annotator = store, stack, view, annotator
        self.enabled = True
        self._matcher: AliasMatcher | None = None
        self._prepared = None  # (document id, PreparedText)
        self._all: list[Occurrence] = []  # every occurrence in the open document, overlapping
        self._found: list[Occurrence] = []  # leftmost-longest of them
        self._owners: dict | None = None  # what the occurrences were found for
        self._rejected: set = set()  # the rejections the shown suggestions reflect
        self._timer = QTimer(self, singleShot=True, interval=0)
        self._timer.timeout.connect(self.refresh)
        self._pending: list = []  # names added since the last look
        self._added_timer = QTimer(self, singleShot=True, interval=0)
        self._added_timer.timeout.connect(self._look_for_pending)
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="suggestions")
        self._generation = 0  # bumped by every new search; older results are dropped
        self._searching = False
        self._future: Future | None = None
        self._painted_doc = None  # the document whose first paint has happened
        self._glanced: list[tuple[int, int]] = []  # ranges searched on screen during a search
        self._searched.connect(self._on_searched)
        view.suggestions.name_of = store.entity_name
        store.owners_changed.connect(self._registry_changed)
        store.tag_types_changed.connect(self._registry_changed)
        store.aliases_added.connect(self._aliases_added)
        store.annotations_added.connect(self._tagged)
        store.annotations_removed.connect(lambda _a: self._timer.start())
        store.annotation_updated.connect(lambda _o, _n: self._timer.start())
        store.suggestions_changed.connect(lambda _d: self._timer.start())
        # The whole search waits until the document is on screen and the window has settled:
        # its C steps hold the interpreter for tens of milliseconds, so a search started with
        # the opening (even on the worker) made a 1 MB article paint 2.7× later.
        self._start = QTimer(self, singleShot=True, interval=300)  # if it is never painted
        self._start.timeout.connect(self._find)
        self._glance_timer = QTimer(self, singleShot=True, interval=0)
        self._glance_timer.timeout.connect(self._glance)
        view.document_changed.connect(self._document_changed)
        view.first_painted.connect(self._painted)
        view.verticalScrollBar().valueChanged.connect(self._scrolled)
        view.suggestion_accepted.connect(self.accept)
        view.suggestion_rejected.connect(self.reject)

    # ------------------------------------------------------------ finding

    def stop(self) -> None:
        """The window is closing and its database may close next: nothing more is looked up."""
        for timer in (self._timer, self._added_timer, self._start, self._glance_timer):
            timer.stop()
        self._pending.clear()
        self.enabled = False
        self._generation += 1
        self._pool.shutdown(wait=False, cancel_futures=True)

    def set_enabled(self, on: bool) -> None:
        self.enabled = on
        self._find()

    def ready(self) -> bool:
        """The open document's whole search is done (or there is nothing to search)."""
        return not self._searching

    def _text(self):
        doc_id = self._view.document_id
        if self._prepared is None or self._prepared[0] != doc_id:
            self._prepared = (doc_id, prepare(self._view.text))
        return self._prepared[1]

    def _document_changed(self, _doc_id) -> None:
        self._generation += 1  # anything still searching was for the previous document
        self._all = self._found = []
        self._owners, self._pending, self._glanced = None, [], []
        self._painted_doc = None
        self._searching = self._view.document_id is not None and self.enabled
        self.search_ended.emit()  # the previous document's search, if any, is dropped
        self._start.start()

    def _painted(self, doc_id) -> None:
        self._painted_doc = doc_id
        self._glance_timer.start()  # right after this paint: the names on screen
        if self._start.isActive():
            self._start.start(SETTLE_MS)

    def _scrolled(self, _value) -> None:
        if self._searching and self._painted_doc is not None:
            self._glance_timer.start()

    def _find(self) -> None:
        """Start the search of the open document on the worker; `_on_searched` takes it over.
        Until it lands, what is on screen is searched here."""
        self._start.stop()
        self._generation += 1
        self._all = self._found = []
        self._owners, self._pending, self._glanced = None, [], []
        self._view.set_suggestions([])
        if not self.enabled or self._view.document_id is None:
            self._searching = False
            self.search_ended.emit()
            return
        self._searching = True
        self.search_started.emit()
        gen, doc_id = self._generation, self._view.document_id
        future = self._future = self._pool.submit(
            _search, self._matcher, self._store.alias_entries(), self._view.text
        )
        future.doc_id = doc_id
        future.add_done_callback(lambda f, g=gen: self._searched.emit(g, f))
        if self._painted_doc == doc_id:
            self._glance()  # at once: no frame without the suggestions on screen

    def _glance(self) -> None:
        """The names on screen, while the whole document is being searched."""
        view = self._view
        if not (self._searching and self.enabled and view.document_id is not None):
            return
        start, end = view.visible_range()
        if any(a <= start and end <= b for a, b in self._glanced):
            return
        self._glanced.append((start, end))
        if self._matcher is None:  # the worker builds its own meanwhile; this one is kept
            self._matcher = AliasMatcher(self._store.alias_entries())
        found = find_between(self._matcher, view.text, start, end)
        rejected = self._store.rejected_suggestions(view.document_id)
        view.update_suggestions([], suggestions(found, self._annotated(found), rejected))

    def stop_search(self) -> None:
        """The analyst stopped the whole-document search (its progress bar's Stop): its result is
        dropped when it lands; what was found on screen stays. Nothing is written either way."""
        if self._searching:
            self._generation += 1
            self._searching = False
            self.search_ended.emit()

    def _on_searched(self, generation: int, future: Future) -> None:
        if generation != self._generation or not self._searching or not self.enabled:
            return  # another document, the registry changed meanwhile, or taken already
        self._searching = False
        self.search_ended.emit()
        if future.cancelled() or future.exception() is not None:
            if future.exception() is not None:
                raise future.exception()
            return
        self._matcher, prepared, self._all, self._found, self._owners = future.result()
        self._prepared = (future.doc_id, prepared)
        self.refresh()
        if self._pending:  # names added while it ran (a tag taught a spelling): theirs now
            self._matcher = None  # built before them: rebuilt for the next document
            self._look_for_pending()

    def _finish_search(self) -> None:
        """Wait for the whole search (a fraction of a second at most) and take it over now."""
        if self._searching and self._future is not None:
            self._future.result()
            self._on_searched(self._generation, self._future)

    def _annotated(self, occurrences) -> list[tuple[int, int, int]]:
        """(start, end, tag type) of the annotations around these occurrences: from the view's
        own index when they are few (no query), else the document's from one query, which is
        cheaper past ~1,000 (an index lookup costs ~4 µs, a row ~1.5 µs)."""
        if len(occurrences) > 1_000:
            return [(s, e, t) for _id, s, e, t in self._store.spans(self._view.document_id)]
        out = []
        for o in occurrences:
            for tag_type, _u16 in self._view.annotated_over(o.start, o.end):
                if tag_type == o.tag_type_id:
                    out.append((o.start, o.end, tag_type))  # overlaps: enough to drop it
        return out

    def refresh(self) -> None:
        """Drop what is tagged or rejected now; cheap, so it runs after every tag and undo."""
        doc_id = self._view.document_id
        if not self.enabled or doc_id is None:
            self._view.set_suggestions([])
            return
        if self._searching:  # a tag, an undo or a rejection meanwhile: look at the screen again
            self._view.set_suggestions([])
            self._glanced = []
            self._glance()
            return
        annotated = [(s, e, t) for _id, s, e, t in self._store.spans(doc_id)]
        self._rejected = self._store.rejected_suggestions(doc_id)
        self._view.set_suggestions(suggestions(self._found, annotated, self._rejected))

    def _tagged(self, annotations: list) -> None:
        """A tag hides the suggestions it covers at once, without asking the database and
        without rebuilding the layer: tagging stays as fast as it was (bench/bench_tag.py)."""
        doc_id = self._view.document_id
        covered = [
            o
            for a in annotations
            if a.document_id == doc_id
            for o in self._view.suggestions_over(a.start, a.end)
            if o.tag_type_id == a.tag_type_id
        ]
        self._view.update_suggestions(covered, [])

    def shown(self) -> list[Occurrence]:
        return list(self._view.suggestions.items)

    # ------------------------------------------------------------ deciding

    def _annotation(self, o: Occurrence):
        view = self._view
        return new_annotation(
            view.text, view.document_id, o.start, o.end, o.tag_type_id,
            entity=view.suggestions.name(o.entity_id), annotator=self._annotator(),
        )  # fmt: skip

    def accept(self, o: Occurrence) -> None:
        self._stack.push(AddAnnotations(self._store, [self._annotation(o)]))
        self._view.step_suggestion()

    def reject(self, o: Occurrence) -> None:
        self._stack.push(RejectSuggestion(
            self._store, self._view.document_id, o.start, o.end, o.entity_id
        ))  # fmt: skip
        self._view.step_suggestion()

    def accept_all(self) -> int:
        """Every suggestion in this document, as one undoable step: the whole search first, if
        only what is on screen has been searched yet."""
        self._finish_search()
        items = self.shown()
        if items:
            self._stack.push(AddAnnotations(
                self._store, [self._annotation(o) for o in items],
                f"Accept {len(items)} suggestions",
            ))  # fmt: skip
        return len(items)
