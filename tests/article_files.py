"""Article files that the tests make themselves: saved web pages, PDFs (drawn by Qt), Word files.

PDF writing paints text, so it needs a QGuiApplication: use these from tests that have pytest-qt's
`qapp` (or `qtbot`) fixture.
"""

from __future__ import annotations

import datetime as dt
import html
import io
from pathlib import Path

FURNITURE_TOP = """<header class="site-header"><a class="logo" href="/">The Daily Wire-Service</a>
<nav class="menu"><ul><li><a href="/">Home</a></li><li><a href="/world">World News</a></li>
<li><a href="/subscribe">Subscribe Today</a></li><li><a href="/contact">Contact Us</a></li></ul>
</nav></header>"""
FURNITURE_BOTTOM = """<div class="share">Share this: Facebook Twitter Email</div>
<section class="related-posts"><h3>Related Posts</h3><ul>
<li><a href="/p/1">Markets rally as oil prices fall sharply in early trading</a></li>
<li><a href="/p/2">Ten things to know about the new tax year</a></li></ul></section>
<div id="comments" class="comments-area"><h3 id="reply-title">Leave a Reply</h3>
<p class="comment-notes">Your email address will not be published. Required fields are marked</p>
<ol class="comment-list"><li class="comment"><p>Great article, thanks for sharing!</p></li></ol>
</div>
<footer class="site-footer"><p>Copyright 2024 The Daily Wire-Service. All rights reserved.</p>
<p><a href="/privacy">Privacy Policy</a> | <a href="/terms">Terms of Use</a></p></footer>"""


def web_page(
    paragraphs: list[str],
    *,
    headline: str,
    author: str = "",
    site: str = "",
    published: str = "",
    canonical: str = "",
    charset: str = "utf-8",
    head_extra: str = "",
    body_extra: str = "",
) -> str:
    """A news page as saved from a browser: metadata in <head>, the story amid site furniture."""
    meta = [f'<meta charset="{charset}">', f"<title>{html.escape(headline)} | {site}</title>"]
    if author:
        meta.append(f'<meta name="author" content="{html.escape(author)}">')
    if site:
        meta.append(f'<meta property="og:site_name" content="{html.escape(site)}">')
    if published:
        meta.append(f'<meta property="article:published_time" content="{published}">')
    if canonical:
        meta.append(f'<link rel="canonical" href="{canonical}">')
    story = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    byline = f'<p class="byline">By {html.escape(author)}</p>' if author else ""
    return (
        f"<!DOCTYPE html>\n<html><head>{''.join(meta)}{head_extra}</head><body>{FURNITURE_TOP}"
        f'<main><article class="post"><h1 class="entry-title">{html.escape(headline)}</h1>'
        f'{byline}<div class="entry-content">{story}</div></article>{body_extra}</main>'
        f"{FURNITURE_BOTTOM}</body></html>"
    )


def write_pdf(path: Path, pages: list[str], *, title: str = "", author: str = "") -> Path:
    """One PDF page per string, its lines drawn top to bottom by QPainter (a real text layer)."""
    from PySide6.QtCore import QRectF, Qt
    from PySide6.QtGui import QFont, QPageSize, QPainter, QPdfWriter

    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setResolution(72)
    writer.setTitle(title)
    writer.setAuthor(author)
    painter = QPainter(writer)
    painter.setFont(QFont("DejaVu Sans", 11))
    for number, page in enumerate(pages):
        if number:
            writer.newPage()
        y = 40.0
        for line in page.split("\n"):
            painter.drawText(QRectF(40, y, 500, 20), Qt.AlignmentFlag.AlignLeft, line)
            y += 20
    painter.end()
    return path


def write_image_only_pdf(path: Path) -> Path:
    """A "scan": one page holding a picture of text, with no text layer."""
    from PySide6.QtGui import QColor, QImage, QPainter, QPdfWriter

    image = QImage(400, 100, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    drawing = QPainter(image)
    drawing.drawText(20, 50, "Scanned words, only pixels")
    drawing.end()
    writer = QPdfWriter(str(path))
    painter = QPainter(writer)
    painter.drawImage(0, 0, image)
    painter.end()
    return path


def encrypt_pdf(source: Path, target: Path, password: str) -> Path:
    """The same PDF behind a user password (pypdf, a test-only dependency: Qt cannot encrypt;
    RC4, which pypdf does without the cryptography package)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(str(source)).pages:
        writer.add_page(page)
    writer.encrypt(user_password=password, owner_password=password + "-owner", algorithm="RC4-128")
    with target.open("wb") as out:
        writer.write(out)
    return target


def write_docx(
    path: Path,
    blocks: list[str | list[list[str]]],
    *,
    title: str = "",
    author: str = "",
    created: dt.datetime | None = None,
    heading: str = "",
    heading_at: int = 0,
) -> Path:
    """A Word file: paragraphs (str) and tables (rows of cells), and an optional Heading 1 placed
    before block number `heading_at`."""
    import docx

    word = docx.Document()
    for number, block in enumerate(blocks):
        if heading and number == heading_at:
            word.add_heading(heading, level=1)
        if isinstance(block, str):
            word.add_paragraph(block)
        else:
            table = word.add_table(rows=len(block), cols=len(block[0]))
            for r, row in enumerate(block):
                for c, cell in enumerate(row):
                    table.cell(r, c).text = cell
    props = word.core_properties
    props.title, props.author = title, author
    if created is not None:
        props.created = created
    buffer = io.BytesIO()
    word.save(buffer)
    path.write_bytes(buffer.getvalue())
    return path


def ole_compound_file(*stream_names: str) -> bytes:
    """The first bytes of an OLE compound file with the given directory entries: the container of
    a password-protected .docx (stream EncryptedPackage) or of an old Word 97 .doc
    (WordDocument). Only its signature and directory names are real; Loupe reads no further."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    directory = b"".join(name.encode("utf-16-le").ljust(128, b"\x00") for name in stream_names)
    return header + directory.ljust(512, b"\x00")
