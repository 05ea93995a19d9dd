"""Light and dark appearance: "system" follows the OS, live; "light" and "dark" pin it.

Qt ≥ 6.8 can ask the platform for a scheme (`QStyleHints.setColorScheme`), but not every platform
honours it (the offscreen one used by the tests reports `Unknown` and keeps its light palette), and
a native style may ignore half of a palette. So the palette is always set here, explicitly, from
the scheme wanted; the platform is told too, so its own title bars and dialogs agree where it can.

Painted things read the palette: the article's text and background come from Base/Text, and
highlights are translucent washes over Base, so tag colours (mid-tone Okabe–Ito) stay readable on
both. pyqtgraph does not follow the palette at all: `style_plot` gives a plot the palette's colours,
and `apply_appearance` restyles every plot already built.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QGraphicsView, QWidget

_DARK = {
    QPalette.ColorRole.Window: "#2b2b2b",
    QPalette.ColorRole.WindowText: "#e6e6e6",
    QPalette.ColorRole.Base: "#1f1f1f",
    QPalette.ColorRole.AlternateBase: "#2a2a2a",
    QPalette.ColorRole.Text: "#e6e6e6",
    QPalette.ColorRole.Button: "#353535",
    QPalette.ColorRole.ButtonText: "#e6e6e6",
    QPalette.ColorRole.BrightText: "#ff6b6b",
    QPalette.ColorRole.Light: "#505050",
    QPalette.ColorRole.Midlight: "#424242",
    QPalette.ColorRole.Mid: "#303030",
    QPalette.ColorRole.Dark: "#1a1a1a",
    QPalette.ColorRole.Shadow: "#101010",
    QPalette.ColorRole.Highlight: "#3d6fb4",
    QPalette.ColorRole.HighlightedText: "#ffffff",
    QPalette.ColorRole.Link: "#6cb4ff",
    QPalette.ColorRole.LinkVisited: "#c08cff",
    QPalette.ColorRole.PlaceholderText: "#8c8c8c",
    # Tooltips keep dark text on a pale ground: their HTML (article_view.tooltip_html) is written
    # for one, with greys that would vanish on a dark ground.
    QPalette.ColorRole.ToolTipBase: "#ffffe1",
    QPalette.ColorRole.ToolTipText: "#000000",
}
_DARK_DISABLED = "#7a7a7a"


def dark_palette() -> QPalette:
    palette = QPalette()
    for role, colour in _DARK.items():
        palette.setColor(role, QColor(colour))
    for role in (
        QPalette.ColorRole.Text,
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.ButtonText,
    ):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(_DARK_DISABLED))
    return palette


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


class _Appearance(QObject):
    """The one listener to the OS scheme; it acts only while the analyst chose "system"."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self.app = app
        self.mode = "system"
        app.styleHints().colorSchemeChanged.connect(self._on_system_scheme_changed)

    def apply(self, mode: str) -> None:
        self.mode = mode
        hints = self.app.styleHints()
        if mode == "system":
            hints.unsetColorScheme()
            self._show(hints.colorScheme() == Qt.ColorScheme.Dark)
        else:
            dark = mode == "dark"
            hints.setColorScheme(Qt.ColorScheme.Dark if dark else Qt.ColorScheme.Light)
            self._show(dark)

    def _on_system_scheme_changed(self, scheme) -> None:
        if self.mode == "system":
            self._show(scheme == Qt.ColorScheme.Dark)

    def _show(self, dark: bool) -> None:
        self.app.setPalette(dark_palette() if dark else self.app.style().standardPalette())
        for top in self.app.topLevelWidgets():
            for view in top.findChildren(QGraphicsView):
                if hasattr(view, "getPlotItem"):
                    style_plot(view)


def apply_appearance(mode: str) -> None:
    """Show the application in `mode` ("system", "light" or "dark"), now and until changed."""
    app = QApplication.instance()
    controller = app.findChild(_Appearance)
    if controller is None:
        controller = _Appearance(app)
    controller.apply(mode)


def current_mode() -> str:
    controller = QApplication.instance().findChild(_Appearance)
    return controller.mode if controller is not None else "system"


def text_tint(colour: str) -> QColor:
    """A mid-tone colour made readable as text: darker on a light ground, lighter on a dark one."""
    base = QColor(colour)
    return base.lighter(150) if is_dark(QGuiApplication.palette()) else base.darker(130)


def muted() -> QColor:
    """Secondary text (a quote under its entity, an alias): the palette's placeholder grey, which
    each appearance sets, instead of a fixed grey that vanishes on a dark ground."""
    return QGuiApplication.palette().color(QPalette.ColorRole.PlaceholderText)


def alert_css(kind: str = "error") -> str:
    """A style sheet colour for an error (red) or a notice (amber), readable light or dark."""
    dark = is_dark(QGuiApplication.palette())
    colour = {"error": ("#B00020", "#FF8A80"), "notice": ("#8A4B00", "#FFB74D")}[kind][dark]
    return f"color: {colour}"


def style_plot(plot_widget: QWidget) -> None:
    """A pyqtgraph PlotWidget in the application palette's colours: ground, axes, text labels."""
    palette = QGuiApplication.palette()
    ground = palette.color(QPalette.ColorRole.Base)
    text = palette.color(QPalette.ColorRole.Text)
    axis_colour = QColor("#8a8a8a")
    plot_widget.setBackground(ground)
    plot = plot_widget.getPlotItem()
    for name in ("left", "bottom"):
        axis = plot.getAxis(name)
        axis.setPen(axis_colour)
        axis.setTextPen(text)
    for item in plot.items:
        if hasattr(item, "setColor") and hasattr(item, "textItem"):  # a pg.TextItem
            item.setColor(text)
