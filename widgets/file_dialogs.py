"""File choosers, kept apart so tests can replace them and the window code stays readable."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget


def article_paths(parent: QWidget) -> list[str]:
    filters = "Articles (*.txt *.md *.html *.htm *.pdf *.docx);;All files (*)"
    paths, _ = QFileDialog.getOpenFileNames(parent, "Open articles", "", filters)
    return paths


def project_path(parent: QWidget, new: bool) -> str:
    filters = "Loupe projects (*.loupe *.db);;All files (*)"
    if new:
        path, _ = QFileDialog.getSaveFileName(parent, "New project", "project.loupe", filters)
    else:
        path, _ = QFileDialog.getOpenFileName(parent, "Open project", "", filters)
    return path


def colleague_path(parent: QWidget) -> str:
    path, _ = QFileDialog.getOpenFileName(
        parent, "Review colleague's file", "",
        "Annotation files (*.json *.jsonld *.jsonl *.csv *.ann *.loupe *.db);;All files (*)",
    )  # fmt: skip
    return path


def json_path(parent: QWidget, suggestion: str) -> str:
    start = str(Path.home() / suggestion)
    path, _ = QFileDialog.getSaveFileName(
        parent, "Export annotations", start, "W3C Web Annotation (*.json)"
    )
    return path


def csv_path(parent: QWidget, suggestion: str) -> str:
    stem = re.sub(r"[^\w\- ]+", "", suggestion).strip()[:60] or "annotations"
    name = stem if stem.endswith(".csv") else f"{stem}.csv"
    path, _ = QFileDialog.getSaveFileName(
        parent, "Export CSV", str(Path.home() / name), "CSV (*.csv)"
    )
    return path


def entity_list_path(parent: QWidget, save: bool) -> str:
    filters = "Entity lists (*.csv);;All files (*)"
    if save:
        start = str(Path.home() / "loupe-entities.csv")
        path, _ = QFileDialog.getSaveFileName(parent, "Export entities", start, filters)
    else:
        path, _ = QFileDialog.getOpenFileName(parent, "Import entities", "", filters)
    return path


def _safe_stem(suggestion: str, fallback: str) -> str:
    return re.sub(r"[^\w\- ]+", "", suggestion).strip()[:60] or fallback


def chart_path(parent: QWidget, suggestion: str) -> str:
    """A PNG or SVG file name; the suffix decides the format (the chosen filter's if none)."""
    start = str(Path.home() / f"{_safe_stem(suggestion, 'loupe-chart')}.png")
    path, chosen = QFileDialog.getSaveFileName(
        parent, "Export chart", start, "PNG picture (*.png);;SVG drawing (*.svg)"
    )
    if path and not Path(path).suffix:
        path += ".svg" if "svg" in chosen else ".png"
    return path


def report_path(parent: QWidget, suggestion: str) -> str:
    start = str(Path.home() / f"{_safe_stem(suggestion, 'loupe-report')}.html")
    path, _ = QFileDialog.getSaveFileName(parent, "Export summary report", start, "HTML (*.html)")
    if path and not Path(path).suffix:
        path += ".html"
    return path
