"""The count panel: which entities (and credibility grades) are tagged, how often, in this
document or across all of them, as a sortable table, a top-N bar chart and an Admiralty matrix
(or the same grades by source, `widgets/source_grades.py`).

Store signals only schedule a refresh; a single-shot timer runs it, so an import of thousands of
annotations (or fifty quick tags) costs one redraw, not one per change. The counts themselves come
from one `entity_counts` and one `source_grade_counts` query when the scope, filter, vocabulary or
a source (its rating, a document's source) changes;
after that, annotation changes adjust an in-memory tally (`app.tally`), so a tag in a project of a
million annotations costs no query at all. The chart module imports pyqtgraph only when the first
refresh builds it (see `widgets/count_chart.py`), so constructing the panel at start-up is cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QIcon, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSplitter,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.tally import CountTally
from widgets.count_chart import CountChart
from widgets.count_table import COUNT, TYPE, CountTableView, EntityCountModel, QuoteSource
from widgets.source_grades import GradeSection

if TYPE_CHECKING:
    from app.store import Store


class CountPanel(QWidget):
    entity_activated = Signal(int, str)  # tag_type_id, entity (a grade label like "B3")

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._document_id: int | None = None
        self.refresh_count = 0
        self.refresh_delay_ms = 30
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._sized = False
        self._stale = False
        self._tally: CountTally | None = None
        self.query_count = 0  # GROUP BY pairs run; tests check that tags do not cause any
        self._build()
        self._rebuild_type_filter()
        self._connect_signals()
        self.schedule_refresh()

    # ------------------------------------------------------------ public

    @property
    def document_id(self) -> int | None:
        return self._document_id

    @property
    def all_documents(self) -> bool:
        return self.all_button.isChecked()

    @property
    def tag_type_filter(self) -> int | None:
        return self.type_combo.currentData()

    @property
    def refresh_pending(self) -> bool:
        return self._timer.isActive()

    def set_document(self, document_id: int | None) -> None:
        if document_id != self._document_id:
            self._document_id = document_id
            self.recount()

    def recount(self) -> None:
        """Drop the tally: the next refresh asks the database again."""
        self._tally = None
        self.schedule_refresh()

    def schedule_refresh(self) -> None:
        """Coalesce: the first change starts the timer, later ones ride on it.

        A hidden panel only notes that it is stale and refreshes when shown: a closed window's
        panel outlives it until deleted, and must not query a database its owner has closed."""
        if not self.isVisible():
            self._stale = True
        elif not self._timer.isActive():
            self._timer.start(self.refresh_delay_ms)

    def refresh(self) -> None:
        self._timer.stop()
        self._stale = False
        self.refresh_count += 1
        types = {t.id: t for t in self._store.tag_types()}
        type_id = self.tag_type_filter
        no_document = not self.all_documents and self._document_id is None
        if no_document:
            counts, grades, by_source, ratings = [], [], [], {}
        else:
            if self._tally is None:
                doc = None if self.all_documents else self._document_id
                self.query_count += 1
                self._tally = CountTally(
                    self._store.entity_counts(doc, type_id),
                    self._store.source_grade_counts(doc),
                    document_id=doc,
                    tag_type_id=type_id,
                    tag_types=types.values(),
                    document_sources=self._store.document_sources(),
                )
            counts, grades = self._tally.entity_counts(), self._tally.grade_counts()
            by_source, ratings = self._tally.source_grade_counts(), self._tally.source_ratings()
        selected = self._selected_key()
        self.model.set_rows(counts, {i: QColor(t.color) for i, t in types.items()})
        self._size_columns(types.values(), counts)
        if selected and (row := self.model.row_of(*selected)) is not None:
            self.table.selectRow(row)
        self.chart.set_counts(counts, {i: t.color for i, t in types.items()})
        self.grades.set_counts(grades, by_source, ratings)
        self.placeholder.setText(self._empty_message(types, type_id, no_document))
        self.stack.setCurrentWidget(self.table if counts else self.placeholder)
        self.chart_section.setVisible(bool(counts))

    def _size_columns(self, types, counts) -> None:
        metrics = self.table.fontMetrics()
        widest = max((metrics.horizontalAdvance(t.name) for t in types), default=40)
        header = self.table.horizontalHeader()
        header.resizeSection(TYPE, widest + 40)  # room for the colour swatch
        biggest = max((c.count for c in counts), default=0)
        header.resizeSection(COUNT, metrics.horizontalAdvance(f"{biggest:,}Count ") + 12)

    # ------------------------------------------------------------ construction

    def _build(self) -> None:
        self.document_button = QToolButton(text="This document", checkable=True, checked=True)
        self.all_button = QToolButton(text="All documents", checkable=True)
        self.scope_group = QButtonGroup(self)
        for button in (self.document_button, self.all_button):
            button.setAutoRaise(False)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            self.scope_group.addButton(button)
        self.document_button.setToolTip("Count the tags of the open document")
        self.all_button.setToolTip("Count the tags of every document in the project")
        self.type_combo = QComboBox()
        self.type_combo.setToolTip("Count only one tag type")
        self.type_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.type_combo.setMinimumContentsLength(6)
        controls = QHBoxLayout()
        controls.setSpacing(0)
        controls.addWidget(self.document_button)
        controls.addWidget(self.all_button)
        controls.addSpacing(8)
        controls.addWidget(self.type_combo, 1)

        # A table whose entity rows expand to the spellings behind their count (count_table).
        scope = lambda: None if self.all_documents else self._document_id  # noqa: E731
        self.model = EntityCountModel(self, QuoteSource(self._store, scope))
        self.table = CountTableView(self.model, self.fontMetrics().height() + 6)
        self.placeholder = QLabel(alignment=Qt.AlignmentFlag.AlignCenter, wordWrap=True)
        self.placeholder.setStyleSheet("color: palette(placeholder-text); padding: 16px;")
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.placeholder)
        self.activate_shortcut = QShortcut(QKeySequence(Qt.Key.Key_Return), self.table)
        self.activate_shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
        self.activate_shortcut.setWhatsThis("Entity counts: find the mentions of the entity")

        self.chart = CountChart(top_n=12)
        self.export_chart_button = QToolButton(text="Export…", autoRaise=True)
        self.export_chart_button.setToolTip("Save this chart as a PNG picture or an SVG drawing")
        self.chart_section = _section("Most mentioned", self.chart, self.export_chart_button)
        self.grades = GradeSection()  # the matrix, or the grades by source
        self.matrix, self.matrix_section = self.grades.matrix, self.grades

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setChildrenCollapsible(False)
        for widget in (self.stack, self.chart_section, self.matrix_section):
            self.splitter.addWidget(widget)
        # The table scrolls and takes spare height; chart and matrix cap their own heights.
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 0)
        self.splitter.setStretchFactor(2, 0)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(6)
        layout.addLayout(controls)
        layout.addWidget(self.splitter, 1)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self._sized:
            self._sized = True
            self._apply_default_sizes()
        if self._stale:
            self._stale = False
            self.schedule_refresh()

    def hideEvent(self, event) -> None:
        super().hideEvent(event)
        if self._timer.isActive():
            self._timer.stop()
            self._stale = True

    def _apply_default_sizes(self) -> None:
        """Split the dock's height once it is known: the matrix gets its rows, the chart up to its
        ideal height but no more than 35 %, and the table (which can scroll) the rest."""
        total = self.splitter.height() - 2 * self.splitter.handleWidth()
        matrix = min(self.matrix_section.maximumHeight(), int(total * 0.4))
        chart = min(self.chart_section.sizeHint().height(), int(total * 0.35))
        self.splitter.setSizes([total - matrix - chart, chart, matrix])

    def _rebuild_type_filter(self) -> None:
        """Keep the chosen type across a vocabulary change; fall back to all if it was removed."""
        current = self.type_combo.currentData()
        self.type_combo.blockSignals(True)
        self.type_combo.clear()
        self.type_combo.addItem("All types", None)
        for tag in self._store.tag_types():
            swatch = QPixmap(12, 12)
            swatch.fill(QColor(tag.color))
            self.type_combo.addItem(QIcon(swatch), tag.name, tag.id)
        self.type_combo.setCurrentIndex(max(0, self.type_combo.findData(current)))
        self.type_combo.blockSignals(False)

    def _connect_signals(self) -> None:
        self._timer.timeout.connect(self.refresh)
        store = self._store
        store.annotations_added.connect(self._on_store_annotations_added)
        store.annotations_removed.connect(self._on_store_annotations_removed)
        store.annotation_updated.connect(self._on_store_annotation_updated)
        store.documents_changed.connect(self.recount)
        store.sources_changed.connect(self.recount)  # a rating moves borrowed grades: one recount
        # Renamed, merged, split, deleted, imported: one recount. A name only added (an alias),
        # or forgotten by an undo, changes no count: counts go by entity and follow the tags.
        store.mentions_regrouped.connect(self.recount)
        store.tag_types_changed.connect(self._on_store_tag_types_changed)
        self.scope_group.buttonToggled.connect(self._on_scope_group_toggled)
        self.type_combo.currentIndexChanged.connect(self._on_type_combo_changed)
        self.table.clicked.connect(self._on_table_clicked)
        self.activate_shortcut.activated.connect(self._on_activate_shortcut_activated)
        self.chart.entity_activated.connect(self.entity_activated)

    # ------------------------------------------------------------ slots

    def _apply(self, added=(), removed=()) -> None:
        if self._tally is not None:
            self._tally.apply(added, removed)
        self.schedule_refresh()

    def _on_store_annotations_added(self, annotations: list) -> None:
        self._apply(added=annotations)

    def _on_store_annotations_removed(self, annotations: list) -> None:
        self._apply(removed=annotations)

    def _on_store_annotation_updated(self, old, new) -> None:
        self._apply(added=[new], removed=[old])

    def _on_store_tag_types_changed(self) -> None:
        self._rebuild_type_filter()
        self.recount()

    def _on_scope_group_toggled(self, _button, checked: bool) -> None:
        if checked:
            self.recount()

    def _on_type_combo_changed(self, _index: int) -> None:
        self.recount()

    def _on_table_clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            hit = self.model.entry_of(index)  # a spelling's row stands for its entity
            self.entity_activated.emit(hit.tag_type_id, hit.entity)

    def _on_activate_shortcut_activated(self) -> None:
        self._on_table_clicked(self.table.currentIndex())

    # ------------------------------------------------------------ helpers

    def _selected_key(self) -> tuple[int, str] | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        hit = self.model.entry_of(rows[0])
        return hit.tag_type_id, hit.entity

    def _empty_message(self, types: dict, type_id: int | None, no_document: bool) -> str:
        if no_document:
            return "No document open — open an article to count its tags, or show all documents."
        chosen = [types[type_id]] if type_id in types else list(types.values())
        keys = [t.shortcut for t in chosen if t.shortcut]
        if keys:
            spoken = " or ".join(filter(None, [", ".join(keys[:-1]), keys[-1]]))
            how = f"select text and press {spoken}"
        else:
            how = "select text and choose a tag type"
        what = f"No {types[type_id].name} tags" if type_id in types else "No tags"
        where = "" if self.all_documents else " in this document"
        return f"{what}{where} yet — {how}"


def _section(title: str, body: QWidget, extra: QWidget | None = None) -> QWidget:
    """A small caption over a splitter pane, so each view says what it counts; `extra` (a button)
    sits at the caption's right."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 4, 0, 0)
    layout.setSpacing(2)
    caption = QLabel(title)
    caption.setStyleSheet("font-weight: 600;")  # the palette's text: readable light or dark
    head = QHBoxLayout()
    head.addWidget(caption, 1)
    if extra is not None:
        head.addWidget(extra)
    layout.addLayout(head)
    layout.addWidget(body, 1)
    chrome = head.sizeHint().height() + layout.spacing() + 4
    box.setMaximumHeight(min(body.maximumHeight() + chrome, 16777215))
    return box
