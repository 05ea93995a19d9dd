"""From a parsed colleague's file to an import plan: which documents are ours, where each
annotation lands on our text, and what must be confirmed. Pure: the window and the CLI both call
this, then write the plan in one transaction (`db.layers.import_layer`), or nothing at all.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from app.anchoring import ANCHORED, ORPHAN, STATES, anchor, holds, text_similarity
from app.articles import default_title, text_sha256
from app.interchange import (  # noqa: F401  (ImportCancelled: callers import it from here)
    ForeignFile,
    ImportCancelled,
    ImportProblem,
    clean_name,
    collector_paused,
)
from app.model import LAYER_COLUMNS, Document, Grade, Layer, LayerAnnotation, TagType, utc_now

PROPOSE_SIMILARITY = 60.0  # below this a same-titled text is not offered as the same article
_ANCHOR = LAYER_COLUMNS.index("anchor")
_NO_GRADE = Grade()


@dataclass(frozen=True, slots=True)
class LocalDocumentRef:
    id: int
    title: str
    url: str
    text_sha256: str


@dataclass(frozen=True, slots=True)
class DocumentMatch:
    key: str
    title: str
    local_id: int | None
    how: str  # "hash" (same text) | "proposed" (confirm) | "new" (the file carries it) | "none"
    similarity: float = 100.0


@dataclass(frozen=True, slots=True)
class ImportPlan:
    layer: Layer
    new_documents: tuple[Document, ...]  # carried by the file; annotations point at -(i + 1)
    rows: tuple[tuple, ...]  # each annotation as `LayerAnnotation.as_row`: written as they are
    counts: dict[str, int]
    notices: tuple[str, ...] = ()  # what the parser skipped or had to choose, for the analyst

    @property
    def annotations(self) -> tuple[LayerAnnotation, ...]:
        """The planned annotations as records, built on each call (0.15 s for 100,000)."""
        return tuple(map(LayerAnnotation.from_row, self.rows))

    def orphans(self) -> list[LayerAnnotation]:
        return [LayerAnnotation.from_row(r) for r in self.rows if r[_ANCHOR] == ORPHAN]

    def report(self) -> str:
        c = self.counts
        text = (
            f"{sum(c.values())} annotations from {self.layer.source_file}: "
            f"{c.get('anchored', 0)} anchored, {c.get('moved', 0)} moved, "
            f"{c.get('review', 0)} need review, {c.get('orphan', 0)} orphans"
        )
        return "\n".join([text, *self.notices])


def match_documents(
    foreign: ForeignFile, local: Sequence[LocalDocumentRef], text_of: Callable[[int], str]
) -> list[DocumentMatch]:
    """Same text (hash) matches outright; same title or URL with similar text is proposed."""
    by_hash = {d.text_sha256: d for d in local}
    matches = []
    for doc in foreign.documents:
        sha = doc.text_sha256 or (text_sha256(doc.text) if doc.text is not None else "")
        title = doc.title or (default_title(doc.text) if doc.text else doc.key)
        if sha and sha in by_hash:
            matches.append(DocumentMatch(doc.key, title, by_hash[sha].id, "hash"))
            continue
        same_name = [
            d for d in local
            if (doc.url and d.url == doc.url) or (title and d.title.casefold() == title.casefold())
        ]  # fmt: skip
        best: tuple[float, int] | None = None
        for d in same_name:
            score = text_similarity(doc.text, text_of(d.id)) if doc.text else 100.0
            if best is None or score > best[0]:
                best = (score, d.id)
        if best is not None and best[0] >= PROPOSE_SIMILARITY:
            matches.append(DocumentMatch(doc.key, title, best[1], "proposed", best[0]))
        elif doc.text:
            matches.append(DocumentMatch(doc.key, title, None, "new", 0.0))
        else:
            matches.append(DocumentMatch(doc.key, title, None, "none", 0.0))
    return matches


_HIDDEN_CONTROLS = dict.fromkeys(
    [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
)


def plain_line(value: str) -> str:
    """A title, source or date from a colleague's file is shown on one line in lists and window
    titles: line breaks become spaces and direction overrides go (they can make a name read as
    something else), while the marks Arabic and Hebrew names need (U+200E, U+200F, U+061C) stay."""
    return " ".join(value.translate({**_HIDDEN_CONTROLS, 0x0A: " ", 0x09: " "}).split())


def safe_title(title: str) -> str:
    return plain_line(title) or "Untitled"


def unique_layer_name(base: str, taken: set[str]) -> str:
    name, n = base or "colleague", 2
    while name in taken:
        name, n = f"{base} ({n})", n + 1
    return name


def plan_import(
    foreign: ForeignFile,
    matches: Sequence[DocumentMatch],
    tag_types: Sequence[TagType],
    text_of: Callable[[int], str],
    *,
    layer_name: str,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ImportPlan:
    """`matches` are the confirmed ones: a "proposed" match the analyst refused is passed as
    "none" (its annotations become orphans, never silently placed)."""
    name = clean_name(layer_name, file=foreign.name, where="layer name", what="the layer name",
                      allow_empty=False)  # fmt: skip
    types = {t.name.casefold(): t for t in tag_types}
    docs = {d.key: d for d in foreign.documents}
    new_documents: list[Document] = []
    target: dict[str, tuple[int | None, str | None]] = {}
    for m in matches:
        if m.local_id is not None and m.how in ("hash", "proposed"):
            target[m.key] = (m.local_id, text_of(m.local_id))
        elif m.how == "new":
            d = docs[m.key]
            title = safe_title(m.title)
            new_documents.append(Document(
                None, title, d.text, text_sha256(d.text), plain_line(d.source), d.url,
                plain_line(d.published),
            ))  # fmt: skip
            target[m.key] = (-len(new_documents), d.text)
        else:
            target[m.key] = (None, None)
    with collector_paused():
        placed = _placed(foreign, name, types, target, progress, cancelled)
    if progress is not None:
        progress(len(placed), len(placed))
    counts = Counter({s: 0 for s in STATES})
    counts.update(r[_ANCHOR] for r in placed)
    layer = Layer(name, foreign.name, foreign.format, utc_now())
    notices = tuple(getattr(foreign, "notices", ()))
    return ImportPlan(layer, tuple(new_documents), tuple(placed), dict(counts), notices)


def _placed(
    foreign: ForeignFile,
    layer: str,
    types: dict[str, TagType],
    target: dict[str, tuple[int | None, str | None]],
    progress: Callable[[int, int], None] | None,
    cancelled: Callable[[], bool] | None,
) -> list[tuple]:
    """Each annotation on our text, as a row. Tag types are looked up once per spelling, and a
    position that still holds its quote is taken before any search is set up (nearly every
    annotation of a file made against the same text)."""
    placed: list[tuple] = []
    total = len(foreign.annotations)
    tags: dict[str, TagType] = {}
    for i, fa in enumerate(foreign.annotations):
        if i % 2000 == 0:
            if cancelled is not None and cancelled():
                raise ImportCancelled()
            if progress is not None:
                progress(i, total)
        if (tag := tags.get(fa.tag_type)) is None:
            if (tag := types.get(fa.tag_type.casefold())) is None:
                known = ", ".join(t.name for t in types.values())
                raise ImportProblem(
                    foreign.name, fa.record or f"annotation {i + 1}",
                    f"unknown tag type “{fa.tag_type}”; this project has {known}",
                )  # fmt: skip
            tags[fa.tag_type] = tag
        doc_id, text = target.get(fa.document_key, (None, None))
        start, end, exact = fa.start, fa.end, fa.exact
        if not text:
            doc_id, start, end, state, score = None, None, None, ORPHAN, 0.0
        elif exact and holds(text, exact, start, end):
            state, score = ANCHORED, 100.0
        elif (spot := anchor(text, exact, start, end, fa.prefix, fa.suffix)).state == ORPHAN:
            start, end, state, score = None, None, ORPHAN, 0.0
        else:
            start, end, state, score = spot.start, spot.end, spot.state, spot.score
        entity = (fa.entity or " ".join(exact.split())) if tag.kind == "entity" else ""
        grade = fa.grade if tag.kind == "credibility" else _NO_GRADE
        placed.append((
            layer, fa.id, doc_id, start, end, exact, fa.prefix, fa.suffix, tag.id, entity,
            grade.credibility, grade.reliability, fa.note, fa.creator, fa.created, fa.modified,
            state, score, "",
        ))  # fmt: skip  # LAYER_COLUMNS order; "" is the decision, none yet
    return placed
