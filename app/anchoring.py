"""Putting a colleague's annotation back on our copy of the text, and saying how sure we are.

Peers fail both ways: QualCoder copies offsets blindly between texts of different lengths, and
Hypothesis silently re-anchors to the wrong passage. Here every annotation ends in one of four
states, and only the first is placed without a flag:

- anchored: the position holds exactly the quote;
- moved: the quote is elsewhere, at a place its context singles out (flagged for the reviewer);
- review: only an approximate match above the threshold (rapidfuzz), with its score;
- orphan: nothing good enough; kept with its original quote, never placed.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz

ANCHORED, MOVED, REVIEW, ORPHAN = "anchored", "moved", "review", "orphan"
STATES = (ANCHORED, MOVED, REVIEW, ORPHAN)
FUZZY_THRESHOLD = 80.0  # rapidfuzz partial ratio, 0–100
CONTEXT_THRESHOLD = 80.0
_FUZZY_WINDOW = 4_000  # characters searched around the old position before the whole text
_WHOLE_TEXT_LIMIT = 200_000  # approximate search over a whole text only below this size
_MAX_OCCURRENCES = 200


@dataclass(frozen=True, slots=True)
class Anchor:
    state: str
    start: int | None = None
    end: int | None = None
    score: float = 0.0  # 100 for exact placements


def _occurrences(text: str, quote: str) -> list[int]:
    found, i = [], text.find(quote)
    while i >= 0 and len(found) < _MAX_OCCURRENCES:
        found.append(i)
        i = text.find(quote, i + 1)
    return found


def _context_score(text: str, start: int, end: int, prefix: str, suffix: str) -> float:
    """How well the text around a candidate matches the quote's recorded context (0–100)."""
    scores = []
    if prefix:
        scores.append(fuzz.ratio(prefix, text[max(0, start - len(prefix)) : start]))
    if suffix:
        scores.append(fuzz.ratio(suffix, text[end : end + len(suffix)]))
    return sum(scores) / len(scores) if scores else 100.0


def holds(text: str, exact: str, start: int | None, end: int | None) -> bool:
    """The recorded position still holds the quote: the common case, and the cheapest test, so a
    bulk import checks it before building anything else."""
    return (
        start is not None and end is not None and 0 <= start < end <= len(text)
        and text[start:end] == exact
    )  # fmt: skip


def anchor(
    text: str,
    exact: str,
    start: int | None = None,
    end: int | None = None,
    prefix: str = "",
    suffix: str = "",
    *,
    threshold: float = FUZZY_THRESHOLD,
) -> Anchor:
    if not exact:
        return Anchor(ORPHAN)
    if holds(text, exact, start, end):
        return Anchor(ANCHORED, start, end, 100.0)  # type: ignore[arg-type]
    places = _occurrences(text, exact)
    if places:
        n = len(exact)
        scored = sorted(
            ((_context_score(text, p, p + n, prefix, suffix), p) for p in places),
            key=lambda sp: (-sp[0], abs(sp[1] - (start or 0))),
        )
        best, where = scored[0]
        runner_up = scored[1][0] if len(scored) > 1 else -1.0
        if best >= CONTEXT_THRESHOLD and best > runner_up:
            return Anchor(MOVED, where, where + n, best)
        # The quote is there but its context does not single one place out: a person decides.
        return Anchor(REVIEW, where, where + n, min(best, 99.0))
    return _fuzzy(text, exact, start, threshold)


def _fuzzy(text: str, exact: str, start: int | None, threshold: float) -> Anchor:
    windows = []
    if start is not None and len(text) > _FUZZY_WINDOW * 2:
        lo = max(0, start - _FUZZY_WINDOW)
        windows.append((lo, text[lo : start + len(exact) + _FUZZY_WINDOW]))
    if len(text) <= _WHOLE_TEXT_LIMIT:
        windows.append((0, text))
    best: Anchor | None = None
    for offset, window in windows:
        hit = fuzz.partial_ratio_alignment(exact, window, score_cutoff=threshold)
        if hit is not None and (best is None or hit.score > best.score):
            s, e = offset + hit.dest_start, offset + hit.dest_end
            if e > s and text[s:e].strip():
                best = Anchor(REVIEW, s, e, round(hit.score, 1))
        if best is not None and best.score >= 99.0:
            break
    return best or Anchor(ORPHAN)


def text_similarity(a: str, b: str) -> float:
    """0–100, for proposing that two documents are the same article (the user confirms)."""
    if not a or not b:
        return 0.0
    if len(a) > 50_000 or len(b) > 50_000:  # compare samples: enough to tell a rewrite apart
        a, b = a[:20_000] + a[-20_000:], b[:20_000] + b[-20_000:]
    return fuzz.ratio(a, b)
