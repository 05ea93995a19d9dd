"""Agreement between two annotators on one document, and over many: what the review mode colours
and the agreement panel, CSV export and `loupe agreement` report.

A is the reference, B the one compared with it; swapping them swaps only-A/only-B, precision and
recall, and nothing else. Every figure is defined in docs/agreement.md.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import chain
from operator import attrgetter, itemgetter

from app.agreement_match import (
    check_one_document,
    claim,
    differences,
    greedy,
    overlap_length,
    overlapping,
    rank,
    span_matches,
)
from app.agreement_scores import PRF, Kappa, Mark, TokenIndex, binary_kappa, multiclass_kappa
from app.model import Annotation, TagType

AGREE, CONFLICT, ONLY_A, ONLY_B = "agree", "conflict", "only_a", "only_b"
KINDS = (AGREE, CONFLICT, ONLY_A, ONLY_B)
ALL_TYPES = "All types"
CSV_HEADER = (
    "document", "tag_type", "agree", "conflict", "only_a", "only_b", "exact_precision",
    "exact_recall", "exact_f1", "overlap_precision", "overlap_recall", "overlap_f1", "kappa",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Pair:
    """One line of the comparison. `differences` names the fields that differ, in the order
    start, end, type, entity, grade, note; a note alone never makes a conflict (it is commentary,
    not a claim about the text) but is listed so the review panel can show it."""

    kind: str
    a: Annotation | None
    b: Annotation | None
    differences: tuple[str, ...] = ()

    @property
    def start(self) -> int:
        """Where the review mode's colour for this pair begins (the earlier of the two)."""
        a, b = self.a, self.b
        return b.start if a is None else a.start if b is None else min(a.start, b.start)

    @property
    def end(self) -> int:
        a, b = self.a, self.b
        return b.end if a is None else a.end if b is None else max(a.end, b.end)

    def to_dict(self) -> dict:
        return {"kind": self.kind, "a": self.a.id if self.a else None,
                "b": self.b.id if self.b else None, "start": self.start, "end": self.end,
                "differences": list(self.differences)}  # fmt: skip


def compare(a: Sequence[Annotation], b: Sequence[Annotation]) -> list[Pair]:
    """Every annotation of A and of B in exactly one pair, ordered by position.

    Identical claims pair first (agree). The rest pair one-to-one among overlapping spans
    (conflict), best candidate first: the same span, then the same type, then the longest shared
    stretch, then the same entity, then the same grade, then position. What is left is only-A or
    only-B; an only-A never overlaps an only-B.
    """
    check_one_document(chain(a, b))
    xs, ys = sorted(a, key=rank), sorted(b, key=rank)
    waiting: dict[tuple, list[int]] = defaultdict(list)
    for j in range(len(ys) - 1, -1, -1):  # popped from the end: the first in rank order
        waiting[claim(ys[j])].append(j)
    # Each pair travels with its place in the output: position, then kind, then rank.
    keyed: list[tuple[tuple[int, int, int, int], Pair]] = []
    rest_x = []
    for i, x in enumerate(xs):
        same = waiting.get(claim(x))
        if same:
            y = ys[same.pop()]
            note = ("note",) if x.note != y.note else ()
            keyed.append(((x.start, x.end, 0, i), Pair(AGREE, x, y, note)))
        else:
            rest_x.append(xs[i])
    rest_y = [ys[j] for j in sorted(chain.from_iterable(waiting.values()))]

    ranked = []
    rank_x, rank_y = [rank(x) for x in rest_x], [rank(y) for y in rest_y]
    for i, j in overlapping([(x.start, x.end) for x in rest_x], [(y.start, y.end) for y in rest_y]):
        x, y = rest_x[i], rest_y[j]
        # Every criterion, and the final tie-break, reads the same with A and B swapped, so
        # compare(b, a) makes the same pairs as compare(a, b).
        ranked.append((
            (x.start, x.end) != (y.start, y.end), x.tag_type_id != y.tag_type_id,
            -overlap_length((x.start, x.end), (y.start, y.end)), x.entity != y.entity,
            x.grade != y.grade, min(rank_x[i], rank_y[j]), max(rank_x[i], rank_y[j]), i, j,
        ))  # fmt: skip
    ranked.sort()
    matched_x, matched_y = set(), set()
    for i, j in greedy(ranked):
        matched_x.add(i)
        matched_y.add(j)
        x, y = rest_x[i], rest_y[j]
        key = (min(x.start, y.start), max(x.end, y.end), 1, i)
        keyed.append((key, Pair(CONFLICT, x, y, differences(x, y))))
    keyed += [((x.start, x.end, 2, i), Pair(ONLY_A, x, None))
              for i, x in enumerate(rest_x) if i not in matched_x]  # fmt: skip
    keyed += [((y.start, y.end, 3, j), Pair(ONLY_B, None, y))
              for j, y in enumerate(rest_y) if j not in matched_y]  # fmt: skip
    keyed.sort(key=itemgetter(0))
    return [pair for _, pair in keyed]


