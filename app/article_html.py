"""Saved web pages and pasted rich text, turned into the plain text an analyst annotates.

A saved page is untrusted bytes from the web. It is only ever *parsed* (lxml, through trafilatura):
nothing in it is run, and no URL in it is fetched — trafilatura gets the page as a string and never
a URL, so it has nothing to download. Boilerplate removal is trafilatura's, tuned for precision: an
analyst would rather add a missed paragraph by hand than annotate "Related Posts" by mistake.

The bytes are decoded the way a browser would, but without guessing: a byte-order mark, else the
page's own `<meta charset>` declaration, else UTF-8; bytes that do not fit are refused.
"""

from __future__ import annotations

import codecs
import re

import trafilatura
from lxml import etree
from trafilatura.settings import set_date_params

from app.articles import ArticleError, check_article_bytes, make_document, normalise_line_ends
from app.model import Document

_SNIFF_BYTES = 4096  # the HTML standard's prescan looks at the first 1024; be lenient
_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE
)
# The HTML standard decodes these labels as windows-1252, a superset; pages rely on it.
_WINDOWS_1252_LABELS = {"iso-8859-1", "iso8859-1", "latin1", "latin-1", "us-ascii", "ascii"}
_SPACES = re.compile(r"\s+")


def decode_html(data: bytes, name: str) -> str:
    """Text of a saved page, from its BOM, its `<meta charset>`, or UTF-8 — never a guess."""
    check_article_bytes(data, name)
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return _decode(data, encoding, name, "its byte-order mark says Unicode")
    declared = _META_CHARSET.search(data[:_SNIFF_BYTES])
    if declared is None:
        return _decode(
            data, "utf-8", name, "the page declares no character set, so it must be UTF-8"
        )
    label = declared.group(1).decode("ascii").lower()
    encoding = "cp1252" if label in _WINDOWS_1252_LABELS else label
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise ArticleError(
            f"{name}: the page declares the character set “{label}”, which Loupe does not know."
        ) from None
    if encoding.replace("_", "-").startswith("utf-16"):
        encoding = "utf-8"  # a page without a UTF-16 BOM was saved as UTF-8 whatever it says
    return _decode(data, encoding, name, f"the page declares the character set “{label}”")


def _decode(data: bytes, encoding: str, name: str, why: str) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        label = "UTF-8" if encoding.startswith("utf-8") else encoding
        raise ArticleError(
            f"{name}: {why}, but its bytes are not valid {label} (byte offset {exc.start}: "
            f"{exc.reason}). Save the page again as UTF-8 and try again."
        ) from None
    if "\x00" in text:
        raise ArticleError(
            f"{name}: contains NUL characters; it looks binary or UTF-16 without a byte-order "
            "mark, not a web page."
        )
    return text


def _extract(page: str):
    return trafilatura.bare_extraction(
        page,
        url=None,  # nothing to fetch, ever
        favor_precision=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        with_metadata=True,
        deduplicate=False,
        # Dates from the page's metadata, <time> and URL only: the extensive search guesses from
        # dates mentioned in the story (and is half the time on a long page).
        date_extraction_params=set_date_params(extensive=False),
    )


def read_html(data: bytes, name: str) -> Document:
    page = decode_html(data, name)
    if not page.strip():
        raise ArticleError(f"{name}: holds only white space.")
    try:
        found = _extract(page)  # no retry favouring recall: that one brings the menus back
    except (etree.LxmlError, ValueError) as exc:
        raise ArticleError(f"{name}: not a readable web page ({exc}).") from None
    text = paragraphs(found.text if found is not None else "")
    if not text:
        raise ArticleError(
            f"{name}: no article text found in the page (it may be an index page, a login wall, "
            "or built by scripts that Loupe does not run)."
        )
    url = found.url or ""
    return make_document(
        text,
        title=_one_line(found.title or ""),
        source=_one_line(found.sitename or ""),  # trafilatura falls back to the host
        url=url if re.match(r"https?://", url, re.IGNORECASE) else "",
        author=_one_line(found.author or ""),
        published=found.date or "",
    )


def paragraphs(text: str) -> str:
    """One paragraph per extracted line, with a blank line between, as a .txt article reads."""
    lines = (line.strip() for line in normalise_line_ends(text or "").split("\n"))
    return "\n\n".join(line for line in lines if line)


def _one_line(value: str) -> str:
    return _SPACES.sub(" ", value).strip()
