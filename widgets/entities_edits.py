"""The Entities panel's edits that ask first: the context menu, adding an alias, choosing what to
merge, and deleting with the number of mentions that go with it. Each ends in one command pushed
through `EntitiesPanel.push`, which reports a refusal as a sentence.

The questions are module-level functions so tests answer them with monkeypatch.
"""

from __future__ import annotations

from PySide6.QtWidgets import QInputDialog, QMenu, QMessageBox, QWidget

from app.entity_commands import EditAliases, MergeEntities


def ask_text(parent: QWidget, title: str, label: str, text: str = "") -> str | None:
    value, ok = QInputDialog.getText(parent, title, label, text=text)
    return value if ok else None


def pick(parent: QWidget, title: str, label: str, items: list[str]) -> str | None:
    value, ok = QInputDialog.getItem(parent, title, label, items, 0, False)
    return value if ok else None


def confirm(parent: QWidget, title: str, text: str) -> bool:
    buttons = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel
    answer = QMessageBox.question(parent, title, text, buttons, QMessageBox.StandardButton.Cancel)
    return answer == QMessageBox.StandardButton.Yes


def context_menu(panel) -> QMenu:
    """What can be done with the current row (and, for merging, the selected pair)."""
    menu, a = QMenu(panel), panel.actions_by_name
    current = panel.current()
    kind = current[0] if current else None
    if kind == "alias":
        alias = _short(current[2])
        a["split"].setText(f"&Split “{alias}” off as its own entity")
        a["remove_alias"].setText(f"Remove a&lias “{alias}”\tDelete")
        menu.addActions([a["split"], a["remove_alias"]])
        menu.addSeparator()
        menu.addAction(a["find"])
        return menu
    if kind != "entity":
        note = menu.addAction("Select an entity or an alias to edit it")
        note.setEnabled(False)
        return menu
    menu.addActions([a["find"], a["rename"], a["add_alias"]])
    menu.addSeparator()
    pair = [panel.entity(i) for i in panel.selected_entities()]
    if len(pair) == 2 and all(pair):
        for keep, gone in (pair, pair[::-1]):
            item = menu.addAction(f"Merge “{_short(gone.name)}” into “{_short(keep.name)}”")
            item.triggered.connect(lambda _=False, k=keep.id, g=gone.id: panel.merge(k, g))
    else:
        menu.addAction(a["merge"])
    menu.addSeparator()
    menu.addAction(a["delete"])
    return menu


def add_alias(panel) -> None:
    current = panel.current()
    if not current or current[0] == "type":
        return
    entity = panel.entity(current[1])
    if entity is None:
        return
    text = ask_text(panel, "Add alias", f"Another name for “{entity.name}” (found the same way "
                    "as its name when suggesting tags):")  # fmt: skip
    if text and text.strip():
        panel.push(EditAliases, entity.id, " ".join(text.split()), add=True)


def merge_selected(panel) -> None:
    """Two selected: ask which name stays. One: ask which entity of its type to merge it into."""
    ids = panel.selected_entities()
    current = panel.current()
    if not ids and current and current[0] != "type":
        ids = [current[1]]
    entities = [e for e in (panel.entity(i) for i in ids) if e is not None]
    if len(entities) == 2:
        a, b = entities
        kept = pick(panel, "Merge entities", "Keep which name? The other becomes its alias and "
                    "its mentions follow.", [a.name, b.name])  # fmt: skip
        if kept is not None:
            keep, gone = (a, b) if kept == a.name else (b, a)
            panel.push(MergeEntities, keep.id, gone.id)
        return
    if len(entities) != 1:
        panel.tell("Select one entity to merge into another, or two entities to merge them.")
        return
    (gone,) = entities
    others = sorted((e for e in panel.model.entities.values()
                     if e.tag_type_id == gone.tag_type_id and e.id != gone.id),
                    key=lambda e: e.name.casefold())  # fmt: skip
    if not others:
        panel.tell(f"“{gone.name}” is the only entity of its type; there is nothing to merge "
                   "it into.")  # fmt: skip
        return
    chosen = pick(panel, "Merge into", f"Merge “{gone.name}” into (its mentions and names "
                  "follow):", [e.name for e in others])  # fmt: skip
    keep = next((e for e in others if e.name == chosen), None)
    if keep is not None:
        panel.push(MergeEntities, keep.id, gone.id)


def delete_entities(panel, ids: list[int], command_type) -> None:
    entities = [e for e in (panel.entity(i) for i in ids) if e is not None]
    if not entities:
        return
    mentions = sum(e.mentions for e in entities)
    documents = len({d for e in entities for d in e.documents})
    if len(entities) == 1:
        e = entities[0]
        tag = panel.store.tag_type(e.tag_type_id)
        what = f"“{e.name}”" + (f" ({tag.name})" if tag else "")
    else:
        what = f"these {len(entities)} entities"
    if mentions:
        text = (f"Delete {what} and {_count(mentions, 'mention')} in "
                f"{_count(documents, 'document')}? Their highlights are removed from the "
                "articles too. Edit ▸ Undo brings everything back.")  # fmt: skip
    else:
        text = f"Delete {what}? No mention is tagged with it. Edit ▸ Undo brings it back."
    if not confirm(panel, "Delete entity" if len(entities) == 1 else "Delete entities", text):
        return
    if len(entities) == 1:
        panel.push(command_type, entities[0].id)
        return
    panel.undo_stack.beginMacro(f"Delete {len(entities)} entities")
    try:
        for e in entities:
            panel.push(command_type, e.id)
    finally:
        panel.undo_stack.endMacro()


def readable(exc: Exception) -> str:
    """The sentence for the analyst. A redo that raised reaches `QUndoStack.push` as the same
    exception type, its message prefixed by PySide's "Error calling Python override of …: "."""
    text = str(exc)
    if "Python override" in text:
        text = text.split("): ", 1)[-1]
    return text or type(exc).__name__


def _count(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
