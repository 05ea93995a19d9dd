"""View ▸ Summary…: the most mentioned entities per tag type, credibility by source and mentions
over publication dates, for the open document or the whole project, as charts with their numbers
in tables beside them (a table can be read aloud, copied and checked; a chart cannot).

The figures are read from the store each time the dialog opens or the scope changes
(`Store.summary`, the count panel's own queries), so it never shows a stale count. pyqtgraph is
imported when the first chart is drawn, not when the window starts (see widgets/count_chart.py).
File ▸ Export summary report… writes the same figures as one HTML file (`app/report_html.py`).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.model import utc_now
from app.report_html import NO_DATE, render_report, timeline_columns
from app.summary import GRADES, Summary
from app.wording import plural
from widgets import background, file_dialogs
from widgets.background import Cancelled
from widgets.summary_plots import bar_plot, column_plot, stacked_plot


class SummaryDialog(QDialog):
    def __init__(self, window) -> None:
        super().__init__(window)
        self._window = window
        self.setWindowTitle("Summary")
        self.resize(860, 760)
        self.summary: Summary | None = None
        self.document_button = QRadioButton("&This document")
        self.all_button = QRadioButton("&All documents")
        self.scope = QButtonGroup(self)
        self.scope.addButton(self.document_button)
        self.scope.addButton(self.all_button)
        self.export_button = QPushButton("E&xport report…")
        self.export_button.setAutoDefault(False)
        self.heading = QLabel()
        self.heading.setStyleSheet("font-size: 15px; font-weight: 600;")
        top = QHBoxLayout()
        top.addWidget(self.document_button)
        top.addWidget(self.all_button)
        top.addStretch(1)
        top.addWidget(self.export_button)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self._new_body()
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.heading)
        layout.addWidget(self.scroll, 1)
        self.tables: dict[str, QTableWidget] = {}  # by section name, for keyboard and tests
        self.plots: dict[str, object] = {}
        QShortcut(QKeySequence.StandardKey.Close, self, activated=self.close)
        self.scope.buttonToggled.connect(self._on_scope_toggled)
        self.export_button.clicked.connect(lambda: export_report(self._window))

    def reload(self) -> None:
        """Read the figures again for the scope chosen (no document open: the whole project)."""
        doc_id = self._window.view.document_id
        self.document_button.setEnabled(doc_id is not None)
        if doc_id is None or not (self.document_button.isChecked() or self.all_button.isChecked()):
            (self.all_button if doc_id is None else self.document_button).setChecked(True)
        scope = None if self.all_button.isChecked() else doc_id
        work = self._window.store.summaries_work([scope])
        try:  # a whole project of a million annotations takes ~0.4 s: off the GUI thread
            (self.summary,) = background.run(self, "Counting…", work, title="Summary")
        except Cancelled:
            self.heading.setText("Counting cancelled — choose a scope to count again.")
            return
        self._show(self.summary)

    def _on_scope_toggled(self, _button, checked: bool) -> None:
        if checked and self.isVisible():
            self.reload()

    # ------------------------------------------------------------ drawing

    def _show(self, s: Summary) -> None:
        self._new_body()
        self.tables.clear()
        self.plots.clear()
        self.heading.setText(
            f"{s.scope} — {plural(s.documents, 'document')}, {plural(s.mentions, 'entity mention')}"
        )
        self._caption("Most mentioned entities")
        for ranking in s.top_entities:
            name = ranking.type_name
            if not ranking.rows:
                self._note(f"{name}: no tags yet.")
                continue
            labels = [label for label, _ in ranking.rows]
            values = [n for _, n in ranking.rows]
            plot = bar_plot(labels, values, [ranking.color] * len(values), name)
            self._pair(name, plot, [name, "Mentions"], list(ranking.rows))
        self._caption("Credibility by source")
        if s.credibility:
            labels = [c.label for c in s.credibility]
            plot = stacked_plot(labels, [c.counts for c in s.credibility])
            rows = [(c.source, c.reliability or "not rated", *c.counts) for c in s.credibility]
            head = ["Source", "Rating", *(str(g) for g in GRADES)]
            self._pair("credibility", plot, head, rows)
        else:
            self._note("No claims graded for credibility yet.")
        self._caption(
            f"Mentions over publication dates{f' (by {s.timeline.unit})' * bool(s.timeline.unit)}"
        )
        labels, values, colours = timeline_columns(s.timeline)
        if labels:
            plot = column_plot(labels, values, colours)
            self._pair(
                "timeline", plot, ["Published", "Mentions"], list(zip(labels, values, strict=True))
            )
            if s.timeline.undated_documents:
                self._note(
                    f"{plural(s.timeline.undated_documents, 'document')} without a usable date: "
                    f"{plural(s.timeline.undated_mentions, 'mention')}, shown as “{NO_DATE}”."
                )
        else:
            self._note("No documents.")
        self.body_layout.addStretch(1)

    def _new_body(self) -> None:
        """A fresh page of sections; the scroll area deletes the previous one."""
        self.body = QWidget()
        self.body_layout = QVBoxLayout(self.body)
        self.body_layout.setContentsMargins(4, 4, 12, 4)
        self.scroll.setWidget(self.body)

    def _caption(self, text: str) -> None:
        label = QLabel(text)
        label.setStyleSheet("font-weight: 600; color: palette(text); margin-top: 10px;")
        self.body_layout.addWidget(label)

    def _note(self, text: str) -> None:
        label = QLabel(text, wordWrap=True)
        label.setStyleSheet("color: palette(mid); padding: 2px 0 6px;")
        self.body_layout.addWidget(label)

    def _pair(self, key: str, plot, head: list[str], rows: list) -> None:
        table = _table(head, rows)
        table.setAccessibleName(key)
        # A wide table (grades 1–6) goes under its chart; a two-column one beside it.
        row = QHBoxLayout() if len(head) <= 3 else QVBoxLayout()
        row.addWidget(plot, 3)
        row.addWidget(table, 2)
        self.body_layout.addLayout(row)
        self.tables[key], self.plots[key] = table, plot


def _table(head: list[str], rows: list) -> QTableWidget:
    table = QTableWidget(len(rows), len(head))
    table.setHorizontalHeaderLabels(head)
    table.verticalHeader().hide()
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            item = QTableWidgetItem(f"{value:,}" if isinstance(value, int) else str(value))
            if isinstance(value, int):
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(r, c, item)
    table.resizeColumnsToContents()
    row_h = table.verticalHeader().defaultSectionSize()
    chrome = table.horizontalHeader().sizeHint().height() + 2 * table.frameWidth() + 2
    table.setMinimumHeight(min(len(rows), 6) * row_h + chrome)
    table.setMaximumHeight(len(rows) * row_h + chrome)
    return table


# ------------------------------------------------------------ entry points (menus)


def open_summary(window) -> SummaryDialog:
    """Show the window's one Summary dialog, its figures read afresh."""
    dialog = getattr(window, "summary_dialog", None)
    if dialog is None:
        dialog = window.summary_dialog = SummaryDialog(window)
    dialog.show()
    dialog.reload()
    dialog.raise_()
    dialog.activateWindow()
    return dialog


