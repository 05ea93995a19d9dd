"""Alias matching for entity suggestions: every place in a document where a known alias occurs.

Pure (no Qt, no SQL). Texts and aliases are compared folded (app.alias_fold). All aliases are
looked for at once by an Aho-Corasick automaton (ahocorasick_rs) over the folded text; matches must
start and end at word edges, except next to scripts written without spaces. Offsets are code
points into the original text, half-open, as Loupe stores them.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, fields
from itertools import accumulate
from operator import attrgetter, itemgetter

from ahocorasick_rs import AhoCorasick

from app.alias_fold import FOLDING, PreparedText, in_blocks, normalize, prepare
from app.interchange import collector_paused

__all__ = [
    "AliasEntry", "AliasMatcher", "Occurrence", "PreparedText", "add_occurrences",
    "find_between", "leftmost_longest", "normalize", "prepare", "suggestions",
]  # fmt: skip

# Scripts written without spaces between words (Thai, Lao, Tibetan, Myanmar, Khmer, kana, CJK,
# Yi): a match needs no word boundary next to their characters.
_UNSPACED_SCRIPTS = (
    (0x0E00, 0x0EFF), (0x0F00, 0x0FFF), (0x1000, 0x109F), (0x1780, 0x17FF), (0x19E0, 0x19FF),
    (0x3040, 0x312F), (0x31F0, 0x31FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xA000, 0xA4CF),
    (0xA9E0, 0xA9FF), (0xAA60, 0xAA7F), (0xF900, 0xFAFF), (0xFF66, 0xFF9F), (0x20000, 0x323AF),
)  # fmt: skip


class _SpacedWordChars(dict):
    """Character → True for letters, digits and marks of scripts that put spaces between words:
    a match may not start or end next to one of those if its own edge is one too."""

    def __missing__(self, ch: str) -> bool:
        word = ch.isalnum() or unicodedata.category(ch)[0] == "M"
        spaced = self[ch] = word and not in_blocks(ch, _UNSPACED_SCRIPTS)
        return spaced


_SPACED_WORD = _SpacedWordChars()


@dataclass(frozen=True, slots=True)
class AliasEntry:
    entity_id: int
    tag_type_id: int
    alias: str  # as the analyst wrote it


@dataclass(frozen=True, slots=True)
class Occurrence:
    start: int  # code points into the original text
    end: int
    entity_id: int
    tag_type_id: int
    alias: str


def _occurrence_maker():
    """`Occurrence(...)` runs a frozen dataclass's __init__: five `object.__setattr__` calls from
    Python. `find` makes thousands, so it sets the slots itself: 0.4 µs instead of 0.6 each."""
    new = object.__new__
    set_start, set_end, set_entity, set_type, set_alias = (
        getattr(Occurrence, f.name).__set__ for f in fields(Occurrence)
    )

    def make(start: int, end: int, entity_id: int, tag_type_id: int, alias: str) -> Occurrence:
        occ = new(Occurrence)
        set_start(occ, start)
        set_end(occ, end)
        set_entity(occ, entity_id)
        set_type(occ, tag_type_id)
        set_alias(occ, alias)
        return occ

    return make


_make_occurrence = _occurrence_maker()
_Owner = tuple[int, int, str]  # entity_id, tag_type_id, alias
_ORDER = attrgetter("start", "end", "tag_type_id", "entity_id", "alias")


class AliasMatcher:
    """All aliases in one automaton, built once per change of the alias registry. A new alias
    needs no rebuild: `find_alias` finds it alone by `str.find` in the prepared text."""

    @collector_paused()  # no cycles among the tuples made: 5–7 ms less a find
    def __init__(self, entries: Iterable[AliasEntry]) -> None:
        owners: dict[str, dict[int, _Owner]] = {}
        for entry in entries:
            key = normalize(entry.alias)
            if key:
                by_type = owners.setdefault(key, {})
                owner = (entry.entity_id, entry.tag_type_id, entry.alias)
                held = by_type.get(entry.tag_type_id)
                if held is None or owner < held:  # one owner per type: the lowest entity id
                    by_type[entry.tag_type_id] = owner
        self._keys = list(owners)
        self._owners = [
            [*by_type.values()]
            if len(by_type) == 1
            else sorted(by_type.values(), key=itemgetter(1))
            for by_type in owners.values()
        ]
        self._spaced_first = [_SPACED_WORD[key[0]] for key in self._keys]
        self._spaced_last = [_SPACED_WORD[key[-1]] for key in self._keys]
        self._automaton = AhoCorasick(self._keys) if self._keys else None
        self.longest = max(map(len, self._keys), default=0)  # folded characters

    @collector_paused()
    def find(self, prepared: PreparedText, *, overlapping: bool = False) -> list[Occurrence]:
        """Sorted by (start, end): per tag type leftmost-longest, not overlapping; or, with
        `overlapping`, every occurrence at word edges (kept per document for `add_occurrences`)."""
        if self._automaton is None:
            return []
        # Overlapping matches: a longer one refused for its edges must not hide one inside it.
        folded, n, spaced = prepared.folded, len(prepared.folded), _SPACED_WORD
        first, last = self._spaced_first, self._spaced_last
        spans = [
            (start, end, index)
            for index, start, end in self._automaton.find_matches_as_indexes(
                folded, overlapping=True
            )
            if not (start and first[index] and spaced[folded[start - 1]])
            and not (end < n and last[index] and spaced[folded[end]])
        ]
        spans.sort()
        return _occurrences(prepared, spans, self._owners, overlapping)

    def find_alias(
        self, prepared: PreparedText, entry: AliasEntry, *, overlapping: bool = False
    ) -> list[Occurrence]:
        """One alias alone, as `find` gives it when it is the only one (a few ms for 1 MB)."""
        key = normalize(entry.alias)
        if not key:
            return []
        folded, spans, spaced = prepared.folded, [], _SPACED_WORD
        first, last = spaced[key[0]], spaced[key[-1]]
        start = folded.find(key)
        while start >= 0:
            end = start + len(key)
            if not (start and first and spaced[folded[start - 1]]) and not (
                end < len(folded) and last and spaced[folded[end]]
            ):
                spans.append((start, end, 0))
            start = folded.find(key, start + 1)
        owner = (entry.entity_id, entry.tag_type_id, entry.alias)
        return _occurrences(prepared, spans, [[owner]], overlapping)


def _occurrences(
    prepared: PreparedText, spans: list[tuple[int, int, int]], owners: list[list[_Owner]],
    overlapping: bool,
) -> list[Occurrence]:  # fmt: skip
    """Sorted spans of the folded text (start, end, alias index) as occurrences in the text, per
    tag type leftmost-longest unless `overlapping`. One loop, as the user waits for it: offsets
    by walking the breaks, the choice on integers. Each ends after its last letter's diacritics."""
    text, n, attached, make = prepared.text, len(prepared.text), FOLDING.attached, _make_occurrence
    breaks, totals = prepared.to_text.guarded()
    b, found = 0, []
    last_of_type: dict[int, tuple[int, int, int]] = {}  # type → start, end, index in found
    for start, end, index in spans:
        while breaks[b] <= start:
            b += 1
        j = b
        while breaks[j] < end:
            j += 1
        text_start, text_end = start + totals[b], end + totals[j]
        while text_end < n and text[text_end] in attached:
            text_end += 1
        for entity_id, tag_type_id, alias in owners[index]:
            if not overlapping:
                last = last_of_type.get(tag_type_id)
                if last is not None and start < last[1]:
                    if start != last[0]:
                        continue
                    found[last[2]] = None  # same start, so longer (spans are sorted, distinct)
                last_of_type[tag_type_id] = (start, end, len(found))
            found.append(make(text_start, text_end, entity_id, tag_type_id, alias))
    return found if overlapping else [occ for occ in found if occ is not None]


