"""Turning an article file (untrusted bytes) into a Document, or a clear reason why not.

Accepted: UTF-8 with or without BOM, UTF-16 with BOM. Line ends become `\\n`; nothing else in the
text changes, because every stored offset points into exactly this text. Saved web pages, PDF and
Word files are read by `app.article_html`, `app.article_pdf` and `app.article_docx`, imported only
when such a file comes (so reading a .txt never loads Qt or an HTML parser).
"""

from __future__ import annotations

import codecs
import hashlib
import re
from pathlib import Path

from app.model import Document

MAX_ARTICLE_BYTES = 50 * 1024 * 1024
TEXT_SUFFIXES = (".txt", ".md")
HTML_SUFFIXES = (".html", ".htm")
ARTICLE_SUFFIXES = (*TEXT_SUFFIXES, *HTML_SUFFIXES, ".pdf", ".docx")
_TITLE_CHARS = 120  # a headline; a first line longer than this is a paragraph


class ArticleError(ValueError):
    """An article that cannot be opened; the message names the file and the problem."""


def check_article_bytes(data: bytes, name: str) -> None:
    if not data:
        raise ArticleError(f"{name}: the file is empty.")
    if len(data) > MAX_ARTICLE_BYTES:
        raise ArticleError(
            f"{name}: {len(data) / 1e6:.0f} MB is over the {MAX_ARTICLE_BYTES // 2**20} MB limit "
            "for one article."
        )


def decode_article(data: bytes, name: str) -> str:
    check_article_bytes(data, name)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding, label = "utf-16", "UTF-16"
    else:
        encoding, label = "utf-8-sig", "UTF-8"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ArticleError(
            f"{name}: not valid {label} text (byte offset {exc.start}: {exc.reason}). "
            "Loupe reads UTF-8 (with or without BOM) and UTF-16 with BOM; save the file in "
            "one of those and try again."
        ) from None
    if "\x00" in text:
        raise ArticleError(
            f"{name}: contains NUL characters at offset {text.index(chr(0))}; it looks binary "
            "or UTF-16 without a BOM. Save it as UTF-8 and try again."
        )
    text = normalise_line_ends(text)
    if not text.strip():
        raise ArticleError(f"{name}: holds only white space.")
    return text


def normalise_line_ends(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def default_title(text: str, fallback: str = "Untitled") -> str:
    for line in text.split("\n"):
        line = re.sub(r"^#+\s*", "", line.strip()).strip()  # a Markdown heading's marks
        if line:
            return line if len(line) <= _TITLE_CHARS else shorten(line, _TITLE_CHARS)
    return fallback


def text_sha256(text: str) -> str:
    """Identity of a text: the same article imported twice is found by this, not by its name."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def shorten(line: str, limit: int) -> str:
    """Cut at the last word boundary that fits, so a title never ends mid-word."""
    cut = line[: limit - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut).rstrip(" ,;:—-") + "…"


def make_document(
    text: str,
    *,
    title: str = "",
    source: str = "",
    url: str = "",
    author: str = "",
    published: str = "",
) -> Document:
    title = shorten(title, _TITLE_CHARS) if len(title) > _TITLE_CHARS else title
    return Document(
        None,
        title or default_title(text),
        text,
        text_sha256(text),
        source,
        url,
        published=published,
        author=author,
    )


def read_article(path: str | Path, progress=None) -> Document:
    """Plain function, safe to call on a worker thread; every failure is an `ArticleError`.
    `progress(done, total)`, if given, hears of a PDF's pages, and may raise to stop between
    two (the other formats are read in one step)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in ARTICLE_SUFFIXES:
        hint = " Save it as .docx and try again." if suffix == ".doc" else ""
        raise ArticleError(
            f"{path.name}: Loupe opens .txt, .md, .html, .htm, .pdf and .docx articles, "
            f"not “{path.suffix}”.{hint}"
        )
    try:
        size = path.stat().st_size
        if size > MAX_ARTICLE_BYTES:
            raise ArticleError(
                f"{path.name}: {size / 1e6:.0f} MB is over the "
                f"{MAX_ARTICLE_BYTES // 2**20} MB limit for one article."
            )
        data = path.read_bytes()
    except OSError as exc:
        raise ArticleError(f"{path.name}: cannot be read ({exc.strerror}).") from None
    if suffix in HTML_SUFFIXES:
        from app.article_html import read_html

        return read_html(data, path.name)
    if suffix == ".pdf":
        from app.article_pdf import read_pdf

        return read_pdf(path, data, progress)
    if suffix == ".docx":
        from app.article_docx import read_docx

        return read_docx(data, path.name)
    return make_document(decode_article(data, path.name), title="")
