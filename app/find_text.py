"""Find in one article: every match of what the analyst typed, as code-point spans of the stored
text, under the chosen folding (case, accents).

The text is folded once per (text, options) and kept, so each keystroke costs one regex search
over the folded text. Folding is per character through one `str.translate` table learnt for the
characters the text holds: canonical decomposition (NFD, so "é" typed one way finds it stored the
other), then full case folding ("ß" → "ss", "ﬁ" → "fi", "İ" → "i̇"), then, when accents are
ignored, combining marks dropped. A character may so become zero, one or several; the few that do
not become exactly one are listed with their positions, which leads every folded offset back to
the stored text's code points. A match must cover whole characters of the stored text: "s" does
not find half of "ß", so the analyst never gets a span that cuts a character in two.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass

Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class FindOptions:
    match_case: bool = False
    whole_words: bool = False
    ignore_accents: bool = True  # as browsers do: "Homs" finds "Ḥoms", "الرستن" its vocalised form


def is_word_char(ch: str) -> bool:
    """Letters, digits, combining marks and "_": what a whole-word match may not touch."""
    return ch.isalnum() or ch == "_" or unicodedata.category(ch)[0] == "M"


def fold_char(ch: str, options: FindOptions) -> str:
    """What one character becomes for comparison; may be empty or several characters."""
    if ch.isspace():
        return " "  # a space typed finds a line break or a no-break space too
    folded = unicodedata.normalize("NFD", ch)
    if not options.match_case:
        folded = unicodedata.normalize("NFD", folded.casefold())
    if options.ignore_accents:
        folded = "".join(c for c in folded if unicodedata.category(c) != "Mn")
    return folded


class FoldedText:
    """One text folded under one set of options, ready for any number of searches."""

    __slots__ = ("folded", "options", "text", "_folded_starts", "_lengths", "_origins")

    def __init__(self, text: str, options: FindOptions = FindOptions()) -> None:
        self.text, self.options = text, options
        table = {ord(c): fold_char(c, options) for c in set(text)}
        self.folded = text.translate(table)
        irregular = "".join(chr(c) for c, f in table.items() if len(f) != 1)
        self._origins: list[int] = []  # code point of each character not folded to exactly one
        self._folded_starts: list[int] = []  # where its folding starts in `folded`
        self._lengths: list[int] = []  # and how long it is (0: dropped)
        if irregular:
            shift = 0
            for m in re.finditer(f"[{re.escape(irregular)}]", text):
                i = m.start()
                n = len(table[ord(text[i])])
                self._origins.append(i)
                self._folded_starts.append(i + shift)
                self._lengths.append(n)
                shift += n - 1

    def to_original(self, position: int) -> int | None:
        """The code point where a match boundary at `position` of the folded text falls, or None
        inside one character's folding. Characters dropped just before a boundary (accents)
        belong to the character before: a match ends after them and starts after them."""
        j = bisect_right(self._folded_starts, position) - 1
        if j < 0:
            return position
        start, length = self._folded_starts[j], self._lengths[j]
        if position == start and length:
            return self._origins[j]
        if position < start + length:
            return None
        return self._origins[j] + 1 + (position - start - length)

    def fold(self, needle: str) -> str:
        return "".join(fold_char(c, self.options) for c in needle)

    def find(self, needle: str) -> list[Span]:
        """Non-overlapping matches, left to right, in code points of the stored text."""
        target = self.fold(needle)
        if not target.strip():
            return []
        pattern = re.compile(re.escape(target))
        text, whole = self.text, self.options.whole_words
        if not self._origins and not whole:  # every character folds to one: offsets agree
            return [m.span() for m in pattern.finditer(self.folded)]
        found: list[Span] = []
        position = 0
        search, to_original = pattern.search, self.to_original
        while (m := search(self.folded, position)) is not None:
            start, end = to_original(m.start()), to_original(m.end())
            if (
                start is None
                or end is None
                or start >= end
                or (whole and not _word_bounded(text, start, end))
            ):
                position = m.start() + 1  # a match may still start inside this one
                continue
            found.append((start, end))
            position = m.end()
        return found


def _word_bounded(text: str, start: int, end: int) -> bool:
    before = start > 0 and is_word_char(text[start - 1]) and is_word_char(text[start])
    after = end < len(text) and is_word_char(text[end]) and is_word_char(text[end - 1])
    return not (before or after)


def match_after(spans: list[Span], position: int) -> int:
    """Index of the first match starting at or after `position` (wrapping to 0), or -1 if none:
    where an incremental search lands from the cursor."""
    if not spans:
        return -1
    i = bisect_right([s for s, _ in spans], position - 1)
    return i if i < len(spans) else 0
