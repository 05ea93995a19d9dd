"""Find matches drawn in the article: a wash of one colour no tag type uses, the current match
stronger and outlined, painted over the tags' fills and under the text, so a match stays readable
on a tagged passage and a tag stays visible under a match.

`FindInView` is a mixin of `ArticleView` (widgets/article_view.py), which owns `find_layer`, the
code-point ↔ UTF-16 map and the painting loop; the find bar (widgets/find_bar.py) talks to the
view through it. Only the visible lines are painted (two bisects find the matches on them), so
90,000 matches of "e" cost a frame what ten cost.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor, QPainter, QPen

MATCH_FILL = QColor(255, 214, 0, 120)  # browsers' find yellow, translucent over a tag's fill
CURRENT_FILL = QColor(255, 140, 0, 170)  # the match Enter/F3 went to
CURRENT_EDGE = QColor(190, 80, 0)


class FindLayer:
    """Matches never overlap one another, so both their starts and their ends are sorted: the
    ones on screen are found with two bisects, and the layer is two lists of ints, not an
    interval index of tuples (that cost 0.1 s to build for the 90,000 matches of "e" in 1 MB)."""

    def __init__(self) -> None:
        self.spans: list[tuple[int, int]] = []  # the matches in code points, in order
        self.starts: list[int] = []  # … and in UTF-16, as painted
        self.ends: list[int] = []
        self.current: int = -1  # index into `spans`, -1: none

    def __len__(self) -> int:
        return len(self.starts)

    def set(self, spans: list[tuple[int, int]], to_utf16) -> None:
        """`spans` in code points, in order, not overlapping; `to_utf16` None when both units
        agree."""
        self.spans, self.current = spans, -1
        self.starts = [s for s, _ in spans]
        self.ends = [e for _, e in spans]
        if to_utf16 is not None:
            self.starts = list(map(to_utf16, self.starts))
            self.ends = list(map(to_utf16, self.ends))

    def between(self, start_u16: int, end_u16: int) -> range:
        """Indices of the matches overlapping [start_u16, end_u16)."""
        return range(bisect_right(self.ends, start_u16), bisect_left(self.starts, end_u16))

    def painted_spans(self) -> list[tuple[int, int]]:
        """What is highlighted, in code points: for tests and the window, not for painting."""
        return list(self.spans)

    def paint(self, painter: QPainter, index: int, rect: QRectF) -> None:
        if index == self.current:
            painter.fillRect(rect, CURRENT_FILL)
            painter.setPen(QPen(CURRENT_EDGE, 1.5))
            painter.drawRect(rect.adjusted(0.5, 0.5, -1, -1))
        else:
            painter.fillRect(rect, MATCH_FILL)


class FindInView:
    def set_find_matches(self, spans: list[tuple[int, int]]) -> None:
        """Highlight these matches (code points, in order); none is current yet."""
        self.find_layer.set(spans, None if self._map.identity else self._map.to_utf16)
        self.viewport().update()

    def cursor_code_point(self) -> int:
        """Where the selection (or the cursor) starts: an incremental search starts there."""
        return self._map.to_code_point(self.textCursor().selectionStart())

    def _paint_find_matches(self, painter: QPainter, block, origin: QPointF, base: int,
                            end: int) -> None:  # fmt: skip
        """The matches on the visible lines of one block (UTF-16 [base, end)). Only those: an
        article pasted as one paragraph is a single block of thousands of lines, and going
        through every line for every match took 22 s for 10,000 matches."""
        layer = self.find_layer
        if not len(layer):
            return
        port = self.viewport().rect()
        first = max(base, self.cursorForPosition(port.topLeft()).position())
        last = min(end, self.cursorForPosition(port.bottomRight()).position() + 1)
        layout = block.layout()
        for i in layer.between(first, last):
            s, e = max(layer.starts[i], base) - base, min(layer.ends[i], end) - base
            if s >= e:
                continue
            top_line = layout.lineForTextPosition(s).lineNumber()
            bottom_line = layout.lineForTextPosition(e - 1).lineNumber()
            for number in range(max(top_line, 0), bottom_line + 1):
                line = layout.lineAt(number)
                line_start = line.textStart()
                a, b = max(s, line_start), min(e, line_start + line.textLength())
                if a >= b:
                    continue
                x1, x2 = line.cursorToX(a)[0], line.cursorToX(b)[0]
                rect = QRectF(origin.x() + x1, origin.y() + line.y(), x2 - x1, line.height())
                layer.paint(painter, i, rect)

    def show_find_match(self, index: int) -> None:
        """Make match `index` current: emphasised, selected (a tag key then tags it) and
        scrolled into view."""
        layer = self.find_layer
        layer.current = index
        if 0 <= index < len(layer.spans):
            self.select_span(*layer.spans[index])
            self.centerCursor()
        self.viewport().update()
