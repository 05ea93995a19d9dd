"""Find in the article (Ctrl+F): a bar under the text, not a dialog, so the analyst reads the
matches while typing; Enter/F3 and Shift+Enter/Shift+F3 step through them, wrapping; Esc closes
it and clears the highlights. "Tag all matches as…" is widgets/find_tag_all.py.

Matching is `app.find_text` (code points of the stored text; case and accents folded there); the
highlights are the view's find layer (widgets/find_layer.py). The folded text is kept per
document and options, so a keystroke costs one search; in a long article keystrokes are gathered
for a moment first, so typing a word searches once.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.find_text import FindOptions, FoldedText, match_after
from app.store import Store
from widgets.article_view import ArticleView
from widgets.find_tag_all import MatchTagger

LONG_TEXT = 200_000  # code points: from here on, keystrokes are gathered before searching
GATHER_MS = 150
QUICK_S = 0.05  # a search that took less is repeated per keystroke even in a long article
NO_MATCH_STYLE = "QLineEdit { background: #fde2e2; }"


class _QueryEdit(QLineEdit):
    """Enter: next match, Shift+Enter: previous, Esc: close (what browsers do)."""

    def __init__(self, bar: FindBar) -> None:
        super().__init__(bar)
        self._bar = bar

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
            self._bar.step(forward=not shift)
            return
        if event.key() == Qt.Key.Key_Escape:
            self._bar.close_bar()
            return
        super().keyPressEvent(event)


class FindBar(QWidget):
    def __init__(
        self,
        store: Store,
        undo_stack,
        view: ArticleView,
        annotator: Callable[[], str],
        status: Callable[[str], None],
    ) -> None:
        """Lives inside `view`, below its text (the view's bottom margin makes room for it)."""
        super().__init__(view)
        self._store, self._stack, self._view = store, undo_stack, view
        self._status = status
        self.tagger = MatchTagger(store, undo_stack, view, annotator, status)
        self._folded: tuple[int | None, FindOptions, FoldedText] | None = None
        self._origin = 0  # code point the incremental search starts from
        self._last_cost: float | None = None  # seconds the last search in this document took
        self.matches: list[tuple[int, int]] = []
        self.current = -1
        self.setObjectName("find_bar")
        self.query = _QueryEdit(self)
        self.query.setPlaceholderText("Find in this article")
        self.query.setClearButtonEnabled(True)
        self.count = QLabel()
        self.count.setMinimumWidth(90)
        self.previous_button = self._button("▲", "Previous match (Shift+Enter, Shift+F3)")
        self.next_button = self._button("▼", "Next match (Enter, F3)")
        self.match_case = QCheckBox("Match &case")
        self.whole_words = QCheckBox("&Whole words")
        self.ignore_accents = QCheckBox("Ignore acce&nts")
        self.ignore_accents.setChecked(True)
        self.ignore_accents.setToolTip("“Homs” also finds “Ḥoms”; Arabic vowel marks do not count")
        self.tag_menu = QMenu("Tag all matches as", self)
        self.tag_menu.aboutToShow.connect(self._fill_tag_menu)
        self.tag_button = QToolButton(self)
        self.tag_button.setText("Ta&g all as…")
        self.tag_button.setToolTip("One tag per match, one undoable step (Ctrl+Shift+T)")
        self.tag_button.setMenu(self.tag_menu)
        self.tag_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.close_button = self._button("✕", "Close (Esc)")
        # Two rows: the article is often narrow between the docks, and a query cut to a few
        # characters or options cut mid-word are worse than one more line of height.
        rows = QVBoxLayout(self)
        rows.setContentsMargins(8, 5, 8, 4)
        rows.setSpacing(2)
        top, options = QHBoxLayout(), QHBoxLayout()
        rows.addLayout(top)
        rows.addLayout(options)
        top.addWidget(self.query, 1)
        for widget in (self.count, self.previous_button, self.next_button, self.tag_button,
                       self.close_button):  # fmt: skip
            top.addWidget(widget)
        for widget in (self.match_case, self.whole_words, self.ignore_accents):
            options.addWidget(widget)
        options.addStretch(1)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(
            "#find_bar { background: palette(window); border-top: 1px solid palette(mid); }"
        )
        self._timer = QTimer(self, singleShot=True)
        self._timer.timeout.connect(self.search)
        self.hide()
        self._connect_signals()

    def _button(self, text: str, tip: str) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setToolTip(tip)
        button.setAutoRaise(True)
        return button

    def _connect_signals(self) -> None:
        self.query.textChanged.connect(self._on_query_changed)
        self.previous_button.clicked.connect(lambda: self.step(forward=False))
        self.next_button.clicked.connect(lambda: self.step(forward=True))
        self.close_button.clicked.connect(self.close_bar)
        for box in (self.match_case, self.whole_words, self.ignore_accents):
            box.toggled.connect(lambda _on: self.search())
        self._view.document_changed.connect(self._on_view_document_changed)
        self._view.installEventFilter(self)

    # ------------------------------------------------------------ showing

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._view and event.type() == QEvent.Type.Resize:
            self._place()
        elif (
            watched is self._view
            and event.type() == QEvent.Type.KeyPress
            and event.key() == Qt.Key.Key_Escape
            and self.isVisible()
            and self._view.selected_annotation() is None  # Esc clears a selection first
        ):
            self.close_bar()  # as in editors: Esc in the text closes the find bar too
            return True
        return False

    def _place(self) -> None:
        view = self._view
        height = self.sizeHint().height()
        frame = view.frameWidth()
        self.setGeometry(frame, view.height() - frame - height, view.width() - 2 * frame, height)

    def open_bar(self) -> None:
        """Ctrl+F: show and focus the bar, holding the selected text if a short one is selected."""
        view = self._view
        cursor = view.textCursor()
        selected = cursor.selectedText().replace("\u2029", "\n")
        self._origin = view.cursor_code_point()
        if selected.strip() and "\n" not in selected and len(selected) <= 200:
            self.query.setText(selected)
        if not self.isVisible():
            view.setViewportMargins(0, 0, 0, self.sizeHint().height())
            self.show()
            self._place()
            self.search()
        self.query.setFocus()
        self.query.selectAll()

    def close_bar(self) -> None:
        self._timer.stop()
        self.hide()
        self._view.setViewportMargins(0, 0, 0, 0)
        self.matches, self.current = [], -1
        self._view.set_find_matches([])
        self._view.setFocus()

    # ------------------------------------------------------------ searching

    def options(self) -> FindOptions:
        return FindOptions(
            self.match_case.isChecked(), self.whole_words.isChecked(),
            self.ignore_accents.isChecked(),
        )  # fmt: skip

    def _on_query_changed(self, text: str) -> None:
        """Search at once, unless the article is long and this search may be slow: one or two
        letters (tens of thousands of matches), or the last search took a while. Then wait
        for the next keystroke a moment, so a word typed is searched once, not per letter."""
        slow = self._last_cost is None or self._last_cost > QUICK_S or len(text) < 3
        self._timer.start(GATHER_MS if slow and len(self._view.text) >= LONG_TEXT else 0)

    def _on_view_document_changed(self, _doc_id) -> None:
        """Another document: its matches are highlighted, but the place where the analyst left
        it (restored by the view) is kept; F3 goes on from there."""
        self._folded, self._last_cost = None, None
        if self.isVisible():
            self.search(jump=False)

    def search_pending(self) -> bool:
        """Keystrokes are waiting to be searched (the timer gathers them)."""
        return self._timer.isActive()

    def search(self, jump: bool = True) -> None:
        """Find the query in the open document and highlight every match; with `jump`, go to
        the first one from where the search started."""
        self._timer.stop()
        began = time.perf_counter()
        view, options = self._view, self.options()
        if self._folded is None or self._folded[:2] != (view.document_id, options):
            self._folded = (view.document_id, options, FoldedText(view.text, options))
        needle = self.query.text()
        self.matches = self._folded[2].find(needle) if needle else []
        view.set_find_matches(self.matches)
        self.current = match_after(self.matches, self._origin) if jump else -1
        if self.current >= 0:
            view.show_find_match(self.current)
        self._show_count()
        if needle:
            self._last_cost = time.perf_counter() - began

    def step(self, forward: bool = True) -> None:
        """F3 / Shift+F3: the next or previous match, wrapping. With the bar closed, F3 opens it
        and goes to the first match from the cursor."""
        if not self.isVisible():
            self.open_bar()
            return
        if self._timer.isActive():
            self.search()  # the gathered keystrokes first
        n = len(self.matches)
        if not n:
            return
        if self.current < 0:  # none yet in this document: the nearest from the cursor
            after = match_after(self.matches, self._view.cursor_code_point() + 1)
            self.current = after if forward else (after - 1) % n
        else:
            self.current = (self.current + (1 if forward else -1)) % n
        self._origin = self.matches[self.current][0]
        self._view.show_find_match(self.current)
        self._show_count()

    def _show_count(self) -> None:
        n, needle = len(self.matches), self.query.text()
        if not needle:
            self.count.setText("")
        elif n and self.current >= 0:
            self.count.setText(f"{self.current + 1:,} of {n:,}")
        elif n:
            self.count.setText("1 match" if n == 1 else f"{n:,} matches")
        else:
            self.count.setText("No matches")
        self.query.setStyleSheet(NO_MATCH_STYLE if needle and not n else "")

    # ------------------------------------------------------------ tagging all matches

    def _fill_tag_menu(self) -> None:
        self.tag_menu.clear()
        for tag in self._store.tag_types():
            key = f"&{tag.shortcut}  " if len(tag.shortcut or "") == 1 else ""
            action = self.tag_menu.addAction(f"{key}{tag.name}")
            action.triggered.connect(lambda _=False, t=tag.id: self.tag_all(t))
        self.tag_menu.setEnabled(bool(self.matches))

    def show_tag_menu(self) -> None:
        """Ctrl+Shift+T: the tag types, under the bar's button; a digit or Enter picks one."""
        if not self.isVisible() or not self.matches:
            self.open_bar()
            self._status("Find something first (Ctrl+F), then tag all its matches.")
            return
        self._fill_tag_menu()
        self.tag_menu.popup(self.tag_button.mapToGlobal(self.tag_button.rect().topLeft()))

    def tag_all(self, tag_type_id: int) -> int:
        """Tag every match as this type (widgets/find_tag_all.py); how many tags were made."""
        return self.tagger.tag_all(self.matches, tag_type_id)


def install_find_bar(window) -> FindBar:
    """The window's find bar, in its article view."""
    return FindBar(
        window.store, window.undo_stack, window.view,
        lambda: window.editor.annotator, window.show_status,
    )  # fmt: skip


def menu_actions(window, menu: QMenu) -> dict[str, QAction]:
    """Edit ▸ Find…, Find next, Find previous, Tag all matches as…, for `build_menus`."""
    bar: FindBar = window.finding
    made = {}
    for key, text, keys, slot in (
        ("find", "&Find…", "Ctrl+F", bar.open_bar),
        ("find_next", "Find ne&xt", "F3", lambda: bar.step(forward=True)),
        ("find_previous", "Find pre&vious", "Shift+F3", lambda: bar.step(forward=False)),
        ("tag_all_matches", "Tag &all matches as…", "Ctrl+Shift+T", bar.show_tag_menu),
    ):
        action = QAction(text, window)
        action.setShortcut(QKeySequence(keys))
        action.triggered.connect(slot)
        menu.addAction(action)
        made[key] = action
    return made
