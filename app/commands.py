"""Undoable edits. Every user edit is one of these, pushed on the window's single QUndoStack;
redo/undo call the store, so the database follows the stack exactly."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence

from PySide6.QtGui import QUndoCommand, QUndoStack

from app.model import Annotation, Document, TagType
from app.store import Store
from app.store_steps import CreatedRows

_SKIP_REDO = "_loupe_skip_redo"  # set by `step`: this redo was done already, or never happened
_DONE_ONCE = "_loupe_done_once"


def _dropped_if_failed(redo: Callable[[QUndoCommand], None]) -> Callable[[QUndoCommand], None]:
    """A redo that raises marks its command obsolete, so QUndoStack.push does not keep it: a failed
    edit left on the stack would make the next Ctrl+Z undo something that never happened (for a
    duplicate AddAnnotations, delete the annotation that was already there). Only its first run
    (the push) does that: a redo from Edit ▸ Redo that fails keeps its place (see `step`)."""

    @functools.wraps(redo)
    def guarded(self: QUndoCommand) -> None:
        if getattr(self, _SKIP_REDO, False):
            setattr(self, _SKIP_REDO, False)
            return
        try:
            redo(self)
        except BaseException:
            if not getattr(self, _DONE_ONCE, False):
                self.setObsolete(True)
            raise
        setattr(self, _DONE_ONCE, True)

    guarded.steps_safely = True
    return guarded


def step(stack: QUndoStack, *, forward: bool) -> None:
    """Edit ▸ Undo and Redo. QUndoStack moves its index even when the command's undo or redo raised
    (its transaction rolled back: a full disk, a failing drive), so the history would claim a step
    the project never took, and the next Ctrl+Z would undo the wrong one. Here a step that fails
    leaves the history where it was, ready to be tried again; the error goes on to the caller."""
    index = stack.index()
    if not (stack.canRedo() if forward else stack.canUndo()):
        return
    command = stack.command(index if forward else index - 1)
    if not getattr(type(command).redo, "steps_safely", False):  # a macro: Qt's own behaviour
        stack.redo() if forward else stack.undo()
        return
    if forward:
        command.redo()  # a failure raises here, before the stack moved
        setattr(command, _SKIP_REDO, True)
        stack.redo()  # only moves the index
        return
    try:
        stack.undo()
    except BaseException:
        if stack.index() == index - 1:
            setattr(command, _SKIP_REDO, True)
            stack.setIndex(index)  # back where it was, without writing anything
        raise


class AddAnnotations(QUndoCommand):
    def __init__(self, store: Store, annotations: Sequence[Annotation], text: str = "") -> None:
        n = len(annotations)
        super().__init__(
            text or (f"Tag “{annotations[0].quote[:30]}”" if n == 1 else f"Add {n} tags")
        )
        self._store, self._annotations = store, list(annotations)
        self._made = CreatedRows()  # entities and aliases these tags create: undo takes them away

    @_dropped_if_failed
    def redo(self) -> None:
        self._store.add_annotations(self._annotations, self._made)

    def undo(self) -> None:
        self._store.remove_annotations(self._annotations, forget=self._made)


class RemoveAnnotations(QUndoCommand):
    def __init__(self, store: Store, annotations: Sequence[Annotation]) -> None:
        n = len(annotations)
        super().__init__(
            f"Delete tag “{annotations[0].quote[:30]}”" if n == 1 else f"Delete {n} tags"
        )
        self._store, self._annotations = store, list(annotations)

    @_dropped_if_failed
    def redo(self) -> None:
        self._store.remove_annotations(self._annotations)

    def undo(self) -> None:
        self._store.add_annotations(self._annotations, CreatedRows.restoring())


class EditAnnotation(QUndoCommand):
    def __init__(self, store: Store, old: Annotation, new: Annotation, text: str) -> None:
        super().__init__(text)
        self._store, self._old, self._new = store, old, new
        self._made = CreatedRows()

    @_dropped_if_failed
    def redo(self) -> None:
        self._store.update_annotation(self._old, self._new, self._made)

    def undo(self) -> None:
        self._store.update_annotation(
            self._new, self._old, CreatedRows.restoring(), forget=self._made
        )


class AddDocuments(QUndoCommand):
    """Undo of an import removes the documents it added (their tags were undone before it)."""

    def __init__(self, store: Store, documents: Sequence[Document]) -> None:
        n = len(documents)
        super().__init__(f"Open “{documents[0].title[:30]}”" if n == 1 else f"Open {n} documents")
        self._store, self._documents = store, list(documents)
        self.added: list[Document] = []
        self._made = CreatedRows()  # the sources they name that were not there

    @_dropped_if_failed
    def redo(self) -> None:
        # Re-adding keeps the original ids, so annotations redone later still point at them.
        self.added = self._store.add_documents(self.added or self._documents, self._made)

    def undo(self) -> None:
        self._store.remove_documents([d.id for d in self.added], forget=self._made)


class EditDocument(QUndoCommand):
    def __init__(self, store: Store, old: Document, new: Document) -> None:
        super().__init__(f"Edit properties of “{new.title[:30]}”")
        self._store, self._old, self._new = store, old, new
        self._made = CreatedRows()  # a source named for the first time

    @_dropped_if_failed
    def redo(self) -> None:
        self._store.update_document(self._new, self._made)

    def undo(self) -> None:
        self._store.update_document(self._old, CreatedRows.restoring(), forget=self._made)


class AddTagType(QUndoCommand):
    def __init__(self, store: Store, tag: TagType) -> None:
        super().__init__(f"Add tag type “{tag.name}”")
        self._store, self._tag = store, tag
        self.added: TagType | None = None

    @_dropped_if_failed
    def redo(self) -> None:
        self.added = self._store.add_tag_type(self.added or self._tag)

    def undo(self) -> None:
        if self.added is not None:
            self._store.remove_tag_type(self.added.id)


class EditTagType(QUndoCommand):
    def __init__(self, store: Store, old: TagType, new: TagType) -> None:
        super().__init__(f"Change tag type “{old.name}”")
        self._store, self._old, self._new = store, old, new

    @_dropped_if_failed
    def redo(self) -> None:
        self._store.update_tag_type(self._new)

    def undo(self) -> None:
        self._store.update_tag_type(self._old)


class RemoveTagType(QUndoCommand):
    """Removes the type with its entities and annotations; undo restores all of them, same ids."""

    def __init__(self, store: Store, tag: TagType) -> None:
        super().__init__(f"Remove tag type “{tag.name}”")
        self._store, self._tag = store, tag
        self._snapshot = None

    @_dropped_if_failed
    def redo(self) -> None:
        self._snapshot = self._store.remove_tag_type(self._tag.id)

    def undo(self) -> None:
        self._store.restore_tag_type(self._snapshot)


class ImportColleagueFile(QUndoCommand):
    """An import is one step: undo drops the layer and the documents the file brought."""

    def __init__(self, store: Store, plan, progress=None) -> None:
        """`progress` (see `Store.apply_import`) watches the first write only: the one the
        analyst can cancel."""
        super().__init__(f"Import {plan.layer.source_file} as “{plan.layer.name}”")
        self._store, self._plan, self._progress = store, plan, progress
        self.added: list[Document] = []
        self._made = CreatedRows()  # sources of the documents the file brought

    @_dropped_if_failed
    def redo(self) -> None:
        from dataclasses import replace

        plan = replace(self._plan, new_documents=tuple(self.added)) if self.added else self._plan
        progress, self._progress = self._progress, None
        self.added = self._store.apply_import(plan, progress, self._made)

    def undo(self) -> None:
        ids = [d.id for d in self.added]
        self._store.remove_import(self._plan.layer.name, ids, forget=self._made)


class ReviewDecision(QUndoCommand):
    """Accept theirs, reject theirs, keep mine: the analyst's tags and the verdicts move together.
    `theirs`/`own` hold (id, new verdict, old verdict)."""

    def __init__(
        self, store: Store, layer: str, text: str, *, theirs=(), own=(), add=(), remove=()
    ) -> None:
        super().__init__(text)
        self._store, self._layer = store, layer
        self._theirs, self._own = list(theirs), list(own)
        self._add, self._remove = list(add), list(remove)
        self._made = CreatedRows()

    @_dropped_if_failed
    def redo(self) -> None:
        self._store.decide(
            self._layer, [(i, new) for i, new, _ in self._theirs],
            [(i, new) for i, new, _ in self._own], self._add, self._remove, made=self._made,
        )  # fmt: skip

    def undo(self) -> None:
        self._store.decide(
            self._layer, [(i, old) for i, _, old in self._theirs],
            [(i, old) for i, _, old in self._own], self._remove, self._add,
            made=CreatedRows.restoring(), forget=self._made,
        )  # fmt: skip
