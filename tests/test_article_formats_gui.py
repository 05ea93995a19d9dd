"""Web pages, PDFs and Word files through the real window and the real CLI; rich-text paste."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import pytest
import shiboken6
from PySide6.QtCore import QMimeData, Qt
from PySide6.QtGui import QGuiApplication

from db.connection import open_db
from db.repository import get_document, list_document_summaries
from tests.article_files import web_page, write_docx, write_image_only_pdf, write_pdf
from tests.gui_helpers import make_window
from widgets import file_dialogs
from widgets.document_dialog import DocumentDialog

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
STORY = [
    "Rebel forces reached the outskirts of Ḥamā on Thursday, residents said by telephone, "
    "describing columns of pickup trucks on the main highway north of the city.",
    "In حمص the governor said the army had repositioned its units to protect civilians, "
    "which opposition monitors dismissed as a cover for a retreat.",
]


@pytest.fixture
def window(qtbot, db):
    built = make_window(qtbot, db)
    yield built
    if shiboken6.isValid(built):  # before the database closes: no refresh on a closed db
        built.close()
        shiboken6.delete(built)


def _files(tmp_path):
    page = tmp_path / "hama.html"
    page.write_text(
        web_page(STORY, headline="Rebels reach Ḥamā", author="Jane Roe", site="Levant Wire",
                 published="2024-12-05T09:30:00Z"), encoding="utf-8",
    )  # fmt: skip
    pdf = write_pdf(tmp_path / "sitrep.pdf", ["Situation report\n" + STORY[0][:60], "Page two"],
                    title="Sitrep 12", author="Desk B")  # fmt: skip
    word = write_docx(tmp_path / "brief.docx", STORY, title="Morning brief", author="Analyst 4",
                      created=dt.datetime(2024, 12, 6, 7, 0, tzinfo=dt.UTC))  # fmt: skip
    return page, pdf, word


def test_open_reads_web_page_pdf_and_word_file_with_their_metadata(
    window, qtbot, monkeypatch, tmp_path
):
    paths = [str(p) for p in _files(tmp_path)] + [str(write_image_only_pdf(tmp_path / "scan.pdf"))]
    monkeypatch.setattr(file_dialogs, "article_paths", lambda parent: paths)
    qtbot.keyClick(window.view, Qt.Key.Key_O, CTRL)

    docs = [get_document(window.store.db, s.id) for s in list_document_summaries(window.store.db)]
    assert [(d.title, d.author, d.source, d.published) for d in docs] == [
        ("Rebels reach Ḥamā", "Jane Roe", "Levant Wire", "2024-12-05"),
        ("Sitrep 12", "Desk B", "", ""),
        ("Morning brief", "Analyst 4", "", "2024-12-06"),
    ]
    assert "scan.pdf" in window.last_message and "OCR" in window.last_message
    # The Word file, opened last, is on screen, text exactly as stored; one undo step for all.
    assert window.view.toPlainText() == docs[-1].text == "\n\n".join(STORY)
    assert window.undo_stack.count() == 1
    window.open_document(docs[1].id)  # the PDF: the page break is in the view's text
    assert window.view.toPlainText() == docs[1].text and "\n\f\nPage two" in docs[1].text


def test_properties_show_and_edit_the_author_and_undo_restores_it(
    window, qtbot, monkeypatch, tmp_path
):
    page, *_ = _files(tmp_path)
    (doc,) = window.open_files([str(page)])
    seen = {}

    def exec_(dialog):
        seen["author"] = dialog.author.text()
        dialog.author.setText("  J. Roe, Levant Wire  ")
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(DocumentDialog, "exec", exec_)
    qtbot.keyClick(window.view, Qt.Key.Key_I, CTRL)
    assert seen["author"] == "Jane Roe"
    assert get_document(window.store.db, doc.id).author == "J. Roe, Levant Wire"
    qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL)
    assert get_document(window.store.db, doc.id).author == "Jane Roe"


def _put_on_clipboard(html: str, text: str) -> None:
    mime = QMimeData()
    mime.setHtml(html)
    mime.setText(text)
    QGuiApplication.clipboard().setMimeData(mime)


def test_rich_text_pasted_from_a_browser_becomes_clean_paragraphs(window, qtbot):
    _put_on_clipboard(
        "<html><body><!--StartFragment--><h2>Rebels&nbsp;reach Ḥamā</h2>"
        "<style>.x{color:red}</style><script>alert('SCRIPT')</script>"
        f"<p>{STORY[0]}</p>\n<div><span>{STORY[1]}</span><img src='http://x.example/a.png'>"
        "</div><!--EndFragment--></body></html>",
        "Rebels\u00a0reach Ḥamā " + " ".join(STORY),  # the browser's flattened plain flavour
    )
    qtbot.keyClick(window.view, Qt.Key.Key_V, CTRL_SHIFT)
    (summary,) = list_document_summaries(window.store.db)
    doc = get_document(window.store.db, summary.id)
    assert doc.text == "\n\n".join(["Rebels reach Ḥamā", *STORY])
    assert doc.title == "Rebels reach Ḥamā" and window.view.toPlainText() == doc.text


def test_rich_paste_with_no_words_in_its_html_falls_back_to_its_plain_text(window, qtbot):
    _put_on_clipboard("<img src='chart.png'>", "Chart: shelling by week\r\nSource: monitors\r\n")
    qtbot.keyClick(window.view, Qt.Key.Key_V, CTRL_SHIFT)
    (summary,) = list_document_summaries(window.store.db)
    assert get_document(window.store.db, summary.id).text == (
        "Chart: shelling by week\nSource: monitors\n"
    )


def test_loupe_add_reads_pdf_word_and_web_page_without_a_display(tmp_path, qapp):
    page, pdf, word = _files(tmp_path)
    project = tmp_path / "p.loupe"
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    env.update(XDG_CONFIG_HOME=str(tmp_path / "cfg"), XDG_DATA_HOME=str(tmp_path), DISPLAY="")
    done = subprocess.run(
        [sys.executable, "main.py", "add", str(pdf), str(word), str(page), "--db", str(project)],
        cwd=ROOT, env=env, capture_output=True, encoding="utf-8", timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout == "1\tSitrep 12\n2\tMorning brief\n3\tRebels reach Ḥamā\n"
    db = open_db(str(project))
    try:
        stored = get_document(db, 1)
        assert stored.text.startswith("Situation report\n") and "\n\f\nPage two" in stored.text
        assert get_document(db, 3).author == "Jane Roe"
    finally:
        db.close()