@collector_paused()
def leftmost_longest(occurrences: Iterable[Occurrence]) -> list[Occurrence]:
    """Per tag type, left to right: the longest occurrence starting first, then the next that
    starts after it ends; of two on the same span, the lower entity id. Types overlap freely."""
    chosen: list[Occurrence | None] = []
    last_of_type: dict[int, int] = {}
    for occ in sorted(occurrences, key=attrgetter("start", "end")):  # sorted input: linear
        i = last_of_type.get(occ.tag_type_id)
        if i is not None:
            last = chosen[i]
            if occ.start < last.end:
                if occ.start != last.start or occ.end < last.end:
                    continue
                if occ.end == last.end and occ.entity_id >= last.entity_id:
                    continue
                chosen[i] = None  # it wins; nothing after `last` was taken
        last_of_type[occ.tag_type_id] = len(chosen)
        chosen.append(occ)
    return [occ for occ in chosen if occ is not None]


def find_between(
    matcher: AliasMatcher, text: str, start: int, end: int, margin: int = 256
) -> list[Occurrence]:
    """Leftmost-longest occurrences overlapping [start, end) of `text`, found in a window around
    it: what is on screen, in ~1 ms, while the whole text is searched elsewhere. A match touching
    the window's cut is dropped (the cut hides whether it stops at a word edge), and the window
    reaches `margin` characters past the longest name on each side, so the choice has settled
    before `start`: it is the whole text's choice unless overlapping names chain across more
    than the margin (then the whole text's search, which replaces this, corrects it)."""
    reach = margin + 2 * matcher.longest  # dropped marks can make a name longer in the text
    lo, hi = max(0, start - reach), min(len(text), end + reach)
    n, make = hi - lo, _make_occurrence
    found = [
        make(o.start + lo, o.end + lo, o.entity_id, o.tag_type_id, o.alias)
        for o in matcher.find(prepare(text[lo:hi]), overlapping=True)
        if (o.start or not lo) and (o.end < n or hi == len(text))
    ]
    return [o for o in leftmost_longest(found) if o.start < end and o.end > start]


