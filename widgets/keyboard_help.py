"""Help ▸ Keyboard shortcuts: every key the window answers to, found on the live window.

The list is not kept by hand. Menu and panel actions (`QAction`) and standalone `QShortcut`s are
collected from the window's object tree, so a feature added later is listed the moment it has a
key; a `QShortcut` must say what it does in its `whatsThis` (tests/test_keyboard.py fails
otherwise). Keys that widgets read in `keyPressEvent` (popups, the suggestion under Tab, review
mode, the Entities panel) cannot be discovered and are described in `KEYS_IN_CONTEXT`.
"""

from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QTableView,
    QVBoxLayout,
    QWidget,
)

# (keys, what they do, where): read by widgets' own key handling, so not discoverable as objects.
KEYS_IN_CONTEXT: tuple[tuple[str, str, str], ...] = (
    ("Enter / Esc", "Accept / cancel the popup", "Tag and grade popups"),
    ("1–6, A–F, 0", "Pick credibility, pick reliability, clear reliability", "Credibility popup"),
    ("Ctrl+Enter", "Save the note (Enter starts a new line)", "Note popup"),
    ("Tab / Shift+Tab", "Next / previous suggestion (a known name not yet tagged)", "Article"),
    ("Enter or Space / Backspace", "Accept the suggestion as a tag / reject it", "Article"),
    ("Click a highlight", "Select it; click again to cycle through stacked ones", "Article"),
    ("Esc", "Clear the annotation selection; with none, close the find bar", "Article"),
    ("F2 / Ins / Ctrl+M / Delete", "Rename / add an alias / merge / delete", "Entities panel"),
)


def _keys(sequences: list[QKeySequence]) -> str:
    native = QKeySequence.SequenceFormat.NativeText
    return ", ".join(k.toString(native) for k in sequences if not k.isEmpty())


def _menu_path(action: QAction) -> str:
    """The menu path ("File ▸ Open recent") of an action; "" for one only on the window."""
    parts, menu = [], _menu_of(action)
    while menu is not None:
        parts.append(menu.title().replace("&", ""))
        menu = _menu_of(menu.menuAction())
    return " ▸ ".join(reversed(parts))


def _menu_of(action: QAction) -> QMenu | None:
    return next((w for w in action.associatedObjects() if isinstance(w, QMenu)), None)


def _where(obj: QAction | QShortcut, window: QMainWindow) -> str:
    if isinstance(obj, QAction):
        path = _menu_path(obj)
        if path:
            return path
    widget = obj.parent()
    while isinstance(widget, QWidget) and widget is not window:
        title = widget.windowTitle()
        if title and widget.isWindow() is False and widget.parent() is not None:
            return title
        widget = widget.parent()
    return "Window"


def shortcut_rows(window: QMainWindow) -> list[tuple[str, str]]:
    """(keys, action) for every key: live actions and shortcuts first, then keys in context."""
    return [(keys, text) for keys, text, _where_ in full_rows(window)]


def full_rows(window: QMainWindow) -> list[tuple[str, str, str]]:
    rows, seen = [], set()
    for action in window.findChildren(QAction):
        keys = _keys(action.shortcuts())
        if not keys or action.isSeparator():
            continue
        text = action.text().replace("&", "").split("\t")[0].strip()
        text = text.removeprefix(f"{action.shortcut().toString()}  ").strip()  # "1  Actor"
        text = text or action.toolTip()
        row = (keys, text, _where(action, window))
        if row[:2] not in seen:
            seen.add(row[:2])
            rows.append(row)
    for shortcut in window.findChildren(QShortcut):
        keys = _keys(shortcut.keys())
        if keys and (keys, shortcut.whatsThis()) not in seen:
            seen.add((keys, shortcut.whatsThis()))
            rows.append((keys, shortcut.whatsThis(), _where(shortcut, window)))
    return rows + list(KEYS_IN_CONTEXT)


def give_mnemonics(menu: QMenu) -> None:
    """An Alt letter for every item of `menu` that has none (dock toggles, tag types, recent
    projects, layers): the first letter or digit of its text not yet taken in that menu."""
    items = [a for a in menu.actions() if not a.isSeparator()]
    taken = {m for a in items if (m := _mnemonic(a.text()))}
    for action in items:
        text = action.text()
        if _mnemonic(text) is not None:
            continue
        for i, char in enumerate(text):
            if char.isalnum() and char.lower() not in taken:
                taken.add(char.lower())
                action.setText(f"{text[:i]}&{text[i:]}")
                break


def install_mnemonics(window: QMainWindow) -> None:
    """Now, and each time a menu opens (their items change: tag types, recent projects)."""
    for top in window.menuBar().actions():
        menu = top.menu()
        if menu is not None:
            _give_all(menu)
            menu.aboutToShow.connect(lambda m=menu: _give_all(m))


def _give_all(menu: QMenu) -> None:
    give_mnemonics(menu)
    for action in menu.actions():
        if action.menu() is not None:
            _give_all(action.menu())


def _mnemonic(text: str) -> str | None:
    i = text.replace("&&", "").find("&")
    stripped = text.replace("&&", "")
    return stripped[i + 1].lower() if 0 <= i < len(stripped) - 1 else None


class KeyboardShortcutsDialog(QDialog):
    """A filterable table: type "export" or "Ctrl+E" to find a key or what a key does."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.setWindowTitle("Keyboard shortcuts")
        model = QStandardItemModel(0, 3, self)
        model.setHorizontalHeaderLabels(["Keys", "Action", "Where"])
        for row in full_rows(window):
            model.appendRow([QStandardItem(cell) for cell in row])
        self.proxy = QSortFilterProxyModel(self, filterKeyColumn=-1)
        self.proxy.setSourceModel(model)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.filter = QLineEdit(placeholderText="Filter: a key or a word (e.g. Ctrl+E, export)")
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.table = QTableView(self)
        self.table.setModel(self.proxy)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        note = QLabel(
            "Every menu also opens with Alt and its underlined letter; Tab moves between fields."
        )
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        for widget in (self.filter, self.table, note):
            layout.addWidget(widget)
        self.resize(760, 620)

    def row_count(self) -> int:
        return self.proxy.rowCount()


def show_shortcuts(window: QMainWindow) -> KeyboardShortcutsDialog:
    dialog = KeyboardShortcutsDialog(window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
