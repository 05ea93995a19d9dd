"""The count panel's chart to a file: the panel's Export… button (or File ▸ Export chart…) asks
where, and the suffix picks PNG (1600×900, for a slide) or SVG; both show the panel's bars."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage

from tests.gui_helpers import make_window
from tests.summary_helpers import build_project
from widgets import file_dialogs

NS = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def window(qtbot, db):
    w = make_window(qtbot, db)
    build_project(w.store, w.undo_stack)
    w.counts.all_button.click()
    qtbot.waitUntil(lambda: w.counts.chart.is_built and bool(w.counts.chart.ranked_counts))
    return w


def export_to(qtbot, window, monkeypatch, path) -> None:
    monkeypatch.setattr(file_dialogs, "chart_path", lambda *_: str(path))
    qtbot.mouseClick(window.counts.export_chart_button, Qt.MouseButton.LeftButton)


def svg_bars(path) -> list[tuple[str, int]]:
    root = ET.parse(path).getroot()
    return [
        (r.get("fill"), int(r.get("data-value")))
        for r in root.iter(f"{NS}rect")
        if r.get("class") == "bar"
    ]


def test_svg_export_has_one_bar_per_counted_entity_in_the_panels_order(
    qtbot, window, tmp_path, monkeypatch
):
    target = tmp_path / "chart.svg"
    export_to(qtbot, window, monkeypatch, target)
    colours = {t.id: t.color for t in window.store.tag_types()}
    shown = window.counts.chart.ranked_counts
    assert svg_bars(target) == [(colours[c.tag_type_id], c.count) for c in shown]
    assert [c.count for c in shown][:2] == [3, 2]  # Assad 3, then a 2 (Jolani, Homs or "B2")
    text = target.read_text(encoding="utf-8")
    assert "Most mentioned — All documents" in text and "Assad" in text
    assert window.last_message == f"Chart saved to {target}"


def test_png_export_is_slide_sized_with_the_biggest_bar_in_its_colour(
    qtbot, window, tmp_path, monkeypatch
):
    svg_target, png_target = tmp_path / "c.svg", tmp_path / "c.png"
    export_to(qtbot, window, monkeypatch, svg_target)
    export_to(qtbot, window, monkeypatch, png_target)
    image = QImage(str(png_target))
    assert (image.width(), image.height()) == (1600, 900)
    root = ET.parse(svg_target).getroot()
    bars = [r for r in root.iter(f"{NS}rect") if r.get("class") == "bar"]
    for bar in bars:
        x, y = float(bar.get("x")), float(bar.get("y"))
        w, h = float(bar.get("width")), float(bar.get("height"))
        middle = image.pixelColor(int(2 * (x + w / 2)), int(2 * (y + h / 2)))
        assert middle == QColor(bar.get("fill"))
    first = bars[0]
    beyond = 2 * (float(first.get("x")) + float(first.get("width"))) + 40
    assert image.pixelColor(int(beyond), int(2 * float(first.get("y")) + 4)) == QColor("white")


def test_a_type_filter_is_exported_as_shown_and_named_in_the_title(
    qtbot, window, tmp_path, monkeypatch
):
    panel = window.counts
    actor = next(t for t in window.store.tag_types() if t.name == "Actor")
    panel.type_combo.setCurrentIndex(panel.type_combo.findData(actor.id))
    qtbot.waitUntil(lambda: {c.tag_type_id for c in panel.chart.ranked_counts} == {actor.id})
    target = tmp_path / "actors.svg"
    export_to(qtbot, window, monkeypatch, target)
    assert svg_bars(target) == [(actor.color, 3), (actor.color, 2)]  # Assad, Jolani
    assert "Most mentioned Actor — All documents" in target.read_text(encoding="utf-8")


def test_file_menu_exports_too_and_a_wrong_suffix_is_explained(
    qtbot, window, tmp_path, monkeypatch
):
    monkeypatch.setattr(file_dialogs, "chart_path", lambda *_: str(tmp_path / "chart.gif"))
    window.actions["export_chart"].trigger()
    assert "not “chart.gif”" in window.last_message and not (tmp_path / "chart.gif").exists()


def test_an_empty_chart_is_not_exported(qtbot, db, tmp_path, monkeypatch):
    window = make_window(qtbot, db)
    asked = []
    monkeypatch.setattr(file_dialogs, "chart_path", lambda *_: asked.append(1) or "")
    window.actions["export_chart"].trigger()
    assert asked == [] and "empty" in window.last_message
