"""Search across all documents (Edit ▸ Search all documents…, Ctrl+Shift+F): a dock beside the
document list, results ranked best first with a snippet around the match, the matched words in
bold. Enter or a click opens the document with the match selected and scrolled into view; Enter
again on the same result moves to its next match.

Searching is a read of the FTS5 index through the store (app/store_search.py); what was typed is
made safe there (app/search_query.py), so nothing typed is an error. Results follow the project:
a document added, edited or undone away re-runs the search.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QEvent, QObject, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QAction,
    QKeySequence,
    QPalette,
    QStandardItem,
    QStandardItemModel,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QLabel,
    QLineEdit,
    QListView,
    QMenu,
    QStyle,
    QStyledItemDelegate,
    QVBoxLayout,
    QWidget,
)

from app.model import SNIPPET_CLOSE, SNIPPET_OPEN, SearchHit

RESULT_LIMIT = 200
TYPING_PAUSE_MS = 200  # keystrokes are gathered: typing a word searches once
HIT_ROLE = Qt.ItemDataRole.UserRole


def hit_html(hit: SearchHit) -> str:
    """Title, then source · date, then the snippet with the matched words in bold."""
    snippet = escape(" ".join(hit.snippet.split()))  # the article's line breaks would waste rows
    snippet = snippet.replace(SNIPPET_OPEN, "<b>").replace(SNIPPET_CLOSE, "</b>")
    date = (
        f"\u2066{hit.published}\u2069" if hit.published else ""
    )  # isolated: 2024-05-01 in RTL too
    where = " · ".join(escape(part) for part in (hit.source, date) if part)
    meta = f'<br><span style="font-size: small">{where}</span>' if where else ""
    return f"<b>{escape(hit.title) or '(untitled)'}</b>{meta}<br>{snippet}"


class _HitDelegate(QStyledItemDelegate):
    """Paints a result's HTML; its height follows the text wrapped to the list's width."""

    def _document(self, option, index) -> QTextDocument:
        doc = QTextDocument()
        doc.setDefaultFont(option.font)
        doc.setDocumentMargin(4)
        doc.setHtml(index.data(Qt.ItemDataRole.DisplayRole))
        doc.setTextWidth(max(80, option.rect.width()))
        return doc

    def paint(self, painter, option, index) -> None:
        self.initStyleOption(option, index)
        doc = self._document(option, index)
        option.text = ""
        style = option.widget.style() if option.widget else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, option.widget)
        context = QAbstractTextDocumentLayout.PaintContext()
        selected = option.state & QStyle.StateFlag.State_Selected
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        context.palette.setColor(QPalette.ColorRole.Text, option.palette.color(role))
        painter.save()
        painter.translate(option.rect.topLeft())
        painter.setClipRect(QRectF(0, 0, option.rect.width(), option.rect.height()))
        doc.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(self, option, index) -> QSize:
        self.initStyleOption(option, index)
        if option.widget is not None:
            option.rect.setWidth(option.widget.viewport().width())
        doc = self._document(option, index)
        return QSize(int(doc.idealWidth()), int(doc.size().height()) + 2)


class _SearchEdit(QLineEdit):
    """Down moves into the results, Enter opens the first one: no mouse needed."""

    def __init__(self, panel: SearchPanel) -> None:
        super().__init__(panel)
        self._panel = panel

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Down:
            self._panel.results.setFocus()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._panel.run_search()
            self._panel.open_result(0)
            return
        super().keyPressEvent(event)


class SearchPanel(QWidget):
    """The search box, how many documents match, and the ranked results."""

    hit_activated = Signal(int, str)  # document id, what was typed

    def __init__(self, store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self.query = _SearchEdit(self)
        self.query.setPlaceholderText('Search all documents: words, "a phrase", prefix*')
        self.query.setClearButtonEnabled(True)
        self.count_label = QLabel(self)
        self.model = QStandardItemModel(self)
        self.results = QListView(self)
        self.results.setModel(self.model)
        self.results.setItemDelegate(_HitDelegate(self.results))
        self.results.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results.setWordWrap(True)
        self.results.setUniformItemSizes(False)
        self.results.setResizeMode(QListView.ResizeMode.Adjust)
        self.results.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.results.installEventFilter(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.query)
        layout.addWidget(self.count_label)
        layout.addWidget(self.results, 1)
        self._typing = QTimer(self, singleShot=True, interval=TYPING_PAUSE_MS)
        self._searched: str | None = None
        self._connect_signals()
        self._show_count(0, 0)

    def _connect_signals(self) -> None:
        self.query.textChanged.connect(self._typing.start)
        self._typing.timeout.connect(self.run_search)
        self.results.clicked.connect(lambda index: self.open_result(index.row()))
        self._store.documents_changed.connect(self._on_store_documents_changed)
        self._store.document_updated.connect(self._on_store_documents_changed)

    def eventFilter(self, watched, event) -> bool:
        enter = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if (watched is self.results and event.type() == QEvent.Type.KeyPress
                and event.key() in enter):  # fmt: skip
            self.open_result(self.results.currentIndex().row())
            return True
        return super().eventFilter(watched, event)

    def stop(self) -> None:
        self._typing.stop()
        self._searched = None

    def focus_query(self) -> None:
        self.query.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.query.selectAll()

    def run_search(self) -> None:
        self._typing.stop()
        typed = self.query.text()
        total, hits = self._store.search(typed, RESULT_LIMIT)
        self._searched = typed
        self.model.clear()
        for hit in hits:
            item = QStandardItem(hit_html(hit))
            item.setData(hit, HIT_ROLE)
            item.setToolTip(hit.title)
            self.model.appendRow(item)
        self._show_count(total, len(hits))
        if hits:
            self.results.setCurrentIndex(self.model.index(0, 0))

    def hits(self) -> list[SearchHit]:
        return [self.model.item(r).data(HIT_ROLE) for r in range(self.model.rowCount())]

    def open_result(self, row: int) -> None:
        if 0 <= row < self.model.rowCount():
            self.results.setCurrentIndex(self.model.index(row, 0))
            hit = self.model.item(row).data(HIT_ROLE)
            self.hit_activated.emit(hit.document_id, self._searched or "")

    def _show_count(self, total: int, shown: int) -> None:
        if not self.query.text().strip():
            text = "Type words to search every document's title and text."
        elif total == 0:
            text = "No document matches."
        elif total == shown:
            text = "1 document matches." if total == 1 else f"{total:,} documents match."
        else:
            text = f"{total:,} documents match; the best {shown:,} are shown."
        self.count_label.setText(text)

    def _on_store_documents_changed(self, *_args) -> None:
        if self._searched:
            self._typing.start()  # gathered: an import of many documents searches once


class SearchController(QObject):
    """Opens a result at its match; Enter again on the same result goes to the next match."""

    def __init__(self, window, panel: SearchPanel, dock: QDockWidget) -> None:
        super().__init__(window)
        self._window, self.panel, self.dock = window, panel, dock
        self._last: tuple[int, str, int] | None = None  # document, typed, match shown
        panel.hit_activated.connect(self.open_at_match)
        window.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:
        if watched is self._window and event.type() == QEvent.Type.Close:
            self.panel.stop()  # its database may be closed right after the window
        return False

    def reveal(self) -> None:
        self.dock.show()
        self.dock.raise_()
        self.panel.focus_query()

    def open_at_match(self, document_id: int, typed: str) -> None:
        w = self._window
        if w.view.document_id != document_id:
            w.open_document(document_id)
        spans = w.store.search_matches(document_id, typed)
        if not spans:
            w.show_status("The match is in the title.")
            return
        again = self._last is not None and self._last[:2] == (document_id, typed)
        which = (self._last[2] + 1) % len(spans) if again else 0
        self._last = (document_id, typed, which)
        w.view.select_span(*spans[which])
        w.view.centerCursor()
        w.show_status(f"Match {which + 1} of {len(spans)} in this document")


def install_search(window) -> SearchController:
    """The Search dock, tabbed behind the document list; registered in window._docks so
    View lists it."""
    panel = SearchPanel(window.store, window)
    dock = QDockWidget("Search", window)
    dock.setObjectName("Search")
    dock.setWidget(panel)
    window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)
    window.tabifyDockWidget(window._docks["documents"], dock)
    window._docks["documents"].raise_()
    window._docks["search"] = dock
    return SearchController(window, panel, dock)


def menu_actions(window, edit_menu: QMenu, view_menu: QMenu) -> dict[str, QAction]:
    """Edit ▸ Search all documents… and View ▸ Filter the document list, for `build_menus`."""
    search = QAction("Search a&ll documents…", window)
    search.setShortcut(QKeySequence("Ctrl+Shift+F"))
    search.triggered.connect(window.searching.reveal)
    edit_menu.addAction(search)
    filter_list = QAction("&Filter the document list", window)
    filter_list.setShortcut(QKeySequence("Ctrl+Shift+D"))
    filter_list.triggered.connect(lambda: _reveal_filter(window))
    view_menu.addAction(filter_list)
    return {"search_all": search, "filter_documents": filter_list}


def _reveal_filter(window) -> None:
    dock = window._docks["documents"]
    dock.show()
    dock.raise_()
    window.documents.focus_filter()
