"""Help ▸ Keyboard shortcuts lists every key, and every action can be reached without a mouse.

The window is walked as it is built, so these hold for features added later: a new menu item needs
a mnemonic, a new QShortcut a description, and a key bound twice (which Qt answers by doing
nothing at all, "ambiguous shortcut") fails here instead of on an analyst's desk.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractButton, QApplication, QDockWidget, QMenu

from tests.gui_helpers import make_window
from widgets.keyboard_help import KeyboardShortcutsDialog, full_rows

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
NATIVE = QKeySequence.SequenceFormat.NativeText
SEP = r", | / | or "  # between keys in one row: "F2 / Ins", "Enter or Space"


def keyed_objects(window) -> list[tuple[str, QAction | QShortcut]]:
    found = []
    for action in window.findChildren(QAction):
        found += [(k.toString(NATIVE), action) for k in action.shortcuts() if not k.isEmpty()]
    for shortcut in window.findChildren(QShortcut):
        found += [(k.toString(NATIVE), shortcut) for k in shortcut.keys() if not k.isEmpty()]  # noqa: SIM118 (Qt's keys())
    return found


def listed_keys(window) -> set[str]:
    return {key for keys, _text, _where in full_rows(window) for key in keys.split(", ")}


def test_the_help_lists_every_key_of_every_action_and_shortcut_in_the_window(qtbot, db):
    window = make_window(qtbot, db)
    listed = listed_keys(window)
    keyed = keyed_objects(window)
    assert len(keyed) > 30  # the walk finds the menus, the tag keys and the panels' shortcuts
    for key, obj in keyed:
        assert key in listed, f"{key} ({getattr(obj, 'text', obj.whatsThis)()}) is not in Help"
        if isinstance(obj, QShortcut):
            assert obj.whatsThis(), f"the QShortcut for {key} does not say what it does"


def test_f1_opens_the_list_and_typing_filters_it(qtbot, db):
    window = make_window(qtbot, db)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    window.actions["shortcuts"].trigger()
    dialog = window.findChild(KeyboardShortcutsDialog)
    assert dialog is not None and dialog.isVisible()
    everything = dialog.row_count()
    qtbot.keyClicks(dialog.filter, "export csv")
    assert 0 < dialog.row_count() < everything
    shown = {dialog.proxy.index(r, 1).data() for r in range(dialog.row_count())}
    assert all("export csv" in text.lower() for text in shown), shown
    dialog.close()


def readme_table() -> str:
    return README[README.index("## Keyboard shortcuts") : README.index("## Command line")]


def test_every_key_in_help_is_explained_in_the_readme_and_the_other_way_round(qtbot, db):
    window = make_window(qtbot, db)
    table = readme_table()
    for keys, text, _where in full_rows(window):
        for key in re.split(SEP, keys):
            if len(key) == 1 and key.isdigit():
                assert re.search(rf"\b{key}\b", table), f"tag key {key} ({text}) missing"
            else:
                assert key in table, f"{key} ({text}) is not in the README's shortcut table"
    helped = {k.lower() for keys, _t, _w in full_rows(window) for k in re.split(SEP, keys)}
    for line in table.splitlines():
        cell = line.split("|")[1].strip() if line.startswith("| ") else ""
        if cell and cell not in ("Keys", "1, 2, 3") and not cell.startswith("Alt+"):
            first = re.split(SEP, cell)[0].lower()
            assert first in helped, f"README row {cell!r} is not in Help ▸ Keyboard shortcuts"


def menu_tree(window) -> list[QMenu]:
    menus, todo = [], [a.menu() for a in window.menuBar().actions() if a.menu()]
    while todo:
        menu = todo.pop()
        menus.append(menu)
        todo += [a.menu() for a in menu.actions() if a.menu()]
    return menus


def mnemonic(text: str) -> str | None:
    match = re.search(r"&([^&])", text)
    return match.group(1).lower() if match else None


def test_every_menu_and_menu_item_opens_with_alt_and_a_letter_of_its_own(qtbot, db):
    window = make_window(qtbot, db)
    tops = [a for a in window.menuBar().actions() if a.menu()]
    letters = [mnemonic(a.text()) for a in tops]
    assert None not in letters and len(set(letters)) == len(letters), [a.text() for a in tops]
    for menu in menu_tree(window):
        items = [a for a in menu.actions() if not a.isSeparator() and a.isVisible()]
        letters = [mnemonic(a.text()) for a in items]
        missing = [a.text() for a, m in zip(items, letters, strict=True) if m is None]
        assert not missing, f"{menu.title()}: no Alt letter for {missing}"
        twice = [m for m, n in Counter(letters).items() if n > 1]
        assert not twice, f"{menu.title()}: letters used twice: {twice}"


def window_wide(obj: QAction | QShortcut) -> bool:
    context = obj.shortcutContext() if isinstance(obj, QAction) else obj.context()
    return obj.isEnabled() and context in (
        Qt.ShortcutContext.WindowShortcut, Qt.ShortcutContext.ApplicationShortcut
    )  # fmt: skip


def test_no_key_is_bound_twice_across_the_window(qtbot, db):
    """Qt answers a key bound twice in one context with nothing at all."""
    window = make_window(qtbot, db)
    owners: dict[str, set[int]] = {}
    for key, obj in keyed_objects(window):
        if window_wide(obj):
            owners.setdefault(key, set()).add(id(obj))
    clashes = sorted(key for key, objs in owners.items() if len(objs) > 1)
    assert not clashes, f"bound twice: {clashes}"


def test_every_button_in_the_panels_can_be_reached_with_tab(qtbot, db):
    window = make_window(qtbot, db)
    window.show()
    qtbot.waitExposed(window)
    unreachable, checked = [], 0
    for dock in window.findChildren(QDockWidget):
        dock.show()
        QApplication.processEvents()
        for button in dock.widget().findChildren(QAbstractButton):
            if not button.isVisibleTo(dock) or not button.isEnabled():
                continue
            checked += 1
            if not button.focusPolicy() & Qt.FocusPolicy.TabFocus:
                action = button.defaultAction() if hasattr(button, "defaultAction") else None
                if not (action and not action.shortcut().isEmpty()):
                    unreachable.append(f"{dock.windowTitle()}: {button.text() or button.toolTip()}")
    assert checked > 5 and not unreachable, unreachable


def test_each_row_names_its_action_as_the_menu_does(qtbot, db):
    rows = {(keys, text) for keys, text, _where in full_rows(make_window(qtbot, db))}
    delete = QKeySequence("Delete").toString(NATIVE)
    assert (delete, "Delete annotation") in rows  # not cut to "ete annotation" by its key "Del"
    assert ("1", "Actor") in rows and ("Ctrl+F", "Find…") in rows
