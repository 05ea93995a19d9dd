"""The small popups that finish a tag: canonical entity, Admiralty grade, note.

They are built to be driven from the keyboard (an analyst tags hundreds of passages): type or accept
the default, Enter accepts, Esc cancels. The window calls the module-level `ask_*` functions, so
tests replace them with monkeypatch instead of clicking through modal dialogs.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QInputDialog,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.grading import effective_grade, grade_explanation
from app.model import CREDIBILITY_NAMES, RELIABILITY_NAMES, Grade, TagType


class _Popup(QDialog):
    def __init__(self, parent: QWidget | None, title: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setWindowFlag(Qt.WindowType.WindowContextHelpButtonHint, False)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def show_near(self, pos: QPoint | None) -> None:
        if pos is not None:
            self.adjustSize()
            self.move(pos)


class EntityPrompt(_Popup):
    """Which canonical entity a passage names: "Jolani" → "Abu Mohammad al-Jolani"."""

    def __init__(
        self, parent: QWidget | None, tag: TagType, names: list[str], default: str, note: str = ""
    ) -> None:
        super().__init__(parent, f"Tag as {tag.name}")
        self.entity = QLineEdit(" ".join(default.split()))
        self.entity.selectAll()
        self.entity.setPlaceholderText("canonical name")
        completer = QCompleter(names, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.entity.setCompleter(completer)
        self.note = QLineEdit(note)
        self.note.setPlaceholderText("optional")
        form = QFormLayout(self)
        form.addRow(f"{tag.name}:", self.entity)
        form.addRow("Note:", self.note)
        form.addRow(self.buttons)
        self.entity.setMinimumWidth(320)
        self.entity.setFocus()

    def accept(self) -> None:
        if self.entity.text().strip():
            super().accept()

    def result_value(self) -> tuple[str, str]:
        return " ".join(self.entity.text().split()), self.note.text()


class GradePrompt(_Popup):
    """The Admiralty grade: keys 1–6 pick credibility, A–F reliability (0 clears), Enter accepts.

    `source` is the document's (name, reliability): left unjudged here, the claim takes the
    source's rating, and the prompt says so before the analyst accepts."""

    def __init__(
        self,
        parent: QWidget | None,
        initial: Grade,
        note: str = "",
        source: tuple[str, str | None] = ("", None),
    ) -> None:
        super().__init__(parent, "Credibility (Admiralty code)")
        self._source = source
        self.credibility = QButtonGroup(self)
        self.reliability = QButtonGroup(self)
        cred_box = QGroupBox("Information credibility  (keys 1–6)")
        cred_grid = QGridLayout(cred_box)
        for n, name in CREDIBILITY_NAMES.items():
            button = QRadioButton(f"&{n}  {name}")
            self.credibility.addButton(button, n)
            cred_grid.addWidget(button, (n - 1) % 3, (n - 1) // 3)
        rel_box = QGroupBox("Source reliability, optional  (keys A–F, 0 = not judged)")
        rel_grid = QGridLayout(rel_box)
        name, rating = source
        none = QRadioButton(f"—  the source's: {rating}" if rating else "—  not judged")
        if rating:
            none.setToolTip(f"Take the rating of “{name}”, set in Edit ▸ Sources and reliability")
        self.reliability.addButton(none, 0)
        rel_grid.addWidget(none, 0, 0)
        for i, (letter, name) in enumerate(RELIABILITY_NAMES.items(), start=1):
            button = QRadioButton(f"{letter}  {name}")
            self.reliability.addButton(button, i)
            rel_grid.addWidget(button, i % 4, i // 4)
        self.credibility.button(initial.credibility or 3).setChecked(True)
        rel_id = "ABCDEF".index(initial.reliability) + 1 if initial.reliability else 0
        self.reliability.button(rel_id).setChecked(True)
        self.preview = QLabel()
        self.note = QLineEdit(note)
        self.note.setPlaceholderText("optional note")
        layout = QVBoxLayout(self)
        for widget in (cred_box, rel_box, self.preview, self.note, self.buttons):
            layout.addWidget(widget)
        self.credibility.idToggled.connect(self._update_preview)
        self.reliability.idToggled.connect(self._update_preview)
        self._update_preview()

    def grade(self) -> Grade:
        rel = self.reliability.checkedId()
        return Grade(self.credibility.checkedId(), "ABCDEF"[rel - 1] if rel > 0 else None)

    def _update_preview(self, *_args) -> None:
        grade = self.grade()
        shown = effective_grade(grade, self._source[1])[0]
        origin = html.escape(grade_explanation(grade, *self._source))
        self.preview.setText(
            f"<span style='font-size:20px; font-weight:bold'>{shown.compact}</span>"
            f"&nbsp;&nbsp;{html.escape(shown.description)}"
            f"<br><span style='color:#555'>{origin}</span>"
        )

    def keyPressEvent(self, event) -> None:
        text = event.text().upper()
        if not self.note.hasFocus() and text:
            if text in "123456":
                self.credibility.button(int(text)).setChecked(True)
                return
            if text in "ABCDEF0":
                self.reliability.button(0 if text == "0" else "ABCDEF".index(text) + 1).setChecked(
                    True
                )
                return
        super().keyPressEvent(event)

    def result_value(self) -> tuple[Grade, str]:
        return self.grade(), self.note.text()


def ask_entity(
    parent: QWidget,
    tag: TagType,
    names: list[str],
    default: str,
    note: str = "",
    pos: QPoint | None = None,
) -> tuple[str, str] | None:
    prompt = EntityPrompt(parent, tag, names, default, note)
    prompt.show_near(pos)
    return prompt.result_value() if prompt.exec() == QDialog.DialogCode.Accepted else None


def ask_grade(
    parent: QWidget,
    initial: Grade = Grade(),
    note: str = "",
    pos: QPoint | None = None,
    source: tuple[str, str | None] = ("", None),
) -> tuple[Grade, str] | None:
    prompt = GradePrompt(parent, initial, note, source)
    prompt.show_near(pos)
    return prompt.result_value() if prompt.exec() == QDialog.DialogCode.Accepted else None


def ask_note(parent: QWidget, initial: str) -> str | None:
    text, ok = QInputDialog.getMultiLineText(parent, "Note", "Note for this annotation:", initial)
    return text if ok else None
