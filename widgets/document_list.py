"""The documents of the project: title, source and how many tags each has."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from app.model import DocumentSummary


class _CountItem(QTableWidgetItem):
    def __lt__(self, other: QTableWidgetItem) -> bool:
        return int(self.text() or 0) < int(other.text() or 0)


class _TextItem(QTableWidgetItem):
    """Titles and sources sort as people read them: "al-Jolani" by "Assad", not after "Zarqa"."""

    def __lt__(self, other: QTableWidgetItem) -> bool:
        return self.text().casefold() < other.text().casefold()


class DocumentList(QTableWidget):
    document_activated = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 3, parent)
        self.setHorizontalHeaderLabels(["Title", "Source", "Tags"])
        self.verticalHeader().hide()
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # Sized once per full refresh: ResizeToContents would re-measure every row on each tag.
        header.setResizeContentsPrecision(200)
        header.setSortIndicator(0, Qt.SortOrder.AscendingOrder)  # Qt's default is Z→A
        self._current: int | None = None
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.itemSelectionChanged.connect(self._on_self_selection_changed)

    def set_documents(self, summaries: list[DocumentSummary]) -> None:
        self.blockSignals(True)
        self.setSortingEnabled(False)
        self.setRowCount(len(summaries))
        for row, doc in enumerate(summaries):
            title = _TextItem(doc.title)
            title.setData(Qt.ItemDataRole.UserRole, doc.id)
            title.setToolTip(f"{doc.title}\n{doc.length:,} characters · document {doc.id}")
            count = _CountItem(str(doc.annotation_count))
            count.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.setItem(row, 0, title)
            source = _TextItem(doc.source)
            source.setToolTip(doc.source)
            self.setItem(row, 1, source)
            self.setItem(row, 2, count)
        self.setSortingEnabled(True)
        self.resizeColumnToContents(1)
        self.resizeColumnToContents(2)
        # A long source name ("Kestrel Valley Telegram channel") must not squeeze the titles out.
        cap = self.fontMetrics().horizontalAdvance("Source name 12345")
        self.setColumnWidth(1, min(self.columnWidth(1), cap))
        self.blockSignals(False)
        self.set_current(self._current)

    def adjust_count(self, document_id: int, delta: int) -> None:
        """Follow a tag or an undo without re-querying every document."""
        for row in range(self.rowCount()):
            if self.item(row, 0).data(Qt.ItemDataRole.UserRole) == document_id:
                item = self.item(row, 2)
                item.setText(str(max(0, int(item.text() or 0) + delta)))
                return

    def set_current(self, document_id: int | None) -> None:
        self._current = document_id
        self.blockSignals(True)
        self.clearSelection()
        for row in range(self.rowCount()):
            if self.item(row, 0).data(Qt.ItemDataRole.UserRole) == document_id:
                self.selectRow(row)
                break
        self.blockSignals(False)

    def _on_self_selection_changed(self) -> None:
        rows = self.selectionModel().selectedRows()
        if rows:
            doc_id = self.item(rows[0].row(), 0).data(Qt.ItemDataRole.UserRole)
            if doc_id != self._current:
                self._current = doc_id
                self.document_activated.emit(doc_id)
