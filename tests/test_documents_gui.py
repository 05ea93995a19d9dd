"""Getting articles into a project and moving between them, through the real window: File ▸ Open,
drag and drop, paste, document properties, the document list, the first-run sample, CSV export."""

from __future__ import annotations

import codecs
import csv
import io

import pytest
import shiboken6
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QGuiApplication
from PySide6.QtWidgets import QApplication

from app.articles import make_document
from app.commands import AddDocuments
from db.repository import (
    annotations_for_document,
    get_document,
    insert_document,
    list_document_summaries,
)
from tests.gui_helpers import KEY_1, make_window, select_code_points
from widgets import file_dialogs, prompts
from widgets.document_dialog import DocumentDialog

CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier

PLAIN = "Ceasefire talks resume in Geneva\n\nDelegations met on Tuesday. Ελλάδα 🇬🇷 observers.\n"
MARKDOWN = "\n# Shelling reported near Lintz\n\nResidents fled overnight, a local official said.\n"
UTF16 = "Convoy crosses the Sorrel bridge\n\nWitnesses counted 40 trucks — «قافلة» — at dawn.\n"


@pytest.fixture
def make(qtbot):
    """make_window, and at teardown delete each window outright, before its database closes:
    a refresh timer still pending (the document list waits 50 ms) must not fire on a closed db."""
    built = []

    def build(db, **kwargs):
        built.append(make_window(qtbot, db, **kwargs))
        return built[-1]

    yield build
    for w in built:
        if shiboken6.isValid(w):
            w.close()
            shiboken6.delete(w)


@pytest.fixture
def window(make, db, monkeypatch):
    monkeypatch.setattr(prompts, "ask_entity", lambda *a, **k: ("Marrow", ""))
    return make(db)


def _article_files(tmp_path):
    plain = tmp_path / "geneva.txt"
    plain.write_bytes(PLAIN.encode("utf-8"))
    md = tmp_path / "lintz.md"
    md.write_bytes(codecs.BOM_UTF8 + MARKDOWN.encode("utf-8"))
    wide = tmp_path / "convoy.txt"
    wide.write_bytes(codecs.BOM_UTF16_LE + UTF16.replace("\n", "\r\n").encode("utf-16-le"))
    latin = tmp_path / "café-report.txt"
    latin.write_bytes("Le café de la gare a fermé.\n".encode("latin-1"))
    return plain, md, wide, latin


def _rows(window) -> list[tuple[str, str, str]]:
    """Title, source and tag count of each row shown, top to bottom."""
    return [(title, source, tags) for title, source, _, tags in window.documents.rows()]


def _open(window, monkeypatch, paths) -> None:
    monkeypatch.setattr(file_dialogs, "article_paths", lambda parent: [str(p) for p in paths])
    window.actions["open"].trigger()


# ---------------------------------------------------------------- File ▸ Open


def test_open_several_files_adds_good_ones_and_names_the_bad_one(window, monkeypatch, tmp_path):
    plain, md, wide, latin = _article_files(tmp_path)
    _open(window, monkeypatch, [plain, md, latin, wide])

    summaries = list_document_summaries(window.store.db)
    assert [s.title for s in summaries] == [
        "Ceasefire talks resume in Geneva",
        "Shelling reported near Lintz",  # the heading's "#" stripped, the BOM not in the text
        "Convoy crosses the Sorrel bridge",
    ]
    texts = [get_document(window.store.db, s.id).text for s in summaries]
    assert texts == [PLAIN, MARKDOWN, UTF16]  # CRLF → LF; nothing else changed, no BOM kept
    assert sorted(_rows(window)) == sorted((s.title, "", "0") for s in summaries)
    # The bad file is named, with what to do about it.
    assert "café-report.txt" in window.last_message and "UTF-8" in window.last_message
    assert "geneva.txt" not in window.last_message
    # The last one added is open, and the whole import is one undo step.
    assert window.view.document_id == summaries[-1].id and window.view.text == UTF16
    assert window.undo_stack.count() == 1


def test_only_bad_files_add_nothing_and_leave_the_undo_stack_empty(window, monkeypatch, tmp_path):
    *_, latin = _article_files(tmp_path)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    _open(window, monkeypatch, [latin, empty, pdf])
    assert list_document_summaries(window.store.db) == []
    for name in ("café-report.txt", "empty.txt", "report.pdf"):
        assert name in window.last_message
    assert window.undo_stack.count() == 0 and window.documents.rowCount() == 0


