"""Manage tag types: add, rename, recolour, rebind the key, remove (asking first when used).

Every change is an undoable command on the window's stack, applied at once; the list is a live view
of the store, so there is no Apply/Cancel to get wrong.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QIcon, QPixmap, QUndoStack
from PySide6.QtWidgets import (
    QColorDialog,
    QDialog,
    QHBoxLayout,
    QInputDialog,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.commands import AddTagType, EditTagType, RemoveTagType
from app.model import CREDIBILITY_KIND, ENTITY_KIND, TagType
from app.store import Store

# Okabe–Ito, in the order new types receive them.
PALETTE = ("#0072B2", "#009E73", "#E69F00", "#CC79A7", "#D55E00", "#56B4E9", "#F0E442", "#000000")
KEYS = tuple("123456789")


def swatch(color: str, size: int = 14) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor(color))
    return QIcon(pixmap)


class TagTypeDialog(QDialog):
    def __init__(self, store: Store, undo_stack: QUndoStack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Tag types")
        self._store, self._stack = store, undo_stack
        self.list = QListWidget()
        buttons = QVBoxLayout()
        for label, slot in (
            ("Add…", self._on_add_clicked),
            ("Rename…", self._on_rename_clicked),
            ("Colour…", self._on_colour_clicked),
            ("Key…", self._on_key_clicked),
            ("Remove", self._on_remove_clicked),
        ):
            button = QPushButton(label)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        buttons.addStretch()
        close = QPushButton("Close")
        close.clicked.connect(self.accept)
        buttons.addWidget(close)
        layout = QHBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        self.resize(420, 300)
        self._connect_signals()
        self._refresh()

    def _connect_signals(self) -> None:
        self._store.tag_types_changed.connect(self._refresh)

    def _refresh(self) -> None:
        current = self.current()
        self.list.clear()
        for tag in self._store.tag_types():
            kind = "entity" if tag.kind == ENTITY_KIND else "Admiralty grade"
            key = f"key {tag.shortcut}" if tag.shortcut else "no key"
            item = QListWidgetItem(swatch(tag.color), f"{tag.name}   ({kind}, {key})")
            item.setData(Qt.ItemDataRole.UserRole, tag.id)
            self.list.addItem(item)
            if current and current.id == tag.id:
                self.list.setCurrentItem(item)

    def current(self) -> TagType | None:
        item = self.list.currentItem() if hasattr(self, "list") else None
        return self._store.tag_type(item.data(Qt.ItemDataRole.UserRole)) if item else None

    # ---------------------------------------------------------- operations (tests call these)

    def name_problem(self, name: str, exclude: int | None = None) -> str:
        if not name.strip():
            return "A tag type needs a name."
        if any(
            t.name.casefold() == name.strip().casefold() and t.id != exclude
            for t in self._store.tag_types()
        ):
            return f"There is already a tag type called “{name.strip()}”."
        return ""

    def add_type(self, name: str, kind: str = ENTITY_KIND) -> None:
        types = self._store.tag_types()
        used_colors = {t.color.upper() for t in types}
        color = next((c for c in PALETTE if c.upper() not in used_colors), PALETTE[-1])
        used_keys = {t.shortcut for t in types}
        key = next((k for k in KEYS if k not in used_keys), "")
        position = max((t.position for t in types), default=-1) + 1
        self._stack.push(
            AddTagType(self._store, TagType(None, name.strip(), kind, color, key, position))
        )

    def rename(self, tag: TagType, name: str) -> None:
        self._stack.push(EditTagType(self._store, tag, replace(tag, name=name.strip())))

    def recolour(self, tag: TagType, color: str) -> None:
        self._stack.push(EditTagType(self._store, tag, replace(tag, color=color)))

    def set_key(self, tag: TagType, key: str) -> None:
        """A key already bound elsewhere moves here, so no two types share one."""
        self._stack.beginMacro(f"Bind key {key or 'none'} to “{tag.name}”")
        for other in self._store.tag_types():
            if key and other.shortcut == key and other.id != tag.id:
                self._stack.push(EditTagType(self._store, other, replace(other, shortcut="")))
        self._stack.push(EditTagType(self._store, tag, replace(tag, shortcut=key)))
        self._stack.endMacro()

    def remove(self, tag: TagType) -> bool:
        used = self._store.annotation_count_of_type(tag.id)
        if used and not confirm(
            self,
            f"Remove “{tag.name}”?",
            f"{used} annotation(s) use “{tag.name}” and will be removed with it. "
            "You can undo this with Ctrl+Z.",
        ):
            return False
        self._stack.push(RemoveTagType(self._store, tag))
        return True

    # ---------------------------------------------------------- buttons

    def _on_add_clicked(self) -> None:
        name, ok = QInputDialog.getText(self, "New tag type", "Name:")
        if not ok or self._warn(self.name_problem(name)):
            return
        kinds = ["Entity (asks for a canonical name)", "Credibility (asks for an Admiralty grade)"]
        kind, ok = QInputDialog.getItem(self, "New tag type", "Kind:", kinds, 0, False)
        if ok:
            self.add_type(name, ENTITY_KIND if kind == kinds[0] else CREDIBILITY_KIND)

    def _on_rename_clicked(self) -> None:
        tag = self.current()
        if tag:
            name, ok = QInputDialog.getText(self, "Rename tag type", "Name:", text=tag.name)
            if ok and not self._warn(self.name_problem(name, tag.id)):
                self.rename(tag, name)

    def _on_colour_clicked(self) -> None:
        tag = self.current()
        if tag:
            color = QColorDialog.getColor(QColor(tag.color), self, f"Colour of {tag.name}")
            if color.isValid():
                self.recolour(tag, color.name())

    def _on_key_clicked(self) -> None:
        tag = self.current()
        if tag:
            options = ["none", *KEYS]
            current = options.index(tag.shortcut) if tag.shortcut in options else 0
            key, ok = QInputDialog.getItem(
                self, "Key", f"Key for {tag.name}:", options, current, False
            )
            if ok:
                self.set_key(tag, "" if key == "none" else key)

    def _on_remove_clicked(self) -> None:
        tag = self.current()
        if tag:
            self.remove(tag)

    def _warn(self, problem: str) -> bool:
        if problem:
            QMessageBox.warning(self, "Tag types", problem)
        return bool(problem)


def confirm(parent: QWidget, title: str, text: str) -> bool:
    answer = QMessageBox.question(parent, title, text)
    return answer == QMessageBox.StandardButton.Yes