@dataclass(frozen=True, slots=True)
class TypeAgreement:
    """The figures of one tag type, or of all types together (`tag_type_id` None).

    For one type, a conflict counts if either side has that type, so a place tagged as an actor
    is a conflict for both types and the rows' conflicts can add up to more than the total.
    `exact` matches span and type; `exact_value` also entity and grade (its tp is `agree`);
    `overlap` matches overlapping spans of the same type. `kappa` is binary for one type (the
    token is of this type or not) and over all labels at once for all types.
    """

    tag_type_id: int | None
    name: str
    agree: int = 0
    conflict: int = 0
    only_a: int = 0
    only_b: int = 0
    exact: PRF = PRF()
    exact_value: PRF = PRF()
    overlap: PRF = PRF()
    kappa: Kappa = Kappa()

    def __add__(self, other: TypeAgreement) -> TypeAgreement:
        return TypeAgreement(
            self.tag_type_id, self.name, self.agree + other.agree, self.conflict + other.conflict,
            self.only_a + other.only_a, self.only_b + other.only_b, self.exact + other.exact,
            self.exact_value + other.exact_value, self.overlap + other.overlap,
            self.kappa + other.kappa,
        )  # fmt: skip

    def to_dict(self) -> dict:
        return {
            "tag_type_id": self.tag_type_id, "tag_type": self.name, "agree": self.agree,
            "conflict": self.conflict, "only_a": self.only_a, "only_b": self.only_b,
            "exact": self.exact.to_dict(), "exact_value": self.exact_value.to_dict(),
            "overlap": self.overlap.to_dict(), "kappa": self.kappa.to_dict(),
        }  # fmt: skip


@dataclass(frozen=True, slots=True)
class AgreementReport:
    """Agreement over `documents` documents: all types together, then each type of the
    vocabulary in its order (types nobody used included, so reports combine exactly)."""

    overall: TypeAgreement
    by_type: tuple[TypeAgreement, ...] = ()
    documents: int = 1

    def to_dict(self) -> dict:
        return {"documents": self.documents, "overall": self.overall.to_dict(),
                "by_type": [row.to_dict() for row in self.by_type]}  # fmt: skip


def _pair_counts(pairs: Iterable[Pair]) -> dict[int | None, Counter]:
    """Pair kinds counted overall (key None) and for each type either side has."""
    shapes = Counter(
        (p.kind, p.a.tag_type_id if p.a else None, p.b.tag_type_id if p.b else None) for p in pairs
    )
    counts: dict[int | None, Counter] = defaultdict(Counter)
    for (kind, type_a, type_b), n in shapes.items():
        counts[None][kind] += n
        for tag_type_id in {type_a, type_b} - {None}:
            counts[tag_type_id][kind] += n
    return counts


