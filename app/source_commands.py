"""Undoable edits of sources: a new rating or a new name is one step on the one undo stack, and
undo writes back the source exactly as it was."""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand

from app.commands import _dropped_if_failed
from app.model import Source
from app.store import Store


class EditSource(QUndoCommand):
    """Rate or rename a source. Both fields are written on redo and undo, so a step never depends
    on what another step left in the other field."""

    def __init__(self, store: Store, old: Source, new: Source) -> None:
        if new.name != old.name:
            text = f"Rename source “{old.name}” to “{new.name}”"
        else:
            text = f"Rate source “{new.name}” {new.reliability or 'not rated'}"
        super().__init__(text)
        self._store, self._old, self._new = store, old, new

    @_dropped_if_failed
    def redo(self) -> None:
        self._store.update_source(self._new)

    def undo(self) -> None:
        self._store.update_source(self._old)