def test_cancelled_file_chooser_changes_nothing(window, monkeypatch):
    _open(window, monkeypatch, [])
    assert list_document_summaries(window.store.db) == [] and window.last_message == ""


def test_reimport_same_text_says_already_and_adds_no_row(window, qtbot, monkeypatch, tmp_path):
    plain, md, *_ = _article_files(tmp_path)
    _open(window, monkeypatch, [plain, md])
    first_id = list_document_summaries(window.store.db)[0].id
    assert window.view.document_id != first_id

    # Same bytes again: refused, and the existing document is opened instead.
    _open(window, monkeypatch, [plain])
    assert "already" in window.last_message and "Ceasefire talks" in window.last_message
    assert len(list_document_summaries(window.store.db)) == 2 and window.documents.rowCount() == 2
    assert window.view.document_id == first_id
    assert window.undo_stack.count() == 1

    # The same text saved as UTF-16 with CRLF is the same article.
    again = tmp_path / "geneva-utf16.txt"
    again.write_bytes(codecs.BOM_UTF16_LE + PLAIN.replace("\n", "\r\n").encode("utf-16-le"))
    window.last_message = ""
    _open(window, monkeypatch, [again])
    assert "already" in window.last_message
    assert len(list_document_summaries(window.store.db)) == 2

    # Twice in one batch: the first copy goes in, the second is reported.
    fresh = tmp_path / "fresh.txt"
    fresh.write_text("A new dispatch\n", encoding="utf-8")
    copy = tmp_path / "fresh-copy.md"
    copy.write_text("A new dispatch\n", encoding="utf-8")
    _open(window, monkeypatch, [fresh, copy])
    assert len(list_document_summaries(window.store.db)) == 3
    assert "already" in window.last_message and "this batch" in window.last_message


def test_undo_of_an_import_removes_its_documents(window, qtbot, monkeypatch, tmp_path):
    plain, md, wide, _ = _article_files(tmp_path)
    _open(window, monkeypatch, [plain])
    _open(window, monkeypatch, [md, wide])
    assert len(list_document_summaries(window.store.db)) == 3

    qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL)
    assert [s.title for s in list_document_summaries(window.store.db)] == [
        "Ceasefire talks resume in Geneva"
    ]
    qtbot.waitUntil(lambda: window.documents.rowCount() == 1)
    assert window.view.text == PLAIN  # the view left the removed document

    qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL_SHIFT)  # redo brings both back, same ids
    assert len(list_document_summaries(window.store.db)) == 3
    qtbot.waitUntil(lambda: window.documents.rowCount() == 3)


# ---------------------------------------------------------------- drag and drop


def _drag_events(paths_or_urls):
    mime = QMimeData()
    mime.setUrls([u if isinstance(u, QUrl) else QUrl.fromLocalFile(str(u)) for u in paths_or_urls])
    buttons, keys = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    args = (Qt.DropAction.CopyAction, mime, buttons, keys)
    enter = QDragEnterEvent(QPoint(400, 300), *args)
    drop = QDropEvent(QPoint(400, 300).toPointF(), *args)
    return mime, enter, drop


def test_dropping_files_on_the_article_imports_them(window, qtbot, tmp_path):
    plain, md, _, latin = _article_files(tmp_path)
    mime, enter, drop = _drag_events([plain, md, latin])
    enter.ignore()
    # Dropped where a user drops them, on the article: the read-only view passes them on.
    QApplication.sendEvent(window.view.viewport(), enter)
    assert enter.isAccepted()
    QApplication.sendEvent(window.view.viewport(), drop)
    assert drop.isAccepted()
    assert [s.title for s in list_document_summaries(window.store.db)] == [
        "Ceasefire talks resume in Geneva",
        "Shelling reported near Lintz",
    ]
    assert "café-report.txt" in window.last_message
    qtbot.waitUntil(lambda: window.documents.rowCount() == 2)


def test_dragging_a_web_link_is_not_accepted(window, tmp_path):
    mime, enter, drop = _drag_events([QUrl("https://example.org/article.txt")])
    enter.ignore()
    QApplication.sendEvent(window.view.viewport(), enter)
    assert not enter.isAccepted()
    QApplication.sendEvent(window.view.viewport(), drop)
    assert list_document_summaries(window.store.db) == []


