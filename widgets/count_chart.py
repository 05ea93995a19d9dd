"""The count panel's bar chart: the top entities as horizontal bars, biggest at the top.

pyqtgraph is imported inside `_build`, never at module level: the import alone costs about 0.4 s,
and the panel is constructed while the application starts, before the main window is shown. The
chart is built on the panel's first refresh, which runs from the event loop after the window is up,
so start-up does not wait for a plot nobody has looked at yet.

One `BarGraphItem` is created once and updated with `setOpts`; rebuilding items on every refresh
would churn the scene and flicker during a large import.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import QPointF, QSize, Qt, Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from app.model import EntityCount

BAR_HEIGHT = 0.7
LABEL_CHARS = 16
MIN_ROWS = 3
_AXIS_GREY = "#888888"
_TEXT_GREY = "#333333"


def short_label(text: str, limit: int = LABEL_CHARS) -> str:
    """Axis room is scarce at dock width; the full name is in the tooltip and the table."""
    text = text or "(no entity)"
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class CountChart(QWidget):
    entity_activated = Signal(int, str)  # tag_type_id, entity

    def __init__(self, top_n: int = 12, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.top_n = top_n
        self._ranked: list[EntityCount] = []
        self._shown: list[EntityCount] = []
        self._colors: dict[int, str] = {}
        self._row_px = self.fontMetrics().height() + 5
        # Taller than this and the bars turn into slabs; the table takes the extra room instead.
        self.setMaximumHeight(top_n * (self._row_px + 6) + 12)
        self.setMinimumHeight(MIN_ROWS * self._row_px + 8)
        self._plot_widget = None
        self._bars = None
        self._labels: list = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

    # ------------------------------------------------------------ public

    @property
    def is_built(self) -> bool:
        return self._plot_widget is not None

    @property
    def bar_item(self):
        """The one `pg.BarGraphItem`, or None before the first `set_counts`."""
        return self._bars

    @property
    def plot_widget(self):
        return self._plot_widget

    @property
    def ranked_counts(self) -> list[EntityCount]:
        """The top `top_n` entities, biggest first, whether or not the pane has room for all."""
        return list(self._ranked)

    @property
    def shown_counts(self) -> list[EntityCount]:
        """The entities drawn, biggest first (the top bar first); see `rows_that_fit`."""
        return list(self._shown)

    def set_counts(self, counts: Sequence[EntityCount], colors: Mapping[int, str]) -> None:
        if self._plot_widget is None:
            self._build()
        # A stable sort keeps the store's tie order (type position, then name).
        self._ranked = sorted(counts, key=lambda c: c.count, reverse=True)[: self.top_n]
        self._colors = dict(colors)
        self._render()

    def sizeHint(self) -> QSize:
        """Room for every bar at a comfortable row height."""
        return QSize(300, self.top_n * (self._row_px + 2) + 12)

    def rows_that_fit(self) -> int:
        """Bars shown: up to `top_n`, fewer when the pane is too short to read their names."""
        if not self.isVisible() or self.height() <= 0:
            return self.top_n
        return max(MIN_ROWS, min(self.top_n, (self.height() - 8) // self._row_px))

    def _render(self) -> None:
        self._shown = self._ranked[: self.rows_that_fit()]
        n = len(self._shown)
        ys = [n - 1 - i for i in range(n)]  # the first (biggest) bar gets the top row
        widths = [c.count for c in self._shown]
        brushes = [self._colors.get(c.tag_type_id, "#888888") for c in self._shown]
        self._bars.setOpts(x0=0, y=ys, height=BAR_HEIGHT, width=widths, brushes=brushes)
        plot = self._plot_widget.getPlotItem()
        plot.getAxis("left").setTicks(
            [[(y, short_label(c.entity)) for y, c in zip(ys, self._shown, strict=True)]]
        )
        # Room on the right of the longest bar for its count label.
        plot.setXRange(0, max(widths, default=1) * 1.22, padding=0)
        plot.setYRange(-0.6, max(n, 1) - 0.4, padding=0)
        for i, label in enumerate(self._labels):
            if i < n:
                label.setText(str(widths[i]))
                label.setPos(widths[i], ys[i])
            label.setVisible(i < n)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self._plot_widget is not None and len(self._shown) != min(
            len(self._ranked), self.rows_that_fit()
        ):
            self._render()

    def bar_at(self, scene_pos: QPointF) -> int | None:
        """Index into `shown_counts` of the bar row under a scene point; the whole row band counts,
        so a short bar is as easy to hit as a long one, and so is its name on the axis."""
        if self._plot_widget is None or not self._shown:
            return None
        plot = self._plot_widget.getPlotItem()
        if not plot.sceneBoundingRect().contains(scene_pos):
            return None
        y = plot.getViewBox().mapSceneToView(scene_pos).y()
        row = round(y)
        if abs(y - row) > 0.5 or not 0 <= row < len(self._shown):
            return None
        return len(self._shown) - 1 - row

    # ------------------------------------------------------------ construction

    def _build(self) -> None:
        import pyqtgraph as pg  # see the module docstring: deferred on purpose

        widget = pg.PlotWidget(background="w")
        widget.setAntialiasing(True)
        widget.setFrameShape(widget.Shape.NoFrame)
        plot = widget.getPlotItem()
        plot.setMouseEnabled(False, False)
        plot.setMenuEnabled(False)
        plot.hideButtons()
        plot.hideAxis("bottom")
        plot.getViewBox().enableAutoRange(enable=False)
        plot.layout.setContentsMargins(2, 4, 8, 4)
        axis = plot.getAxis("left")
        axis.setPen(_AXIS_GREY)
        axis.setTextPen(_TEXT_GREY)
        axis.setStyle(tickLength=0, tickTextOffset=6)

        self._bars = pg.BarGraphItem(x0=[], y=[], height=BAR_HEIGHT, width=[], pen=None)
        plot.addItem(self._bars)
        for _ in range(self.top_n):
            label = pg.TextItem(color=_TEXT_GREY, anchor=(0, 0.5))
            label.setVisible(False)
            plot.addItem(label)
            self._labels.append(label)

        from widgets.theme import style_plot

        style_plot(widget)  # ground and text in the palette's colours, light or dark
        self._plot_widget = widget
        self.layout().addWidget(widget)
        self._connect_signals()

    def _connect_signals(self) -> None:
        scene = self._plot_widget.scene()
        scene.sigMouseClicked.connect(self._on_scene_clicked)
        scene.sigMouseMoved.connect(self._on_scene_moved)

    # ------------------------------------------------------------ slots

    def _on_scene_clicked(self, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        index = self.bar_at(event.scenePos())
        if index is not None:
            hit = self._shown[index]
            self.entity_activated.emit(hit.tag_type_id, hit.entity)

    def _on_scene_moved(self, scene_pos: QPointF) -> None:
        index = self.bar_at(scene_pos)
        if index is None:
            self._plot_widget.setToolTip("")
            self._plot_widget.unsetCursor()
            return
        hit = self._shown[index]
        self._plot_widget.setToolTip(
            f"{hit.entity or '(no entity)'} — {hit.type_name}: {hit.count}\nClick to find mentions"
        )
        self._plot_widget.setCursor(Qt.CursorShape.PointingHandCursor)
