"""The arithmetic of agreement: precision/recall/F1 from match counts, Cohen's kappa from a token
confusion matrix, and the word tokens kappa is counted over (definitions: docs/agreement.md).

Both figures keep their raw counts rather than ratios, because a ratio of sums is not a sum of
ratios: documents, and types, combine exactly only by adding counts and dividing at the end.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate
from unicodedata import category

from app.model import Annotation

# A label in a confusion matrix: a tag type's name, or None for a token nobody tagged ("O").
Label = str | None


@dataclass(frozen=True, slots=True)
class PRF:
    """Precision, recall and F1 of B against A as the reference, from one-to-one matches.

    A ratio whose denominator is zero is None ("nothing to measure"), never 0 or 1: an empty
    comparison must not look like a perfect, or a failed, one.
    """

    tp: int = 0
    fp: int = 0  # B's annotations left unmatched
    fn: int = 0  # A's annotations left unmatched

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        # 2PR/(P+R) written with counts: defined as soon as either side has an annotation.
        total = 2 * self.tp + self.fp + self.fn
        return 2 * self.tp / total if total else None

    def __add__(self, other: PRF) -> PRF:
        return PRF(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    def to_dict(self) -> dict:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": self.precision,
                "recall": self.recall, "f1": self.f1}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Kappa:
    """Cohen's kappa over word tokens, kept as its confusion matrix so that documents add up.

    `cells` holds (label by A, label by B, tokens) for every non-empty cell, sorted.
    """

    cells: tuple[tuple[Label, Label, int], ...] = ()

    @classmethod
    def from_counter(cls, counts: Counter) -> Kappa:
        cells = [(a, b, n) for (a, b), n in counts.items() if n]
        return cls(tuple(sorted(cells, key=lambda c: (c[0] is None, c[0] or "", c[1] is None,
                                                      c[1] or ""))))  # fmt: skip

    def _sums(self) -> tuple[int, int, int]:
        """(tokens N, agreeing tokens, Σ_k rows_k·cols_k)."""
        rows: Counter = Counter()
        cols: Counter = Counter()
        n = diagonal = 0
        for a, b, count in self.cells:
            n += count
            rows[a] += count
            cols[b] += count
            if a == b:
                diagonal += count
        return n, diagonal, sum(rows[k] * cols[k] for k in rows)

    @property
    def tokens(self) -> int:
        return sum(c[2] for c in self.cells)

    @property
    def observed(self) -> float | None:
        """p_o: the share of tokens both gave the same label."""
        n, diagonal, _ = self._sums()
        return diagonal / n if n else None

    @property
    def expected(self) -> float | None:
        """p_e: the agreement expected by chance from each annotator's own label shares."""
        n, _, chance = self._sums()
        return chance / (n * n) if n else None

    @property
    def kappa(self) -> float | None:
        """(p_o − p_e)/(1 − p_e), computed as (N·diag − Σ)/(N² − Σ) in integers, so p_e = 1 is
        recognised exactly rather than through a rounded float; None when there are no tokens."""
        n, diagonal, chance = self._sums()
        if not n:
            return None
        if chance == n * n:  # one label used by both for every token: p_o is 1 too
            return 1.0 if diagonal == n else 0.0
        return (n * diagonal - chance) / (n * n - chance)

    def __add__(self, other: Kappa) -> Kappa:
        counts: Counter = Counter()
        for a, b, count in (*self.cells, *other.cells):
            counts[a, b] += count
        return Kappa.from_counter(counts)

    def to_dict(self) -> dict:
        return {"tokens": self.tokens, "observed": self.observed, "expected": self.expected,
                "kappa": self.kappa,
                "confusion": [{"a": a, "b": b, "tokens": n} for a, b, n in self.cells]}  # fmt: skip


# ---------------------------------------------------------------- tokens

_JOINERS = "\u200c\u200d"  # zero-width non-joiner / joiner: inside Persian and Indic words
_WORDS_AND_SPACE = re.compile(r"[\w\s]+")


@lru_cache(maxsize=64)
def _token_pattern(marks: str, joiners: bool) -> re.Pattern[str]:
    # One capturing group around the whole token, so re.split alternates gap, token, gap, …
    word = rf"\w[\w{re.escape(marks)}]*" if marks else r"\w+"
    return re.compile(rf"({word}(?:[{_JOINERS}]{word})*)" if joiners else rf"({word})")


