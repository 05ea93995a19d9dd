"""The count panel's Admiralty pane: the grade matrix, or the same graded claims broken down by
source, switched by a combo in the pane's caption.

By source answers "which outlets give us which grades": one row per source (its rating, its
graded claims) with its effective grades below. A grade whose reliability differs from the
source's rating can only have been set on the claims themselves, and says so; equal ones may
be either, which is exactly what the analyst needs not to care about. The tree is rebuilt only
while it is shown, so a tag costs nothing here when the matrix is up.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QStackedWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.grading import reliability_label
from app.model import Grade, GradeCount, SourceGradeCount
from widgets import theme
from widgets.grade_matrix import GradeMatrix

NO_SOURCE = "(no source)"
MATRIX, BY_SOURCE = "Matrix", "By source"
_MAX = 16777215
_KEY = Qt.ItemDataRole.UserRole  # a top-level row's source name


class SourceGradeTree(QTreeWidget):
    """Sources, most graded claims first, each with its effective grades."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setColumnCount(2)
        self.setHeaderLabels(["Source / grade", "Claims"])
        self.setRootIsDecorated(True)
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        self.setSelectionMode(QTreeWidget.SelectionMode.NoSelection)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self._counts: dict[tuple[str, str], int] = {}
        self._collapsed: set[str] = set()  # kept across refreshes: a tag must not reopen them
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.itemCollapsed.connect(self._on_item_collapsed)
        self.itemExpanded.connect(self._on_item_expanded)

    def _on_item_collapsed(self, item: QTreeWidgetItem) -> None:
        self._collapsed.add(item.data(0, _KEY))

    def _on_item_expanded(self, item: QTreeWidgetItem) -> None:
        self._collapsed.discard(item.data(0, _KEY))

    def count(self, source: str, compact: str | None = None) -> int:
        """What a row shows: a source's graded claims, or those of one grade ("" = no source)."""
        if compact is None:
            return sum(n for (s, _), n in self._counts.items() if s == source)
        return self._counts.get((source, compact), 0)

    def set_counts(
        self, rows: Sequence[SourceGradeCount], ratings: Mapping[str, str | None]
    ) -> None:
        grouped: dict[str, list[SourceGradeCount]] = {}
        for r in rows:
            grouped.setdefault(r.source, []).append(r)
        self._counts = {
            (r.source, Grade(r.credibility, r.reliability).compact): r.count for r in rows
        }
        order = sorted(grouped, key=lambda s: (-sum(r.count for r in grouped[s]), s.casefold()))
        scrolled = self.verticalScrollBar().value()  # a tag must not throw the reader to the top
        self.setUpdatesEnabled(False)
        self.clear()
        for source in order:
            self._add_source(source, grouped[source], ratings.get(source))
        self.verticalScrollBar().setValue(scrolled)
        self.setUpdatesEnabled(True)

    def _add_source(self, source: str, rows: list[SourceGradeCount], rating: str | None) -> None:
        total = sum(r.count for r in rows)
        if source:
            name = f"{source}  ({rating or 'not rated'})"
            tip = f"“{source}”, rated {reliability_label(rating)}: {total} graded claims"
        else:
            name, tip = NO_SOURCE, f"Documents without a source: {total} graded claims"
        top = QTreeWidgetItem([name, f"{total:,}"])
        top.setData(0, _KEY, source)
        top.setToolTip(0, tip)
        font = top.font(0)
        font.setBold(True)
        top.setFont(0, font)
        top.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.addTopLevelItem(top)
        rows = sorted(rows, key=lambda r: (-r.count, r.reliability or "~", r.credibility or 9))
        for r in rows:
            grade = Grade(r.credibility, r.reliability)
            own = r.reliability is not None and r.reliability != rating
            label = f"{grade.compact}  · reliability set on the claims" if own else grade.compact
            child = QTreeWidgetItem([label, f"{r.count:,}"])
            child.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            child.setToolTip(0, f"{grade.description or 'not graded'} — {r.count} claims")
            if own:
                child.setForeground(0, theme.muted())
            top.addChild(child)
        top.setExpanded(source not in self._collapsed)


class GradeSection(QWidget):
    """Caption, view switch, and the matrix or the by-source tree below."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.matrix = GradeMatrix()
        self.by_source = SourceGradeTree()
        self.view_combo = QComboBox()
        self.view_combo.addItems([MATRIX, BY_SOURCE])
        self.view_combo.setToolTip(
            "Show the graded claims as a reliability × credibility matrix, or by source"
        )
        self.stack = QStackedWidget()
        self.stack.addWidget(self.matrix)
        self.stack.addWidget(self.by_source)
        caption = QLabel("Admiralty grades")
        caption.setStyleSheet("font-weight: 600;")  # the palette's text: readable light or dark
        header = QHBoxLayout()
        header.setContentsMargins(0, 0, 0, 0)
        header.addWidget(caption)
        header.addStretch(1)
        header.addWidget(self.view_combo)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(header)
        layout.addWidget(self.stack, 1)
        self._chrome = self.view_combo.sizeHint().height() + layout.spacing() + 4
        self._pending: tuple[list[SourceGradeCount], dict[str, str | None]] | None = None
        self.view_combo.currentTextChanged.connect(self._on_view_combo_changed)
        self._fit_height()

    @property
    def showing_by_source(self) -> bool:
        return self.view_combo.currentText() == BY_SOURCE

    def show_by_source(self, on: bool = True) -> None:
        self.view_combo.setCurrentText(BY_SOURCE if on else MATRIX)

    def set_counts(
        self,
        grades: Sequence[GradeCount],
        by_source: Sequence[SourceGradeCount],
        ratings: Mapping[str, str | None],
    ) -> None:
        self.matrix.set_counts(grades)
        self._pending = (list(by_source), dict(ratings))
        if self.showing_by_source:
            self._fill_by_source()

    def _fill_by_source(self) -> None:
        if self._pending is not None:
            rows, ratings = self._pending
            self._pending = None
            self.by_source.set_counts(rows, ratings)

    def _fit_height(self) -> None:
        """The matrix needs its rows and no more; the tree scrolls and may take any height."""
        body = _MAX if self.showing_by_source else self.matrix.maximumHeight()
        self.setMaximumHeight(min(body + self._chrome, _MAX))

    def _on_view_combo_changed(self, _text: str) -> None:
        self.stack.setCurrentWidget(self.by_source if self.showing_by_source else self.matrix)
        self._fill_by_source()
        self._fit_height()