def add_occurrences(everything: list[Occurrence], added: list[Occurrence]) -> list[Occurrence]:
    """Every occurrence (`find(..., overlapping=True)`) and a new alias's (`find_alias`, the same),
    sorted: `leftmost_longest` of it is a rebuilt matcher's `find`. The chosen lists would not do:
    a new alias can displace an occurrence that had displaced another."""
    merged, done = [], 0
    for occ in sorted(added, key=_ORDER):  # few: insert by bisection, copy the rest in slices
        at = bisect_left(everything, _ORDER(occ), lo=done, key=_ORDER)
        merged += everything[done:at]
        merged.append(occ)
        done = at
    return merged + everything[done:]


@collector_paused()
def suggestions(
    occurrences: Iterable[Occurrence],
    annotated: Iterable[tuple[int, int, int]],
    rejected: Iterable[tuple[int, int, int]],
) -> list[Occurrence]:
    """Drop occurrences overlapping an existing annotation of the same tag type
    (`annotated` = (start, end, tag_type_id)) and those rejected ((start, end, entity_id))."""
    by_type: dict[int, list[tuple[int, int, int]]] = {}
    for span in annotated:
        by_type.setdefault(span[2], []).append(span)
    # Per type the starts in order and the furthest end reached so far: an annotation overlaps
    # [start, end) iff one starting before `end` reaches past `start`.
    reach = {}
    for tag_type_id, spans in by_type.items():
        spans.sort()
        starts, ends = list(map(itemgetter(0), spans)), map(itemgetter(1), spans)
        reach[tag_type_id] = (starts, list(accumulate(ends, max)))
    refused = set(rejected)
    refused_starts = {start for start, _, _ in refused}
    kept = []
    for occ in occurrences:
        start, end = occ.start, occ.end
        if start in refused_starts and (start, end, occ.entity_id) in refused:
            continue
        starts_ends = reach.get(occ.tag_type_id)
        if starts_ends is not None:
            k = bisect_left(starts_ends[0], end)
            if k and starts_ends[1][k - 1] > start:
                continue
        kept.append(occ)
    return kept
