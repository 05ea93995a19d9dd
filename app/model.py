"""Loupe's vocabulary as frozen dataclasses.

Everything that crosses a layer boundary (db ↔ store ↔ widgets ↔ formats) is one of these, so no
layer depends on another's row shapes. Offsets are Unicode code points into `Document.text`,
half-open `[start, end)`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

ENTITY_KIND = "entity"
CREDIBILITY_KIND = "credibility"
TAG_KINDS = (ENTITY_KIND, CREDIBILITY_KIND)

# NATO / Admiralty code (STANAG 2511 / AJP-2.1).
CREDIBILITY_NAMES = {
    1: "Confirmed by other sources",
    2: "Probably true",
    3: "Possibly true",
    4: "Doubtful",
    5: "Improbable",
    6: "Truth cannot be judged",
}
RELIABILITY_NAMES = {
    "A": "Completely reliable",
    "B": "Usually reliable",
    "C": "Fairly reliable",
    "D": "Not usually reliable",
    "E": "Unreliable",
    "F": "Reliability cannot be judged",
}

CONTEXT_CHARS = 32

# Loupe's CSV export, in column order (meanings and units: docs/formats.md).
CSV_COLUMNS = (
    "annotation_id", "document_id", "document_title", "source", "url", "start", "end", "quote",
    "prefix", "suffix", "tag_type", "entity", "credibility", "reliability", "note", "annotator",
    "created_at", "updated_at",
)  # fmt: skip


def utc_now() -> str:
    """One timestamp format everywhere: ISO 8601, UTC, milliseconds, sortable as text."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass(frozen=True, slots=True)
class Grade:
    """An Admiralty grade: a claim's credibility (1–6) and, optionally, its source's reliability."""

    credibility: int | None = None
    reliability: str | None = None

    def __post_init__(self) -> None:
        if self.credibility is not None and self.credibility not in CREDIBILITY_NAMES:
            raise ValueError(f"credibility must be 1–6, not {self.credibility!r}")
        if self.reliability is not None and self.reliability not in RELIABILITY_NAMES:
            raise ValueError(f"reliability must be one of A–F, not {self.reliability!r}")

    @property
    def compact(self) -> str:
        """`B3` as analysts write it; `3` when the source's reliability was not judged."""
        return f"{self.reliability or ''}{self.credibility or ''}"

    @property
    def description(self) -> str:
        parts = []
        if self.reliability:
            parts.append(f"{self.reliability}: {RELIABILITY_NAMES[self.reliability]}")
        if self.credibility:
            parts.append(f"{self.credibility}: {CREDIBILITY_NAMES[self.credibility]}")
        return "; ".join(parts)

    @classmethod
    def parse(cls, credibility: object, reliability: object) -> Grade:
        """A grade from loosely typed input (CLI, CSV); ValueError carries a message for people."""
        cred = None
        if credibility not in (None, ""):
            try:
                cred = int(str(credibility))
            except ValueError:
                raise ValueError(f"credibility must be 1–6, not {credibility!r}") from None
        rel = None
        if reliability not in (None, ""):
            rel = str(reliability).strip().upper()
        return cls(cred, rel)


@dataclass(frozen=True, slots=True)
class TagType:
    id: int | None
    name: str
    kind: str = ENTITY_KIND
    color: str = "#0072B2"
    shortcut: str = ""
    position: int = 0

    @property
    def asks_for_entity(self) -> bool:
        return self.kind == ENTITY_KIND


@dataclass(frozen=True, slots=True)
class Document:
    id: int | None
    title: str
    text: str
    text_sha256: str
    source: str = ""
    url: str = ""
    published: str = ""
    created_at: str = field(default_factory=utc_now)
    author: str = ""


@dataclass(frozen=True, slots=True)
class DocumentSummary:
    """What the document list shows, without loading megabytes of text."""

    id: int
    title: str
    source: str
    annotation_count: int
    length: int
    published: str = ""  # ISO date as typed in the document's properties, or ""
    author: str = ""


@dataclass(frozen=True, slots=True)
class Annotation:
    id: str
    document_id: int
    start: int
    end: int
    quote: str
    prefix: str
    suffix: str
    tag_type_id: int
    entity: str = ""
    grade: Grade = Grade()
    note: str = ""
    annotator: str = ""
    created_at: str = field(default_factory=utc_now)
    updated_at: str = field(default_factory=utc_now)

    def contains(self, position: int) -> bool:
        return self.start <= position < self.end


@dataclass(frozen=True, slots=True)
class EntityCount:
    """A count-panel row: an entity (for credibility tags, a grade) and its mentions."""

    tag_type_id: int
    type_name: str
    entity: str
    count: int


