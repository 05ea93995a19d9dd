"""Rich text pasted from a browser or word processor, turned into the clean text that is stored.

Pure (no Qt): the window hands over the clipboard's HTML and plain text. The analyst chose exactly
this selection, so nothing is judged to be boilerplate (trafilatura would drop short pastes); the
HTML is only parsed by lxml, never rendered, run or fetched.
"""

from __future__ import annotations

import re

from app.articles import normalise_line_ends

_BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "caption", "dd", "details", "div", "dl", "dt",
    "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
    "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "ul",
}  # fmt: skip
_UNSEEN_TAGS = {
    "script", "style", "noscript", "template", "head", "title", "meta", "link", "iframe",
    "object", "embed", "svg", "math", "canvas", "audio", "video", "img", "picture", "source",
    "button", "select", "input", "textarea",
}  # fmt: skip
_SPACES = re.compile(r"[ \t\n\r\f\u00a0]+")  # HTML white space, and no-break space
_PARAGRAPH = "\x00P\x00"  # a marker while walking; NUL is removed from the input first


def pasted_text(html: str, plain: str) -> str:
    """The clipboard's HTML as clean text when it has any, else its plain text as it was."""
    return html_fragment_to_text(html) or normalise_line_ends(plain)


def html_fragment_to_text(fragment: str) -> str:
    """Clean text of rich text pasted from a browser or word processor.

    The analyst chose exactly this selection, so nothing is judged to be boilerplate. Block
    elements become paragraphs (a blank line between), `<br>` a line break, table cells are
    separated by a tab; scripts, styles and other unseen parts are dropped; runs of white space
    (including no-break spaces, which pages use for layout) become one space. Zero-width and
    bidirectional controls are kept: they belong to the words (ZWNJ in Persian, ZWJ in emoji,
    RLM in Arabic) and the stored text is what gets annotated.
    """
    fragment = fragment.replace("\x00", "")
    if not fragment.strip():
        return ""
    import lxml.html  # here, so that opening the window does not load it
    from lxml import etree

    try:
        root = lxml.html.document_fromstring(fragment)
    except (etree.LxmlError, ValueError):
        return ""
    parts: list[str] = []
    _walk(root, parts, in_pre=False)
    text = "".join(parts)
    blocks = []
    for block in text.split(_PARAGRAPH):
        lines = [line.strip(" ") for line in block.split("\n")]
        block = "\n".join(lines).strip("\n")
        if block.strip():
            blocks.append(block)
    return "\n\n".join(blocks)


def _walk(node, parts: list[str], in_pre: bool) -> None:
    tag = node.tag.lower() if isinstance(node.tag, str) else ""
    if tag in _UNSEEN_TAGS or not isinstance(node.tag, str):  # comments, processing instructions
        if node.tail:
            parts.append(_inline(node.tail, in_pre))
        return
    in_pre = in_pre or tag == "pre"
    block = tag in _BLOCK_TAGS
    if block:
        parts.append(_PARAGRAPH)
    if tag in ("br", "tr"):
        parts.append("\n")
    if tag in ("td", "th") and node.getprevious() is not None:
        parts.append("\t")
    if node.text:
        parts.append(_inline(node.text, in_pre))
    for child in node:
        _walk(child, parts, in_pre)
    if block:
        parts.append(_PARAGRAPH)
    if node.tail:
        parts.append(_inline(node.tail, in_pre))


def _inline(text: str, in_pre: bool) -> str:
    if in_pre:
        return normalise_line_ends(text)
    return _SPACES.sub(" ", text)
