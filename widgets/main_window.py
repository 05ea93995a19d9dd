"""The one window: article in the middle, documents on the left, counts on the right.

It composes views and turns menu actions into commands; the store, undo stack and user settings are
handed in by main.py, and a project switch is requested from main.py, which builds a new window.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence, QUndoStack
from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow, QMessageBox, QToolBar, QWidget

from app.articles import make_document
from app.commands import AddDocuments, EditDocument
from app.model import Document
from app.pasted_text import pasted_text
from app.store import Store
from app.user_settings import UserSettings
from widgets import background_tasks, file_dialogs, keyboard_help
from widgets.annotation_editor import AnnotationEditor
from widgets.article_view import ArticleView
from widgets.count_panel import CountPanel
from widgets.document_dialog import DocumentDialog
from widgets.document_list import DocumentList
from widgets.entities_panel import EntitiesPanel
from widgets.find_bar import install_find_bar
from widgets.menus import build_menus, shortcut_rows
from widgets.review_controller import ReviewController
from widgets.search_panel import install_search
from widgets.session_state import save_session
from widgets.suggestion_controller import SuggestionController
from widgets.suggestion_progress import install_suggestion_progress
from widgets.tag_type_dialog import TagTypeDialog, swatch


class MainWindow(QMainWindow):
    project_open_requested = Signal(str)

    def __init__(
        self,
        store: Store,
        undo_stack: QUndoStack,
        settings: UserSettings,
        save_settings: Callable[[UserSettings], None],
        project_path: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.store, self.undo_stack = store, undo_stack
        self.settings, self._save_settings = settings, save_settings
        self.project_path = project_path
        self.last_message = ""
        self.setAcceptDrops(True)
        self.resize(1400, 860)

        self.view = ArticleView(store.annotation, self)
        self.view.snap_to_words = settings.snap_to_words
        self.view.source_of = store.document_source  # tooltips say whose reliability a grade has
        self.setCentralWidget(self.view)
        self.editor = AnnotationEditor(store, undo_stack, self.view, self, settings.annotator)
        self.suggesting = SuggestionController(
            store, undo_stack, self.view, lambda: self.settings.annotator
        )
        self.finding = install_find_bar(self)  # Ctrl+F, under the article
        self.documents = DocumentList(store, self)
        self.counts = CountPanel(store, self)
        self._docks = {
            "documents": self._dock(
                "Documents", self.documents, Qt.DockWidgetArea.LeftDockWidgetArea
            ),
            "counts": self._dock(
                "Entity counts", self.counts, Qt.DockWidgetArea.RightDockWidgetArea
            ),
        }
        self.resizeDocks(list(self._docks.values()), [330, 380], Qt.Orientation.Horizontal)
        # The registry shares the counts' place as a second tab: hidden until chosen, it costs
        # nothing while tagging (widgets/entities_panel.py).
        self.entities = EntitiesPanel(store, undo_stack, self, notify=self.notify)
        self._docks["entities"] = self._dock(
            "Entities", self.entities, Qt.DockWidgetArea.RightDockWidgetArea
        )
        self._docks["entities"].visibilityChanged.connect(self.entities.on_dock_visibility_changed)
        self.tabifyDockWidget(self._docks["counts"], self._docks["entities"])
        self._docks["counts"].raise_()
        self.searching = install_search(self)  # Ctrl+Shift+F: a dock behind the document list
        self.tag_bar = QToolBar("Tags", self)
        self.tag_bar.setObjectName("tags")
        self.tag_bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.addToolBar(self.tag_bar)
        self.tag_actions: dict[int, QAction] = {}
        self.actions = build_menus(self)
        self.reviewing = ReviewController(self)
        self.actions["view_menu"].addMenu(self.reviewing.layers_menu)
        self._annotator_label = QLabel()
        self.suggestion_progress = install_suggestion_progress(self)  # big documents only
        self.statusBar().addPermanentWidget(self._annotator_label)
        self._doc_refresh = QTimer(self, singleShot=True, interval=50)
        self._connect_signals()
        self._rebuild_tag_actions()
        self.set_annotator(settings.annotator)
        self.refresh_documents()
        keyboard_help.install_mnemonics(self)  # last: every menu item gets an Alt letter

    def _dock(self, title: str, widget: QWidget, area) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(title)
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def _connect_signals(self) -> None:
        s = self.store
        s.annotations_added.connect(self._on_store_annotations_added)
        s.annotations_removed.connect(self._on_store_annotations_removed)
        s.annotation_updated.connect(self.view.update_annotation)
        s.documents_changed.connect(self._doc_refresh.start)
        s.document_updated.connect(self._on_store_document_updated)
        s.tag_types_changed.connect(self._rebuild_tag_actions)
        self._doc_refresh.timeout.connect(self.refresh_documents)
        self.documents.document_activated.connect(self.open_document)
        self.counts.entity_activated.connect(self.editor.jump_to_mention)
        self.entities.entity_activated.connect(self.editor.jump_to_mention)
        self.editor.status_message.connect(self.show_status)
        self.editor.document_requested.connect(self.open_document)
        self.view.context_menu_requested.connect(self._on_view_context_menu_requested)
        self.view.annotation_selected.connect(self._on_view_annotation_selected)

    # ------------------------------------------------------------ documents

    def current_document(self) -> Document | None:
        doc_id = self.view.document_id
        return self.store.document(doc_id) if doc_id is not None else None

    def open_document(self, document_id: int | None) -> None:
        doc = self.store.document(document_id) if document_id is not None else None
        self.view.set_document(doc, self.store.spans(doc.id) if doc else [])
        self.documents.set_current(document_id)
        self.counts.set_document(document_id)
        self.entities.set_document(document_id)
        self._update_title(doc)
        if doc is not None:
            self.store.remember_setting("last_document", str(doc.id))

    def _update_title(self, doc: Document | None) -> None:
        title = doc.title if doc else "no document"
        title = title if len(title) <= 70 else title[:69] + "…"
        parts = ["Loupe", title, Path(self.project_path).name]
        self.setWindowTitle(" — ".join(p for p in parts if p))

    def refresh_documents(self) -> None:
        summaries = self.store.document_summaries()
        self.documents.set_documents(summaries)
        current = self.view.document_id
        if current is not None and current not in {d.id for d in summaries}:
            self.open_document(summaries[-1].id if summaries else None)  # it was undone away

    def _adjust_counts(self, annotations, sign: int) -> None:
        for doc_id, n in Counter(a.document_id for a in annotations).items():
            self.documents.adjust_count(doc_id, sign * n)

    def _on_store_annotations_added(self, annotations: list) -> None:
        self.view.add_annotations(annotations)
        self._adjust_counts(annotations, +1)

    def _on_store_annotations_removed(self, annotations: list) -> None:
        self.view.remove_annotations(annotations)
        self._adjust_counts(annotations, -1)

    def _on_store_document_updated(self, doc: Document) -> None:
        if doc.id == self.view.document_id:
            self._update_title(doc)

    def import_documents(self, docs: list[Document], problems: list[str]) -> list[Document]:
        """Add new texts in one undoable step; say which were refused or already present."""
        fresh, seen = [], set()
        for doc in docs:
            existing = self.store.find_document_by_text(doc.text)
            if existing is not None or doc.text_sha256 in seen:
                where = f"document {existing.id}, “{existing.title}”" if existing else "this batch"
                problems.append(
                    f"“{doc.title}” is already in this project ({where}); not added again."
                )
                if existing is not None and len(docs) == 1:
                    self.open_document(existing.id)
                continue
            seen.add(doc.text_sha256)
            fresh.append(doc)
        added: list[Document] = []
        if fresh:
            command = AddDocuments(self.store, fresh)
            self.undo_stack.push(command)
            added = command.added
            self.refresh_documents()
            self.open_document(added[-1].id)
        if problems:
            self.notify("Opening articles", "\n\n".join(problems), QMessageBox.Icon.Warning)
        return added

    def open_files(self, paths: list[str]) -> list[Document]:
        read = background_tasks.read_articles(self, paths)  # off the GUI thread, with Cancel
        return self.import_documents(*read) if read is not None else []

    def paste_document(self) -> list[Document]:
        mime = QGuiApplication.clipboard().mimeData()  # rich text from a browser becomes clean
        text = pasted_text(mime.html() if mime.hasHtml() else "", mime.text())
        if not text.strip():
            self.notify("Paste", "The clipboard holds no text to paste as a document.")
            return []
        return self.import_documents([make_document(text)], [])

    def edit_properties(self) -> None:
        doc = self.current_document()
        if doc is None:
            return
        dialog = DocumentDialog(self, doc, self.store.sources())
        if dialog.exec() and dialog.document() != doc:
            self.undo_stack.push(EditDocument(self.store, doc, dialog.document()))

    def dragEnterEvent(self, event) -> None:
        if any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            theirs = [p for p in paths if self.reviewing.is_colleague_file(p)]
            articles = [p for p in paths if p not in theirs]
            if articles:
                self.open_files(articles)
            for path in theirs:
                self.reviewing.review_file(path)

    # ------------------------------------------------------------ tags

    def _rebuild_tag_actions(self) -> None:
        types = self.store.tag_types()
        self.view.set_tag_types(types)
        for action in self.tag_actions.values():
            self.removeAction(action)
            action.deleteLater()
        self.tag_bar.clear()
        self.tag_bar.addWidget(QLabel(" Tag selection as: "))
        self.tag_actions = {}
        for tag in types:
            action = QAction(swatch(tag.color), f"{tag.name}", self)
            if tag.shortcut:
                action.setShortcut(QKeySequence(tag.shortcut))
                action.setText(f"&{tag.shortcut}  {tag.name}")  # Alt+T, then the key
            action.setToolTip(f"Tag the selected text as {tag.name} (key {tag.shortcut or '—'})")
            action.triggered.connect(lambda _=False, t=tag.id: self.editor.tag_selection(t))
            self.addAction(action)
            self.tag_bar.addAction(action)
            self.tag_actions[tag.id] = action
        if hasattr(self, "actions") and "tag_menu" in self.actions:
            menu = self.actions["tag_menu"]
            menu.clear()
            menu.addActions(list(self.tag_actions.values()))
            menu.addSeparator()
            menu.addAction(self.actions["accept_suggestions"])
            menu.addSeparator()
            menu.addAction(self.actions["manage_tags"])

    def manage_tag_types(self) -> None:
        dialog = TagTypeDialog(self.store, self.undo_stack, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.exec()

    def _on_view_context_menu_requested(self, pos, stack, span) -> None:
        self.editor.build_context_menu(stack, span).exec(pos)

    def _on_view_annotation_selected(self, ann) -> None:
        for key in ("delete", "edit_note", "edit_details"):
            self.actions[key].setEnabled(ann is not None)

    def set_snap_to_words(self, on: bool) -> None:
        self.view.snap_to_words = on
        self.settings = self.settings.with_(snap_to_words=on)
        self._save_settings(self.settings)

    def set_annotator(self, name: str) -> None:
        self.settings = self.settings.with_(annotator=name)
        self.editor.annotator = name
        self._annotator_label.setText(f"Annotator: {name or '—'} ")

    # ------------------------------------------------------------ project, export, messages

    def request_project(self, new: bool) -> None:
        path = file_dialogs.project_path(self, new)
        if path:
            self.project_open_requested.emit(path)

    def export_csv(self, whole_project: bool) -> None:
        doc = self.current_document()
        if not whole_project and doc is None:
            return
        path = file_dialogs.csv_path(self, "loupe-annotations.csv" if whole_project else doc.title)
        if not path:
            return
        background_tasks.export_csv(self, path, None if whole_project else doc.id)

    def export_w3c(self) -> None:
        """All of the analyst's tags, with the articles embedded: what a colleague reviews."""
        path = file_dialogs.json_path(self, f"{self.settings.annotator or 'annotations'}.json")
        if not path:
            return
        background_tasks.export_w3c(self, path, self.settings.annotator)

    def show_status(self, text: str) -> None:
        self.last_message = text
        self.statusBar().showMessage(text, 8000)

    def notify(self, title: str, text: str, icon=QMessageBox.Icon.Information) -> None:
        """Window-modal but non-blocking: the message stays until read, tests never hang on it."""
        self.last_message = text
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def closeEvent(self, event) -> None:
        save_session(self)  # layout to settings.json, document and scroll to the project
        self._doc_refresh.stop()  # its database may be closed right after the window
        self.suggesting.stop()
        super().closeEvent(event)

    def shortcut_rows(self) -> list[tuple[str, str]]:
        return shortcut_rows(self)
