"""Document properties: title, author, source (outlet or channel), URL and publication date."""

from __future__ import annotations

import re
from dataclasses import replace

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from app.model import Document
from widgets import theme

_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


class DocumentDialog(QDialog):
    def __init__(self, parent: QWidget | None, doc: Document, sources: list[str]) -> None:
        super().__init__(parent)
        self.setWindowTitle("Document properties")
        self._doc = doc
        self.title = QLineEdit(doc.title)
        self.author = QLineEdit(doc.author)
        self.author.setPlaceholderText("the article's byline, if known")
        self.source = QComboBox()
        self.source.setEditable(True)
        self.source.addItems(["", *sources])
        self.source.setCurrentText(doc.source)
        self.url = QLineEdit(doc.url)
        self.url.setPlaceholderText("https://…")
        self.published = QLineEdit(doc.published)
        self.published.setPlaceholderText("YYYY-MM-DD (or YYYY-MM, YYYY)")
        self.error = QLabel()
        self.error.setStyleSheet(theme.alert_css())
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("Title:", self.title)
        form.addRow("Author:", self.author)
        form.addRow("Source:", self.source)
        form.addRow("URL:", self.url)
        form.addRow("Published:", self.published)
        form.addRow(self.error)
        form.addRow(buttons)
        self.title.setMinimumWidth(420)

    def problem(self) -> str:
        if not self.title.text().strip():
            return "The title cannot be empty."
        published = self.published.text().strip()
        if published and not _DATE.match(published):
            return "Write the publication date as YYYY-MM-DD, YYYY-MM or YYYY."
        return ""

    def accept(self) -> None:
        self.error.setText(self.problem())
        if not self.error.text():
            super().accept()

    def document(self) -> Document:
        return replace(
            self._doc,
            title=self.title.text().strip(),
            author=self.author.text().strip(),
            source=self.source.currentText().strip(),
            url=self.url.text().strip(),
            published=self.published.text().strip(),
        )
