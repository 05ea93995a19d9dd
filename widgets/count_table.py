"""The count panel's table: one row per (tag type, entity) with its number of mentions, and under
each entity the spellings behind its count ("Jolani — 3", "al-Julani — 1"), fetched from the
store only when the row is expanded.

A tree model rather than a table because the aliases belong under the row they add up to; the
view keeps a table's look (no grid of parents, no indentation beyond the arrow) and its API
(`horizontalHeader`, `selectRow`) so the panel and its tests treat it as the table it was.
Sorting lives in the model rather than a proxy so Count sorts as a number and the chosen order is
re-applied to every refresh without a second copy of the rows.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QAbstractItemModel, QItemSelectionModel, QModelIndex, QSize, Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QStyledItemDelegate, QTreeView

from app.model import ENTITY_KIND, EntityCount
from widgets import theme

ENTITY, TYPE, COUNT = range(3)
TOP = 0  # internal id of top-level rows; a quote row's id is its entity row's key (≥ 1)


class QuoteSource:
    """How an entity's mentions are written, in the panel's current scope (one document, or all
    of them when `scope()` gives None). Only entity tags have spellings to show: a credibility
    row is a grade, not a name."""

    def __init__(self, store, scope: Callable[[], int | None]) -> None:
        self._store, self._scope = store, scope

    def expandable_keys(self, rows: list[EntityCount]) -> set[int]:
        """Keys (position + 1) of the rows that name an entity: asked once per refresh, since
        the view asks `hasChildren` of every row on every reset (1,200 rows: 10 ms in Python)."""
        kinds = {t.id for t in self._store.tag_types() if t.kind == ENTITY_KIND}
        return {i for i, r in enumerate(rows, 1) if r.entity and r.tag_type_id in kinds}

    def __call__(self, row: EntityCount) -> list[tuple[str, int]]:
        entity_id = self._store.entity_id(row.tag_type_id, row.entity)
        if entity_id is None:
            return []
        return [(" ".join(q.split()), n) for q, n in self._store.quote_counts(
            entity_id, self._scope())]  # fmt: skip


class EntityCountModel(QAbstractItemModel):
    """Rows of one `entity_counts` call, in the order the user chose; children on demand."""

    HEADERS = ("Entity", "Type", "Count")

    def __init__(self, parent=None, quotes: QuoteSource | None = None) -> None:
        super().__init__(parent)
        self._quotes = quotes
        self._rows: list[EntityCount] = []
        self._keys: list[int] = []  # a stable key per row (its position before sorting, + 1)
        self._position: dict[int, int] = {}  # key → current row
        self._children: dict[int, list[tuple[str, int]]] = {}  # key → (quote, n), once fetched
        self._expandable: set[int] = set()  # keys of rows that can show spellings
        self._colors: dict[int, QColor] = {}
        self._sort = (COUNT, Qt.SortOrder.DescendingOrder)

    def set_rows(self, rows: list[EntityCount], colors: dict[int, QColor]) -> None:
        self.beginResetModel()
        self._rows, self._colors = list(rows), colors
        self._keys = list(range(1, len(self._rows) + 1))
        self._expandable = self._quotes.expandable_keys(self._rows) if self._quotes else set()
        self._children.clear()
        self._sort_rows()
        self.endResetModel()

    def entry(self, row: int) -> EntityCount:
        return self._rows[row]

    def entry_of(self, index: QModelIndex) -> EntityCount:
        """The counted row an index belongs to: itself, or the entity a quote row is under."""
        return self._rows[self._row_of(index)]

    def row_of(self, tag_type_id: int, entity: str) -> int | None:
        key = (tag_type_id, entity)
        return next((i for i, r in enumerate(self._rows) if (r.tag_type_id, r.entity) == key), None)

    def quotes_of(self, row: int) -> list[tuple[str, int]] | None:
        """The spellings under a row if fetched (the view expanded it), else None."""
        return self._children.get(self._keys[row])

    # ------------------------------------------------------------ tree structure

    def index(self, row, column, parent=QModelIndex()) -> QModelIndex:  # noqa: B008
        if not parent.isValid():  # the hot path: the view asks for every row on every reset
            if 0 <= row < len(self._rows) and 0 <= column < 3:
                return self.createIndex(row, column, TOP)
            return QModelIndex()
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        return self.createIndex(row, column, self._keys[parent.row()])

    def parent(self, index=QModelIndex()) -> QModelIndex:  # noqa: B008
        if not index.isValid() or index.internalId() == TOP:
            return QModelIndex()
        return self.createIndex(self._position[index.internalId()], 0, TOP)

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        if not parent.isValid():
            return len(self._rows)
        if parent.internalId() != TOP or parent.column() != 0:
            return 0
        return len(self._children.get(self._keys[parent.row()], ()))

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return len(self.HEADERS)

    def hasChildren(self, parent=QModelIndex()) -> bool:  # noqa: B008
        if not parent.isValid():
            return bool(self._rows)
        if parent.internalId() != TOP or parent.column() != 0 or self._quotes is None:
            return False
        key = self._keys[parent.row()]
        if key in self._children:
            return bool(self._children[key])
        return key in self._expandable

    def canFetchMore(self, parent) -> bool:
        return (parent.isValid() and parent.internalId() == TOP and parent.column() == 0
                and self._keys[parent.row()] not in self._children
                and self.hasChildren(parent))  # fmt: skip

    def fetchMore(self, parent) -> None:
        if not self.canFetchMore(parent):
            return
        found = self._quotes(self._rows[parent.row()])
        key = self._keys[parent.row()]
        if found:
            self.beginInsertRows(parent, 0, len(found) - 1)
            self._children[key] = found
            self.endInsertRows()
        else:
            self._children[key] = []

    # ------------------------------------------------------------ data

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        if index.internalId() != TOP:
            return self._quote_data(index, role)
        r, col = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (r.entity or "(no entity)", r.type_name, r.count)[col]
        if role == Qt.ItemDataRole.DecorationRole and col == TYPE:
            return self._colors.get(r.tag_type_id)
        if role == Qt.ItemDataRole.TextAlignmentRole and col == COUNT:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and col == ENTITY:
            more = "\nExpand to see how it is written" if self.hasChildren(index) else ""
            name = r.entity or "(no entity)"
            return f"{name} — {r.type_name}, {r.count}\nClick to find mentions{more}"
        if role == Qt.ItemDataRole.ForegroundRole and col == ENTITY and not r.entity:
            return theme.muted()
        return None

    def _quote_data(self, index: QModelIndex, role):
        quote, n = self._children[index.internalId()][index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (f"“{quote}”", "", n)[col]
        if role == Qt.ItemDataRole.TextAlignmentRole and col == COUNT:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole:
            return theme.muted()
        if role == Qt.ItemDataRole.FontRole and col == ENTITY:
            font = QFont()
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole and col == ENTITY:
            return f"Written “{quote}” {n} time{'' if n == 1 else 's'}"
        return None

    # ------------------------------------------------------------ sorting

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        """Persistent indexes (the view's expanded and selected rows) follow their rows."""
        self.layoutAboutToBeChanged.emit()
        before = self.persistentIndexList()
        where = [(self._keys[self._row_of(i)], i.internalId(), i.row(), i.column())
                 for i in before]  # fmt: skip
        self._sort = (column, order)
        self._sort_rows()
        after = [
            self.createIndex(self._position[key], col, TOP) if inner == TOP
            else self.createIndex(row, col, inner)
            for key, inner, row, col in where
        ]  # fmt: skip
        self.changePersistentIndexList(before, after)
        self.layoutChanged.emit()

    def _sort_rows(self) -> None:
        column, order = self._sort
        keys = {
            ENTITY: lambda r: r[0].entity.casefold(),
            TYPE: lambda r: r[0].type_name.casefold(),
            COUNT: lambda r: r[0].count,
        }
        # Stable: ties keep the store's order (count, type position, name).
        paired = sorted(zip(self._rows, self._keys, strict=True), key=keys[column],
                        reverse=order == Qt.SortOrder.DescendingOrder)  # fmt: skip
        self._rows = [r for r, _ in paired]
        self._keys = [k for _, k in paired]
        self._position = {k: i for i, k in enumerate(self._keys)}

    def _row_of(self, index: QModelIndex) -> int:
        inner = index.internalId()
        return index.row() if inner == TOP else self._position[inner]


class CountTableView(QTreeView):
    """The count table: sortable, one selected row, its entities expandable to their spellings.
    Expanded entities stay expanded across refreshes (the model is reset on each)."""

    def __init__(self, model: EntityCountModel, row_height: int, parent=None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self._expanded: set[tuple[int, str]] = set()
        self.setSortingEnabled(True)
        self.sortByColumn(COUNT, Qt.SortOrder.DescendingOrder)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setUniformRowHeights(True)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setIndentation(14)
        self.setExpandsOnDoubleClick(False)  # a double click is two clicks: two mentions
        self.setItemDelegate(_RowHeight(row_height, self))
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(ENTITY, QHeaderView.ResizeMode.Stretch)
        # Fixed widths, set from the tag-type names on refresh: ResizeToContents would ask the
        # model for every row's text after each tag.
        header.setSectionResizeMode(TYPE, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(COUNT, QHeaderView.ResizeMode.Fixed)
        self.expanded.connect(self._on_expanded)
        self.collapsed.connect(self._on_collapsed)
        model.modelReset.connect(self._restore_expanded)

    def horizontalHeader(self) -> QHeaderView:
        return self.header()

    def selectRow(self, row: int) -> None:
        flags = (QItemSelectionModel.SelectionFlag.ClearAndSelect
                 | QItemSelectionModel.SelectionFlag.Rows)  # fmt: skip
        self.selectionModel().setCurrentIndex(self.model().index(row, 0), flags)

    def expand_row(self, row: int) -> None:
        self.expand(self.model().index(row, 0))

    def _key(self, index: QModelIndex) -> tuple[int, str]:
        hit = self.model().entry_of(index)
        return hit.tag_type_id, hit.entity

    def _on_expanded(self, index: QModelIndex) -> None:
        self._expanded.add(self._key(index))
        if self.model().canFetchMore(index):  # now, not at the next layout
            self.model().fetchMore(index)

    def _on_collapsed(self, index: QModelIndex) -> None:
        self._expanded.discard(self._key(index))

    def _restore_expanded(self) -> None:
        model, still = self.model(), set()
        for key in list(self._expanded):  # expanding adds to it again
            row = model.row_of(*key)
            if row is not None:
                still.add(key)
                self.expand(model.index(row, 0))
        self._expanded = still


class _RowHeight(QStyledItemDelegate):
    """Rows as tall as the table's were, with room around the text."""

    def __init__(self, height: int, parent=None) -> None:
        super().__init__(parent)
        self._height = height

    def sizeHint(self, option, index) -> QSize:
        hint = super().sizeHint(option, index)
        return QSize(hint.width(), max(hint.height(), self._height))