# ---------------------------------------------------------------- paste


def test_paste_makes_a_document_with_normalised_line_ends(window, qtbot):
    clip = "Wire flash: port closed\r\n\r\nAuthorities shut the harbour.\rShips wait offshore.\r\n"
    QGuiApplication.clipboard().setText(clip)
    qtbot.keyClick(window.view, Qt.Key.Key_V, CTRL_SHIFT)
    (summary,) = list_document_summaries(window.store.db)
    doc = get_document(window.store.db, summary.id)
    assert doc.text == (
        "Wire flash: port closed\n\nAuthorities shut the harbour.\nShips wait offshore.\n"
    )
    assert doc.title == "Wire flash: port closed"
    assert window.view.document_id == doc.id and window.view.text == doc.text
    assert _rows(window) == [("Wire flash: port closed", "", "0")]

    # Pasting the same again is recognised.
    qtbot.keyClick(window.view, Qt.Key.Key_V, CTRL_SHIFT)
    assert "already" in window.last_message
    assert len(list_document_summaries(window.store.db)) == 1


@pytest.mark.parametrize("clip", ["", "  \r\n\t \n"])
def test_paste_with_no_text_says_so_and_adds_nothing(window, qtbot, clip):
    QGuiApplication.clipboard().setText(clip)
    qtbot.keyClick(window.view, Qt.Key.Key_V, CTRL_SHIFT)
    assert "clipboard" in window.last_message.lower()
    assert list_document_summaries(window.store.db) == []
    assert window.undo_stack.count() == 0


# ---------------------------------------------------------------- properties


def _with_document(window, text=PLAIN, **fields):
    window.undo_stack.push(AddDocuments(window.store, [make_document(text, **fields)]))
    window.refresh_documents()
    doc_id = list_document_summaries(window.store.db)[-1].id
    window.open_document(doc_id)
    return get_document(window.store.db, doc_id)


def test_document_dialog_validates_title_and_date(window):
    doc = _with_document(window, source="Reuters")
    dialog = DocumentDialog(window, doc, ["AFP", "Reuters"])
    assert dialog.title.text() == doc.title and dialog.source.currentText() == "Reuters"
    assert dialog.problem() == ""
    for date in ("2024", "2024-03", "2024-03-09", ""):
        dialog.published.setText(date)
        assert dialog.problem() == "", date
    for date in ("9 March 2024", "2024-3-9", "24-03-09", "2024/03/09"):
        dialog.published.setText(date)
        assert "YYYY-MM-DD" in dialog.problem(), date
    dialog.published.setText("2024-03-09")
    dialog.title.setText("   ")
    assert "title" in dialog.problem().lower()
    dialog.accept()  # refused: the dialog stays open and says why
    assert dialog.result() == 0 and "title" in dialog.error.text().lower()
    dialog.title.setText("  Geneva talks  ")
    dialog.source.setCurrentText(" AFP ")
    dialog.url.setText("https://example.org/geneva")
    dialog.accept()
    assert dialog.result() == 1 and dialog.error.text() == ""
    edited = dialog.document()
    assert (edited.title, edited.source, edited.url, edited.published) == (
        "Geneva talks", "AFP", "https://example.org/geneva", "2024-03-09",
    )  # fmt: skip
    assert (edited.id, edited.text) == (doc.id, doc.text)


def _fill_dialog(monkeypatch, **values):
    """Replace the modal exec: fill the fields as a user would, press OK, report the outcome."""
    seen = {}

    def exec_(dialog):
        seen["sources"] = [dialog.source.itemText(i) for i in range(dialog.source.count())]
        for name, value in values.items():
            widget = getattr(dialog, name)
            (widget.setCurrentText if name == "source" else widget.setText)(value)
        dialog.accept()
        seen["error"] = dialog.error.text()
        return dialog.result()

    monkeypatch.setattr(DocumentDialog, "exec", exec_)
    return seen


