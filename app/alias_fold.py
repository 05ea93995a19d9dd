"""Folding for alias matching: the form in which aliases and texts are compared, and the way
from a folded text back to the original's offsets.

Case, diacritics, invisible characters and the amount of white space do not count (rules and
limits: docs/formats.md, "Alias matching (suggestions)"). A text is folded by one `str.translate`,
each character to at most one; a short list of where characters were dropped (a few diacritics,
blank lines) leads back to code-point offsets, instead of a table of a million offsets.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from functools import lru_cache
from itertools import accumulate

# Marks are dropped only in these blocks (the generic combining blocks, Cyrillic, Hebrew, Arabic):
# there they are accents and vowel signs readers leave out. Elsewhere (Indic vowel signs, Thai
# tone marks, kana voicing) a mark makes another word, so it is kept.
_DIACRITIC_BLOCKS = (
    (0x0300, 0x036F), (0x0483, 0x0489), (0x0591, 0x05C7), (0x0610, 0x061A), (0x064B, 0x065F),
    (0x0670, 0x0670), (0x06D6, 0x06ED), (0x08CA, 0x08FF), (0x1AB0, 0x1AFF), (0x1DC0, 0x1DFF),
    (0x20D0, 0x20FF), (0xFE20, 0xFE2F),
)  # fmt: skip
_VARIATION_SELECTORS = ((0x180B, 0x180F), (0xFE00, 0xFE0F), (0xE0100, 0xE01EF))
_TATWEEL = "\u0640"  # Arabic elongation: typography, not spelling
_ZERO_WIDTH_SPACE = "\u200b"  # separates words as a space does
_EXTRA_FOLDS = {"ı": "i"}  # Turkish dotless ı: English press writes "Diyarbakir" for Diyarbakır
# Dropped characters are first folded to this one, so that splitting at it tells where they were.
# A noncharacter: not in interchanged text; one that is there anyway folds to U+FFFD.
_DROPPED = "\ufdd0"
_SPACES = re.compile(" +")


def in_blocks(ch: str, blocks: tuple[tuple[int, int], ...]) -> bool:
    return any(lo <= ord(ch) <= hi for lo, hi in blocks)


def _is_diacritic(ch: str) -> bool:
    return unicodedata.category(ch)[0] == "M" and in_blocks(ch, _DIACRITIC_BLOCKS)


def _strip_diacritics(s: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", s) if not _is_diacritic(ch))


def fold_char(ch: str) -> str:
    """A space for white space; nothing for what readers do not see as spelling (diacritics,
    tatweel, variation selectors, format characters: soft hyphen, ZWJ, bidi marks); else exactly
    one character. Never several, so offsets map back by a short list of drops: where case
    folding gives several ("ß" → "ss"), the simple lowercase stays ("ß") on both sides, so
    "STRASSE" ≠ "Straße"."""
    if ch.isspace() or ch == _ZERO_WIDTH_SPACE:
        return " "
    if ch == _TATWEEL or _is_diacritic(ch) or unicodedata.category(ch) == "Cf":
        return ""
    if in_blocks(ch, _VARIATION_SELECTORS):
        return ""
    if ch in _EXTRA_FOLDS:
        return _EXTRA_FOLDS[ch]
    # NFC recomposes what NFKD split and we kept (Hangul syllables, kana voicing marks).
    folded = unicodedata.normalize("NFC", _strip_diacritics(_strip_diacritics(ch).casefold()))
    if len(folded) == 1 and not folded.isspace():  # "´" decomposes to a space and an accent
        return folded
    return next((low for low in (ch.casefold(), ch.lower()) if len(low) == 1), ch)


class Folding:
    """The `str.translate` table, learnt on first sight of each character, kept for the process.
    A plain dict (translate is a third slower with a dict subclass filling itself on a miss): the
    text is first searched for an unknown character, by a regex over a class (2 ms per MB)."""

    def __init__(self) -> None:
        self.table: dict[int, str] = {}
        self.attached: set[str] = set()  # dropped, and part of the character before them
        self._unknown = re.compile(".", re.DOTALL)  # nothing is known yet

    def learn(self, text: str) -> None:
        if self._unknown.search(text) is None:
            return
        for ch in set(text).difference(map(chr, self.table)):
            folded = "\ufffd" if ch == _DROPPED else fold_char(ch) or _DROPPED
            self.table[ord(ch)] = folded
            if folded == _DROPPED and unicodedata.category(ch) != "Cf":
                self.attached.add(ch)
        known = re.escape("".join(sorted(map(chr, self.table))))
        self._unknown = re.compile(f"[^{known}]")

    def fold(self, text: str) -> str:
        """The text with dropped characters still marked: as long as the text."""
        self.learn(text)
        return text.translate(self.table)


FOLDING = Folding()


@lru_cache(maxsize=1 << 16)
def normalize(alias: str) -> str:
    """The key two aliases are compared by; the same folding as the documents' text. Names are
    folded again and again (the registry's 5,000 at each look): remembered, as a fold never
    changes once its characters are learnt."""
    return _one_space(FOLDING.fold(alias).replace(_DROPPED, "")).strip(" ")


def _one_space(s: str) -> str:
    return _SPACES.sub(" ", s) if "  " in s else s  # the regex would stop at every single space


class Shifts:
    """Where a string lost characters: from `breaks[i]` on (an offset into the shorter string)
    add `totals[i]`. Drops are usually few (some diacritics, blank lines), so a walk or bisect
    over them replaces a table of a million offsets. Fully vocalized Arabic drops every second
    character, so drops are handled by slices and C-level loops, not one by one in Python."""

    __slots__ = ("breaks", "totals")

    def __init__(self, breaks: list[int] | None = None, totals: list[int] | None = None) -> None:
        self.breaks, self.totals = breaks or [], totals or []

    def add(self, longer_position: int, dropped: int) -> None:
        total = self.totals[-1] if self.totals else 0
        self.breaks.append(longer_position - total)
        self.totals.append(total + dropped)

    def then(self, outer: Shifts) -> Shifts:
        """One map for `outer` after `self`, piece by piece of `self` (the few collapsed runs of
        spaces): within a piece, each break of `outer` moves by the piece's shift."""
        if not self.breaks or not outer.breaks:
            return self if self.breaks else outer
        both, drops = Shifts(), outer.breaks
        starts, ends = [None, *self.breaks], [*self.breaks, 1 << 62]
        for start, shift, end in zip(starts, [0, *self.totals], ends, strict=True):
            lo = 0
            if start is not None:  # a break of `self`; what `outer` dropped before its image
                lo = bisect_right(drops, start + shift)
                both.breaks.append(start)
                both.totals.append(shift + (outer.totals[lo - 1] if lo else 0))
            hi = bisect_left(drops, end + shift)  # beyond: in the gap `self` dropped, or later
            both.breaks += [q - shift for q in drops[lo:hi]]
            both.totals += [shift + total for total in outer.totals[lo:hi]]
        return both

    def guarded(self) -> tuple[list[int], list[int]]:
        """Breaks ending in a sentinel, totals starting with 0: walking needs no bounds checks."""
        return [*self.breaks, 1 << 62], [0, *self.totals]


class PreparedText:
    """One document's folded text and the way back to its offsets. Folding costs a pass over the
    whole text, more than matching, so the caller keeps one per open document."""

    __slots__ = ("text", "folded", "to_text")

    def __init__(self, text: str) -> None:
        self.text = text
        pieces = FOLDING.fold(text).split(_DROPPED)
        # Between pieces one character was dropped: where the k-th drop was, in the shorter
        # string, is the length of the pieces before it (two drops in a row: twice the same).
        dropped = Shifts(list(accumulate(map(len, pieces[:-1]))), list(range(1, len(pieces))))
        folded = "".join(pieces) if len(pieces) > 1 else pieces[0]
        collapsed = Shifts()  # folded → before collapsing: a run of spaces becomes one
        parts, done, i = [], 0, folded.find("  ")
        while i >= 0:  # blank lines are few next to the words; slices beat str.replace 2:1
            end = _SPACES.match(folded, i).end()
            collapsed.add(i + 1, end - i - 1)
            parts.append(folded[done : i + 1])
            done, i = end, folded.find("  ", end)
        self.folded = "".join([*parts, folded[done:]]) if parts else folded
        self.to_text = collapsed.then(dropped)  # folded → text

    def original(self, position: int) -> int:
        """Offset in the text of the folded text's character at `position`."""
        i = bisect_right(self.to_text.breaks, position)
        return position + self.to_text.totals[i - 1] if i else position


def prepare(text: str) -> PreparedText:
    return PreparedText(text)
