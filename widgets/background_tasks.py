"""The window's long tasks, each run off the GUI thread by `widgets/background.py`: reading
articles, exporting CSV and W3C. The window's menu actions call these; what they write to the
project (new documents) is written afterwards on the GUI thread, as one undoable step.

A cancel says so in the status bar and changes nothing: articles read so far are dropped before
anything is added; an export's temporary file is removed and an earlier file is left as it was.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from app.articles import ArticleError, read_article
from app.model import Document
from app.progress import Cancelled, ProgressTracker
from app.store_background import csv_export_work, w3c_export_work
from widgets import background


def read_articles(window, paths: list[str]) -> tuple[list[Document], list[str]] | None:
    """Every article read (or the reason it could not be), or None if the analyst cancelled."""

    def work(tracker: ProgressTracker) -> tuple[list[Document], list[str]]:
        docs, problems = [], []
        for i, path in enumerate(paths):
            name, scale = Path(path).name, 1000  # a file's pages as thousandths of a file

            def pages(done: int, total: int, i=i, scale=scale) -> None:
                tracker(i * scale + done * scale // max(total, 1), len(paths) * scale)

            tracker.stage(f"Reading {name} ({i + 1} of {len(paths)})…", len(paths) * scale)
            tracker(i * scale, len(paths) * scale)
            try:
                docs.append(read_article(path, pages))
            except ArticleError as exc:
                problems.append(str(exc))
        tracker(len(paths) * 1000, len(paths) * 1000)
        return docs, problems

    try:
        return background.run(window, "Opening articles…", work, title="Opening articles")
    except Cancelled:
        window.show_status("Opening cancelled; no article was added.")
        return None


def export_csv(window, path: str, document_id: int | None) -> int | None:
    work = csv_export_work(window.store, path, document_id)
    return _export(window, "Export CSV", path, work)


def export_w3c(window, path: str, creator: str) -> int | None:
    work = w3c_export_work(window.store, path, creator=creator)
    return _export(window, "Export annotations", path, work)


def _export(window, title: str, path: str, work) -> int | None:
    try:
        label = f"Exporting to {Path(path).name}…"
        n = background.run(window, label, work, title=title, done_is_done=True)
    except Cancelled:
        window.show_status(f"Export cancelled; nothing was written to {path}.")
        return None
    except OSError as exc:
        window.notify(title, f"Could not write {path}: {exc.strerror or exc}.",
                      QMessageBox.Icon.Warning)  # fmt: skip
        return None
    window.show_status(f"Exported {n} annotations to {path}")
    return n
