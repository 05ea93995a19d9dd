"""The Entities panel: the registry of canonical entities by tag type, with their aliases, how
often each is mentioned here and everywhere, and where; and the edits that keep it clean —
rename, merge, split an alias off, add or remove an alias, delete.

Every edit is one command on the window's undo stack (app/entity_commands.py). The store refuses
what would break the registry (a name another entity owns) with an `EntityError`, and a command
whose redo fails is dropped from the stack and re-raised; either way the analyst reads one
sentence, never a traceback. Store signals only schedule a refresh (a single-shot timer), and a
hidden panel (the tab behind the count panel) just notes that it is stale.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QLabel, QLineEdit, QMessageBox, QVBoxLayout, QWidget

from app.entity_commands import DeleteEntity, EditAliases, MergeEntities, RenameEntity, SplitAlias
from app.model import ENTITY_KIND
from widgets import entities_edits as edits
from widgets import theme
from widgets.entities_model import ID, KIND, NAME, EntityFilter, EntityTreeModel
from widgets.entities_tree import EntityTree

if TYPE_CHECKING:
    from PySide6.QtGui import QUndoStack

    from app.store import Store

log = logging.getLogger(__name__)


class EntitiesPanel(QWidget):
    entity_activated = Signal(int, str)  # tag type id, entity name: find its mentions

    def __init__(self, store: Store, undo_stack: QUndoStack, parent=None, notify=None) -> None:
        super().__init__(parent)
        self.store, self.undo_stack, self._notify = store, undo_stack, notify
        self._document_id: int | None = None
        self._titles: dict[int, str] | None = None
        self._here: dict[int, int] = {}  # entity id → mentions in the open document
        self._stale = True
        self.refresh_count = 0
        self.last_message = ""
        self._timer = QTimer(self, singleShot=True, interval=30)
        self._build()
        self._connect_signals()

    # ------------------------------------------------------------ public

    def set_document(self, document_id: int | None) -> None:
        if document_id != self._document_id:
            self._document_id = document_id
            self.schedule_refresh()

    @property
    def refresh_pending(self) -> bool:
        return self._timer.isActive()

    def schedule_refresh(self) -> None:
        """Coalesced; off screen (a closed dock, or a tab behind the count panel, which Qt
        leaves "visible") it only notes that it is stale."""
        if not self.isVisible() or self.visibleRegion().isEmpty():
            self._stale = True
        elif not self._timer.isActive():
            self._timer.start()

    def on_dock_visibility_changed(self, visible: bool) -> None:
        """Its tab came to the front (or the dock opened): catch up at once. Sent to the back,
        it drops a refresh its showEvent started: Qt shows every tab of a dock area when the
        window first appears, and then says which ones are behind (5,500 entities: 1 s)."""
        if visible and self._stale:
            self._timer.start()
        elif not visible and self._timer.isActive():
            self._timer.stop()
            self._stale = True

    def reveal(self) -> None:
        """Show the panel (raising its tab) and put the keyboard in its list."""
        dock = self.parentWidget()
        if isinstance(dock, QDockWidget):
            dock.show()
            dock.raise_()
        self.tree.setFocus()

    def refresh(self) -> None:
        self._timer.stop()
        self._stale = False
        self.refresh_count += 1
        store = self.store
        if self._titles is None:
            self._titles = {d.id: d.title for d in store.document_summaries()}
        types = [t for t in store.tag_types() if t.kind == ENTITY_KIND]
        ids = {t.id for t in types}
        entities = [e for e in store.entities() if e.tag_type_id in ids]
        here = store.entity_mentions_in(self._document_id) if self._document_id else {}
        self._here = here
        current = self.current()
        self.model.rebuild(types, entities, here, self._titles)
        self.tree.restore(current)
        total = len(entities)
        self.summary.setText(f"{total:,} entit{'y' if total == 1 else 'ies'}" if total else
                             "No entities yet: tag a name and it appears here.")  # fmt: skip
        self._show_detail()

    # ------------------------------------------------------------ construction

    def _build(self) -> None:
        self.filter_box = QLineEdit(placeholderText="Filter names and aliases…")
        self.filter_box.setClearButtonEnabled(True)
        self.model = EntityTreeModel(self)
        self.proxy = EntityFilter(self)
        self.proxy.setSourceModel(self.model)
        self.tree = EntityTree(self.proxy)
        self.summary = QLabel()
        self.summary.setStyleSheet("color: palette(placeholder-text);")
        self.detail = QLabel(wordWrap=True, textFormat=Qt.TextFormat.RichText)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setStyleSheet("padding: 4px; background: palette(alternate-base);")
        self.detail.setMinimumHeight(self.fontMetrics().height() * 3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(4)
        layout.addWidget(self.filter_box)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.detail)
        layout.addWidget(self.summary)
        self.actions_by_name = {
            "rename": self._action("&Rename…", self.rename_current, "F2"),
            "add_alias": self._action("&Add alias…", self.add_alias, "Ins"),
            "merge": self._action("&Merge into…", self.merge_selected, "Ctrl+M"),
            "split": self._action("&Split off as its own entity", self.split_current),
            "remove_alias": self._action("Remove a&lias", self.remove_current_alias),
            "delete": self._action("&Delete…", self.delete_selected, "Delete"),
            "find": self._action("&Find mentions", self._find_mentions, "Enter"),
        }

    def _action(self, text: str, slot, keys: str = "") -> QAction:
        """The key is only written beside the menu entry: the list itself handles it
        (`EntityTree`), so it cannot clash with the window's own use of Delete."""
        action = QAction(f"{text}\t{keys}" if keys else text, self)
        action.triggered.connect(slot)
        return action

    def _connect_signals(self) -> None:
        s = self.store
        self._timer.timeout.connect(self.refresh)
        for signal in (s.entities_changed, s.tag_types_changed, s.annotations_added,
                       s.annotations_removed, s.annotation_updated):  # fmt: skip
            signal.connect(self.schedule_refresh)
        s.documents_changed.connect(self._on_store_documents_changed)
        s.document_updated.connect(self._on_store_documents_changed)
        self.model.rename_requested.connect(self.rename)
        self.filter_box.textChanged.connect(self._on_filter_box_text_changed)
        self.tree.key_requested.connect(self._on_tree_key_requested)
        self.tree.menu_requested.connect(self._on_tree_menu_requested)
        self.tree.activated.connect(self._find_mentions)
        self.tree.selectionModel().currentChanged.connect(lambda *_: self._show_detail())

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._stale:
            self._timer.start()

    def hideEvent(self, event) -> None:
        super().hideEvent(event)
        if self._timer.isActive():  # its database may close before the timer would fire
            self._timer.stop()
            self._stale = True

    # ------------------------------------------------------------ what is selected

    def current(self) -> tuple | None:
        """(kind, id, alias) of the current row: ("entity", 7, None), ("alias", 7, "Jolani")."""
        return self.tree.key(self.tree.currentIndex())

    def selected_entities(self) -> list[int]:
        rows = self.tree.selectionModel().selectedRows(NAME)
        return [int(i.data(ID)) for i in rows if i.data(KIND) == "entity"]

    def index_of(self, entity_id: int, alias: str | None = None) -> QModelIndex:
        return self.tree.index_of(entity_id, alias)

    def _show_detail(self) -> None:
        current = self.current()
        if current is None or current[0] == "type":
            self.detail.setText(f"<span style='color:{theme.muted().name()}'>Select an entity to "
                                "see its names and "
                                "where it is mentioned. F2 renames, Delete deletes; right-click "
                                "for merge and split.</span>")  # fmt: skip
            return
        entity_id, here = current[1], self._here.get(current[1], 0)
        entity = self.model.entities.get(entity_id)
        tag = self.store.tag_type(entity.tag_type_id) if entity else None
        self.detail.setText(self.model.detail_html(entity_id, here, tag.name if tag else ""))

    # ------------------------------------------------------------ slots

    def _on_store_documents_changed(self, *_args) -> None:
        self._titles = None
        self.schedule_refresh()

    def _on_filter_box_text_changed(self, text: str) -> None:
        self.proxy.set_needle(text)
        self.tree.restore(self.current())
        if text:
            self.tree.show_matches()

    def _on_tree_key_requested(self, key: str) -> None:
        slots = {"F2": self.rename_current, "Delete": self.delete_selected,
                 "Ins": self.add_alias, "Ctrl+M": self.merge_selected}  # fmt: skip
        slots[key]()

    def _on_tree_menu_requested(self, pos: QPoint) -> None:
        menu = edits.context_menu(self)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(pos)

    def _find_mentions(self, *_args) -> None:
        current = self.current()
        entity = self.model.entities.get(current[1]) if current and current[0] != "type" else None
        if entity is not None:
            self.entity_activated.emit(entity.tag_type_id, entity.name)

    # ------------------------------------------------------------ edits

    def push(self, command_type, *args, **kwargs) -> bool:
        """Build and push one command; say why if the store refused it."""
        try:
            self.undo_stack.push(command_type(self.store, *args, **kwargs))
        except Exception as exc:  # EntityError, or a failed redo, re-raised once dropped
            if not isinstance(exc, ValueError):
                log.exception("entity edit failed")
            self.tell(edits.readable(exc))
            return False
        self.schedule_refresh()
        return True

    def tell(self, text: str) -> None:
        self.last_message = text
        if self._notify is not None:
            self._notify("Entities", text, QMessageBox.Icon.Warning)
            return
        box = QMessageBox(QMessageBox.Icon.Warning, "Entities", text, parent=self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def entity(self, entity_id: int):
        found = self.store.entity(entity_id)
        if found is None:
            self.tell("That entity no longer exists.")
        return found

    def rename(self, entity_id: int, name: str) -> bool:
        entity = self.entity(entity_id)
        if entity is None or not name.strip() or name.strip() == entity.name:
            return False
        return self.push(RenameEntity, entity_id, name.strip())

    def rename_current(self) -> None:
        current = self.current()
        if current and current[0] == "entity":
            self.tree.edit(self.tree.currentIndex().siblingAtColumn(NAME))

    def add_alias(self) -> None:
        edits.add_alias(self)

    def merge_selected(self) -> None:
        edits.merge_selected(self)

    def merge(self, keep_id: int, gone_id: int) -> bool:
        return self.push(MergeEntities, keep_id, gone_id)

    def split_current(self) -> None:
        current = self.current()
        if current and current[0] == "alias":
            self.push(SplitAlias, current[1], current[2])

    def remove_current_alias(self) -> None:
        current = self.current()
        if current and current[0] == "alias":
            self.push(EditAliases, current[1], current[2], add=False)

    def delete_selected(self) -> None:
        current = self.current()
        if current and current[0] == "alias":
            self.remove_current_alias()  # Delete on an alias removes just that name
            return
        edits.delete_entities(self, self.selected_entities(), DeleteEntity)
