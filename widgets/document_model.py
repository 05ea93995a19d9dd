"""The document list's model: every document's summary, filtered and sorted in plain Python.

Ten thousand rows must stay instant. An item widget per cell cost 40,000 objects per refresh; here
a row is one `DocumentSummary`, the view asks only for the cells it paints, and filtering and
sorting are one list comprehension and one `sorted` over plain tuples (a QSortFilterProxyModel
would call back into Python for every comparison). A tag is counted in O(1) through an id → row map.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from app.model import DocumentSummary

COLUMNS = ("Title", "Source", "Published", "Tags")
TITLE, SOURCE, PUBLISHED, TAGS = range(len(COLUMNS))
ID_ROLE = Qt.ItemDataRole.UserRole

_Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class DocumentFilter:
    """What the filter bar asks for. Dates are ISO strings; a document whose date is partial
    ("2024-03") is kept when that month overlaps the range. Without a date range every document
    shows; with one, documents without a publication date are hidden (they are not in it)."""

    title: str = ""
    source: str | None = None  # None: all sources
    published_from: str = ""
    published_to: str = ""
    document_ids: frozenset[int] | None = None  # from the tag filter; None: any

    def is_empty(self) -> bool:
        return self == DocumentFilter()

    def accepts(self, doc: DocumentSummary) -> bool:
        if self.title and self.title.casefold() not in doc.title.casefold():
            return False
        if self.source is not None and doc.source != self.source:
            return False
        if self.document_ids is not None and doc.id not in self.document_ids:
            return False
        if self.published_from or self.published_to:
            if not doc.published:
                return False
            first = doc.published + "-01-01"[len(doc.published) - 4 :]  # 2024 → 2024-01-01
            last = doc.published + "-12-31"[len(doc.published) - 4 :]
            if self.published_from and last[:10] < self.published_from:
                return False
            if self.published_to and first[:10] > self.published_to:
                return False
        return True


class DocumentTableModel(QAbstractTableModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._docs: list[DocumentSummary] = []
        self._counts: dict[int, int] = {}  # document id → tags, kept current by adjust_count
        self._shown: list[DocumentSummary] = []  # filtered and sorted: the view's rows
        self._row_of: dict[int, int] = {}  # document id → row in _shown
        self._filter = DocumentFilter()
        self._sort = (TITLE, Qt.SortOrder.AscendingOrder)

    # ------------------------------------------------------------ Qt's model interface

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._shown)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: _Index, role=Qt.ItemDataRole.DisplayRole):
        doc = self._shown[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cell_text(doc, column)
        if role == ID_ROLE:
            return doc.id
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == TITLE:
                return f"{doc.title}\n{doc.length:,} characters · document {doc.id}"
            return self.cell_text(doc, column) or None
        if role == Qt.ItemDataRole.TextAlignmentRole and column == TAGS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        self._sort = (column, order)
        self._reshow()

    # ------------------------------------------------------------ what the list calls

    def cell_text(self, doc: DocumentSummary, column: int) -> str:
        if column == TAGS:
            return str(self._counts.get(doc.id, 0))
        return (doc.title, doc.source, doc.published)[column]

    def set_documents(self, summaries: Sequence[DocumentSummary]) -> None:
        self._docs = list(summaries)
        self._counts = {d.id: d.annotation_count for d in self._docs}
        self._reshow()

    def set_filter(self, rule: DocumentFilter) -> None:
        if rule != self._filter:
            self._filter = rule
            self._reshow()

    def adjust_count(self, document_id: int, delta: int) -> None:
        if document_id not in self._counts:
            return
        self._counts[document_id] = max(0, self._counts[document_id] + delta)
        if self._sort[0] == TAGS:
            self._reshow()  # the row may move, as a sorted QTableWidget moved it
            return
        row = self._row_of.get(document_id)
        if row is not None:
            cell = self.index(row, TAGS)
            self.dataChanged.emit(cell, cell, [Qt.ItemDataRole.DisplayRole])

    def row_of(self, document_id: int | None) -> int | None:
        return self._row_of.get(document_id) if document_id is not None else None

    def document_at(self, row: int) -> DocumentSummary:
        return self._shown[row]

    def sources(self) -> list[str]:
        return sorted({d.source for d in self._docs if d.source}, key=str.casefold)

    def total(self) -> int:
        return len(self._docs)

    # ------------------------------------------------------------ filtering and sorting

    def _sort_key(self):
        column = self._sort[0]
        if column == TAGS:
            counts = self._counts
            return lambda d: (counts.get(d.id, 0), d.title.casefold(), d.id)
        if column == PUBLISHED:
            return lambda d: (d.published, d.title.casefold(), d.id)
        if column == SOURCE:
            return lambda d: (d.source.casefold(), d.title.casefold(), d.id)
        return lambda d: (d.title.casefold(), d.id)

    def _reshow(self) -> None:
        rule = self._filter
        shown = self._docs if rule.is_empty() else [d for d in self._docs if rule.accepts(d)]
        descending = self._sort[1] == Qt.SortOrder.DescendingOrder
        self.beginResetModel()
        self._shown = sorted(shown, key=self._sort_key(), reverse=descending)
        self._row_of = {d.id: row for row, d in enumerate(self._shown)}
        self.endResetModel()
