"""The count panel's chart as a file for a briefing: SVG, or PNG at slide size.

Both come from `app.svg_chart` fed with the chart's own data (the same top entities, colours and
order as the panel), not from the on-screen plot: pyqtgraph's SVG exporter fails on the bar item,
and a dock-sized plot scaled up makes a cramped slide. The PNG is that SVG drawn by Qt's SVG
renderer at 1600×900 (an 800×450 drawing at twice the resolution), so the two files look alike.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QMessageBox

from app.model import EntityCount
from app.svg_chart import bar_chart
from widgets import file_dialogs

SLIDE = QSize(800, 450)  # the drawing, in SVG units
PNG_SCALE = 2  # 1600×900 pixels


def count_chart_svg(counts: list[EntityCount], colours: dict[int, str], title: str) -> str:
    return bar_chart(
        title,
        [c.entity or "(no entity)" for c in counts],
        [c.count for c in counts],
        [colours.get(c.tag_type_id, "#888888") for c in counts],
        width=SLIDE.width(),
        height=SLIDE.height(),
        font_size=16,
    )


def svg_to_image(svg: str, size: QSize) -> QImage:
    """The SVG drawn on a white image of `size` pixels."""
    renderer = QSvgRenderer(svg.encode("utf-8"))
    if not renderer.isValid():
        raise ValueError("the chart drawing is not valid SVG")
    image = QImage(size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    renderer.render(painter, QRectF(0, 0, size.width(), size.height()))
    painter.end()
    return image


def write_chart(path: str, svg: str) -> None:
    """PNG or SVG by the file's suffix; OSError when it cannot be written."""
    suffix = Path(path).suffix.lower()
    if suffix == ".svg":
        Path(path).write_text(svg, encoding="utf-8")
    elif suffix == ".png":
        image = svg_to_image(svg, SLIDE * PNG_SCALE)
        if not image.save(path, "PNG"):
            raise OSError(f"Could not write {path}.")
    else:
        raise ValueError(f"Choose a file ending in .png or .svg, not “{Path(path).name}”.")


def export_count_chart(window) -> str:
    """Ask where, write, say so; returns the path written ("" when nothing was)."""
    panel = window.counts
    counts = panel.chart.ranked_counts if panel.chart.is_built else []
    if not counts:
        window.notify("Export chart", "The chart is empty: tag something first.")
        return ""
    doc = window.current_document()
    scope = "All documents" if panel.all_documents or doc is None else doc.title
    types = {t.id: t for t in window.store.tag_types()}
    only = types.get(panel.tag_type_filter)  # the panel's type filter, named in the title
    what = f"Most mentioned {only.name}" if only else "Most mentioned"
    path = file_dialogs.chart_path(window, f"{what} - {scope}")
    if not path:
        return ""
    colours = {i: t.color for i, t in types.items()}
    try:
        write_chart(path, count_chart_svg(counts, colours, f"{what} — {scope}"))
    except (OSError, ValueError) as exc:
        window.notify("Export chart", str(exc), QMessageBox.Icon.Warning)
        return ""
    window.show_status(f"Chart saved to {path}")
    return path
