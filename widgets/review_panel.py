"""The review dock: pick a colleague's layer, read the agreement figures, walk the differences
with the keyboard (n/p next/previous, a accept theirs, r reject theirs, k keep mine) and decide.

The panel only shows and asks; every decision is one `ReviewDecision` on the window's undo stack,
and the article is coloured by agreement through its overlay while review mode is on.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QKeySequence, QShortcut, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app import review
from app.agreement import report
from app.commands import ReviewDecision
from app.grading import SOURCE, effective_grade, grade_explanation
from app.store import Store
from widgets.theme import text_tint

_FIGURES = ("Type", "Agree", "Confl.", "Mine", "Theirs", "Exact F1", "Overlap F1", "κ")
_FIGURE_TIPS = (
    "Tag type",
    "Same span, type, entity and grade",
    "Overlapping, but a boundary, the type, the entity or the grade differs",
    "Only in my tags",
    "Only in the colleague's layer",
    "F1 over identical spans of the same type",
    "F1 over overlapping spans of the same type",
    "Cohen's kappa over word tokens (docs/agreement.md)",
)


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


REVIEW_KEYS = {
    "n": "Review mode: next difference",
    "p": "Review mode: previous difference",
    "a": "Review mode: accept theirs",
    "r": "Review mode: reject theirs",
    "k": "Review mode: keep mine",
}


class ReviewPanel(QWidget):
    item_selected = Signal(object)  # ReviewItem | None
    review_mode_changed = Signal(bool)
    export_requested = Signal()
    orphans_requested = Signal(list)  # LayerAnnotation orphans of the current layer

    def __init__(self, store: Store, undo_stack: QUndoStack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store, self._stack = store, undo_stack
        self._document_id: int | None = None
        self.items: list[review.ReviewItem] = []
        self.report = None
        self._timer = QTimer(self, singleShot=True, interval=30)
        self._stale = False
        self.layer_combo = QComboBox()
        self.mode = QCheckBox("Colour the article by agreement")
        self.figures = QTableWidget(0, len(_FIGURES))
        self.figures.setHorizontalHeaderLabels(_FIGURES)
        for column, tip in enumerate(_FIGURE_TIPS):
            self.figures.horizontalHeaderItem(column).setToolTip(tip)
        self.figures.verticalHeader().hide()
        self.figures.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        self.figures.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list = QListWidget()
        self.list.setAlternatingRowColors(True)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        buttons = QHBoxLayout()
        self.buttons = {}
        for key, label in (("a", "&Accept theirs"), ("r", "&Reject theirs"), ("k", "&Keep mine")):
            self.buttons[key] = QPushButton(f"{label}  ({key})")
            buttons.addWidget(self.buttons[key])
        self.accept_all = QPushButton("Accept all agreements")
        self.export = QPushButton("Export figures…")
        self.orphans = QPushButton()
        self.orphans.setToolTip("Annotations that could not be placed on any text: kept, with "
                                "their quotes, never placed silently")  # fmt: skip
        self._orphans: list = []
        extra = QHBoxLayout()
        extra.addWidget(self.accept_all)
        extra.addWidget(self.export)
        extra.addWidget(self.orphans)
        top = QHBoxLayout()
        top.addWidget(QLabel("Layer:"))
        top.addWidget(self.layer_combo, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.figures)
        splitter.addWidget(self.list)
        splitter.setSizes([150, 400])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.mode)
        layout.addWidget(self.summary)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)
        layout.addLayout(extra)
        self.shortcuts = {}
        for key, what in REVIEW_KEYS.items():
            shortcut = QShortcut(QKeySequence(key.upper()), parent or self)
            shortcut.setWhatsThis(what)  # Help ▸ Keyboard shortcuts lists it
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.setEnabled(False)  # only while review mode is on
            self.shortcuts[key] = shortcut
        self._connect_signals()
        self.refresh_layers()

    def schedule_refresh(self, *_args) -> None:
        """Coalesced, and only while the dock can be seen: a hidden or closed panel must not
        query (its window's database may already be closed); it catches up when shown."""
        if self.isVisible() or self.mode.isChecked():
            self._timer.start()
        else:
            self._stale = True

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._stale:
            self._stale = False
            self._timer.start()

    def hideEvent(self, event) -> None:
        super().hideEvent(event)
        if self._timer.isActive():
            self._timer.stop()
            self._stale = True

    def _connect_signals(self) -> None:
        self._timer.timeout.connect(self.refresh)
        for signal in (self._store.annotations_added, self._store.annotations_removed):
            signal.connect(self.schedule_refresh)
        self._store.annotation_updated.connect(self.schedule_refresh)
        self._store.review_changed.connect(self.schedule_refresh)
        self._store.layers_changed.connect(self.refresh_layers)
        self.layer_combo.currentIndexChanged.connect(self.schedule_refresh)
        self.mode.toggled.connect(self._on_mode_toggled)
        self.list.currentRowChanged.connect(self._on_list_current_row_changed)
        self.buttons["a"].clicked.connect(self.accept_theirs)
        self.buttons["r"].clicked.connect(self.reject_theirs)
        self.buttons["k"].clicked.connect(self.keep_mine)
        self.accept_all.clicked.connect(self.accept_all_agreements)
        self.export.clicked.connect(self.export_requested)
        self.orphans.clicked.connect(lambda: self.orphans_requested.emit(self._orphans))
        actions = {"n": self.next, "p": self.previous, "a": self.accept_theirs,
                   "r": self.reject_theirs, "k": self.keep_mine}  # fmt: skip
        for key, slot in actions.items():
            self.shortcuts[key].activated.connect(slot)

    # ------------------------------------------------------------ state

    @property
    def layer(self) -> str | None:
        return self.layer_combo.currentData()

    def set_document(self, document_id: int | None) -> None:
        self._document_id = document_id
        self.schedule_refresh()

    def refresh_layers(self) -> None:
        current = self.layer
        self.layer_combo.blockSignals(True)
        self.layer_combo.clear()
        for layer in self._store.layers():
            self.layer_combo.addItem(f"{layer.name}  ({layer.source_file})", layer.name)
        index = self.layer_combo.findData(current)
        self.layer_combo.setCurrentIndex(index if index >= 0 else self.layer_combo.count() - 1)
        self.layer_combo.blockSignals(False)
        self.schedule_refresh()

    def refresh(self) -> None:
        self._timer.stop()
        row = self.list.currentRow()
        layer, doc = self.layer, self._document_id
        if layer is None or doc is None:
            self.items, self.report = [], None
        else:
            mine = self._store.annotations(doc)
            theirs = self._store.layer_annotations(layer, doc)
            self.items = review.review_items(mine, theirs, self._store.own_decisions(layer))
            types = {t.id: t for t in self._store.tag_types()}
            placed = [t.as_annotation() for t in theirs if t.placed]
            self.report = report(mine, placed, self._store.document_text(doc), types)
        self._orphans = self._store.layer_orphans(layer) if layer else []
        self.orphans.setText(f"Orphans: {len(self._orphans)}")
        self.orphans.setEnabled(bool(self._orphans))
        self._show_items(row)
        self._show_figures()
        self.review_mode_changed.emit(self.mode.isChecked())

    def _show_items(self, row: int) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        types = {t.id: t.name for t in self._store.tag_types()}
        docs = {a.document_id for it in self.items for a in (it.pair.a, it.pair.b) if a}
        sources = {d: self._store.document_source(d) for d in docs if d is not None}
        for item in self.items:
            text = self._describe(item, types, sources)
            entry = QListWidgetItem(text)
            entry.setToolTip(_grade_tip(item, sources))
            entry.setForeground(QBrush(text_tint(review.KIND_COLORS[item.kind])))
            if item.decision:
                font = entry.font()
                font.setItalic(True)
                entry.setFont(font)
            self.list.addItem(entry)
        self.list.setCurrentRow(min(max(row, 0), len(self.items) - 1) if self.items else -1)
        self.list.blockSignals(False)
        open_ = sum(1 for it in self.items if not it.decision and it.kind != review.AGREE)
        self.summary.setText(
            f"{len(self.items)} comparisons, {open_} differences undecided."
            if self.layer
            else "Import a colleague's file (File ▸ Review colleague's file…)."
        )

    @staticmethod
    def _describe(item, types: dict[int, str], sources: dict) -> str:
        """Grades as the analyst reads them elsewhere (effective), marked when borrowed from the
        source: agreement compares the grades set on the claims, so "3" and "B3" differ even
        where the source is rated B, and the mark shows why."""
        label = review.KIND_LABELS[item.kind]

        def side(a):  # noqa: E306
            if a is None:
                return "—"
            grade, origin = effective_grade(a.grade, sources.get(a.document_id, ("", None))[1])
            shown = a.entity or grade.compact + (" (source's)" if origin == SOURCE else "")
            return f"{types.get(a.tag_type_id, '?')}: {shown}"

        mine, theirs = side(item.pair.a), side(item.pair.b)
        quote = (item.pair.a or item.pair.b).quote[:40]
        decided = f"   [{item.decision.replace('_', ' ')}]" if item.decision else ""
        return f"{label} · “{quote}” · mine {mine} · theirs {theirs}{decided}"

    def _show_figures(self) -> None:
        rows = [] if self.report is None else [*self.report.by_type, self.report.overall]
        self.figures.setRowCount(len(rows))
        for r, t in enumerate(rows):
            cells = (t.name, t.agree, t.conflict, t.only_a, t.only_b, _fmt(t.exact.f1),
                     _fmt(t.overlap.f1), _fmt(t.kappa.kappa))  # fmt: skip
            for c, value in enumerate(cells):
                cell = QTableWidgetItem(str(value))
                cell.setToolTip(html.escape(str(value)))
                self.figures.setItem(r, c, cell)
        self.figures.resizeColumnsToContents()

    # ------------------------------------------------------------ navigation and decisions

    def current_item(self) -> review.ReviewItem | None:
        row = self.list.currentRow()
        return self.items[row] if 0 <= row < len(self.items) else None

    def next(self) -> None:
        self._step(+1)

    def previous(self) -> None:
        self._step(-1)

    def _step(self, direction: int) -> None:
        """Move to the next undecided difference (agreements are skipped; all can be accepted)."""
        n, row = len(self.items), self.list.currentRow()
        for i in range(1, n + 1):
            candidate = (row + direction * i) % n
            item = self.items[candidate]
            if item.kind != review.AGREE and not item.decision:
                self.list.setCurrentRow(candidate)
                return

    def _push(self, change: review.Change | None) -> None:
        if change is None or self.layer is None:
            return
        if change.theirs or change.own or change.add or change.remove:
            self._stack.push(ReviewDecision(
                self._store, self.layer, change.text, theirs=change.theirs, own=change.own,
                add=change.add, remove=change.remove,
            ))  # fmt: skip
            self.refresh()
            self.next()

    def accept_theirs(self) -> None:
        item = self.current_item()
        if item is not None:
            my_ids = {a.id for a in self._store.annotations(self._document_id)}
            self._push(review.accept_theirs(item, my_ids))

    def reject_theirs(self) -> None:
        item = self.current_item()
        if item is not None:
            self._push(review.reject_theirs(item))

    def keep_mine(self) -> None:
        item = self.current_item()
        if item is not None:
            self._push(review.keep_mine(item))

    def accept_all_agreements(self) -> None:
        self._push(review.accept_all_agreements(self.items))

    def _on_mode_toggled(self, on: bool) -> None:
        for shortcut in self.shortcuts.values():
            shortcut.setEnabled(on)
        self.review_mode_changed.emit(on)

    def _on_list_current_row_changed(self, _row: int) -> None:
        self.item_selected.emit(self.current_item())


def _grade_tip(item, sources: dict) -> str:
    """Where each side's reliability comes from, for the graded sides of a comparison."""
    lines = []
    for who, a in (("Mine", item.pair.a), ("Theirs", item.pair.b)):
        if a is not None and not a.entity:
            explained = grade_explanation(a.grade, *sources.get(a.document_id, ("", None)))
            if explained:
                lines.append(f"{who}: {explained}")
    return "\n".join(lines)
