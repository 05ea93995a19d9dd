"""The Summary dialog's charts (widgets/summary_view.py) as pyqtgraph plots: horizontal bars
for top entities, stacked bars for credibility by source, columns for mentions over dates.

pyqtgraph is imported when the first plot is made, not when the window starts (its import alone
costs ~0.4 s; see widgets/count_chart.py). Each plot keeps its bar items as attributes (`bars`,
`segments`), so tests read what is drawn. The numbers themselves are in the tables beside.
"""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.report_html import NO_DATE
from app.summary import GRADE_COLOURS, GRADES

ROW_PX = 24


def _plot(height: int):
    import pyqtgraph as pg  # deferred: see the module docstring

    widget = pg.PlotWidget(background="w")
    widget.setAntialiasing(True)
    widget.setFrameShape(widget.Shape.NoFrame)
    widget.setFixedHeight(height)
    widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the table beside it takes the keyboard
    plot = widget.getPlotItem()
    plot.setMouseEnabled(False, False)
    plot.setMenuEnabled(False)
    plot.hideButtons()
    for name in ("left", "bottom"):
        plot.getAxis(name).setTextPen("#333333")
        plot.getAxis(name).setPen("#999999")
    return pg, widget, plot


def bar_plot(labels: list[str], values: list[int], colours: list[str], _name: str):
    """Horizontal bars, first at the top, as in the count panel."""
    pg, widget, plot = _plot(max(len(values) * ROW_PX + 24, 3 * ROW_PX))
    n = len(values)
    ys = [n - 1 - i for i in range(n)]
    widget.bars = pg.BarGraphItem(x0=0, y=ys, height=0.7, width=values, brushes=colours, pen=None)
    plot.addItem(widget.bars)
    plot.getAxis("left").setTicks(
        [[(y, _short(label)) for y, label in zip(ys, labels, strict=True)]]
    )
    plot.hideAxis("bottom")
    plot.setXRange(0, max(values) * 1.05, padding=0)
    plot.setYRange(-0.6, n - 0.4, padding=0)
    return widget


def stacked_plot(labels: list[str], counts: list[tuple[int, ...]]):
    """One bar per source, its grades 1–6 stacked left to right in the report's colours."""
    pg, widget, plot = _plot(len(labels) * ROW_PX + 56)
    n = len(labels)
    ys = [n - 1 - i for i in range(n)]
    starts = [0] * n
    widget.segments = []
    for g, colour in enumerate(GRADE_COLOURS):
        widths = [row[g] for row in counts]
        item = pg.BarGraphItem(x0=starts, y=ys, height=0.7, width=widths, brush=colour, pen=None)
        plot.addItem(item)
        widget.segments.append(item)
        starts = [s + w for s, w in zip(starts, widths, strict=True)]
    legend = plot.addLegend(offset=(-4, 2), horSpacing=6, colCount=6, labelTextColor="#333333")
    for g, item in zip(GRADES, widget.segments, strict=True):
        legend.addItem(item, str(g))
    plot.getAxis("left").setTicks(
        [[(y, _short(label)) for y, label in zip(ys, labels, strict=True)]]
    )
    plot.hideAxis("bottom")  # whole claims: the table beside gives the numbers
    plot.setXRange(0, max(starts) * 1.05, padding=0)
    plot.setYRange(-0.6, n + 0.9, padding=0)
    return widget


def column_plot(labels: list[str], values: list[int], colours: list[str]):
    """Mentions per date left to right; "no date" last, in grey."""
    pg, widget, plot = _plot(200)
    xs = list(range(len(values)))
    widget.bars = pg.BarGraphItem(x=xs, height=values, width=0.7, brushes=colours, pen=None)
    plot.addItem(widget.bars)
    step = max(1, -(-len(values) // 8))
    ticks = [
        (x, label) for x, label in zip(xs, labels, strict=True) if x % step == 0 or label == NO_DATE
    ]
    plot.getAxis("bottom").setTicks([ticks])
    edge = 0.6 + len(values) * 0.04  # room for the first and last date's label to show
    plot.setXRange(-edge, max(len(values), 6) - 1 + edge, padding=0)  # one date: not one slab
    plot.setYRange(0, max(max(values), 1) * 1.1, padding=0)
    return widget


def _short(text: str, limit: int = 22) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
