"""The documents of the project: title, source, publication date and how many tags each has,
with a filter bar above (title, source, publication dates, tag type).

The list is a QTableView over widgets/document_model.py, so ten thousand documents cost one Python
object each, not four item widgets. It keeps the interface the window uses: `set_documents`,
`set_current`, `adjust_count` and the `document_activated` signal.
"""

from __future__ import annotations

from PySide6.QtCore import QDate, QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QGridLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.model import DocumentSummary
from widgets.document_model import (
    COLUMNS,
    PUBLISHED,
    SOURCE,
    TAGS,
    TITLE,
    DocumentFilter,
    DocumentTableModel,
)

ISO = "yyyy-MM-dd"


class DocumentList(QWidget):
    document_activated = Signal(int)

    def __init__(self, store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store  # reads only: tag types, and which documents have a tag type
        self._current: int | None = None
        self._selecting = False
        self.model = DocumentTableModel(self)
        self.table = self._build_table()
        self._build_filter_bar()
        self._tag_refresh = QTimer(self, singleShot=True, interval=0)
        self._connect_signals()
        self.set_tag_types()

    def _build_table(self) -> QTableView:
        table = QTableView(self)
        table.setModel(self.model)
        table.verticalHeader().hide()
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setWordWrap(False)
        table.setTextElideMode(Qt.TextElideMode.ElideRight)
        table.setSortingEnabled(True)
        header = table.horizontalHeader()
        header.setSectionResizeMode(TITLE, QHeaderView.ResizeMode.Stretch)
        header.setSortIndicator(TITLE, Qt.SortOrder.AscendingOrder)  # Qt's default is Z→A
        metrics = table.fontMetrics()
        # Fixed widths: measuring 10,000 rows' contents on every refresh is what made it slow.
        for column, sample in ((SOURCE, "Source name"), (PUBLISHED, "2024-12-31"), (TAGS, "Tags")):
            header.resizeSection(column, metrics.horizontalAdvance(sample) + 16)
        header.setMinimumSectionSize(metrics.horizontalAdvance("Tags") + 8)
        return table

    def _build_filter_bar(self) -> None:
        self.title_filter = QLineEdit(self)
        self.title_filter.setPlaceholderText("Filter by title…")
        self.title_filter.setClearButtonEnabled(True)
        self.source_filter = QComboBox(self)
        self.source_filter.setToolTip("Show the documents of one source")
        self.tag_filter = QComboBox(self)
        self.tag_filter.setToolTip("Show the documents with at least one tag of this type")
        self.date_filter = QCheckBox("&Published", self)
        self.date_filter.setToolTip(
            "Show only documents published between these dates (documents without a date hide)"
        )
        today = QDate.currentDate()
        self.date_from = QDateEdit(today.addYears(-1), self, calendarPopup=True, displayFormat=ISO)
        self.date_to = QDateEdit(today, self, calendarPopup=True, displayFormat=ISO)
        for edit, tip in ((self.date_from, "From"), (self.date_to, "To (inclusive)")):
            edit.setToolTip(f"{tip}: publication date")
            edit.setEnabled(False)
        self.shown_label = QLabel(self)
        self.shown_label.setEnabled(False)  # greyed: a hint, not a control

        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(4)
        grid.addWidget(self.title_filter, 0, 0, 1, 3)
        grid.addWidget(self.source_filter, 1, 0, 1, 2)
        grid.addWidget(self.tag_filter, 1, 2)
        grid.addWidget(self.date_filter, 2, 0)
        grid.addWidget(self.date_from, 2, 1)
        grid.addWidget(self.date_to, 2, 2)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(2, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 0)
        layout.setSpacing(4)
        layout.addLayout(grid)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.shown_label)
        QWidget.setTabOrder(self.title_filter, self.source_filter)
        QWidget.setTabOrder(self.source_filter, self.tag_filter)
        QWidget.setTabOrder(self.tag_filter, self.date_filter)
        QWidget.setTabOrder(self.date_filter, self.date_from)
        QWidget.setTabOrder(self.date_from, self.date_to)
        QWidget.setTabOrder(self.date_to, self.table)

    def _connect_signals(self) -> None:
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)
        self.model.modelReset.connect(self._on_model_reset)
        self.title_filter.textChanged.connect(self._apply_filter)
        self.source_filter.currentIndexChanged.connect(self._apply_filter)
        self.tag_filter.currentIndexChanged.connect(self._apply_filter)
        self.date_filter.toggled.connect(self._on_date_filter_toggled)
        self.date_from.dateChanged.connect(self._apply_filter)
        self.date_to.dateChanged.connect(self._apply_filter)
        self._store.tag_types_changed.connect(self.set_tag_types)
        # A tag added or undone may bring a document into (or out of) the tag filter.
        self._store.annotations_added.connect(self._on_store_annotations_changed)
        self._store.annotations_removed.connect(self._on_store_annotations_changed)
        self._tag_refresh.timeout.connect(self._apply_filter)

    # ------------------------------------------------------------ what the window calls

    def set_documents(self, summaries: list[DocumentSummary]) -> None:
        self.model.set_documents(summaries)
        self._fill_sources()

    def adjust_count(self, document_id: int, delta: int) -> None:
        """Follow a tag or an undo without re-querying every document: O(1)."""
        self.model.adjust_count(document_id, delta)

    def set_current(self, document_id: int | None) -> None:
        self._current = document_id
        self._select_current()

    def focus_filter(self) -> None:
        self.title_filter.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.title_filter.selectAll()

    def set_tag_types(self) -> None:
        chosen = self.tag_filter.currentData()
        self.tag_filter.blockSignals(True)
        self.tag_filter.clear()
        self.tag_filter.addItem("Any tags", None)
        for tag in self._store.tag_types():
            self.tag_filter.addItem(f"Tagged {tag.name}", tag.id)
        self.tag_filter.setCurrentIndex(max(0, self.tag_filter.findData(chosen)))
        self.tag_filter.blockSignals(False)
        self._apply_filter()

    # ------------------------------------------------------------ what tests and users read

    def rowCount(self) -> int:  # noqa: N802  (named as QTableWidget named it: tests read it)
        return self.model.rowCount()

    def rows(self) -> list[tuple[str, ...]]:
        """The cells as shown, top to bottom."""
        model = self.model
        return [
            tuple(model.cell_text(model.document_at(r), c) for c in range(len(COLUMNS)))
            for r in range(model.rowCount())
        ]

    def selected_title(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.document_at(rows[0].row()).title if rows else None

    def sort_by(self, column: int, order: Qt.SortOrder) -> None:
        self.table.sortByColumn(column, order)

    # ------------------------------------------------------------ filtering

    def _fill_sources(self) -> None:
        sources = self.model.sources()
        current = [self.source_filter.itemData(i) for i in range(1, self.source_filter.count())]
        if sources == current:
            return
        chosen = self.source_filter.currentData()
        self.source_filter.blockSignals(True)
        self.source_filter.clear()
        self.source_filter.addItem("All sources", None)
        for source in sources:
            self.source_filter.addItem(source, source)
        self.source_filter.setCurrentIndex(max(0, self.source_filter.findData(chosen)))
        self.source_filter.blockSignals(False)
        if self.source_filter.currentData() != chosen:
            self._apply_filter()  # the chosen source is gone

    def _on_date_filter_toggled(self, on: bool) -> None:
        self.date_from.setEnabled(on)
        self.date_to.setEnabled(on)
        self._apply_filter()

    def _on_store_annotations_changed(self, _annotations) -> None:
        if self.tag_filter.currentData() is not None:
            self._tag_refresh.start()

    def _apply_filter(self) -> None:
        tag_type_id = self.tag_filter.currentData()
        dated = self.date_filter.isChecked()
        self.model.set_filter(
            DocumentFilter(
                title=self.title_filter.text().strip(),
                source=self.source_filter.currentData(),
                published_from=self.date_from.date().toString(ISO) if dated else "",
                published_to=self.date_to.date().toString(ISO) if dated else "",
                document_ids=None
                if tag_type_id is None
                else frozenset(self._store.documents_with_tag_type(tag_type_id)),
            )
        )
        self._show_count()

    def _show_count(self) -> None:
        shown, total = self.model.rowCount(), self.model.total()
        self.shown_label.setText(
            f"{total:,} documents" if shown == total else f"Showing {shown:,} of {total:,}"
        )

    # ------------------------------------------------------------ selection

    def _on_model_reset(self) -> None:
        self._select_current()
        self._show_count()

    def _select_current(self) -> None:
        selection = self.table.selectionModel()
        row = self.model.row_of(self._current)
        self._selecting = True  # the window chose it: not the user activating a document
        if row is None:
            selection.clearSelection()
        else:
            index = self.model.index(row, TITLE)
            flags = (
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows
                | QItemSelectionModel.SelectionFlag.Current
            )
            selection.setCurrentIndex(index, flags)
        self._selecting = False
        if row is not None:
            self.table.scrollTo(self.model.index(row, TITLE))

    def _on_table_selection_changed(self, *_args) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows and not self._selecting:
            doc_id = self.model.document_at(rows[0].row()).id
            if doc_id != self._current:
                self._current = doc_id
                self.document_activated.emit(doc_id)
