"""Code points ↔ UTF-16 units, span snapping, and building annotations from spans.

Loupe stores offsets as code points into the stored text; Qt counts UTF-16 units, so every
character outside the Basic Multilingual Plane (emoji, flags, some CJK) shifts Qt's positions by one
per character. `Utf16Map` converts in O(log n) by bisecting the positions of those characters only.
"""

from __future__ import annotations

import re
import uuid
from bisect import bisect_left, bisect_right
from unicodedata import category

from app.model import CONTEXT_CHARS, Annotation, Grade, utc_now

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


class SpanError(ValueError):
    """A span that cannot be an annotation of this text."""


class Utf16Map:
    """Bidirectional offset map for one text."""

    __slots__ = ("_astral_cp", "_astral_u16", "identity", "length", "length_utf16")

    def __init__(self, text: str) -> None:
        self._astral_cp = [m.start() for m in _ASTRAL.finditer(text)]
        # UTF-16 index of each astral character's high surrogate.
        self._astral_u16 = [cp + i for i, cp in enumerate(self._astral_cp)]
        self.length = len(text)
        self.length_utf16 = self.length + len(self._astral_cp)
        self.identity = not self._astral_cp  # all in the BMP: both units agree, skip the bisects

    def to_utf16(self, cp: int) -> int:
        return cp + bisect_left(self._astral_cp, cp)

    def to_code_point(self, u16: int) -> int:
        """A position inside a surrogate pair rounds down to the start of its character."""
        before = bisect_right(self._astral_u16, u16 - 2)  # pairs wholly before u16
        inside_pair = before < len(self._astral_u16) and self._astral_u16[before] == u16 - 1
        return u16 - before - inside_pair


def _is_word_char(ch: str) -> bool:
    # Letters, digits and combining marks (Arabic harakat, accents) belong to words in every script;
    # apostrophes and hyphens join "al-Assad" and "Syria’s".
    return ch.isalnum() or ch == "_" or category(ch)[0] == "M" or ch in "'’-\u2011"


def snap_span(text: str, start: int, end: int, *, to_words: bool) -> tuple[int, int] | None:
    """Trim white space and, if asked, widen to whole words; None if nothing is left."""
    start, end = max(0, start), min(len(text), end)
    if to_words:
        while (
            0 < start < len(text) and _is_word_char(text[start - 1]) and _is_word_char(text[start])
        ):
            start -= 1
        while 0 < end < len(text) and _is_word_char(text[end]) and _is_word_char(text[end - 1]):
            end += 1
    # A dangling apostrophe or hyphen at either edge is punctuation, not part of the word. White
    # space and such punctuation are trimmed together, so "x - y" cannot leave "x " behind.
    edge = "'’-\u2011" if to_words else ""
    while start < end and (text[start].isspace() or text[start] in edge):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in edge):
        end -= 1
    return (start, end) if start < end else None


def check_span(text: str, start: int, end: int) -> None:
    if not (0 <= start < end <= len(text)):
        raise SpanError(
            f"span [{start}, {end}) is not inside the document (0–{len(text)} code points); "
            "start must be smaller than end"
        )
    if text[start:end].strip() == "":
        raise SpanError(f"span [{start}, {end}) holds only white space")


def new_annotation(
    text: str,
    document_id: int,
    start: int,
    end: int,
    tag_type_id: int,
    *,
    entity: str = "",
    grade: Grade = Grade(),
    note: str = "",
    annotator: str = "",
) -> Annotation:
    """The one place an annotation is born: quote and context are sliced from the stored text."""
    check_span(text, start, end)
    now = utc_now()
    return Annotation(
        id=str(uuid.uuid4()),
        document_id=document_id,
        start=start,
        end=end,
        quote=text[start:end],
        prefix=text[max(0, start - CONTEXT_CHARS) : start],
        suffix=text[end : end + CONTEXT_CHARS],
        tag_type_id=tag_type_id,
        entity=" ".join(entity.split()),  # a quote across a line break names one entity
        grade=grade,
        note=note,
        annotator=annotator,
        created_at=now,
        updated_at=now,
    )