def report(
    a: Sequence[Annotation], b: Sequence[Annotation], text: str, tag_types: dict[int, TagType],
    *, pairs: Sequence[Pair] | None = None,
) -> AgreementReport:  # fmt: skip
    """The figures for one document whose text is `text`. Pass the `pairs` of compare(a, b) if
    the review mode already has them; they are computed otherwise."""
    used = set()
    for x in chain(a, b):
        used.add(x.tag_type_id)
        if x.tag_type_id not in tag_types:
            raise ValueError(f"annotation {x.id}: tag type {x.tag_type_id} is not in the project")
        if x.end > len(text):
            raise ValueError(
                f"annotation {x.id} ends at {x.end}, past the end of the text ({len(text)} code "
                "points): it belongs to another version of the document"
            )
    if pairs is None:
        pairs = compare(a, b)
    ordered = sorted(tag_types.items(), key=lambda item: (item[1].position, item[0]))
    # Token labels are bytes: codes 1… for the types in use, in the vocabulary's order.
    code = {t: n for n, t in enumerate((t for t, _ in ordered if t in used), start=1)}
    if len(code) > 255:
        raise ValueError(f"agreement handles up to 255 tag types in one document, not {len(code)}")
    names = {code[tag_type_id]: tag_types[tag_type_id].name for tag_type_id in code}
    tokens = TokenIndex(text)
    counts = _pair_counts(pairs)
    sides = []
    for side in (a, b):
        spans: dict[int, list[tuple[int, int]]] = defaultdict(list)
        marks: dict[int, list[Mark]] = defaultdict(list)
        # In text order, successive bisections of the token list touch memory already cached.
        in_order = sorted(side, key=attrgetter("start"))
        for x, mark in zip(in_order, tokens.marks(in_order, code), strict=True):
            spans[x.tag_type_id].append((x.start, x.end))
            marks[x.tag_type_id].append(mark)
        sides.append((spans, marks))
    (spans_a, marks_a), (spans_b, marks_b) = sides

    rows = []
    for tag_type_id, tag_type in ordered:
        xs, ys = spans_a.get(tag_type_id, []), spans_b.get(tag_type_id, [])
        exact, overlap = span_matches(xs, ys)
        kinds = counts.get(tag_type_id, Counter())
        rows.append(TypeAgreement(
            tag_type_id, tag_type.name, kinds[AGREE], kinds[CONFLICT], kinds[ONLY_A], kinds[ONLY_B],
            _prf(exact, len(xs), len(ys)), _prf(kinds[AGREE], len(xs), len(ys)),
            _prf(overlap, len(xs), len(ys)),
            binary_kappa(tokens.coverage(marks_a.get(tag_type_id, [])),
                         tokens.coverage(marks_b.get(tag_type_id, [])), tag_type.name),
        ))  # fmt: skip
    kinds = counts[None]
    labels_a = tokens.labels(chain.from_iterable(marks_a.values()))
    labels_b = tokens.labels(chain.from_iterable(marks_b.values()))
    overall = TypeAgreement(
        None, ALL_TYPES, kinds[AGREE], kinds[CONFLICT], kinds[ONLY_A], kinds[ONLY_B],
        sum((r.exact for r in rows), PRF()), sum((r.exact_value for r in rows), PRF()),
        sum((r.overlap for r in rows), PRF()), multiclass_kappa(labels_a, labels_b, names),
    )  # fmt: skip
    return AgreementReport(overall, tuple(rows))


def _prf(matched: int, in_a: int, in_b: int) -> PRF:
    return PRF(matched, in_b - matched, in_a - matched)


def combine(reports: Iterable[AgreementReport]) -> AgreementReport:
    """Many documents as one (micro-average): counts and confusion matrices add up and every
    ratio is recomputed from the sums. A type missing from one document's report had no
    annotation there, so all of that document's tokens count as "not this type" for it."""
    reports = list(reports)
    names: dict[int | None, str] = {}
    for r in reports:
        for row in r.by_type:
            names.setdefault(row.tag_type_id, row.name)
    overall = TypeAgreement(None, ALL_TYPES)
    totals = {tag_type_id: TypeAgreement(tag_type_id, name) for tag_type_id, name in names.items()}
    for r in reports:
        overall += r.overall
        present = {row.tag_type_id: row for row in r.by_type}
        for tag_type_id, name in names.items():
            row = present.get(tag_type_id)
            if row is None:
                outside = Counter({(None, None): r.overall.kappa.tokens})
                row = TypeAgreement(tag_type_id, name, kappa=Kappa.from_counter(outside))
            totals[tag_type_id] += row
    return AgreementReport(overall, tuple(totals.values()), sum(r.documents for r in reports))


def _cell(value: float | None) -> float | str:
    return "" if value is None else round(value, 4)


def to_csv_rows(report_by_document: dict[str, AgreementReport]) -> list[list]:
    """The header, then for each document each type and the all-types row. Ratios are rounded to
    4 decimals; an undefined one (nothing to divide by) is an empty cell, not 0."""
    rows: list[list] = [list(CSV_HEADER)]
    for document, rep in report_by_document.items():
        for row in (*rep.by_type, rep.overall):
            rows.append([
                document, row.name, row.agree, row.conflict, row.only_a, row.only_b,
                _cell(row.exact.precision), _cell(row.exact.recall), _cell(row.exact.f1),
                _cell(row.overlap.precision), _cell(row.overlap.recall), _cell(row.overlap.f1),
                _cell(row.kappa.kappa),
            ])  # fmt: skip
    return rows
