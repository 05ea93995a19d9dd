"""Keeps the open document's suggestions current: every unannotated mention of a known name.

The first search of a document (prepare its text, build the matcher, find every name: ~90 ms for
1 MB and 5,000 names, ~0.45 s for 5 MB) starts 30 ms after the document is painted, on a worker
thread, so opening paints as fast as before and the suggestions follow; a result for a document
no longer open is dropped. After that,
everything is incremental on the GUI thread: a name added by tagging or by hand is looked for on
its own in the prepared text (~17 ms for 1 MB), a registry edit hands the names found to their new
owners. Accepting is an ordinary tag (one undoable step); rejecting is remembered per document and
span.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from operator import attrgetter

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoStack

from app.alias_match import (
    AliasMatcher,
    Occurrence,
    add_occurrences,
    leftmost_longest,
    normalize,
    prepare,
    suggestions,
)
from app.commands import AddAnnotations
from app.entity_commands import RejectSuggestion
from app.occurrence_owners import follow_owners, hand_over, moved_owners, owners_of
from app.offsets import new_annotation
from app.store import Store
from widgets.article_view import ArticleView

SETTLE_MS = 30  # after the first paint: the opening's own queued work runs first
_ORDER = attrgetter("start", "end", "tag_type_id", "entity_id", "alias")  # as alias_match sorts


def _search(matcher, entries, text):
    """On the worker: everything the first look at a document needs; touches no shared state."""
    matcher = matcher or AliasMatcher(entries)
    prepared = prepare(text)
    everything = matcher.find(prepared, overlapping=True)
    return matcher, prepared, everything, leftmost_longest(everything), owners_of(entries)


class SuggestionController(QObject):
    _searched = Signal(int, object)  # generation, Future of `_search` (queued to the GUI thread)

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
        self._folded: dict[str, str] = {}  # name → normalize(name), names repeat
        self._timer = QTimer(self, singleShot=True, interval=0)
        self._timer.timeout.connect(self.refresh)
        self._pending: list = []  # names added since the last look
        self._added_timer = QTimer(self, singleShot=True, interval=0)
        self._added_timer.timeout.connect(self._look_for_pending)
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="suggestions")
        self._generation = 0  # bumped by every new search; older results are dropped
        self._searching = False
        self._searched.connect(self._on_searched)
        store.entities_changed.connect(self._registry_changed)
        store.tag_types_changed.connect(self._registry_changed)
        store.aliases_added.connect(self._aliases_added)
        store.annotations_added.connect(self._tagged)
        store.annotations_removed.connect(lambda _a: self._timer.start())
        store.annotation_updated.connect(lambda _o, _n: self._timer.start())
        store.suggestions_changed.connect(lambda _d: self._timer.start())
        # The first search waits until the document is on screen and the window has settled:
        # its C steps hold the interpreter for tens of milliseconds, so a search started with
        # the opening (even on the worker) made a 1 MB article paint 2.7× later.
        self._start = QTimer(self, singleShot=True, interval=300)  # if it is never painted
        self._start.timeout.connect(self._find)
        view.document_changed.connect(self._document_changed)
        view.first_painted.connect(self._painted)
        view.suggestion_accepted.connect(self.accept)
        view.suggestion_rejected.connect(self.reject)

    # ------------------------------------------------------------ finding

    def stop(self) -> None:
        """The window is closing and its database may close next: nothing more is looked up."""
        self._timer.stop()
        self._added_timer.stop()
        self._start.stop()
        self._pending.clear()
        self.enabled = False
        self._generation += 1
        self._pool.shutdown(wait=False, cancel_futures=True)

    def set_enabled(self, on: bool) -> None:
        self.enabled = on
        self._find()

    def _text(self):
        doc_id = self._view.document_id
        if self._prepared is None or self._prepared[0] != doc_id:
            self._prepared = (doc_id, prepare(self._view.text))
        return self._prepared[1]

    def _document_changed(self, _doc_id) -> None:
        self._generation += 1  # anything still searching was for the previous document
        self._all = self._found = []
        self._owners, self._pending = None, []
        self._searching = self._view.document_id is not None and self.enabled
        self._start.start()

    def _painted(self, _doc_id) -> None:
        if self._start.isActive():
            self._start.start(SETTLE_MS)

    def _find(self) -> None:
        """Start the search of the open document on the worker; `_on_searched` takes it over."""
        self._start.stop()
        self._generation += 1
        self._all = self._found = []
        self._owners, self._pending = None, []
        self._view.set_suggestions([], {})
        if not self.enabled or self._view.document_id is None:
            self._searching = False
            return
        self._searching = True
        gen, doc_id = self._generation, self._view.document_id
        future = self._pool.submit(
            _search, self._matcher, self._store.alias_entries(), self._view.text
        )
        future.doc_id = doc_id
        future.add_done_callback(lambda f, g=gen: self._searched.emit(g, f))

    def _on_searched(self, generation: int, future: Future) -> None:
        if generation != self._generation or not self.enabled:
            return  # another document, or the registry changed meanwhile: a newer search runs
        self._searching = False
        if future.cancelled() or future.exception() is not None:
            if future.exception() is not None:
                raise future.exception()
            return
        self._matcher, prepared, self._all, self._found, self._owners = future.result()
        self._prepared = (future.doc_id, prepared)
        self.refresh()

    def ready(self) -> bool:
        """The open document's first search is done (or there is nothing to search)."""
        return not self._searching

    def _registry_changed(self) -> None:
        """Rename, merge, split, delete: the names found stay where they are, only who they name
        changes. So the occurrences already found are handed to their new owners and only names
        new to the registry are looked for, which a test checks against a fresh search after
        every kind of edit."""
        self._matcher = None
        if not self.enabled or self._view.document_id is None or self._owners is None:
            self._find()  # nothing found yet to hand over (or a search runs): search afresh
            return
        owners = self._owner_map()
        if owners.keys() == self._owners.keys():
            self._hand_over(owners)
            return
        kept = follow_owners(self._all, owners, self._fold)
        added = [e for k, e in owners.items() if k not in self._owners]
        self._owners = owners
        text, probe = self._text(), AliasMatcher(())
        new = [o for e in added for o in probe.find_alias(text, e, overlapping=True)]
        self._all = sorted(kept + new, key=_ORDER)
        self._found = leftmost_longest(self._all)
        self.refresh()

    def _hand_over(self, owners: dict) -> None:
        """The same names with other owners (merge, split, a rename within one folded name, and
        their undo): no occurrence moves and leftmost-longest keeps its choice (`hand_over`), and
        no annotation moved (that has its own signal). So only a suggestion whose owner changed,
        or whose span was rejected or unrejected, can appear or vanish: only those are filtered
        again. Merging 10,000 mentions into 10,000 in one open 1 MB article, push to settled:
        214 ms with the full filter, 138 ms this way (bench/bench_merge.py)."""
        moved, self._owners = moved_owners(self._owners, owners), owners
        doc_id = self._view.document_id
        rejected = self._store.rejected_suggestions(doc_id)
        touched = {(s, e) for s, e, _ in rejected ^ self._rejected}
        self._rejected = rejected
        self._all, self._found, again = hand_over(self._all, self._found, moved, touched)
        stay = [
            o for o in self._view.suggestions.items
            if (o.entity_id, o.alias) not in moved and (o.start, o.end) not in touched
        ]  # fmt: skip
        came = suggestions(again, self._annotated(again), rejected)
        shown = sorted(stay + came, key=_ORDER)
        self._view.set_suggestions(shown, self._names(shown))

    def _fold(self, alias: str) -> str:
        key = self._folded.get(alias)
        if key is None:
            key = self._folded[alias] = normalize(alias)
        return key

    def _owner_map(self) -> dict:
        """(tag type, normalized name) → the entry a matcher would report (lowest entity id)."""
        return owners_of(self._store.alias_entries(), self._fold)

    def _aliases_added(self, entries: list) -> None:
        """New names (a tag taught a spelling, or the analyst added an alias): looked for on
        their own, after the tag itself is done and painted."""
        self._matcher = None  # the full matcher is rebuilt lazily, for the next document
        self._pending.extend(entries)
        self._added_timer.start()

    def _look_for_pending(self) -> None:
        if self._searching:
            self._find()  # the running search may predate these names: search afresh
            return
        entries, self._pending = self._pending, []
        if not entries or not self.enabled or self._view.document_id is None:
            return
        if self._owners is not None:  # names the occurrences were already searched for are skipped
            fresh = [e for e in entries if (e.tag_type_id, self._fold(e.alias)) not in self._owners]
            for e in fresh:
                self._owners.setdefault((e.tag_type_id, self._fold(e.alias)), e)
            entries = fresh
        text, probe = self._text(), AliasMatcher(())
        new = [o for e in entries for o in probe.find_alias(text, e, overlapping=True)]
        if not new:
            return
        self._all = add_occurrences(self._all, sorted(new, key=_ORDER))
        before = set(self._found)
        self._found = leftmost_longest(self._all)
        after = set(self._found)
        gone, came = before - after, sorted(after - before, key=_ORDER)
        doc_id = self._view.document_id
        rejected = self._store.rejected_suggestions(doc_id) if came else set()
        came = [o for o in suggestions(came, self._annotated(came), rejected)]
        names = {o.entity_id: self._name(o.entity_id) for o in came}
        self._view.update_suggestions(list(gone), came, names)

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

    def _name(self, entity_id: int) -> str:
        entity = self._store.entity(entity_id)
        return entity.name if entity else "?"

    def refresh(self) -> None:
        """Drop what is tagged or rejected now; cheap, so it runs after every tag and undo."""
        doc_id = self._view.document_id
        if not self.enabled or doc_id is None:
            self._view.set_suggestions([], {})
            return
        annotated = [(s, e, t) for _id, s, e, t in self._store.spans(doc_id)]
        self._rejected = self._store.rejected_suggestions(doc_id)
        shown = suggestions(self._found, annotated, self._rejected)
        self._view.set_suggestions(shown, self._names(shown))

    def _names(self, shown: list[Occurrence]) -> dict[int, str]:
        """Canonical names of the entities offered, for the tooltips: one query."""
        return {e.id: e.name for e in self._store.entities()} if shown else {}

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
        if covered:
            self._view.update_suggestions(covered, [], {})

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
        """Every suggestion shown in this document, as one undoable step."""
        items = self.shown()
        if items:
            self._stack.push(AddAnnotations(
                self._store, [self._annotation(o) for o in items],
                f"Accept {len(items)} suggestions",
            ))  # fmt: skip
        return len(items)
