"""Sources and their Admiralty reliability, edited in one place.

Every source the project knows is listed with its rating, its documents and its credibility tags,
so the analyst sees what a rating weighs before changing it. A new rating or name is an undoable
command applied at once (as in the tag-type dialog): the table is a live view of the store, and
the counts and tooltips that borrow the rating follow after the one COMMIT.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.grading import reliability_label
from app.model import RELIABILITY_NAMES, Source
from app.source_commands import EditSource
from app.store import Store
from app.store_sources import SourceError
from widgets import theme

NAME, RELIABILITY, DOCUMENTS, CLAIMS = range(4)
RATINGS: tuple[str | None, ...] = (None, *RELIABILITY_NAMES)
_ID = Qt.ItemDataRole.UserRole


class SourcesDialog(QDialog):
    def __init__(self, store: Store, undo_stack: QUndoStack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Sources and reliability")
        self._store, self._stack = store, undo_stack
        self._sources: list[Source] = []
        intro = QLabel(
            "Rate each source once. A credibility tag without a reliability of its own takes "
            "its source's rating (shown as e.g. C3); one set on the tag wins. Double-click a "
            "name to rename it. Every change can be undone with Ctrl+Z."
        )
        intro.setWordWrap(True)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["Source", "Reliability", "Documents", "Cred. tags"])
        self.table.horizontalHeaderItem(CLAIMS).setToolTip("Credibility tags in its documents")
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 14)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        for column in (RELIABILITY, DOCUMENTS, CLAIMS):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.placeholder = QLabel(
            "No sources yet. Give a document its source (outlet, channel or agency) in "
            "File ▸ Document properties… (Ctrl+I), then rate it here.",
            alignment=Qt.AlignmentFlag.AlignCenter,
            wordWrap=True,
        )
        self.placeholder.setStyleSheet("color: palette(placeholder-text); padding: 16px;")
        self.error = QLabel(wordWrap=True)
        self.error.setStyleSheet(theme.alert_css())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.placeholder, 1)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(640, 380)
        # Modal: the window's Ctrl+Z cannot reach past it, so the dialog offers the same keys.
        self.undo_shortcut = QShortcut(QKeySequence.StandardKey.Undo, self)
        self.redo_shortcut = QShortcut(QKeySequence.StandardKey.Redo, self)
        self._connect_signals()
        self.refresh()

    def _connect_signals(self) -> None:
        self._store.sources_changed.connect(self.refresh)
        self._store.documents_changed.connect(self.refresh)
        self.table.itemChanged.connect(self._on_table_item_changed)
        self.undo_shortcut.activated.connect(self._stack.undo)
        self.redo_shortcut.activated.connect(self._stack.redo)

    # ---------------------------------------------------------- public (tests call these)

    @property
    def sources(self) -> list[Source]:
        return list(self._sources)

    def row_of(self, name: str) -> int:
        return next(i for i, s in enumerate(self._sources) if s.name == name)

    def combo(self, row: int) -> QComboBox:
        return self.table.cellWidget(row, RELIABILITY)

    def set_reliability(self, source: Source, reliability: str | None) -> None:
        if reliability != source.reliability:
            self._push(source, replace(source, reliability=reliability))

    def rename(self, source: Source, name: str) -> None:
        name = " ".join(name.split())
        if name != source.name:
            self._push(source, replace(source, name=name))

    def refresh(self) -> None:
        self._sources = self._store.source_summaries()
        selected = self.table.currentRow()
        self.table.blockSignals(True)
        self.table.setRowCount(len(self._sources))
        for row, source in enumerate(self._sources):
            self._fill_row(row, source)
        self.table.blockSignals(False)
        if 0 <= selected < len(self._sources):
            self.table.selectRow(selected)
        self.table.setVisible(bool(self._sources))
        self.placeholder.setVisible(not self._sources)

    # ---------------------------------------------------------- rows

    def _cell(self, row: int, column: int) -> QTableWidgetItem:
        """Cells are updated in place: a rename arrives while its own cell is being committed."""
        item = self.table.item(row, column)
        if item is None:
            item = QTableWidgetItem()
            if column != NAME:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(row, column, item)
        return item

    def _fill_row(self, row: int, source: Source) -> None:
        name = self._cell(row, NAME)
        name.setText(source.name)
        name.setData(_ID, source.id)
        name.setToolTip(f"{source.name}: {reliability_label(source.reliability)}")
        self._cell(row, DOCUMENTS).setText(f"{source.documents:,}")
        self._cell(row, CLAIMS).setText(f"{source.claims:,}")
        combo = self.combo(row)
        if combo is None:  # one per row index: rows keep their widgets across refreshes
            combo = QComboBox()
            for rating in RATINGS:
                combo.addItem(reliability_label(rating), rating)
            combo.setToolTip("The Admiralty reliability of everything from this source")
            combo.currentIndexChanged.connect(
                lambda _i, r=row, c=combo: self._on_combo_changed(r, c)
            )
            self.table.setCellWidget(row, RELIABILITY, combo)
        combo.blockSignals(True)
        combo.setCurrentIndex(RATINGS.index(source.reliability))
        combo.blockSignals(False)

    def _push(self, old: Source, new: Source) -> None:
        try:
            self._stack.push(EditSource(self._store, old, new))
        except SourceError as exc:
            self.error.setText(str(exc))
            self.refresh()  # the failed edit is not on the stack; show what is stored
        else:
            self.error.clear()

    # ---------------------------------------------------------- slots

    def _on_combo_changed(self, row: int, combo: QComboBox) -> None:
        if 0 <= row < len(self._sources):
            self.set_reliability(self._sources[row], combo.currentData())

    def _on_table_item_changed(self, item: QTableWidgetItem) -> None:
        if item.column() == NAME and 0 <= item.row() < len(self._sources):
            self.rename(self._sources[item.row()], item.text())


def open_sources_dialog(window) -> None:
    """Edit ▸ Sources and reliability…: modal, like the tag-type dialog."""
    dialog = SourcesDialog(window.store, window.undo_stack, window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.exec()
