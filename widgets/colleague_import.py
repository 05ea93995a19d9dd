"""File ▸ Review colleague's file…: read, match documents (asking where unsure), name the layer,
anchor with a progress bar that can cancel, then one undoable import and a report. Reading and
anchoring run on a worker thread (widgets/background.py); the write stays on this thread.

Nothing is written until the plan is complete; a bad file or a cancel leaves the project as it was.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox, QProgressDialog, QWidget

from app.commands import ImportColleagueFile
from app.interchange import ImportProblem, Progress
from app.progress import ProgressTracker
from app.review_import import (
    DocumentMatch,
    ImportCancelled,
    ImportPlan,
    match_documents,
    plan_import,
    unique_layer_name,
)
from app.store import Store
from widgets import background

COLLEAGUE_SUFFIXES = (".json", ".jsonld", ".jsonl", ".csv", ".ann", ".loupe", ".db", ".sqlite")


def confirm_match(parent: QWidget, match: DocumentMatch, local_title: str) -> bool:
    answer = QMessageBox.question(
        parent,
        "Same article?",
        f"The file's document “{match.title}” is not an exact copy of any article here.\n\n"
        f"Is it “{local_title}” ({match.similarity:.0f}% similar)? If you answer No, its "
        "annotations are kept as orphans with their quotes, not placed.",
    )
    return answer == QMessageBox.StandardButton.Yes


def ask_layer_name(parent: QWidget, default: str) -> str | None:
    name, ok = QInputDialog.getText(
        parent, "Colleague's layer", "Name for this colleague's annotations:", text=default
    )
    return name.strip() if ok and name.strip() else None


class ColleagueImporter(QObject):
    imported = Signal(object)  # ImportPlan
    failed = Signal(str)

    def __init__(self, store: Store, undo_stack: QUndoStack, parent: QWidget) -> None:
        super().__init__(parent)
        self._store, self._stack, self._parent = store, undo_stack, parent

    def _progress(self, label: str) -> tuple[QProgressDialog, Progress]:
        """A bar for one long step, and the callback the step reports (done, total) to: it keeps
        the window painted and raises ImportCancelled once Cancel is pressed, before anything
        is written or while the one transaction is still open (then it rolls back)."""
        dialog = QProgressDialog(label, "Cancel", 0, 0, self._parent)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(300)

        def progress(done: int, total: int) -> None:
            dialog.setMaximum(max(total, 1))
            dialog.setValue(done)
            QApplication.processEvents()
            if dialog.wasCanceled():
                raise ImportCancelled()

        return dialog, progress

    def import_path(self, path: str) -> ImportPlan | None:
        try:
            foreign = background.run(
                self._parent, f"Reading {Path(path).name}…",
                lambda tracker: self._read(path, tracker), title="Review colleague's file",
            )  # fmt: skip
            matches = self._confirmed(match_documents(
                foreign, self._store.local_documents(), self._store.document_text
            ))  # fmt: skip
            taken = {layer.name for layer in self._store.layers()}
            default = unique_layer_name(foreign.creator or Path(path).stem, taken)
            name = ask_layer_name(self._parent, default)
            if name is None:
                return None
            if name in taken:
                raise ImportProblem(Path(path).name, "", f"a layer called “{name}” exists already")
            plan = self._plan(foreign, matches, name)
        except ImportProblem as exc:
            self.failed.emit(str(exc))
            return None
        except ImportCancelled:
            self.failed.emit("Import cancelled; nothing was changed.")
            return None
        if not self._write(plan):
            return None
        self.imported.emit(plan)
        return plan

    def _read(self, path: str, tracker: ProgressTracker):
        """On the worker: the colleague's file only, never this project's connection."""
        foreign = self._store.read_colleague_file(path, tracker)
        tracker(1, 1)  # formats that report nothing still honour a Cancel pressed now
        return foreign

    def _write(self, plan: ImportPlan) -> bool:
        """One undoable command, one transaction; Cancel while it runs rolls it back."""
        count = len(plan.rows)
        dialog, progress = self._progress(f"Saving {count:,} annotations…")
        try:
            self._stack.push(ImportColleagueFile(self._store, plan, progress))
        except ImportCancelled:
            self.failed.emit("Import cancelled; nothing was changed.")
            return False
        finally:
            dialog.reset()
            dialog.deleteLater()
        return True

    def _confirmed(self, matches: list[DocumentMatch]) -> list[DocumentMatch]:
        titles = {d.id: d.title for d in self._store.local_documents()}
        out = []
        for m in matches:
            if m.how == "proposed" and not confirm_match(self._parent, m, titles[m.local_id]):
                m = DocumentMatch(m.key, m.title, None, "none", m.similarity)
            out.append(m)
        return out

    def _plan(self, foreign, matches, name: str) -> ImportPlan:
        """Anchoring on the worker, against our texts read here first (the worker may not use
        this thread's database connection)."""
        texts = {
            m.local_id: self._store.document_text(m.local_id)
            for m in matches if m.local_id is not None and m.how in ("hash", "proposed")
        }  # fmt: skip
        tag_types = self._store.tag_types()

        def work(tracker: ProgressTracker) -> ImportPlan:
            tracker.stage("Anchoring annotations…", len(foreign.annotations))
            return plan_import(
                foreign, matches, tag_types, texts.__getitem__,
                layer_name=name, progress=tracker, cancelled=tracker.cancelled,
            )  # fmt: skip

        return background.run(
            self._parent, "Anchoring annotations…", work, title="Review colleague's file"
        )