def test_properties_edit_reaches_database_list_and_title_and_undoes(window, qtbot, monkeypatch):
    _with_document(window, "Other piece\n", source="AFP")
    doc = _with_document(window, source="Reuters")
    old_title = window.windowTitle()
    assert doc.title in old_title
    seen = _fill_dialog(monkeypatch, title="Geneva round two", source="Al Jazeera",
                        url="https://example.org/g2", published="2024-03-09")  # fmt: skip
    qtbot.keyClick(window.view, Qt.Key.Key_I, CTRL)

    assert seen["sources"] == ["", "AFP", "Reuters"] and seen["error"] == ""
    stored = get_document(window.store.db, doc.id)
    assert (stored.title, stored.source, stored.url, stored.published) == (
        "Geneva round two", "Al Jazeera", "https://example.org/g2", "2024-03-09",
    )  # fmt: skip
    assert stored.text == doc.text
    assert "Geneva round two" in window.windowTitle()
    qtbot.waitUntil(lambda: ("Geneva round two", "Al Jazeera", "0") in _rows(window))

    qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL)
    assert get_document(window.store.db, doc.id) == doc
    assert window.windowTitle() == old_title
    qtbot.waitUntil(lambda: (doc.title, "Reuters", "0") in _rows(window))


def test_properties_with_a_bad_date_change_nothing(window, qtbot, monkeypatch):
    doc = _with_document(window, source="Reuters")
    seen = _fill_dialog(monkeypatch, title="New title", published="March 2024")
    window.actions["properties"].trigger()
    assert "YYYY-MM-DD" in seen["error"]
    assert get_document(window.store.db, doc.id) == doc
    assert window.undo_stack.count() == 1  # only the import


def test_properties_unchanged_pushes_no_command(window, monkeypatch):
    _with_document(window)
    _fill_dialog(monkeypatch)
    window.actions["properties"].trigger()
    assert window.undo_stack.count() == 1


# ---------------------------------------------------------------- the document list

LONG = "Long dispatch from Merrin\n\n" + "".join(
    f"Paragraph {i}: the harbour stayed quiet while officials met.\n\n" for i in range(120)
)
SHORT = "Short note on Greywater\n\nFamilies left for Greywater and Lintz.\n"


