"""The read-only article with its highlights.

Highlights are painted, never written into the document: per-span formats (QualCoder's way) take
20 s to open a 1 MB article with 10k tags; painting translucent rectangles for the visible lines
only costs the same whatever the total. Stored offsets are code points; Qt's are UTF-16 units, so
every position crosses `Utf16Map` here at the widget boundary and nowhere else.
"""

from __future__ import annotations

import gc
import html
from collections.abc import Callable

from PySide6.QtCore import QEvent, QPoint, Qt, Signal
from PySide6.QtGui import QColor, QFont, QTextCursor, QTextOption
from PySide6.QtWidgets import QPlainTextEdit, QToolTip, QWidget

from app.grading import effective_grade, grade_explanation
from app.model import Annotation, Document, TagType
from app.offsets import Utf16Map, snap_span
from widgets.article_paint import PaintsHighlights
from widgets.article_suggestions import SuggestionsInView
from widgets.find_layer import FindInView, FindLayer
from widgets.overlay import Overlay
from widgets.span_index import Span, SpanIndex
from widgets.suggestion_layer import SuggestionLayer


class ArticleView(PaintsHighlights, FindInView, SuggestionsInView, QPlainTextEdit):
    annotation_selected = Signal(object)  # Annotation | None
    document_changed = Signal(object)  # document id | None
    context_menu_requested = Signal(QPoint, list, object)  # global pos, annotations, span | None
    suggestion_accepted = Signal(object)  # the Occurrence the analyst accepted (Enter/Space)
    suggestion_rejected = Signal(object)  # … or rejected (Backspace)
    first_painted = Signal(object)  # document id: the document is on screen (once per opening)

    def __init__(
        self, lookup: Callable[[str], Annotation | None], parent: QWidget | None = None
    ) -> None:
        """`lookup` fetches one annotation by id: the view holds only spans (id, offsets, type),
        and asks for the full record when the analyst hovers, clicks or edits."""
        super().__init__(parent)
        self._lookup = lookup
        self.setReadOnly(True)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setAcceptDrops(False)  # files dropped here go to the window, which imports them
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.setMouseTracking(True)
        font = QFont(self.font())
        font.setPointSizeF(max(font.pointSizeF(), 11.5))
        self.setFont(font)
        self.document().setDocumentMargin(18)
        self.snap_to_words = True
        self._doc: Document | None = None
        self._map = Utf16Map("")
        self._index = SpanIndex()
        self._colors: dict[int, QColor] = {}
        self._names: dict[int, str] = {}
        self._selected: str | None = None
        self._press_pos: QPoint | None = None
        self._view_state: dict[int, tuple[int, int, int]] = {}
        self.overlay = Overlay()
        # (name, reliability) of a document's source, for tooltips; set by the window
        self.source_of: Callable[[int], tuple[str, str | None]] | None = None
        self.suggestions = SuggestionLayer()
        self.find_layer = FindLayer()  # Ctrl+F's matches (widgets/find_bar.py)
        self._unpainted = False

    # ------------------------------------------------------------ content

    @property
    def document_id(self) -> int | None:
        return self._doc.id if self._doc else None

    @property
    def text(self) -> str:
        return self._doc.text if self._doc else ""

    def set_tag_types(self, tag_types: list[TagType]) -> None:
        self._colors = {t.id: QColor(t.color) for t in tag_types}
        self._names = {t.id: t.name for t in tag_types}
        self.viewport().update()

    def set_document(self, doc: Document | None, spans: list[tuple[str, int, int, int]]) -> None:
        """Show a document; the previous one's scroll position and cursor are kept for later."""
        if self._doc is not None:
            tc = self.textCursor()
            self._view_state[self._doc.id] = (
                self.verticalScrollBar().value(),
                tc.anchor(),
                tc.position(),
            )
        self._doc = doc
        self._unpainted = doc is not None
        self._selected = None
        self._map = Utf16Map(doc.text if doc else "")
        self.setPlainText(doc.text if doc else "")
        self._load_spans(spans)
        self.overlay.clear()
        self.suggestions.clear()
        self.document_changed.emit(doc.id if doc else None)
        state = self._view_state.get(doc.id) if doc else None
        if state:
            tc = self.textCursor()
            tc.setPosition(min(state[1], self._map.length_utf16))
            tc.setPosition(min(state[2], self._map.length_utf16), QTextCursor.MoveMode.KeepAnchor)
            self.setTextCursor(tc)
            self.verticalScrollBar().setValue(state[0])
        self.annotation_selected.emit(None)

    def _load_spans(self, spans: list[tuple[str, int, int, int]]) -> None:
        """(id, start, end, tag_type_id) rows in start order, longest first. The collector is held
        off while tens of thousands of tuples are made: it would otherwise scan them repeatedly."""
        to16 = self._map.to_utf16
        enabled = gc.isenabled()
        gc.disable()
        try:
            if self._map.identity:
                built = [Span(s, e, key, t) for key, s, e, t in spans]
            else:
                built = [Span(to16(s), to16(e), key, t) for key, s, e, t in spans]
            self._index.reset(built, presorted=True)
        finally:
            if enabled:
                gc.enable()

    def _span(self, a: Annotation) -> Span:
        return Span(self._map.to_utf16(a.start), self._map.to_utf16(a.end), a.id, a.tag_type_id)

    def add_annotations(self, annotations: list[Annotation]) -> None:
        mine = [a for a in annotations if self._doc and a.document_id == self._doc.id]
        for a in mine:
            self._index.add(self._span(a))
        if mine:
            self.viewport().update()

    def remove_annotations(self, annotations: list[Annotation]) -> None:
        changed = False
        for a in annotations:
            changed |= self._index.remove(a.id)
        if self._selected and self._selected not in self._index:
            self._selected = None
            self.annotation_selected.emit(None)
        if changed:
            self.viewport().update()

    def update_annotation(self, old: Annotation, new: Annotation) -> None:
        if old.id in self._index:
            self.remove_annotations([old])
            self.add_annotations([new])
            if self._selected is None and new.id in self._index:
                self.select_annotation(new.id, reveal=False)

    def set_overlay(self, items) -> None:
        """Outlined spans over the text: (key, start, end, colour, dashed, tooltip html)."""
        self.overlay.set(items, self._map.to_utf16)
        self.viewport().update()

    def annotation_ids(self) -> list[str]:
        """Ids of the annotations shown, in start order."""
        return self._index.keys()

    def annotations(self) -> list[Annotation]:
        """The annotations shown, fetched one by one: for inspection, not for hot paths."""
        return [a for a in map(self._lookup, self._index.keys()) if a is not None]

    # ------------------------------------------------------------ selection

    def selected_span(self) -> tuple[int, int] | None:
        """The text selection in code points, trimmed (and snapped to words when that is on)."""
        tc = self.textCursor()
        if not tc.hasSelection() or self._doc is None:
            return None
        start = self._map.to_code_point(tc.selectionStart())
        end = self._map.to_code_point(tc.selectionEnd())
        if self._map.to_utf16(end) < tc.selectionEnd():
            end += 1  # a selection ending inside a surrogate pair includes that character
        return snap_span(self._doc.text, start, end, to_words=self.snap_to_words)

    def select_span(self, start: int, end: int) -> None:
        tc = self.textCursor()
        tc.setPosition(self._map.to_utf16(start))
        tc.setPosition(self._map.to_utf16(end), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(tc)

    def selected_annotation(self) -> Annotation | None:
        return self._lookup(self._selected) if self._selected else None

    def select_annotation(self, annotation_id: str | None, *, reveal: bool = True) -> None:
        self._selected = annotation_id if annotation_id in self._index else None
        ann = self.selected_annotation()
        if ann and reveal:
            tc = self.textCursor()
            tc.setPosition(self._map.to_utf16(ann.start))
            self.setTextCursor(tc)
            self.centerCursor()
        self.viewport().update()
        self.annotation_selected.emit(ann)

    def annotations_at(self, cp: int) -> list[Annotation]:
        """Innermost first: the shortest span is what a click most likely meant."""
        found = [self._lookup(s.key) for s in self._index.at(self._map.to_utf16(cp))]
        return sorted((a for a in found if a), key=lambda a: (a.end - a.start, a.start))

    def _code_point_at(self, pos: QPoint) -> int | None:
        """The character under a viewport point, or None past the end of a line."""
        tc = self.cursorForPosition(pos)
        rect = self.cursorRect(tc)
        u16 = tc.position() - (1 if pos.x() < rect.x() else 0)
        if (
            u16 < 0
            or u16 >= self._map.length_utf16
            or self.text[self._map.to_code_point(u16)] == "\n"
        ):
            return None
        return self._map.to_code_point(u16)

    # ------------------------------------------------------------ events

    def mousePressEvent(self, event) -> None:
        self._press_pos = event.position().toPoint()
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event) -> None:
        super().mouseReleaseEvent(event)
        pos = event.position().toPoint()
        if event.button() != Qt.MouseButton.LeftButton:
            return
        if self.textCursor().hasSelection():
            span = self.selected_span() if self.snap_to_words else None
            if span:
                self.select_span(*span)  # show the snapped span, so what is tagged is what is seen
            return
        if self._press_pos is not None and (pos - self._press_pos).manhattanLength() < 4:
            self._click_at(pos)

    def _click_at(self, pos: QPoint) -> None:
        cp = self._code_point_at(pos)
        stack = self.annotations_at(cp) if cp is not None else []
        if not stack:
            self.select_annotation(None)
            return
        ids = [a.id for a in stack]
        # Clicking the same place again cycles through everything stacked there.
        nxt = ids[(ids.index(self._selected) + 1) % len(ids)] if self._selected in ids else ids[0]
        self.select_annotation(nxt, reveal=False)

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Escape and self._selected:
            self.select_annotation(None)
            return
        item = self.suggestions.current_item()
        if item is not None and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
                self.suggestion_accepted.emit(item)
                return
            if event.key() == Qt.Key.Key_Backspace:
                self.suggestion_rejected.emit(item)
                return
        super().keyPressEvent(event)

    def contextMenuEvent(self, event) -> None:
        """The mouse's place, or with the Menu key (Shift+F10) the text cursor's: the keyboard
        reaches a highlight's actions (split, delete, edit) by moving the cursor into it."""
        pos, where = event.pos(), event.globalPos()
        if event.reason() == event.Reason.Keyboard:
            pos = self.cursorRect().center()
            where = self.viewport().mapToGlobal(self.cursorRect().bottomLeft())
        cp = self._code_point_at(pos)
        stack = self.annotations_at(cp) if cp is not None else []
        if stack and self._selected not in {a.id for a in stack}:
            self.select_annotation(stack[0].id, reveal=False)
        self.context_menu_requested.emit(where, stack, self.selected_span())

    def event(self, event) -> bool:
        if (
            event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab)
            and len(self.suggestions)
        ):  # Tab steps through suggestions instead of moving the focus, while there are any
            self.step_suggestion(forward=event.key() == Qt.Key.Key_Tab)
            return True
        if event.type() == QEvent.Type.ToolTip:
            cp = self._code_point_at(self.viewport().mapFromGlobal(event.globalPos()))
            stack = self.annotations_at(cp) if cp is not None else []
            u16 = self._map.to_utf16(cp) if cp is not None else None
            extra = [] if u16 is None else [
                *self.overlay.tips_at(u16), *self.suggestions.tips_at(u16, self._names)
            ]  # fmt: skip
            if stack or extra:
                text = self.tooltip_html(stack) + "".join(extra)
                QToolTip.showText(event.globalPos(), text, self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)

    def tooltip_html(self, stack: list[Annotation]) -> str:
        rows = []
        doc_id = self.document_id
        source = self.source_of(doc_id) if self.source_of and doc_id is not None else ("", None)
        for a in stack:
            colour = self._colors.get(a.tag_type_id, QColor("gray")).name()
            shown = effective_grade(a.grade, source[1])[0]  # the source fills in reliability
            what = html.escape(a.entity or shown.compact or "")
            grade = f" · {html.escape(shown.description)}" if shown.compact and a.entity else ""
            if not a.entity and shown.compact:
                what = f"<b>{what}</b> — {html.escape(shown.description)}"
            origin = html.escape(grade_explanation(a.grade, *source))
            origin = f"<br><span style='color:#555'>{origin}</span>" if origin else ""
            note = f"<br><i>{html.escape(a.note)}</i>" if a.note else ""
            rows.append(
                f"<p style='margin:2px 0'><span style='color:{colour}'>■</span> "
                f"<b>{html.escape(self._names.get(a.tag_type_id, '?'))}</b>: {what}{grade}{origin}"
                f"<br>“{html.escape(a.quote[:80])}” — {html.escape(a.annotator or 'unknown')}"
                f"{note}</p>"
            )
        return "".join(rows)
