"""One-to-one matching of two annotators' annotations, without comparing each with every other.

Sorting by start and sweeping once finds every overlapping pair in
O((n + m) log(n + m) + overlapping pairs); the matchers then rank those pairs and take them
greedily, so the cost stays near-linear for real annotation sets (10,000 against 10,000 in a few
tens of milliseconds) where an n×m loop would make 10⁸ comparisons.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from heapq import heappop, heappush

from app.model import Annotation

Span = tuple[int, int]  # (start, end), half-open, start < end


def rank(x: Annotation) -> tuple:
    """A total order on annotations, so every tie in the matching breaks the same way."""
    g = x.grade
    return (x.start, x.end, x.tag_type_id, x.entity, g.credibility or 0, g.reliability or "",
            x.note, x.id)  # fmt: skip


def claim(x: Annotation) -> tuple:
    """What two annotations must share to agree (the grade as a plain tuple: hashed faster)."""
    return (x.start, x.end, x.tag_type_id, x.entity, x.grade.credibility, x.grade.reliability)


def differences(x: Annotation, y: Annotation) -> tuple[str, ...]:
    """Which fields of two paired annotations differ, in a fixed order."""
    fields = (
        ("start", x.start != y.start), ("end", x.end != y.end),
        ("type", x.tag_type_id != y.tag_type_id), ("entity", x.entity != y.entity),
        ("grade", x.grade != y.grade), ("note", x.note != y.note),
    )  # fmt: skip
    return tuple(name for name, differs in fields if differs)


def check_one_document(annotations: Iterable[Annotation]) -> None:
    documents = set()
    for x in annotations:
        documents.add(x.document_id)
        if not 0 <= x.start < x.end:
            raise ValueError(f"annotation {x.id} has an empty span [{x.start}, {x.end})")
    if len(documents) > 1:
        raise ValueError(
            f"agreement compares one document at a time; these annotations belong to documents "
            f"{sorted(documents)}"
        )


def overlapping(xs: Sequence[Span], ys: Sequence[Span]) -> list[tuple[int, int]]:
    """Every (i, j) whose spans xs[i] and ys[j] share at least one code point, each pair once.

    Spans are visited by start; each side keeps the spans still open (end beyond the current
    start) in a dict, with a heap on their ends to close them. A span arriving meets exactly the
    open spans of the other side: they started no later and end after it starts.
    """
    events = sorted(
        [(s, 0, i) for i, (s, _) in enumerate(xs)] + [(s, 1, j) for j, (s, _) in enumerate(ys)]
    )
    open_: tuple[dict[int, None], dict[int, None]] = ({}, {})
    ends: tuple[list[Span], list[Span]] = ([], [])
    found: list[tuple[int, int]] = []
    for start, side, k in events:
        other = 1 - side
        heap, still_open = ends[other], open_[other]
        while heap and heap[0][0] <= start:
            del still_open[heappop(heap)[1]]
        if side == 0:
            found += [(k, j) for j in still_open]
        else:
            found += [(i, k) for i in still_open]
        open_[side][k] = None
        heappush(ends[side], ((xs if side == 0 else ys)[k][1], k))
    return found


def overlap_length(x: Span, y: Span) -> int:
    return min(x[1], y[1]) - max(x[0], y[0])


def greedy(ranked: Iterable[tuple]) -> list[tuple[int, int]]:
    """Take candidate pairs best first, each side at most once. `ranked` is sorted, and each
    tuple ends with (i, j)."""
    used_x: set[int] = set()
    used_y: set[int] = set()
    taken = []
    for *_, i, j in ranked:
        if i not in used_x and j not in used_y:
            used_x.add(i)
            used_y.add(j)
            taken.append((i, j))
    return taken


def span_matches(xs: Sequence[Span], ys: Sequence[Span]) -> tuple[int, int]:
    """How many one-to-one pairs (all of one tag type) have identical spans, and how many have
    overlapping spans. Identical spans pair first (a span A holds twice and B once pairs once);
    the rest pair greedily by largest shared length, ties by position. Greedy is not a maximum
    matching, but each pair it makes is the closest the two annotators came."""
    cx, cy = Counter(xs), Counter(ys)
    paired = {span: min(n, cy[span]) for span, n in cx.items() if span in cy}
    rest_x = sorted(span for span, n in cx.items() for _ in range(n - paired.get(span, 0)))
    rest_y = sorted(span for span, n in cy.items() for _ in range(n - paired.get(span, 0)))
    ranked = sorted(
        (-overlap_length(x, y), min(x, y), max(x, y), i, j)  # ties: by position, either way round
        for i, j in overlapping(rest_x, rest_y)
        for x, y in [(rest_x[i], rest_y[j])]
    )
    exact = sum(paired.values())
    return exact, exact + len(greedy(ranked))
