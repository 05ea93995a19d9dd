"""File choosers, kept apart so tests can replace them and the window code stays readable."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget


def article_paths(parent: QWidget) -> list[str]:
    paths, _ = QFileDialog.getOpenFileNames(
        parent, "Open articles", "", "Articles (*.txt *.md);;All files (*)"
    )
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
