"""Suggestions drawn in the article: unannotated mentions of known names, offered, not yet tagged.

They must never be mistaken for a tag: no fill an analyst would read as a highlight, only a
dotted underline in the tag type's colour, and the one being considered (Tab) outlined, with a
tooltip that says what accepting it would do.
"""

from __future__ import annotations

import html
from bisect import bisect_left
from collections.abc import Callable, Sequence

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen

from app.interchange import collector_paused
from widgets.span_index import Span, SpanIndex

SUGGESTION_ALPHA = 22  # a faint wash, a third of a real highlight's


def key_of(o) -> tuple[int, int, int, int]:
    return (o.start, o.end, o.tag_type_id, o.entity_id)


class SuggestionLayer:
    """Suggestions by key (span, type, entity), so a tag or a new alias changes only the few it
    touches: rebuilding the layer for 30,000 suggestions took 0.1 s, which a tag must not pay."""

    def __init__(self) -> None:
        self.index = SpanIndex()
        self._items: dict[tuple, object] = {}  # key → Occurrence-like (start, end, entity_id, …)
        self.current: tuple | None = None  # key of the suggestion being considered
        # Entity id → canonical name, asked only for a tooltip or an accepted suggestion: naming
        # 13,000 suggestions up front cost a query of the whole registry (~20 ms).
        self.name_of: Callable[[int], str | None] = lambda _entity_id: None

    def __len__(self) -> int:
        return len(self._items)

    @property
    def items(self) -> list:
        """In start order (longest first at one start), as Tab visits them."""
        return [self._items[k] for k in self.index.keys()]  # noqa: SIM118 (not a dict)

    @collector_paused()  # ~13,000 new spans: the collector would scan them again and again
    def set(self, items: Sequence, to_utf16: Callable[[int], int] | None) -> None:
        """`items` in start order, code-point offsets (`to_utf16` None: the text has no astral
        characters, so they are UTF-16 too); the current one is kept when still there. Setting
        30,000 at once (a whole document's search landing) takes ~20 ms (was 47): keys are
        tuples made once, the index is not sorted again unless two start together, and it
        assigns no lanes (a suggestion is one dotted line)."""
        keys = [key_of(o) for o in items]
        self._items = dict(zip(keys, items, strict=True))
        if to_utf16 is None:
            spans = [
                Span(o.start, o.end, k, o.tag_type_id) for o, k in zip(items, keys, strict=True)
            ]
        else:
            spans = [
                Span(to_utf16(o.start), to_utf16(o.end), k, o.tag_type_id)
                for o, k in zip(items, keys, strict=True)
            ]
        starts = [s.start for s in spans]
        shared_start = any(map(int.__eq__, starts, starts[1:]))  # longest first there: sort
        self.index.reset(spans, presorted=not shared_start, lanes=False)  # one dotted line each
        if self.current not in self._items:
            self.current = None

    def update(
        self, removed: Sequence, added: Sequence, to_utf16: Callable[[int], int] | None
    ) -> None:
        to_utf16 = to_utf16 or int
        for o in removed:
            key = key_of(o)
            if self._items.pop(key, None) is not None:
                self.index.remove(key)
        for o in added:
            key = key_of(o)
            if key not in self._items:
                self._items[key] = o
                self.index.add(Span(to_utf16(o.start), to_utf16(o.end), key, o.tag_type_id))
        if self.current not in self._items:
            self.current = None

    def overlapping(self, start_u16: int, end_u16: int) -> list:
        return [self._items[s.key] for s in self.index.overlapping(start_u16, end_u16)]

    def clear(self) -> None:
        self.set([], None)

    def current_item(self):
        return self._items.get(self.current) if self.current is not None else None

    def step(self, forward: bool, from_cp: int | None = None):
        """The next (or previous) suggestion after the current one, or after `from_cp` when none
        is current; wraps around."""
        keys = self.index.keys()
        if not keys:
            self.current = None
            return None
        if self.current in self._items:
            i = keys.index(self.current) + (1 if forward else -1)
        else:
            at = from_cp or 0
            starts = [self._items[k].start for k in keys]
            i = bisect_left(starts, at) if forward else bisect_left(starts, at) - 1
        self.current = keys[i % len(keys)]
        return self._items[self.current]

    def name(self, entity_id: int) -> str:
        return self.name_of(entity_id) or "?"

    def tips_at(self, u16: int, type_names: dict[int, str]) -> list[str]:
        tips = []
        for span in self.index.at(u16):
            o = self._items[span.key]
            tips.append(
                f"<p style='margin:2px 0'><i>Suggestion</i>: "
                f"<b>{html.escape(type_names.get(o.tag_type_id, '?'))}</b> "
                f"{html.escape(self.name(o.entity_id))} (“{html.escape(o.alias)}”)<br>"
                "Tab to it, then Enter or Space to accept, Backspace to reject</p>"
            )
        return tips

    def paint(self, painter: QPainter, span: Span, rect: QRectF, color: QColor) -> None:
        wash = QColor(color)
        wash.setAlpha(SUGGESTION_ALPHA)
        painter.fillRect(rect, wash)
        pen = QPen(color, 1.5)
        pen.setStyle(Qt.PenStyle.DotLine)
        painter.setPen(pen)
        y = rect.bottom() - 1
        painter.drawLine(int(rect.left()), int(y), int(rect.right()), int(y))
        if span.key == self.current:
            outline = QPen(color.darker(130), 1.5)
            outline.setStyle(Qt.PenStyle.DashLine)
            painter.setPen(outline)
            painter.drawRect(rect.adjusted(0, 0, -1, -1))
