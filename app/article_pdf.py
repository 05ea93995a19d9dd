"""PDF articles, read with Qt's own PDF module (PDFium inside): text per page, page breaks kept.

Pages are joined by a form feed on a line of its own (`"\\n\\f\\n"`), the page break of plain text
(pdftotext writes the same character). One code point marks each break, so "page n" can be found
again in the stored text, and the article view draws a form feed as nothing: the reader sees one
blank line between pages. No visible "— page 2 —" marker is added, because text that is not in
the PDF would be searched, counted and tagged like the article's own words.

The only Qt used here is QtPdf (no widgets): this is the one pure `app` module allowed it
(tests/test_architecture.py). It is imported only when a PDF is read, so the headless CLI loads Qt
only for `loupe add file.pdf`; QPdfDocument needs no application object (checked by
tests/test_article_formats_gui.py, which runs `loupe add` in a process of its own). It is created,
used and dropped inside `read_pdf`, so the function is safe on a worker thread.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from PySide6.QtPdf import QPdfDocument

from app.articles import ArticleError, check_article_bytes, make_document, normalise_line_ends
from app.model import Document

PAGE_BREAK = "\n\f\n"
_PDF_MAGIC_WITHIN = 1024  # readers accept junk before %PDF- within the first KiB
Progress = Callable[[int, int], None]
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # but \t, \n (and our \f) stay
_BLANK_RUNS = re.compile(r"\n{3,}")


def read_pdf(path: Path, data: bytes, progress: Progress | None = None) -> Document:
    """`progress(page, pages)` after each page (~4 ms each): a long PDF shows how far it is, and
    a progress that raises (the analyst's Cancel) stops it between two pages."""
    name = path.name
    check_article_bytes(data, name)
    if b"%PDF-" not in data[:_PDF_MAGIC_WITHIN]:
        raise ArticleError(f"{name}: not a PDF file (it does not start with “%PDF-”).")
    pdf = QPdfDocument()
    try:
        error = pdf.load(str(path))
        if error != QPdfDocument.Error.None_:
            raise ArticleError(f"{name}: {_explain(error)}")
        pages, count = [], pdf.pageCount()
        for page in range(count):
            pages.append(_page_text(pdf, page))
            if progress is not None:
                progress(page + 1, count)
        title = pdf.metaData(QPdfDocument.MetaDataField.Title) or ""
        author = pdf.metaData(QPdfDocument.MetaDataField.Author) or ""
    finally:
        pdf.close()
    if not any(pages):
        raise ArticleError(
            f"{name}: scanned image only: no text to annotate; run OCR first (for example "
            "ocrmypdf) and open the result."
        )
    return make_document(
        PAGE_BREAK.join(pages), title=_one_line(str(title)), author=_one_line(str(author))
    )


def _page_text(pdf: QPdfDocument, page: int) -> str:
    text = normalise_line_ends(pdf.getAllText(page).text())
    text = _CONTROLS.sub("", text.replace("\x02", "-"))  # PDFium marks a line-end hyphen \x02
    lines = [line.rstrip() for line in text.split("\n")]
    return _BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip("\n ")


def _one_line(value: str) -> str:
    return " ".join(value.split())


def _explain(error: QPdfDocument.Error) -> str:
    errors = QPdfDocument.Error
    if error in (errors.IncorrectPassword, errors.UnsupportedSecurityScheme):
        return (
            "the PDF is password-protected (encrypted); Loupe cannot open it. Save an "
            "unprotected copy (print it to PDF, or remove the password in your PDF reader)."
        )
    if error == errors.FileNotFound:
        return "the file could not be opened."
    if error == errors.InvalidFileFormat:
        return "a damaged or unreadable PDF (the file may be truncated)."
    return f"the PDF could not be read ({error.name})."
