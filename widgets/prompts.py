"""The small popups that finish a tag: canonical entity, Admiralty grade, note.

They are built to be driven from the keyboard (an analyst tags hundreds of passages): type or accept
the default, Enter accepts, Esc cancels. The window calls the module-level `ask_*` functions, so
tests replace them with monkeypatch instead of clicking through modal dialogs.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.grading import effective_grade, grade_explanation
from app.model import CREDIBILITY_NAMES, RELIABILITY_NAMES, Grade, TagType
from widgets import theme
from widgets.drafts import DraftKeeper


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
        # Says that the fields hold a draft recovered after a crash, or that typing cannot be
        # kept as a draft (widgets/drafts.py); hidden otherwise.
        self.draft_label = QLabel()
        self.draft_label.setWordWrap(True)
        self.draft_label.setStyleSheet(theme.alert_css("notice"))
        self.draft_label.setVisible(False)

    def show_near(self, pos: QPoint | None) -> None:
        if pos is not None:
            self.adjustSize()
            self.move(pos)

    def draft_fields(self) -> tuple[str, str]:
        """(entity or grade, note) as typed: what a draft keeps."""
        raise NotImplementedError

    def keep_draft(self, keeper: DraftKeeper | None, *edits) -> None:
        """Save what is typed into `edits` as the analyst goes (each has textChanged)."""
        if keeper is None:
            return
        keeper.attach(self.draft_fields, self.draft_label)
        for edit in edits:
            edit.textChanged.connect(keeper.changed)

    def run(self, keeper: DraftKeeper | None, pos: QPoint | None = None) -> bool:
        """Show modally; OK keeps the last text as a draft until the caller has stored the edit
        (and discards it then), Cancel discards it."""
        self.show_near(pos)
        accepted = self.exec() == QDialog.DialogCode.Accepted
        if keeper is not None and accepted:
            keeper.flush()
        elif keeper is not None:
            keeper.discard()
        return accepted


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
        form.addRow(self.draft_label)
        form.addRow(self.buttons)
        self.entity.setMinimumWidth(320)
        self.entity.setFocus()

    def accept(self) -> None:
        if self.entity.text().strip():
            super().accept()

    def result_value(self) -> tuple[str, str]:
        return " ".join(self.entity.text().split()), self.note.text()

    def draft_fields(self) -> tuple[str, str]:
        return self.entity.text(), self.note.text()


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
        for widget in (cred_box, rel_box, self.preview, self.note, self.draft_label, self.buttons):
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

    def draft_fields(self) -> tuple[str, str]:
        return self.grade().compact, self.note.text()


def grade_of_draft(compact: str, fallback: Grade) -> Grade:
    """The grade a draft kept as `B3` (or `3`); `fallback` if it reads as none."""
    letters = [c for c in compact if c in "ABCDEF"]
    digits = [int(c) for c in compact if c in "123456"]
    if not digits:
        return fallback
    return Grade(digits[0], letters[0] if letters else None)


class NotePrompt(_Popup):
    """A free-text note on one annotation. Enter starts a new line; Ctrl+Enter accepts."""

    def __init__(self, parent: QWidget | None, initial: str) -> None:
        super().__init__(parent, "Note")
        self.text = QPlainTextEdit(initial)
        self.text.setTabChangesFocus(True)
        self.text.setMinimumSize(420, 160)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Note for this annotation (Ctrl+Enter saves, Esc cancels):"))
        for widget in (self.text, self.draft_label, self.buttons):
            layout.addWidget(widget)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.accept)
        self.text.setFocus()
        self.text.moveCursor(self.text.textCursor().MoveOperation.End)

    def draft_fields(self) -> tuple[str, str]:
        return "", self.text.toPlainText()


def ask_entity(
    parent: QWidget,
    tag: TagType,
    names: list[str],
    default: str,
    note: str = "",
    pos: QPoint | None = None,
    draft: DraftKeeper | None = None,
) -> tuple[str, str] | None:
    if draft is not None and draft.recovered is not None:
        default, note = draft.recovered.entity, draft.recovered.note
    prompt = EntityPrompt(parent, tag, names, default, note)
    prompt.keep_draft(draft, prompt.entity, prompt.note)
    return prompt.result_value() if prompt.run(draft, pos) else None


def ask_grade(
    parent: QWidget,
    initial: Grade = Grade(),
    note: str = "",
    pos: QPoint | None = None,
    source: tuple[str, str | None] = ("", None),
    draft: DraftKeeper | None = None,
) -> tuple[Grade, str] | None:
    if draft is not None and draft.recovered is not None:
        initial, note = grade_of_draft(draft.recovered.entity, initial), draft.recovered.note
    prompt = GradePrompt(parent, initial, note, source)
    prompt.keep_draft(draft, prompt.note)
    if draft is not None:
        prompt.credibility.idToggled.connect(draft.changed)
        prompt.reliability.idToggled.connect(draft.changed)
    return prompt.result_value() if prompt.run(draft, pos) else None


def ask_note(parent: QWidget, initial: str, draft: DraftKeeper | None = None) -> str | None:
    if draft is not None and draft.recovered is not None:
        initial = draft.recovered.note
    prompt = NotePrompt(parent, initial)
    prompt.keep_draft(draft, prompt.text)
    return prompt.draft_fields()[1] if prompt.run(draft) else None
