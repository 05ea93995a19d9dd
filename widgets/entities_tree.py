"""The Entities panel's list: a tree view whose edit keys belong to it while it has focus, and
which remembers what was open and current across the rebuilds a refresh makes.

The window binds Delete to "delete annotation"; a window shortcut would win over a key press in
the list, so the list claims its keys first (ShortcutOverride) and reports them as requests.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QContextMenuEvent, QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeView

from widgets.entities_model import ALIAS, ALL, DOCS, HERE, ID, KIND, NAME

KEYS = {
    (Qt.Key.Key_F2, Qt.KeyboardModifier.NoModifier): "F2",
    (Qt.Key.Key_Delete, Qt.KeyboardModifier.NoModifier): "Delete",
    (Qt.Key.Key_Insert, Qt.KeyboardModifier.NoModifier): "Ins",
    (Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier): "Ctrl+M",
}


class EntityTree(QTreeView):
    key_requested = Signal(str)  # one of KEYS' names
    menu_requested = Signal(QPoint)  # global position

    def __init__(self, model, parent=None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)  # F2 is ours
        self.setExpandsOnDoubleClick(False)  # double click finds mentions
        self.setSortingEnabled(True)
        self.sortByColumn(NAME, Qt.SortOrder.AscendingOrder)
        self.setAlternatingRowColors(True)
        self.setUniformRowHeights(True)
        self.setIndentation(16)
        self.setAllColumnsShowFocus(True)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        metrics = self.fontMetrics()
        width = max(metrics.horizontalAdvance(t) for t in ("Docs", "Here", "9,999")) + 22
        for column in (HERE, ALL, DOCS):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(column, width)
        header.setToolTip("Here: mentions in the open document. All: in every document. "
                          "Docs: documents it is mentioned in.")  # fmt: skip
        self._expanded: set[int] = set()  # entity ids shown with their aliases
        self._collapsed_types: set[int] = set()  # tag types closed by hand
        self._quiet = False  # expanding for a filter or a restore is not the analyst's choice
        self.expanded.connect(lambda i: self._remember(i, True))
        self.collapsed.connect(lambda i: self._remember(i, False))

    # ------------------------------------------------------------ rows by identity

    def key(self, index: QModelIndex) -> tuple | None:
        """(kind, id, alias) of a row, which survives a rebuild where the index does not."""
        if not index.isValid():
            return None
        index = index.siblingAtColumn(NAME)
        return index.data(KIND), index.data(ID), index.data(ALIAS)

    def index_of(self, entity_id: int, alias: str | None = None) -> QModelIndex:
        """The index of an entity (or one of its aliases) as shown, or an invalid one."""
        model = self.model()
        for group in range(model.rowCount()):
            parent = model.index(group, NAME)
            for row in range(model.rowCount(parent)):
                index = model.index(row, NAME, parent)
                if index.data(ID) != entity_id:
                    continue
                if alias is None:
                    return index
                for sub in range(model.rowCount(index)):
                    if (child := model.index(sub, NAME, index)).data(ALIAS) == alias:
                        return child
        return QModelIndex()

    def _remember(self, index: QModelIndex, expanded: bool) -> None:
        if self._quiet:
            return
        kind, ident, _ = self.key(index)
        remembered = self._expanded if kind == "entity" else self._collapsed_types
        (remembered.add if expanded == (kind == "entity") else remembered.discard)(ident)

    def restore(self, current: tuple | None) -> None:
        """After a rebuild or a new filter: tag types open unless closed by hand, entities as
        they were, and the same row current (or, for an alias split off, its old entity)."""
        model, self._quiet = self.model(), True
        try:
            for group in range(model.rowCount()):
                index = model.index(group, NAME)
                self.setFirstColumnSpanned(group, QModelIndex(), True)
                self.setExpanded(index, index.data(ID) not in self._collapsed_types)
                for row in range(model.rowCount(index)):
                    entity = model.index(row, NAME, index)
                    self.setExpanded(entity, entity.data(ID) in self._expanded)
        finally:
            self._quiet = False
        if current is not None:
            kind, ident, alias = current
            index = self.index_of(ident, alias if kind == "alias" else None)
            if not index.isValid() and kind == "alias":
                index = self.index_of(ident)
            if index.isValid():
                self.setCurrentIndex(index)

    def show_matches(self) -> None:
        """While filtering, every entity open, so a matching alias is seen under its entity."""
        self._quiet = True
        try:
            self.expandAll()
        finally:
            self._quiet = False

    # ------------------------------------------------------------ keys and menu

    def _claimed(self, event: QKeyEvent) -> str | None:
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if self.state() == QAbstractItemView.State.EditingState:
            return None
        return KEYS.get((Qt.Key(event.key()), modifiers))

    def event(self, event) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and self._claimed(event):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        name = self._claimed(event)
        if name:
            self.key_requested.emit(name)
            return
        super().keyPressEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        pos = event.globalPos()
        if event.reason() == QContextMenuEvent.Reason.Keyboard and self.currentIndex().isValid():
            rect = self.visualRect(self.currentIndex())
            pos = self.viewport().mapToGlobal(rect.bottomLeft() + QPoint(12, 0))
        self.menu_requested.emit(pos)
