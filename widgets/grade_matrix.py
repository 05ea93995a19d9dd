"""The Admiralty matrix: how many graded tags fall in each source-reliability × credibility cell.

Analysts read the code as a grid (A1 is solid, F6 is noise), so the grid is the summary, with
the margins totalled. Zero cells stay blank: a wall of zeros hides the few cells that matter.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from app.model import CREDIBILITY_NAMES, RELIABILITY_NAMES, GradeCount

NOT_JUDGED = "—"
TOTAL = "Σ"
RELIABILITIES: tuple[str | None, ...] = (*RELIABILITY_NAMES, None)
CREDIBILITIES: tuple[int | None, ...] = (*CREDIBILITY_NAMES, None)
_SHADE = QColor("#0072B2")


class GradeMatrix(QTableWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(len(RELIABILITIES) + 1, len(CREDIBILITIES) + 1, parent)
        self._cells: dict[tuple[str | None, int | None], int] = {}
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setShowGrid(True)
        self.setCornerButtonEnabled(False)
        self._build_headers()
        for row in range(self.rowCount()):
            for col in range(self.columnCount()):
                item = QTableWidgetItem()
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.setItem(row, col, item)
        self.setMaximumHeight(self.content_height())
        self.setToolTip(
            "Admiralty grades of the tagged claims: source reliability (rows) × credibility "
            "(columns). A claim without a reliability of its own counts under its source's "
            "rating (Edit ▸ Sources and reliability). — means not judged."
        )

    def _build_headers(self) -> None:
        labels = [str(c) for c in CREDIBILITY_NAMES] + [NOT_JUDGED, TOTAL]
        self.setHorizontalHeaderLabels(labels)
        for col, cred in enumerate(CREDIBILITIES):
            name = CREDIBILITY_NAMES[cred] if cred else "Credibility not given"
            self.horizontalHeaderItem(col).setToolTip(f"{labels[col]}: {name}")
        self.horizontalHeaderItem(len(CREDIBILITIES)).setToolTip("Total for the reliability")
        rows = [r for r in RELIABILITY_NAMES] + [NOT_JUDGED, TOTAL]
        self.setVerticalHeaderLabels(rows)
        for row, rel in enumerate(RELIABILITIES):
            name = RELIABILITY_NAMES[rel] if rel else "Source reliability not given"
            self.verticalHeaderItem(row).setToolTip(f"{rows[row]}: {name}")
        self.verticalHeaderItem(len(RELIABILITIES)).setToolTip("Total for the credibility")
        horizontal = self.horizontalHeader()
        horizontal.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        horizontal.setMinimumSectionSize(24)
        vertical = self.verticalHeader()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(vertical.fontMetrics().height() + 6)
        vertical.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)

    def content_height(self) -> int:
        """Every row and the header, no more: extra height would only show empty grid."""
        rows = self.rowCount() * self.verticalHeader().defaultSectionSize()
        return self.horizontalHeader().sizeHint().height() + rows + 2 * self.frameWidth()

    def sizeHint(self):
        hint = super().sizeHint()
        hint.setHeight(self.content_height())
        return hint

    # ------------------------------------------------------------ public

    @property
    def total(self) -> int:
        return sum(self._cells.values())

    def count(self, reliability: str | None, credibility: int | None) -> int:
        return self._cells.get((reliability, credibility), 0)

    def cell_text(self, reliability: str | None, credibility: int | None | str) -> str:
        """What the grid shows; TOTAL as either argument reads a margin (both: the grand total)."""
        row = len(RELIABILITIES) if reliability == TOTAL else RELIABILITIES.index(reliability)
        col = len(CREDIBILITIES) if credibility == TOTAL else CREDIBILITIES.index(credibility)
        return self.item(row, col).text()

    def set_counts(self, grades: Sequence[GradeCount]) -> None:
        self._cells = {}
        for g in grades:
            key = (g.reliability, g.credibility)
            self._cells[key] = self._cells.get(key, 0) + g.count
        peak = max(self._cells.values(), default=0)
        last_row, last_col = len(RELIABILITIES), len(CREDIBILITIES)
        for row, rel in enumerate(RELIABILITIES):
            for col, cred in enumerate(CREDIBILITIES):
                n = self.count(rel, cred)
                self._fill(row, col, n, shade=n / peak if n else 0.0)
                self._tip(row, col, rel, cred, n)
            self._fill(row, last_col, sum(self.count(rel, c) for c in CREDIBILITIES))
        for col, cred in enumerate(CREDIBILITIES):
            self._fill(last_row, col, sum(self.count(r, cred) for r in RELIABILITIES))
        self._fill(last_row, last_col, self.total)

    # ------------------------------------------------------------ cells

    def _fill(self, row: int, col: int, n: int, shade: float | None = None) -> None:
        """`shade` is the cell's share of the busiest cell; None marks a total (bold, unshaded)."""
        item = self.item(row, col)
        item.setText(str(n) if n else "")
        if shade is None:
            font = item.font()
            font.setBold(True)
            item.setFont(font)
            return
        colour = QColor(_SHADE)
        colour.setAlphaF(0.08 + 0.42 * shade if n else 0.0)
        item.setBackground(colour)

    def _tip(self, row: int, col: int, rel: str | None, cred: int | None, n: int) -> None:
        parts = [
            f"{rel}: {RELIABILITY_NAMES[rel]}" if rel else "Reliability not given",
            f"{cred}: {CREDIBILITY_NAMES[cred]}" if cred else "credibility not given",
        ]
        plural = "" if n == 1 else "s"
        self.item(row, col).setToolTip(f"{'; '.join(parts)} — {n} tag{plural}")
