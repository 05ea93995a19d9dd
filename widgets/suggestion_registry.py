"""The suggestion controller's half that follows the entity registry: new names looked for on
their own, edits handed to the occurrences already found, never a new search of the text.

A mixin of `SuggestionController` (widgets/suggestion_controller.py), whose state it shares:
`_all` (every occurrence, overlapping), `_found` (leftmost-longest of them), `_owners` (what they
were found for), `_rejected`, `_pending`, the view and the store.
"""

from __future__ import annotations

from operator import attrgetter

from app.alias_match import AliasMatcher, add_occurrences, leftmost_longest, normalize, suggestions
from app.occurrence_owners import follow_owners, hand_over, moved_owners, owners_of

_ORDER = attrgetter("start", "end", "tag_type_id", "entity_id", "alias")  # as alias_match sorts
REBUILD_PAST = 1_000  # layer changes: past this, one rebuild beats item-by-item (list inserts)


class RegistryFollower:
    def _registry_changed(self) -> None:
        """Rename, merge, split, an alias added: the names found stay where they are, only who
        they name changes, and names new to the registry are looked for on their own. Only an
        edit that loses a name (delete, an alias removed) filters everything again. A test
        checks the result against a fresh search after every kind of edit."""
        self._matcher = None
        if not self.enabled or self._view.document_id is None or self._owners is None:
            self._find()  # nothing found yet to hand over (or a search runs): search afresh
            return
        owners = self._owner_map()
        if self._owners.keys() <= owners.keys():
            self._hand_over({key: owners[key] for key in self._owners})
            new = [owners[key] for key in owners.keys() - self._owners.keys()]
            if new:  # at once: an edit has nothing of its own to paint first, unlike a tag
                self._pending.extend(new)
                self._added_timer.stop()
                self._look_for_pending()
            return
        kept = follow_owners(self._all, owners, normalize)
        added = [e for k, e in owners.items() if k not in self._owners]
        self._owners = owners
        text, probe = self._text(), AliasMatcher(())
        new = [o for e in added for o in probe.find_alias(text, e, overlapping=True)]
        self._all = sorted(kept + new, key=_ORDER)
        self._found = leftmost_longest(self._all)
        self.refresh()

    def _hand_over(self, owners: dict) -> None:
        """The same names with other owners (merge, split, and their undo): no occurrence moves
        and leftmost-longest keeps its choice (`hand_over`), and no annotation moved (that has
        its own signal). So only a suggestion whose owner changed, or whose span was rejected or
        unrejected, can appear or vanish: only those are filtered again. Merging 10,000 mentions
        into 10,000 in one open 1 MB article, push to settled: 214 ms with the full filter,
        138 ms this way (bench/bench_merge.py)."""
        moved, self._owners = moved_owners(self._owners, owners), owners
        rejected = self._store.rejected_suggestions(self._view.document_id)
        touched = {(s, e) for s, e, _ in rejected ^ self._rejected}
        self._rejected = rejected
        if not moved and not touched:
            return
        self._all, self._found, again = hand_over(self._all, self._found, moved, touched)
        stay, gone = [], []
        for o in self._view.suggestions.items:
            changed = (o.entity_id, o.alias) in moved or (o.start, o.end) in touched
            (gone if changed else stay).append(o)
        came = suggestions(again, self._annotated(again), rejected)
        self._change_layer(gone, came, stay)

    def _change_layer(self, gone: list, came: list, stay: list | None = None) -> None:
        """Few changes item by item; many by one rebuild (`stay`: what else is shown)."""
        if len(gone) + len(came) <= REBUILD_PAST:
            self._view.update_suggestions(gone, came)
            return
        if stay is None:
            dropped = {(o.start, o.end, o.tag_type_id, o.entity_id) for o in gone}
            stay = [
                o for o in self._view.suggestions.items
                if (o.start, o.end, o.tag_type_id, o.entity_id) not in dropped
            ]  # fmt: skip
        self._view.set_suggestions(sorted(stay + came, key=_ORDER))

    def _owner_map(self) -> dict:
        """(tag type, normalized name) → the entry a matcher would report (lowest entity id)."""
        return owners_of(self._store.alias_entries())

    def _aliases_added(self, entries: list) -> None:
        """New names (a tag taught a spelling, or the analyst added an alias): looked for on
        their own, after the tag itself is done and painted (on the next turn of the loop)."""
        self._matcher = None  # the full matcher is rebuilt lazily, for the next document
        self._pending.extend(entries)
        self._added_timer.start()

    def _look_for_pending(self) -> None:
        if self._searching:
            return  # the names wait: looked for alone when the search lands (`_on_searched`)
        entries, self._pending = self._pending, []
        if not entries or not self.enabled or self._view.document_id is None:
            return
        if self._owners is not None:  # names already searched for (or twice in the list) skipped
            fresh = []
            for e in entries:
                key = (e.tag_type_id, normalize(e.alias))
                if key[1] and key not in self._owners:
                    self._owners[key] = e
                    fresh.append(e)
            entries = fresh
        text, probe = self._text(), AliasMatcher(())
        new = [o for e in entries for o in probe.find_alias(text, e, overlapping=True)]
        if not new:
            return
        self._all = add_occurrences(self._all, sorted(new, key=_ORDER))
        before, self._found = self._found, leftmost_longest(self._all)
        # Both choices hold `_all`'s own objects: compared by identity, not by hashing 14,000
        # frozen dataclasses twice (~7 ms).
        was, now = set(map(id, before)), set(map(id, self._found))
        gone = [o for o in before if id(o) not in now]
        came = [o for o in self._found if id(o) not in was]
        rejected = self._store.rejected_suggestions(self._view.document_id) if came else set()
        self._change_layer(gone, suggestions(came, self._annotated(came), rejected))