def _click_document(window, qtbot, title: str) -> None:
    table = window.documents.table
    row = next(i for i, cells in enumerate(window.documents.rows()) if cells[0] == title)
    rect = table.visualRect(table.model().index(row, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_switching_documents_keeps_each_ones_tags_and_place(window, qtbot):
    a = _with_document(window, LONG, source="Coast Wire")
    b = _with_document(window, SHORT)
    window.open_document(a.id)
    start = LONG.index("Paragraph 100")
    select_code_points(window.view, start, start + len("Paragraph 100"))
    qtbot.keyClick(window.view, KEY_1)
    (tag,) = annotations_for_document(window.store.db, a.id)
    bar = window.view.verticalScrollBar()
    assert bar.maximum() > 0
    bar.setValue(bar.maximum() // 2)
    place = bar.value()
    assert place > 0

    _click_document(window, qtbot, SHORT.split("\n")[0])
    assert window.view.document_id == b.id and window.view.text == SHORT
    assert window.view.annotations() == []  # A's tag does not leak into B
    assert window.counts.document_id == b.id
    assert SHORT.split("\n")[0] in window.windowTitle()
    assert QApplication.activeModalWidget() is None  # instant: nothing to confirm or save

    _click_document(window, qtbot, LONG.split("\n")[0])
    assert window.view.document_id == a.id
    assert [x.id for x in window.view.annotations()] == [tag.id]
    assert bar.value() == place
    assert annotations_for_document(window.store.db, a.id) == [tag]
    assert window.store.setting("last_document") == str(a.id)


def test_tag_count_column_follows_a_tag_and_its_undo(window, qtbot):
    doc = _with_document(window, SHORT)
    start = SHORT.index("Greywater and")
    select_code_points(window.view, start, start + len("Greywater"))
    qtbot.keyClick(window.view, KEY_1)
    assert _rows(window) == [(doc.title, "", "1")]
    qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL)
    assert _rows(window) == [(doc.title, "", "0")]
    qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL_SHIFT)
    assert _rows(window) == [(doc.title, "", "1")]
    window.refresh_documents()  # what the list shows matches a fresh query
    assert _rows(window) == [(doc.title, "", "1")]


def test_list_starts_sorted_a_to_z_by_title(window, qtbot):
    for text in ("Bravo report\n", "alpha report\n", "Charlie report\n"):
        _with_document(window, text)
    assert [r[0] for r in _rows(window)] == ["alpha report", "Bravo report", "Charlie report"]
    window.documents.sort_by(0, Qt.SortOrder.DescendingOrder)  # a user's choice is kept
    _with_document(window, "delta report\n")
    assert [r[0] for r in _rows(window)] == [
        "delta report", "Charlie report", "Bravo report", "alpha report",
    ]  # fmt: skip


def test_sorting_the_list_keeps_the_open_document_selected(window, qtbot):
    a = _with_document(window, LONG)
    _with_document(window, SHORT)
    window.open_document(a.id)
    window.documents.sort_by(0, Qt.SortOrder.AscendingOrder)
    window.documents.sort_by(0, Qt.SortOrder.DescendingOrder)
    assert window.view.document_id == a.id
    assert window.documents.selected_title() == a.title


# ---------------------------------------------------------------- first run


def test_first_run_opens_the_sample_once(make, db):
    w = make(db, sample=True)
    (summary,) = list_document_summaries(db)
    assert summary.source == "Loupe sample"
    assert w.view.document_id == summary.id and "Port Aldane" in w.view.text
    assert _rows(w) == [(summary.title, "Loupe sample", "0")]
    w.close()
    w2 = make(db, sample=True)
    assert len(list_document_summaries(db)) == 1
    assert w2.view.document_id == summary.id


def test_sample_removed_by_the_user_does_not_come_back(make, db):
    w = make(db, sample=True)
    w.store.remove_documents([d.id for d in w.store.document_summaries()])
    w.close()
    w2 = make(db, sample=True)
    assert list_document_summaries(db) == [] and w2.view.document_id is None


def test_first_run_with_documents_already_there_adds_no_sample(make, db):
    insert_document(db, make_document("Brought in by the CLI\n"))
    make(db, sample=True)
    assert [s.source for s in list_document_summaries(db)] == [""]


# ---------------------------------------------------------------- export


def _read_csv(path):
    data = path.read_bytes()
    assert data.startswith(codecs.BOM_UTF8)
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_export_csv_this_document_and_all(window, qtbot, monkeypatch, tmp_path):
    a = _with_document(window, LONG, source="Coast Wire")
    for word in ("Paragraph 3", "Paragraph 7"):
        s = LONG.index(word)
        select_code_points(window.view, s, s + len(word))
        qtbot.keyClick(window.view, KEY_1)
    b = _with_document(window, SHORT)
    s = SHORT.index("Lintz")
    select_code_points(window.view, s, s + 5)
    qtbot.keyClick(window.view, KEY_1)

    target = tmp_path / "out.csv"
    suggested = []

    def choose(parent, suggestion):
        suggested.append(suggestion)
        return str(target)

    monkeypatch.setattr(file_dialogs, "csv_path", choose)
    window.actions["export_doc"].trigger()
    rows = _read_csv(target)
    assert [r["quote"] for r in rows] == ["Lintz"]
    assert rows[0]["document_id"] == str(b.id) and rows[0]["entity"] == "Marrow"
    assert rows[0]["annotator"] == "tester" and rows[0]["tag_type"] == "Actor"
    assert suggested[-1] == b.title and "Exported 1 annotations" in window.last_message

    window.actions["export_all"].trigger()
    rows = _read_csv(target)
    assert sorted(r["quote"] for r in rows) == ["Lintz", "Paragraph 3", "Paragraph 7"]
    by_doc = {r["quote"]: (r["document_id"], r["source"]) for r in rows}
    assert by_doc["Paragraph 3"] == (str(a.id), "Coast Wire")
    assert suggested[-1] == "loupe-annotations.csv" and "Exported 3" in window.last_message


def test_export_cancelled_or_unwritable(window, qtbot, monkeypatch, tmp_path):
    _with_document(window, SHORT)
    monkeypatch.setattr(file_dialogs, "csv_path", lambda parent, suggestion: "")
    window.actions["export_all"].trigger()
    assert list(tmp_path.iterdir()) == [] and window.last_message == ""
    missing = tmp_path / "no-such-folder" / "out.csv"
    monkeypatch.setattr(file_dialogs, "csv_path", lambda parent, suggestion: str(missing))
    window.actions["export_doc"].trigger()
    assert str(missing) in window.last_message and "Could not write" in window.last_message
    assert not missing.exists()
