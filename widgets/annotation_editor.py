"""What the analyst does to annotations: tag a selection, change type/entity/grade/note, delete,
jump between mentions. Each edit becomes one command on the undo stack; nothing here writes
directly.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QObject, QPoint, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QMenu, QWidget

from app import drafts
from app.commands import AddAnnotations, EditAnnotation, RemoveAnnotations
from app.grading import effective_grade, grade_explanation
from app.model import Annotation, Grade, TagType, utc_now
from app.offsets import new_annotation
from app.store import Store
from widgets import prompts
from widgets.article_view import ArticleView
from widgets.drafts import DraftKeeper


class AnnotationEditor(QObject):
    status_message = Signal(str)
    document_requested = Signal(int)  # a jump needs another document open

    def __init__(
        self,
        store: Store,
        undo_stack: QUndoStack,
        view: ArticleView,
        parent: QWidget,
        annotator: str,
    ) -> None:
        super().__init__(parent)
        self._store, self._stack, self._view, self._parent = store, undo_stack, view, parent
        self.annotator = annotator
        self._jump: tuple[tuple[int, str], int, int | None] | None = None

    def _source(self) -> tuple[str, str | None]:
        """The open document's source (name, rating): a claim graded here may borrow it."""
        doc_id = self._view.document_id
        return self._store.document_source(doc_id) if doc_id is not None else ("", None)

    def _popup_pos(self) -> QPoint:
        rect = self._view.cursorRect()
        return self._view.viewport().mapToGlobal(rect.bottomLeft() + QPoint(0, 8))

    def _keeper(self, dialog: str, tag_type_id: int, doc_id, start, end, ann=None) -> DraftKeeper:
        """The draft of the dialog about to open: typing survives a crash (widgets/drafts.py)."""
        if ann is not None:
            doc_id, start, end = ann.document_id, ann.start, ann.end
        key = drafts.DraftKey(dialog, doc_id, tag_type_id, start, end, ann.id if ann else None)
        return DraftKeeper(self._store, key)

    def _ask(self, tag: TagType, quote: str, entity: str = "", grade: Grade = Grade(), note="",
             draft: DraftKeeper | None = None):  # fmt: skip
        """(entity, grade, note) for a tag of this type, or None if the analyst cancelled."""
        if tag.asks_for_entity:
            names = self._store.entity_names(tag.id)
            got = prompts.ask_entity(
                self._parent, tag, names, entity or quote, note, self._popup_pos(), draft=draft
            )
            return None if got is None else (got[0], Grade(), got[1])
        got = prompts.ask_grade(
            self._parent, grade, note, self._popup_pos(), source=self._source(), draft=draft
        )
        return None if got is None else ("", got[0], got[1])

    def _dialog_of(self, tag: TagType) -> str:
        return drafts.ENTITY if tag.asks_for_entity else drafts.GRADE

    # ------------------------------------------------------------ tagging

    def tag_selection(self, tag_type_id: int) -> Annotation | None:
        tag = self._store.tag_type(tag_type_id)
        span = self._view.selected_span()
        doc_id = self._view.document_id
        if tag is None or doc_id is None:
            return None
        if span is None:
            self.status_message.emit("Select some text first, then press the tag's key.")
            return None
        start, end = span
        return self.tag_span(tag, doc_id, start, end)

    def tag_span(self, tag: TagType, doc_id: int, start: int, end: int) -> Annotation | None:
        """Ask for the details and tag [start, end) of the open document."""
        text = self._view.text
        keeper = self._keeper(self._dialog_of(tag), tag.id, doc_id, start, end)
        answer = self._ask(tag, text[start:end], draft=keeper)
        if answer is None:
            return None
        entity, grade, note = answer
        ann = new_annotation(
            text,
            doc_id,
            start,
            end,
            tag.id,
            entity=entity,
            grade=grade,
            note=note,
            annotator=self.annotator,
        )
        self._stack.push(AddAnnotations(self._store, [ann]))
        keeper.discard()
        tc = self._view.textCursor()
        tc.clearSelection()
        self._view.setTextCursor(tc)
        self._view.select_annotation(ann.id, reveal=False)
        label = entity or grade_explanation(grade, *self._source())
        self.status_message.emit(f"Tagged “{ann.quote[:40]}” as {tag.name}: {label}")
        return ann

    # ------------------------------------------------------------ edits of one annotation

    def _edit(self, old: Annotation, new: Annotation, text: str) -> None:
        self._stack.push(EditAnnotation(self._store, old, replace(new, updated_at=utc_now()), text))

    def change_type(self, ann: Annotation, tag_type_id: int) -> None:
        old_tag, tag = self._store.tag_type(ann.tag_type_id), self._store.tag_type(tag_type_id)
        if tag is None or tag.id == ann.tag_type_id:
            return
        entity, grade = ann.entity, ann.grade
        keeper = None
        if old_tag is None or old_tag.kind != tag.kind:
            keeper = self._keeper(self._dialog_of(tag), tag.id, None, 0, 0, ann)
            answer = self._ask(tag, ann.quote, note=ann.note, draft=keeper)
            if answer is None:
                return
            entity, grade, _ = answer
        self._edit(
            ann,
            replace(ann, tag_type_id=tag.id, entity=entity, grade=grade),
            f"Change tag to {tag.name}",
        )
        if keeper is not None:
            keeper.discard()

    def change_details(self, ann: Annotation) -> None:
        """The entity of an entity tag, or the grade of a credibility tag."""
        tag = self._store.tag_type(ann.tag_type_id)
        if tag is None:
            return
        keeper = self._keeper(self._dialog_of(tag), tag.id, None, 0, 0, ann)
        answer = self._ask(tag, ann.quote, ann.entity, ann.grade, ann.note, draft=keeper)
        if answer is not None:
            entity, grade, note = answer
            new = replace(ann, entity=entity, grade=grade, note=note)
            if new != ann:
                self._edit(ann, new, f"Edit {tag.name} tag")
            keeper.discard()

    def edit_note(self, ann: Annotation) -> None:
        keeper = self._keeper(drafts.NOTE, ann.tag_type_id, None, 0, 0, ann)
        note = prompts.ask_note(self._parent, ann.note, draft=keeper)
        if note is not None and note != ann.note:
            self._edit(ann, replace(ann, note=note), "Edit note")
        if note is not None:
            keeper.discard()

    def delete(self, ann: Annotation | None = None) -> None:
        ann = ann or self._view.selected_annotation()
        if ann is None:
            self.status_message.emit("Click a highlight to select it, then press Delete.")
            return
        self._stack.push(RemoveAnnotations(self._store, [ann]))

    # ------------------------------------------------------------ context menu

    def build_context_menu(self, stack: list[Annotation], span) -> QMenu:
        menu = QMenu(self._parent)
        types = self._store.tag_types()
        if span is not None:
            for tag in types:
                key = f"\t{tag.shortcut}" if tag.shortcut else ""
                menu.addAction(f"Tag as {tag.name}{key}", lambda t=tag.id: self.tag_selection(t))
        ann = self._view.selected_annotation()
        if ann is not None:
            if not menu.isEmpty():
                menu.addSeparator()
            tag = self._store.tag_type(ann.tag_type_id)
            label = ann.entity or effective_grade(ann.grade, self._source()[1])[0].compact
            menu.addSection(f"{tag.name if tag else '?'}: {label}")
            change = menu.addMenu("Change type")
            for other in types:
                action = change.addAction(other.name, lambda t=other.id: self.change_type(ann, t))
                action.setEnabled(other.id != ann.tag_type_id)
            what = "entity" if tag and tag.asks_for_entity else "grade"
            menu.addAction(f"Change {what}…", lambda: self.change_details(ann))
            menu.addAction("Edit note…", lambda: self.edit_note(ann))
            menu.addAction("Delete\tDel", lambda: self.delete(ann))
            others = [a for a in stack if a.id != ann.id]
            if others:
                pick = menu.addMenu("Select another annotation here")
                for other in others:
                    name = self._store.tag_type(other.tag_type_id)
                    pick.addAction(
                        f"{name.name if name else '?'}: {other.entity or other.grade.compact} "
                        f"“{other.quote[:30]}”",
                        lambda a=other.id: self._view.select_annotation(a, reveal=False),
                    )
        if menu.isEmpty():
            menu.addAction("Select text to tag it").setEnabled(False)
        return menu

    # ------------------------------------------------------------ mentions

    def jump_to_mention(self, tag_type_id: int, entity: str) -> None:
        """Each call moves to the next mention, starting in the open document, across documents."""
        current = self._view.document_id
        key = (tag_type_id, entity)
        continuing = self._jump is not None and self._jump[0] == key
        anchor = self._jump[2] if continuing else current  # the order must not shift mid-cycle
        found = self._store.mentions(None, tag_type_id, entity)
        found.sort(key=lambda m: (m[0] != anchor, m[0], m[1]))
        if not found:
            return
        index = (self._jump[1] + 1) % len(found) if continuing else 0
        self._jump = (key, index, anchor)
        doc_id, _start, _end, ann_id = found[index]
        if doc_id != current:
            self.document_requested.emit(doc_id)
        self._view.select_annotation(ann_id, reveal=True)
        self.status_message.emit(f"{entity}: mention {index + 1} of {len(found)}")