@dataclass(frozen=True, slots=True)
class Entity:
    """A canonical entity: mentions tagged "Jolani" and "Abu Mohammad al-Jolani" both point here.
    `aliases` are its other names (collected from tagged quotes or added by the analyst); the name
    itself always counts as one."""

    id: int
    tag_type_id: int
    name: str
    aliases: tuple[str, ...] = ()
    mentions: int = 0  # in all documents
    documents: tuple[int, ...] = ()  # ids of the documents it is mentioned in

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True, slots=True)
class EntitySnapshot:
    """One entity as it was, for undo: its row, aliases, the mentions that pointed at it (ids, or
    whole annotations when they were deleted with it) and the suggestions rejected for it."""

    entity: Entity
    mention_ids: tuple[str, ...] = ()
    annotations: tuple[Annotation, ...] = ()
    rejections: tuple[tuple[int, int, int], ...] = ()  # (document_id, start, end)


@dataclass(frozen=True, slots=True)
class GradeCount:
    reliability: str | None
    credibility: int | None
    count: int


@dataclass(frozen=True, slots=True)
class Source:
    """An outlet, channel or agency, rated once for the Admiralty reliability its claims borrow
    (app/grading.py); `documents` and `claims` (credibility tags) say how much the rating weighs."""

    id: int
    name: str
    reliability: str | None = None
    documents: int = 0
    claims: int = 0


@dataclass(frozen=True, slots=True)
class SourceGradeCount:
    """Graded claims of one source ("" for documents without one) by effective grade."""

    source: str
    reliability: str | None
    credibility: int | None
    count: int


# A LayerAnnotation as stored: its fields in order, the grade in two columns (db/layers.py).
LAYER_COLUMNS = (
    "layer", "id", "document_id", "start", "end", "quote", "prefix", "suffix", "tag_type_id",
    "entity", "credibility", "reliability", "note", "annotator", "created_at", "updated_at",
    "anchor", "score", "decision",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class LayerAnnotation:
    """A colleague's annotation as imported: read-only until accepted into the analyst's own tags.
    Orphans keep their quote but have no document position (`start`/`end` None)."""

    layer: str
    id: str
    document_id: int | None
    start: int | None
    end: int | None
    quote: str
    prefix: str
    suffix: str
    tag_type_id: int
    entity: str = ""
    grade: Grade = Grade()
    note: str = ""
    annotator: str = ""
    created_at: str = ""
    updated_at: str = ""
    anchor: str = "anchored"  # anchored | moved | review | orphan (app.anchoring)
    score: float = 100.0
    decision: str = ""  # "" | accepted | rejected | kept_mine

    @property
    def placed(self) -> bool:
        return self.document_id is not None and self.start is not None and self.end is not None

    @property
    def key(self) -> tuple[int | None, str]:
        """How the database finds this row: ids are unique in a layer (every parser refuses a
        repeated one), and the document leads the lookup through the index by document."""
        return self.document_id, self.id

    def as_row(self) -> tuple:
        """The values in `LAYER_COLUMNS` order."""
        return (
            self.layer, self.id, self.document_id, self.start, self.end, self.quote, self.prefix,
            self.suffix, self.tag_type_id, self.entity, self.grade.credibility,
            self.grade.reliability, self.note, self.annotator, self.created_at, self.updated_at,
            self.anchor, self.score, self.decision,
        )  # fmt: skip

    @classmethod
    def from_row(cls, row: tuple) -> LayerAnnotation:
        """The inverse of `as_row`. A bulk import keeps rows and builds these only when asked:
        100,000 frozen records cost 0.15 s to build, rows almost nothing."""
        (layer, aid, doc, start, end, quote, prefix, suffix, tag, entity, cred, rel, note, who,
         created, updated, anchor, score, decision) = row  # fmt: skip
        return cls(
            layer, aid, doc, start, end, quote, prefix, suffix, tag, entity, Grade(cred, rel),
            note, who, created, updated, anchor, score, decision,
        )  # fmt: skip

    def as_annotation(self) -> Annotation:
        """The colleague's tag as if it were one of ours (same id), for comparing and accepting."""
        return Annotation(
            self.id, self.document_id, self.start, self.end, self.quote, self.prefix,
            self.suffix, self.tag_type_id, self.entity, self.grade, self.note, self.annotator,
            self.created_at or utc_now(), self.updated_at or utc_now(),
        )  # fmt: skip


@dataclass(frozen=True, slots=True)
class Layer:
    name: str
    source_file: str
    format: str
    imported_at: str
    visible: bool = True


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One document found by a search across the project, best first (bm25). The snippet marks
    each matched word between SNIPPET_OPEN and SNIPPET_CLOSE, which views turn into emphasis."""

    document_id: int
    title: str
    source: str
    published: str
    snippet: str


SNIPPET_OPEN, SNIPPET_CLOSE = "\ue000", "\ue001"  # private use: practically never in articles
