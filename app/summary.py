"""What a summary says, per document or for the whole project: the most mentioned entities of each
tag type, credibility grades by source, and mentions over publication dates.

Pure: it shapes rows the count panel's own queries return (`db.reports.entity_counts`,
`db.sources.source_grade_counts`) and the dates of `db.summary`, so the summary, the count panel
and the HTML report all count the same way: canonical entities (merged aliases once, under the
canonical name) and effective grades (a claim borrows its source's rating, `app.grading`).

Nothing is dropped silently: documents whose `published` is empty or unreadable are counted as
"no date", and a date known only to the month or the year coarsens the whole timeline to that unit
rather than being guessed into a day.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from app.model import CREDIBILITY_NAMES, ENTITY_KIND, EntityCount, SourceGradeCount, TagType

TOP_N = 10
NO_ENTITY = "(no entity)"
NO_SOURCE = "(no source)"
DAY_RANGE_LIMIT = 62  # days: beyond two months of daily bars, months read better
MONTH_RANGE_LIMIT = 6 * 12  # months: beyond six years, years
FILL_LIMIT = 400  # buckets: past this (a typo like 0202) gaps are not filled in
_DATE = re.compile(r"\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:$|[T\s])")
GRADES = tuple(CREDIBILITY_NAMES)  # 1..6
# Grades 1–6, colour-blind safe (Okabe–Ito), 6 ("cannot be judged") grey.
GRADE_COLOURS = ("#0072B2", "#56B4E9", "#009E73", "#E69F00", "#D55E00", "#999999")
UNDATED_COLOUR = "#999999"
TIMELINE_COLOUR = "#0072B2"


@dataclass(frozen=True, slots=True)
class TypeRanking:
    """One tag type's most mentioned entities, biggest first."""

    type_name: str
    color: str
    rows: tuple[tuple[str, int], ...]


@dataclass(frozen=True, slots=True)
class SourceCredibility:
    """One source's claims by credibility grade 1–6 (`counts[0]` is grade 1)."""

    source: str
    reliability: str | None  # the source's own rating, shown next to its name
    counts: tuple[int, ...]

    @property
    def total(self) -> int:
        return sum(self.counts)

    @property
    def label(self) -> str:
        return f"{self.source} ({self.reliability})" if self.reliability else self.source


@dataclass(frozen=True, slots=True)
class Timeline:
    """Mentions per day, month or year of publication; undated documents apart."""

    unit: str  # "day" | "month" | "year" | "" (no dated document)
    points: tuple[tuple[str, int], ...]
    undated_documents: int = 0
    undated_mentions: int = 0


@dataclass(frozen=True, slots=True)
class Summary:
    scope: str  # "All documents" or the document's title
    documents: int
    mentions: int  # tags of entity kinds
    top_entities: tuple[TypeRanking, ...]
    credibility: tuple[SourceCredibility, ...]
    timeline: Timeline


def top_entities(
    counts: Iterable[EntityCount], tag_types: Iterable[TagType], top_n: int = TOP_N
) -> tuple[TypeRanking, ...]:
    """Every entity tag type, in its menu order, with its `top_n` entities; ties by name."""
    by_type: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for c in counts:
        by_type[c.tag_type_id].append((c.entity or NO_ENTITY, c.count))
    rankings = []
    for tag in sorted(tag_types, key=lambda t: t.position):
        if tag.kind != ENTITY_KIND:
            continue
        rows = sorted(by_type.get(tag.id, []), key=lambda r: (-r[1], r[0].casefold()))
        rankings.append(TypeRanking(tag.name, tag.color, tuple(rows[:top_n])))
    return tuple(rankings)


