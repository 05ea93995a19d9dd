"""From a parsed colleague's file to an import plan: which documents are ours, where each
annotation lands on our text, and what must be confirmed. Pure: the window and the CLI both call
this, then write the plan in one transaction (`db.layers.import_layer`), or nothing at all.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from app.anchoring import ORPHAN, STATES, anchor, text_similarity
from app.articles import default_title, text_sha256
from app.interchange import ForeignFile, ImportProblem, clean_name
from app.model import Document, Grade, Layer, LayerAnnotation, TagType, utc_now

PROPOSE_SIMILARITY = 60.0  # below this a same-titled text is not offered as the same article


class ImportCancelled(Exception):
    """The analyst cancelled; nothing was written."""


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
    annotations: tuple[LayerAnnotation, ...]
    counts: dict[str, int]
    notices: tuple[str, ...] = ()  # what the parser skipped or had to choose, for the analyst

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
    known = ", ".join(t.name for t in tag_types)
    docs = {d.key: d for d in foreign.documents}
    new_documents: list[Document] = []
    target: dict[str, tuple[int | None, str | None]] = {}
    for m in matches:
        if m.local_id is not None and m.how in ("hash", "proposed"):
            target[m.key] = (m.local_id, text_of(m.local_id))
        elif m.how == "new":
            d = docs[m.key]
            new_documents.append(Document(None, m.title, d.text, text_sha256(d.text), url=d.url))
            target[m.key] = (-len(new_documents), d.text)
        else:
            target[m.key] = (None, None)
    placed: list[LayerAnnotation] = []
    total = len(foreign.annotations)
    for i, fa in enumerate(foreign.annotations):
        if cancelled is not None and i % 2000 == 0 and cancelled():
            raise ImportCancelled()
        if progress is not None and i % 2000 == 0:
            progress(i, total)
        tag = types.get(fa.tag_type.casefold())
        if tag is None:
            raise ImportProblem(
                foreign.name, fa.record or f"annotation {i + 1}",
                f"unknown tag type “{fa.tag_type}”; this project has {known}",
            )  # fmt: skip
        doc_id, text = target.get(fa.document_key, (None, None))
        spot = anchor(text, fa.exact, fa.start, fa.end, fa.prefix, fa.suffix) if text else None
        entity = (fa.entity or " ".join(fa.exact.split())) if tag.kind == "entity" else ""
        grade = fa.grade if tag.kind == "credibility" else Grade()
        if spot is None or spot.state == ORPHAN:
            doc_id, start, end, state, score = (doc_id if text else None), None, None, ORPHAN, 0.0
        else:
            start, end, state, score = spot.start, spot.end, spot.state, spot.score
        placed.append(LayerAnnotation(
            name, fa.id, doc_id, start, end, fa.exact, fa.prefix, fa.suffix, tag.id, entity,
            grade, fa.note, fa.creator, fa.created, fa.modified, state, score,
        ))  # fmt: skip
    if progress is not None:
        progress(total, total)
    counts = Counter({s: 0 for s in STATES})
    counts.update(a.anchor for a in placed)
    layer = Layer(name, foreign.name, foreign.format, utc_now())
    notices = tuple(getattr(foreign, "notices", ()))
    return ImportPlan(layer, tuple(new_documents), tuple(placed), dict(counts), notices)
