"""A sorted interval index of highlight spans in UTF-16 units, with stable overlap lanes.

Painting asks "which spans touch these visible lines?" on every frame, so the lookup must cost
O(log n + hits), not O(n). Spans are kept sorted by start; `max_length` bounds how far back a span
that covers the visible range can start. Lanes (0, 1, 2 …) give nested and overlapping spans their
own underline; a new span takes the lowest free lane and existing spans never move, so the eye does
not lose a highlight when another is added. Spans are named tuples: a 5 MB article has 50,000 of
them and building frozen dataclasses would cost more than the rest of opening it.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Hashable
from heapq import heappop, heappush
from typing import NamedTuple


class Span(NamedTuple):
    start: int  # UTF-16
    end: int
    key: Hashable  # annotation id (a suggestion's: its span, type and entity)
    tag_type_id: int


class SpanIndex:
    def __init__(self) -> None:
        self._starts: list[int] = []
        self._spans: list[Span] = []
        self._lanes: dict[Hashable, int] = {}
        self._start_of: dict[Hashable, int] = {}
        self.max_length = 0

    def __len__(self) -> int:
        return len(self._spans)

    def __contains__(self, key: str) -> bool:
        return key in self._start_of

    def keys(self) -> list[str]:
        return [s.key for s in self._spans]

    def reset(self, spans: list[Span], *, presorted: bool = False, lanes: bool = True) -> None:
        """Bulk load: one sort (skipped when the database already ordered them by start, longest
        first) and one greedy lane pass with heaps, O(n log n) however deep the overlaps. Without
        `lanes` (spans drawn without stacked underlines) every span is in lane 0: half the time."""
        if not presorted:
            spans = sorted(spans, key=lambda s: (s.start, -s.end))
        self._spans = spans
        self._starts = [s.start for s in spans]
        self._start_of = {s.key: s.start for s in spans}
        self.max_length = max((s.end - s.start for s in spans), default=0)
        if not lanes:
            self._lanes = {}
            return
        assigned: dict = {}
        active: list[tuple[int, int]] = []  # (end, lane) of spans still open
        free: list[int] = []
        for span in spans:
            while active and active[0][0] <= span.start:
                heappush(free, heappop(active)[1])
            lane = heappop(free) if free else len(active)
            heappush(active, (span.end, lane))
            assigned[span.key] = lane
        self._lanes = assigned

    def add(self, span: Span) -> None:
        used = {self._lanes.get(s.key, 0) for s in self.overlapping(span.start, span.end)}
        lane = next(i for i in range(len(used) + 1) if i not in used)
        i = bisect_right(self._starts, span.start)
        self._starts.insert(i, span.start)
        self._spans.insert(i, span)
        self._lanes[span.key] = lane
        self._start_of[span.key] = span.start
        self.max_length = max(self.max_length, span.end - span.start)

    def remove(self, key: str) -> bool:
        start = self._start_of.pop(key, None)
        if start is None:
            return False
        i = bisect_left(self._starts, start)
        while i < len(self._spans) and self._starts[i] == start:
            if self._spans[i].key == key:
                del self._starts[i], self._spans[i]
                self._lanes.pop(key, None)
                return True
            i += 1
        return False

    def overlapping(self, start: int, end: int) -> list[Span]:
        """Spans with span.start < end and span.end > start, in start order."""
        lo = bisect_left(self._starts, start - self.max_length)
        hi = bisect_left(self._starts, end)
        return [s for s in self._spans[lo:hi] if s.end > start]

    def at(self, position: int) -> list[Span]:
        return self.overlapping(position, position + 1)

    def lane(self, key: str) -> int:
        return self._lanes.get(key, 0)