def export_report(window) -> str:
    """File ▸ Export summary report…: the project's summary, then the open document's."""
    project = Path(window.project_path).stem or "project"
    path = file_dialogs.report_path(window, f"{project} summary")
    if not path:
        return ""
    doc_id = window.view.document_id
    work = window.store.summaries_work([None] + ([doc_id] if doc_id is not None else []))
    try:  # off the GUI thread: a million annotations take ~0.4 s to count
        summaries = background.run(window, "Counting for the report…", work,
                                   title="Export summary report")  # fmt: skip
    except Cancelled:
        window.show_status(f"Report cancelled; nothing was written to {path}.")
        return ""
    page = render_report(project, utc_now()[:16].replace("T", " ") + " UTC",
                         window.settings.annotator, summaries)  # fmt: skip
    try:
        Path(path).write_text(page, encoding="utf-8")
    except OSError as exc:
        window.notify("Export summary report", f"Could not write {path}: {exc.strerror}.",
                      QMessageBox.Icon.Warning)  # fmt: skip
        return ""
    window.show_status(f"Summary report saved to {path}")
    return path


def file_actions(window, menu) -> dict:
    """File ▸ Export chart… and Export summary report…; the count panel's Export… button too."""
    from widgets import chart_export

    chart = QAction("Export c&hart (PNG, SVG)…", window)
    chart.triggered.connect(lambda: chart_export.export_count_chart(window))
    report = QAction("Export s&ummary report (HTML)…", window)
    report.triggered.connect(lambda: export_report(window))
    menu.addActions([chart, report])
    window.counts.export_chart_button.clicked.connect(chart.trigger)
    return {"export_chart": chart, "export_report": report}


def view_actions(window, menu) -> dict:
    summary = QAction("Su&mmary…", window)
    summary.setShortcut(QKeySequence("Ctrl+Shift+M"))
    summary.triggered.connect(lambda: open_summary(window))
    menu.addAction(summary)
    return {"summary": summary}
