"""Entity and grade counts kept current from annotation changes.

One GROUP BY seeds a tally; after that, each tag, edit, delete, undo or redo arrives as the
annotations it added and removed, and the tally adjusts in memory. Over a million annotations the
GROUP BY costs ~100 ms, far over a frame; a delta costs microseconds. Labels follow
`db.repository.entity_counts` exactly (an entity's name, else the effective compact grade), and a
test checks a tally against a fresh query after random edits.

Grades are effective (`app.grading`): a claim without its own reliability borrows its document's
source rating. The tally holds each document's source as it was when seeded; renaming or rating a
source, or changing a document's source, makes the panel seed a new tally instead.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

from app.grading import count_label, effective_grade, is_graded
from app.model import Annotation, EntityCount, GradeCount, SourceGradeCount, TagType

_NO_SOURCE: tuple[str, str | None] = ("", None)


class CountTally:
    def __init__(
        self,
        entity_counts: Iterable[EntityCount],
        source_grade_counts: Iterable[SourceGradeCount],
        *,
        document_id: int | None,
        tag_type_id: int | None,
        tag_types: Iterable[TagType],
        document_sources: Mapping[int, tuple[str, str | None]],
    ) -> None:
        self.document_id, self.tag_type_id = document_id, tag_type_id
        self._types = {t.id: t for t in tag_types}
        self._sources = dict(document_sources)
        self._entities = Counter({(c.tag_type_id, c.entity): c.count for c in entity_counts})
        self._by_source = Counter(
            {(g.source, g.reliability, g.credibility): g.count for g in source_grade_counts}
        )

    def _in_scope(self, a: Annotation) -> bool:
        return self.document_id is None or a.document_id == self.document_id

    def apply(self, added: Iterable[Annotation] = (), removed: Iterable[Annotation] = ()) -> None:
        for sign, batch in ((1, added), (-1, removed)):
            for a in batch:
                if not self._in_scope(a):
                    continue
                source, reliability = self._sources.get(a.document_id, _NO_SOURCE)
                if self.tag_type_id is None or a.tag_type_id == self.tag_type_id:
                    self._entities[(a.tag_type_id, count_label(a, reliability))] += sign
                if is_graded(a.grade):
                    grade = effective_grade(a.grade, reliability)[0]
                    self._by_source[(source, grade.reliability, grade.credibility)] += sign

    def entity_counts(self) -> list[EntityCount]:
        """Largest first, then in tag-type order and by name, as the query orders them."""
        rows = [
            EntityCount(type_id, self._types[type_id].name, label, n)
            for (type_id, label), n in self._entities.items()
            if n > 0 and type_id in self._types
        ]
        rows.sort(key=lambda c: (-c.count, self._types[c.tag_type_id].position, c.entity.lower()))
        return rows

    def grade_counts(self) -> list[GradeCount]:
        """The Admiralty matrix: effective grades summed over sources."""
        cells: Counter = Counter()
        for (_source, rel, cred), n in self._by_source.items():
            cells[(rel, cred)] += n
        return [GradeCount(r, c, n) for (r, c), n in cells.items() if n > 0]

    def source_ratings(self) -> dict[str, str | None]:
        """Each source's own rating, by name, as seeded."""
        return dict(self._sources.values())

    def source_grade_counts(self) -> list[SourceGradeCount]:
        return [SourceGradeCount(s, r, c, n) for (s, r, c), n in self._by_source.items() if n > 0]
