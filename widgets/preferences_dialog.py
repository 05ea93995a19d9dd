"""Edit ▸ Preferences: who annotates, how the article reads, how selections snap, light or dark.

These are the analyst's own settings (app/user_settings.py, saved on OK/Apply). Font and appearance
are previewed as they are picked, and Cancel puts back what was there. Tag colours are the one
exception: they belong to the project, not the person, so each change is an undoable `EditTagType`
applied at once, like in Tag ▸ Manage tag types (which the dialog also opens).
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QColorDialog,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFontComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.commands import EditTagType
from app.model import TagType
from app.user_settings import APPEARANCES
from widgets import theme
from widgets.tag_type_dialog import swatch

APPEARANCE_LABELS = {"system": "Same as the system", "light": "Light", "dark": "Dark"}


def apply_article_font(view, family: str, size: float) -> None:
    """The analyst's font on the article; empty values keep the view's own."""
    font = QFont(view.font())
    if family:
        font.setFamily(family)
    if size > 0:
        font.setPointSizeF(size)
    view.setFont(font)


class PreferencesDialog(QDialog):
    def __init__(self, window) -> None:
        super().__init__(window)
        self.setWindowTitle("Preferences")
        self._window = window
        self._font_before = QFont(window.view.font())
        self._mode_before = window.settings.appearance
        self._colour_dialog: QColorDialog | None = None
        settings = window.settings

        self.annotator = QLineEdit(settings.annotator)
        self.font_family = QFontComboBox()
        self.font_family.setCurrentFont(self._font_before)
        self.font_size = QDoubleSpinBox()
        self.font_size.setRange(6, 48)
        self.font_size.setDecimals(1)
        self.font_size.setSingleStep(0.5)
        self.font_size.setSuffix(" pt")
        self.font_size.setValue(self._font_before.pointSizeF())
        self.snap = QCheckBox("S&nap selections to whole words")
        self.snap.setChecked(window.view.snap_to_words)
        self.appearance = QComboBox()
        for mode in APPEARANCES:
            self.appearance.addItem(APPEARANCE_LABELS[mode], mode)
        self.appearance.setCurrentIndex(APPEARANCES.index(settings.appearance))
        self.colour_buttons: dict[int, QPushButton] = {}
        self._colours = QVBoxLayout()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok
            | QDialogButtonBox.StandardButton.Apply
            | QDialogButtonBox.StandardButton.Cancel
        )
        self._lay_out()
        self._refresh_colours()
        self._connect_signals()

    def _lay_out(self) -> None:
        you = QFormLayout()
        you.addRow(self._label("&Annotator name:", self.annotator), self.annotator)
        you.addRow(self._label("Article &font:", self.font_family), self.font_family)
        you.addRow(self._label("Font si&ze:", self.font_size), self.font_size)
        you.addRow("", self.snap)
        you.addRow(self._label("A&ppearance:", self.appearance), self.appearance)
        mine = QGroupBox("Yours, on this computer")
        mine.setLayout(you)

        colours = QGroupBox("Tag colours — saved in this project, applied at once (Ctrl+Z undoes)")
        box = QVBoxLayout(colours)
        box.addLayout(self._colours)
        manage = QPushButton("&Manage tag types…")
        manage.clicked.connect(self._window.manage_tag_types)
        row = QHBoxLayout()
        row.addStretch()
        row.addWidget(manage)
        box.addLayout(row)

        layout = QVBoxLayout(self)
        layout.addWidget(mine)
        layout.addWidget(colours)
        layout.addWidget(self.buttons)
        self.resize(520, self.sizeHint().height())

    @staticmethod
    def _label(text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(buddy)
        return label

    def _connect_signals(self) -> None:
        self.font_family.currentFontChanged.connect(self._on_font_changed)
        self.font_size.valueChanged.connect(self._on_font_changed)
        self.appearance.currentIndexChanged.connect(self._on_appearance_changed)
        self._window.actions["snap"].toggled.connect(self.snap.setChecked)
        self._window.store.tag_types_changed.connect(self._refresh_colours)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        apply = self.buttons.button(QDialogButtonBox.StandardButton.Apply)
        apply.clicked.connect(self.apply)

    # ------------------------------------------------------------ preview, apply, cancel

    def _on_font_changed(self, *_args) -> None:
        apply_article_font(
            self._window.view, self.font_family.currentFont().family(), self.font_size.value()
        )

    def _on_appearance_changed(self, _index: int) -> None:
        theme.apply_appearance(self.appearance.currentData())

    def apply(self) -> None:
        """Everything in the first group into the window and the settings file."""
        w = self._window
        name = self.annotator.text().strip()
        if name and name != w.settings.annotator:
            w.set_annotator(name)
        self._on_font_changed()
        if self.snap.isChecked() != w.view.snap_to_words:
            w.actions["snap"].setChecked(self.snap.isChecked())
            w.set_snap_to_words(self.snap.isChecked())  # saves the settings with it
        w.settings = w.settings.with_(
            article_font_family=self.font_family.currentFont().family(),
            article_font_size=self.font_size.value(),
            appearance=self.appearance.currentData(),
        )
        w._save_settings(w.settings)
        theme.apply_appearance(w.settings.appearance)  # also starts following the OS on "system"
        self._font_before = QFont(w.view.font())
        self._mode_before = w.settings.appearance

    def accept(self) -> None:
        self.apply()
        super().accept()

    def reject(self) -> None:
        self._window.view.setFont(self._font_before)
        if theme.current_mode() != self._mode_before:
            theme.apply_appearance(self._mode_before)
        super().reject()

    def done(self, result: int) -> None:
        self._window.actions["snap"].toggled.disconnect(self.snap.setChecked)
        self._window.store.tag_types_changed.disconnect(self._refresh_colours)
        super().done(result)

    # ------------------------------------------------------------ tag colours

    def _refresh_colours(self) -> None:
        while self._colours.count():
            item = self._colours.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        self.colour_buttons = {}
        for tag in self._window.store.tag_types():
            button = QPushButton(swatch(tag.color, 16), f"{tag.name}…")
            button.setToolTip(f"Choose the colour of {tag.name} highlights ({tag.color})")
            button.setStyleSheet("text-align: left; padding: 3px 8px")
            button.clicked.connect(lambda _=False, t=tag: self._choose_colour(t))
            self._colours.addWidget(button)
            self.colour_buttons[tag.id] = button

    def _choose_colour(self, tag: TagType) -> None:
        """Non-blocking colour picker: the choice becomes one undoable command."""
        dialog = QColorDialog(QColor(tag.color), self)
        dialog.setWindowTitle(f"Colour of {tag.name}")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.colorSelected.connect(lambda colour: self._recolour(tag.id, colour))
        self._colour_dialog = dialog
        dialog.open()

    def _recolour(self, tag_id: int, colour: QColor) -> None:
        old = next((t for t in self._window.store.tag_types() if t.id == tag_id), None)
        if old is None or not colour.isValid() or colour.name().upper() == old.color.upper():
            return
        new = replace(old, color=colour.name().upper())
        self._window.undo_stack.push(EditTagType(self._window.store, old, new))


def open_preferences(window) -> PreferencesDialog:
    """Opened with `open()`, never `exec()`: nothing in a test waits on it."""
    dialog = PreferencesDialog(window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
