"""Outlined spans drawn over the analyst's own highlights: a colleague's layer, or the review
colours (agree, conflict, only mine, only theirs). Outlines, not fills, so both stay readable where
they overlap, and a colleague's read-only tags never look like one's own."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen

from widgets.span_index import Span, SpanIndex


class Overlay:
    def __init__(self) -> None:
        self.index = SpanIndex()
        self._style: dict[str, tuple[QColor, bool]] = {}
        self._tips: dict[str, str] = {}

    def __len__(self) -> int:
        return len(self.index)

    def set(
        self, items: Iterable[tuple[str, int, int, str, bool, str]], to_utf16: Callable[[int], int]
    ) -> None:
        """(key, start, end, colour, dashed, tooltip html) with code-point offsets."""
        spans, self._style, self._tips = [], {}, {}
        for key, start, end, color, dashed, tip in items:
            spans.append(Span(to_utf16(start), to_utf16(end), key, 0))
            self._style[key] = (QColor(color), dashed)
            self._tips[key] = tip
        self.index.reset(spans)

    def clear(self) -> None:
        self.index.reset([])
        self._style, self._tips = {}, {}

    def tips_at(self, u16: int) -> list[str]:
        return [self._tips[s.key] for s in self.index.at(u16) if self._tips.get(s.key)]

    def paint(self, painter: QPainter, span: Span, rect: QRectF) -> None:
        color, dashed = self._style.get(span.key, (QColor("gray"), True))
        pen = QPen(color, 2)
        pen.setStyle(Qt.PenStyle.DashLine if dashed else Qt.PenStyle.SolidLine)
        painter.setPen(pen)
        inset = 1 + 2 * self.index.lane(span.key)  # nested outlines stay apart
        painter.drawRect(rect.adjusted(0, inset, -1, -inset))
