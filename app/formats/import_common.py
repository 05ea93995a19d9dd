"""What the colleague-format parsers (brat, doccano, Label Studio) share: the article as the other
tool counted it, and the way from its offsets to Loupe's.

Loupe stores an article without a byte-order mark and with `\\r\\n` and `\\r` turned into `\\n`
(app/articles.py). The other tool counted offsets in the text as *it* read it, which may still hold
both, and it may have counted UTF-16 code units (JavaScript, a "narrow" Python 2 build) rather than
code points. A `Reading` is one such way of counting; a parser that has the colleague's quote tries
the plausible readings and keeps the one under which every quote matches, so the unit is proved by
the file rather than guessed.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from app.articles import default_title, normalise_line_ends, text_sha256
from app.interchange import ForeignDocument, ForeignFile, ImportProblem, check_offsets, check_text
from app.model import CONTEXT_CHARS
from app.offsets import Utf16Map
from app.wording import plural  # noqa: F401  (formats import it from here)

BOM = "\ufeff"
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


@dataclass(frozen=True, slots=True)
class ReportedFile(ForeignFile):
    """A ForeignFile plus, in words for the analyst, what the parser left out or had to assume
    ("3 relations (R lines) skipped: Loupe has no relations"). Nothing may vanish silently; when
    ForeignFile itself gains a `notices` field this subclass can go."""

    notices: tuple[str, ...] = ()


def stored_form(raw: str) -> tuple[str, tuple[int, ...]]:
    """The text as Loupe stores it, and the positions in `raw` of the characters dropped on the
    way there: a leading BOM and the `\\r` of every `\\r\\n` (a lone `\\r` becomes `\\n`)."""
    removed = [0] if raw.startswith(BOM) else []
    removed += [m.start() for m in re.finditer("\r\n", raw)]
    return normalise_line_ends(raw.removeprefix(BOM)), tuple(removed)


class Reading:
    """One way a tool may have counted: over `text` (the raw article, or Loupe's stored form of
    it), in code points or in UTF-16 units."""

    __slots__ = ("_map", "label", "removed", "text", "utf16")

    def __init__(self, text: str, removed: tuple[int, ...], utf16: bool, label: str) -> None:
        self.text, self.removed, self.utf16, self.label = text, removed, utf16, label
        self._map = Utf16Map(text) if utf16 else None

    @property
    def length(self) -> int:
        return self._map.length_utf16 if self._map else len(self.text)

    def code_point(self, offset: int) -> int | None:
        """The offset in code points of `text`; None when it falls between the two halves of a
        surrogate pair, which no tool counting UTF-16 units would produce for a real selection."""
        if self._map is None:
            return offset
        cp = self._map.to_code_point(offset)
        return cp if self._map.to_utf16(cp) == offset else None

    def to_stored(self, cp: int) -> int:
        return cp - bisect_left(self.removed, cp)


def readings(raw: str) -> list[Reading]:
    """The plausible readings of an article, most likely first: code points before UTF-16 units,
    the text as given before Loupe's stored form. Variants that cannot differ are left out."""
    stored, removed = stored_form(raw)
    texts = [(raw, removed, "the text as given")]
    if removed:
        texts.append((stored, (), "line ends as \\n, no BOM"))
    units = [False, True] if _ASTRAL.search(raw) else [False]
    return [
        Reading(text, dropped, utf16, f"{'UTF-16 units' if utf16 else 'code points'}, {how}")
        for utf16 in units
        for text, dropped, how in texts
    ]


def locate(
    reading: Reading, start: object, end: object, *, file: str, where: str
) -> tuple[int, int, int, int]:
    """Check a span in the reading's units; return it in code points of `reading.text` and of the
    stored text: (cp_start, cp_end, stored_start, stored_end)."""
    start, end = check_offsets(start, end, file=file, where=where, length=reading.length)
    cp_start, cp_end = reading.code_point(start), reading.code_point(end)
    if cp_start is None or cp_end is None:
        bad = start if cp_start is None else end
        raise ImportProblem(
            file, where, f"offset {bad} splits a character outside the Basic Multilingual Plane "
            "(an emoji, say) in two, so these offsets are not UTF-16 units",
        )  # fmt: skip
    stored_start, stored_end = reading.to_stored(cp_start), reading.to_stored(cp_end)
    if stored_start >= stored_end:
        raise ImportProblem(file, where, "the span holds only part of a line break")
    return cp_start, cp_end, stored_start, stored_end


def checked_span_text(stored: str, start: int, end: int, *, file: str, where: str) -> str:
    exact = stored[start:end]
    if not exact.strip():
        raise ImportProblem(file, where, f"the span [{start}, {end}) holds only white space")
    return exact


def context(stored: str, start: int, end: int) -> tuple[str, str]:
    """Prefix and suffix as Loupe keeps them, for re-anchoring in a differing copy of the text."""
    return stored[max(0, start - CONTEXT_CHARS) : start], stored[end : end + CONTEXT_CHARS]


def article(value: object, *, file: str, where: str, what: str = "text") -> str:
    """An embedded article: text, not empty, within the size limit, without NUL characters."""
    if value is None:
        raise ImportProblem(file, where, f"{what} is missing")
    text = check_text(value, file=file, where=where, what=what)
    if not text.strip():
        raise ImportProblem(file, where, f"{what} is empty")
    if "\x00" in text:
        raise ImportProblem(file, where, f"{what} contains a NUL character")
    return text


def embedded_document(
    key: str, raw: str, *, title: str = "", url: str = "", fallback: str = "Untitled"
) -> ForeignDocument:
    stored, _ = stored_form(raw)
    return ForeignDocument(
        key=key,
        title=title or default_title(stored, fallback),
        url=url,
        text=stored,
        text_sha256=text_sha256(stored),
    )


def shown(text: str, limit: int = 60) -> str:
    """Text quoted in a message: cut short, with line breaks and tabs visible as escapes."""
    cut = text if len(text) <= limit else text[: limit - 1] + "…"
    return cut.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t")


def skipped_notices(skipped: dict[str, int]) -> list[str]:
    return [f"{plural(n, what)} skipped: Loupe does not keep them" for what, n in skipped.items()]
