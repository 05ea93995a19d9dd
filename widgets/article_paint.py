"""How the article view paints its layers: tags, suggestions, Ctrl+F's matches, a colleague's.

Highlights are translucent rectangles painted under the text for the visible lines only, so a
paint costs the same whatever the article's length or its number of tags. A mixin of
`widgets/article_view.ArticleView`, which holds the layers (`_index`, `suggestions`, `find_layer`,
`overlay`), the tag colours and the selection.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor, QPainter, QPen

from widgets.span_index import Span

FILL_ALPHA = 60
LANE_STEP = 3


class PaintsHighlights:
    def paintEvent(self, event) -> None:
        if len(self._index) or len(self.overlay) or len(self.suggestions) or len(self.find_layer):
            painter = QPainter(self.viewport())
            try:
                self._paint_highlights(painter, event.rect())
            finally:
                painter.end()
        super().paintEvent(event)
        if self._unpainted:
            self._unpainted = False
            self.first_painted.emit(self.document_id)

    def _paint_highlights(self, painter: QPainter, clip) -> None:
        offset = self.contentOffset()
        block = self.firstVisibleBlock()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        while block.isValid():
            geometry = self.blockBoundingGeometry(block).translated(offset)
            if geometry.top() > clip.bottom():
                break
            if block.isVisible() and geometry.bottom() >= clip.top():
                base = block.position()
                end = base + block.length()
                origin = geometry.topLeft()
                lines = self._visible_lines(block, origin, clip)
                for span, rect in self._segments(lines, origin, base, self._index.overlapping):
                    self._paint_span(painter, span, rect)
                for span, rect in self._segments(
                    lines, origin, base, self.suggestions.index.overlapping
                ):
                    color = self._colors.get(span.tag_type_id, QColor("gray"))
                    self.suggestions.paint(painter, span, rect, color)
                self._paint_find_matches(painter, block, origin, base, end)  # over tags' fills
                for span, rect in self._segments(
                    lines, origin, base, self.overlay.index.overlapping
                ):
                    self.overlay.paint(painter, span, rect)
            block = block.next()

    @staticmethod
    def _visible_lines(block, origin: QPointF, clip) -> list:
        """The block's laid-out lines inside the clip, found by bisection: an article pasted as
        one paragraph is one block of thousands of lines, and walking them all (each against
        every span of the block) took seconds per paint."""
        layout = block.layout()
        lo, hi = 0, layout.lineCount()
        while lo < hi:  # the first line whose bottom reaches the clip
            mid = (lo + hi) // 2
            line = layout.lineAt(mid)
            if origin.y() + line.y() + line.height() < clip.top():
                lo = mid + 1
            else:
                hi = mid
        lines = []
        for i in range(lo, layout.lineCount()):
            line = layout.lineAt(i)
            if origin.y() + line.y() > clip.bottom():
                break
            lines.append(line)
        return lines

    @staticmethod
    def _segments(lines: list, origin: QPointF, base: int, overlapping):
        """Each span's rectangle on each visible line; spans are looked up per line."""
        for line in lines:
            l_start = base + line.textStart()
            l_end = l_start + line.textLength()
            top = origin.y() + line.y()
            height = line.height()
            for span in overlapping(l_start, l_end):
                s, e = max(span.start, l_start), min(span.end, l_end)
                if s >= e:
                    continue
                x1 = origin.x() + line.cursorToX(s - base)[0]
                x2 = origin.x() + line.cursorToX(e - base)[0]
                yield span, QRectF(x1, top, x2 - x1, height)

    def _paint_span(self, painter: QPainter, span: Span, rect: QRectF) -> None:
        colour = self._colors.get(span.tag_type_id, QColor("gray"))
        fill = QColor(colour)
        fill.setAlpha(FILL_ALPHA)
        painter.fillRect(rect, fill)
        lane_y = rect.bottom() - 1 - LANE_STEP * self._index.lane(span.key)
        painter.fillRect(QRectF(rect.left(), lane_y - 1, rect.width(), 2), colour)
        if span.key == self._selected:
            dark_ground = self.palette().color(self.palette().ColorRole.Base).lightness() < 128
            painter.setPen(QPen(colour.lighter(150) if dark_ground else colour.darker(150), 2))
            painter.drawRect(rect.adjusted(0, 0, -1, -1))