def _pattern_for(text: str) -> re.Pattern[str]:
    """The token pattern for the combining marks (harakat, accents, virama …) and joiners this
    text uses: `\\w` leaves marks out, so "كَتَبَ" would fall apart into letters. Looked up per text
    because the full list of marks takes a third of a second to build from unicodedata, and a
    pattern with marks or joiners it does not need is slower."""
    if text.isascii():
        return _token_pattern("", False)
    odd = set(_WORDS_AND_SPACE.sub("", text))  # marks and joiners are neither words nor space
    marks = "".join(sorted(c for c in odd if category(c)[0] == "M" and not c.isalnum()))
    return _token_pattern(marks, not odd.isdisjoint(_JOINERS))


def tokenize(text: str) -> tuple[list[int], list[int]]:
    """Start and end code points of every word token: a letter, digit or underscore followed by
    letters, digits, underscores and combining marks, possibly joined by ZWNJ/ZWJ. Punctuation,
    white space, symbols and emoji separate tokens and are not tokens themselves."""
    parts = _pattern_for(text).split(text)
    # parts = [gap, token, gap, token, …, gap]; cumulative lengths give every boundary at C speed.
    bounds = list(accumulate(map(len, parts)))
    return bounds[0:-1:2], bounds[1::2]


# An annotation seen by the tokens: (length in code points, label code, first token, end token).
Mark = tuple[int, int, int, int]


class TokenIndex:
    """Maps annotations to the tokens they touch: a token counts as covered by an annotation that
    overlaps at least one of its code points."""

    def __init__(self, text: str) -> None:
        self.starts, self.ends = tokenize(text)
        self.size = len(self.starts)

    def marks(self, annotations: Iterable[Annotation], code: dict[int, int]) -> list[Mark]:
        """Each annotation's range of tokens, found once and reused by every figure."""
        after, before = self.ends, self.starts
        return [(x.end - x.start, code[x.tag_type_id], bisect_right(after, x.start),
                 bisect_left(before, x.end)) for x in annotations]  # fmt: skip

    def labels(self, marks: Iterable[Mark]) -> bytearray:
        """One label per token: the code (1, 2, … in the vocabulary's order, at most 255) of the
        type of the shortest annotation covering it, the smaller code on a tie, or 0 if none.
        Longer spans are written first and shorter ones over them, so each token ends with the
        most specific."""
        labels = bytearray(self.size)
        for _, code, i, j in sorted(marks, reverse=True):
            if i < j:
                labels[i:j] = bytes((code,)) * (j - i)
        return labels

    def coverage(self, marks: Iterable[Mark]) -> bytearray:
        """1 for every token some annotation covers, else 0."""
        covered = bytearray(self.size)
        for _, _, i, j in marks:
            if i < j:
                covered[i:j] = b"\x01" * (j - i)
        return covered


@lru_cache(maxsize=256)
def _only(code: int) -> bytes:
    """A bytes.translate table keeping `code` as 1 and turning every other byte into 0."""
    return bytes(int(k == code) for k in range(256))


def multiclass_kappa(labels_a: bytearray, labels_b: bytearray, names: dict[int, str]) -> Kappa:
    """Kappa over every label at once; `names` maps label codes to type names (0 is absent: O).

    Each label present becomes a 0/1 mask of the tokens (bytes.translate), read as one big
    integer; AND-ing A's mask for one label with B's for another counts the tokens they share.
    Every step runs in C, where a Counter over token pairs would loop in Python."""

    def masks(labels: bytearray) -> dict[int, int]:
        return {code: int.from_bytes(labels.translate(_only(code)), "little")
                for code in (0, *names) if code in labels}  # fmt: skip

    masks_b = masks(labels_b)
    counts = Counter({
        (names.get(code_a), names.get(code_b)): (mask_a & mask_b).bit_count()
        for code_a, mask_a in masks(labels_a).items() for code_b, mask_b in masks_b.items()
    })  # fmt: skip
    return Kappa.from_counter(counts)


def binary_kappa(covered_a: bytearray, covered_b: bytearray, name: str) -> Kappa:
    """Kappa for one type: each token is `name` or not (None), whatever else covers it."""
    in_a, in_b = covered_a.count(1), covered_b.count(1)
    # The bytes are 0 or 1, so AND-ing them as one big integer leaves one set bit per shared token.
    both = (int.from_bytes(covered_a, "little") & int.from_bytes(covered_b, "little")).bit_count()
    counts = Counter({(name, name): both, (name, None): in_a - both, (None, name): in_b - both,
                      (None, None): len(covered_a) - in_a - in_b + both})  # fmt: skip
    return Kappa.from_counter(counts)
