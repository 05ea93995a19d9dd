"""The count panel's table model: one row per (tag type, entity) with its number of mentions.

Sorting lives in the model rather than a proxy so Count sorts as a number and the chosen order is
re-applied to every refresh without a second copy of the rows.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QColor

from app.model import EntityCount

ENTITY, TYPE, COUNT = range(3)


class EntityCountModel(QAbstractTableModel):
    """Rows of one `entity_counts` call, in the order the user chose."""

    HEADERS = ("Entity", "Type", "Count")

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[EntityCount] = []
        self._colors: dict[int, QColor] = {}
        self._sort = (COUNT, Qt.SortOrder.DescendingOrder)

    def set_rows(self, rows: list[EntityCount], colors: dict[int, QColor]) -> None:
        self.beginResetModel()
        self._rows, self._colors = list(rows), colors
        self._sort_rows()
        self.endResetModel()

    def entry(self, row: int) -> EntityCount:
        return self._rows[row]

    def row_of(self, tag_type_id: int, entity: str) -> int | None:
        key = (tag_type_id, entity)
        return next((i for i, r in enumerate(self._rows) if (r.tag_type_id, r.entity) == key), None)

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        r, col = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (r.entity or "(no entity)", r.type_name, r.count)[col]
        if role == Qt.ItemDataRole.DecorationRole and col == TYPE:
            return self._colors.get(r.tag_type_id)
        if role == Qt.ItemDataRole.TextAlignmentRole and col == COUNT:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and col == ENTITY:
            return f"{r.entity or '(no entity)'} — {r.type_name}, {r.count}\nClick to find mentions"
        if role == Qt.ItemDataRole.ForegroundRole and col == ENTITY and not r.entity:
            return QColor("#888888")
        return None

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        self.layoutAboutToBeChanged.emit()
        self._sort = (column, order)
        self._sort_rows()
        self.layoutChanged.emit()

    def _sort_rows(self) -> None:
        column, order = self._sort
        keys = {
            ENTITY: lambda r: r.entity.casefold(),
            TYPE: lambda r: r.type_name.casefold(),
            COUNT: lambda r: r.count,
        }
        # Stable: ties keep the store's order (count, type position, name).
        self._rows.sort(key=keys[column], reverse=order == Qt.SortOrder.DescendingOrder)