def credibility_by_source(
    grade_counts: Iterable[SourceGradeCount], ratings: Mapping[str, str | None]
) -> tuple[SourceCredibility, ...]:
    """Claims graded 1–6 per source, most claims first. A claim with only a reliability (no
    credibility) has no place on a 1–6 axis and is not counted here."""
    cells: dict[str, Counter] = defaultdict(Counter)
    for g in grade_counts:
        if g.credibility in GRADES:
            cells[g.source][g.credibility] += g.count
    rows = [
        SourceCredibility(source or NO_SOURCE, ratings.get(source), tuple(cell[k] for k in GRADES))
        for source, cell in cells.items()
        if sum(cell.values())
    ]
    rows.sort(key=lambda r: (-r.total, r.source.casefold()))
    return tuple(rows)


def parse_published(text: str) -> tuple[date, str] | None:
    """(date, precision) from `YYYY-MM-DD`, `YYYY-MM` or `YYYY` (a time after the day is
    ignored); None for anything else or an impossible date."""
    m = _DATE.match(text or "")
    if not m:
        return None
    year, month, day = m.group(1), m.group(2), m.group(3)
    try:
        value = date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return None
    return value, "day" if day else "month" if month else "year"


def _bucket(value: date, unit: str) -> tuple[int, ...]:
    return {"day": (value.year, value.month, value.day), "month": (value.year, value.month)}.get(
        unit, (value.year,)
    )


def _label(key: tuple[int, ...]) -> str:
    return "-".join(f"{part:04d}" if i == 0 else f"{part:02d}" for i, part in enumerate(key))


def _next(key: tuple[int, ...]) -> tuple[int, ...]:
    if len(key) == 3:
        following = date.fromordinal(date(*key).toordinal() + 1)
        return following.year, following.month, following.day
    if len(key) == 2:
        return (key[0] + key[1] // 12, key[1] % 12 + 1)
    return (key[0] + 1,)


def timeline(rows: Iterable[tuple[str, int, int]]) -> Timeline:
    """Mentions by publication date from (published, documents, mentions) rows: by day when every
    date has a day and they span at most two months, by month up to six years, else by year.
    Empty buckets in between are kept (a gap in coverage is information)."""
    dated: list[tuple[date, str, int]] = []
    undated_docs = undated_mentions = 0
    for published, docs, mentions in rows:
        parsed = parse_published(published)
        if parsed is None:
            undated_docs += docs
            undated_mentions += mentions
        else:
            dated.append((parsed[0], parsed[1], mentions))
    if not dated:
        return Timeline("", (), undated_docs, undated_mentions)
    first, last = min(d for d, _, _ in dated), max(d for d, _, _ in dated)
    precisions = {p for _, p, _ in dated}
    months = (last.year - first.year) * 12 + last.month - first.month
    if "year" in precisions or months > MONTH_RANGE_LIMIT:
        unit = "year"
    elif "month" in precisions or (last - first).days > DAY_RANGE_LIMIT:
        unit = "month"
    else:
        unit = "day"
    buckets: Counter = Counter()
    for value, _precision, mentions in dated:
        buckets[_bucket(value, unit)] += mentions
    keys = sorted(buckets)
    filled, key = [], keys[0]
    while key <= keys[-1] and len(filled) <= FILL_LIMIT:
        filled.append(key)
        key = _next(key)
    if len(filled) > FILL_LIMIT:
        filled = keys
    points = tuple((_label(k), buckets.get(k, 0)) for k in filled)
    return Timeline(unit, points, undated_docs, undated_mentions)


def build_summary(
    scope: str,
    entity_counts: Iterable[EntityCount],
    tag_types: Iterable[TagType],
    grade_counts: Iterable[SourceGradeCount],
    ratings: Mapping[str, str | None],
    dated_rows: Iterable[tuple[str, int, int]],
) -> Summary:
    dated_rows = list(dated_rows)
    return Summary(
        scope=scope,
        documents=sum(docs for _, docs, _ in dated_rows),
        mentions=sum(mentions for _, _, mentions in dated_rows),
        top_entities=top_entities(entity_counts, list(tag_types)),
        credibility=credibility_by_source(grade_counts, ratings),
        timeline=timeline(dated_rows),
    )
