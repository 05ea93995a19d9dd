"""Loupe's exchange format: W3C Web Annotation JSON-LD (docs/formats.md has the field mapping).

A standard format lets a colleague review our tags in any W3C-aware tool and lets us read theirs.
Each target carries both a quote (TextQuoteSelector, which survives a re-scraped or edited copy of
the article) and code-point offsets (TextPositionSelector, exact and fast). Documents are named by
the SHA-256 of their text, so a colleague's file finds the same article whatever its title or path.
The file's structure is read here; each annotation record is checked in `w3c_records.py`,
which also holds the vocabulary both directions share.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Sequence

from app.articles import MAX_ARTICLE_BYTES, text_sha256
from app.formats import safe_json, w3c_layout
from app.formats.import_common import ReportedFile, plural
from app.formats.w3c_records import RecordReader
from app.formats.w3c_vocab import (
    CONTEXT,
    FORMAT,
    FORMAT_VERSION,
    OFFSET_UNIT,
    SHA_IRI,
    UUID_IRI,
    annotation_id,
    annotation_iri,
    is_whole,
    kind_of,
    types_of,
)
from app.interchange import (
    ForeignAnnotation,
    ForeignDocument,
    ImportProblem,
    Progress,
    collector_paused,
)
from app.model import CREDIBILITY_KIND, Annotation, Document, TagType, utc_now

__all__ = ["FORMAT", "annotation_id", "annotation_iri", "parse", "write", "write_json"]


def _textual(purpose: str, value: str, **extra: object) -> dict:
    return {"type": "TextualBody", "purpose": purpose, "value": value, **extra}


def _annotation(ann: Annotation, source: str, tag: TagType) -> dict:
    bodies = [_textual("classifying", tag.name)]
    if ann.entity:
        bodies.append(_textual("identifying", ann.entity))
    grade = ann.grade
    if grade.credibility is not None or grade.reliability is not None:
        extra = {"loupe:credibility": grade.credibility, "loupe:reliability": grade.reliability}
        bodies.append(_textual("assessing", grade.compact, **{k: v for k, v in extra.items() if v}))
    if ann.note:
        bodies.append(_textual("commenting", ann.note))
    motivation = "identifying" if ann.entity else "classifying"
    out: dict = {
        "id": annotation_iri(ann.id),
        "type": "Annotation",
        "motivation": "assessing" if tag.kind == CREDIBILITY_KIND else motivation,
    }
    if ann.annotator:
        out["creator"] = {"type": "Person", "name": ann.annotator}
    if ann.created_at:
        out["created"] = ann.created_at
    if ann.updated_at:
        out["modified"] = ann.updated_at
    out["body"] = bodies
    quote_selector = {"type": "TextQuoteSelector", "exact": ann.quote}
    quote_selector.update(prefix=ann.prefix, suffix=ann.suffix)
    position = {"type": "TextPositionSelector", "start": ann.start, "end": ann.end}
    out["target"] = {"source": source, "selector": [quote_selector, position]}
    return out


def write(
    documents: Sequence[Document],
    annotations: Sequence[Annotation],
    tag_types: dict[int, TagType],
    *,
    creator: str = "",
    embed_text: bool = True,
    generator: str = "Loupe",
) -> dict:
    """One AnnotationCollection holding every annotation inline, so the file stands alone."""
    sources: dict[int | None, str] = {}
    described: dict[str, dict] = {}
    for doc in documents:
        iri = SHA_IRI + text_sha256(doc.text)  # the stored hash could be stale; the text is not
        sources[doc.id] = iri
        if iri in described:
            continue
        entry = described[iri] = {"id": iri, "type": "Text", "loupe:title": doc.title}
        fields = {"url": doc.url, "published": doc.published, "source": doc.source}
        entry.update((f"loupe:{k}", v) for k, v in fields.items() if v)
        if embed_text:
            entry["loupe:text"] = doc.text
    items = []
    for ann in annotations:
        if ann.document_id not in sources:
            raise ValueError(f"annotation {ann.id} is on document {ann.document_id}, not given")
        if ann.tag_type_id not in tag_types:
            raise ValueError(f"annotation {ann.id} has tag type {ann.tag_type_id}, not given")
        items.append(_annotation(ann, sources[ann.document_id], tag_types[ann.tag_type_id]))
    collection_id = f"{UUID_IRI}{uuid.uuid4()}"
    out: dict = {"@context": CONTEXT, "id": collection_id, "type": "AnnotationCollection"}
    out.update({"loupe:formatVersion": FORMAT_VERSION, "loupe:offsetUnit": OFFSET_UNIT})
    if creator:
        out["creator"] = {"type": "Person", "name": creator}
    out.update(generator={"type": "Software", "name": generator}, generated=utc_now())
    out.update({"loupe:documents": list(described.values()), "total": len(items)})
    if items:  # W3C: a collection has a first page exactly when it has annotations
        page = {"id": f"{UUID_IRI}{uuid.uuid4()}", "type": "AnnotationPage"}
        out["first"] = {**page, "partOf": collection_id, "startIndex": 0, "items": items}
    return out


def write_json(
    documents: Sequence[Document],
    annotations: Sequence[Annotation],
    tag_types: dict[int, TagType],
    *,
    creator: str = "",
    embed_text: bool = True,
    generator: str = "Loupe",
) -> str:
    """The collection as UTF-8-ready text; keys keep the order they are built in, so two exports
    of the same annotations differ only in the collection's id and `generated` time.

    The frame is indented for people; each annotation is one compact line, because indenting
    everything forces Python's pure-Python encoder (5× slower) and makes the file 60 % larger."""
    collection = write(
        documents, annotations, tag_types, creator=creator, embed_text=embed_text,
        generator=generator,
    )  # fmt: skip
    return dumps(collection)


def dumps(collection: dict) -> str:
    """A collection in the layout `w3c_layout` reads fast: an indented frame, an item a line."""
    items = collection.get("first", {}).get("items")
    if not items:
        return json.dumps(collection, ensure_ascii=False, indent=2) + "\n"
    collection = {**collection, "first": {**collection["first"], "items": []}}
    frame = json.dumps(collection, ensure_ascii=False, indent=2)
    lines = ",\n".join(
        "      " + json.dumps(item, ensure_ascii=False, separators=(",", ":")) for item in items
    )
    # A quote inside a JSON string is escaped, so this key can only be the page's own.
    return frame.replace('"items": []', f'"items": [\n{lines}\n    ]', 1) + "\n"


def parse(data: bytes, name: str, progress: Progress | None = None) -> ReportedFile:
    """A W3C annotation file, validated completely; ImportProblem names the record at fault.

    A file in the layout Loupe writes is read line by line (`w3c_layout`); any other file, and
    any file that fails there, is decoded whole, so a fault is always reported as the whole-file
    read reports it. The collector is paused meanwhile: a JSON tree has no reference cycles, yet
    its millions of new objects make the collector walk them again and again (measured: about a
    third of the time)."""
    with collector_paused():
        try:
            if (split := w3c_layout.split(data, name)) is not None:
                return _FileReader(name, progress).read(split)
        except (w3c_layout.NotInLayout, ImportProblem):
            pass
        return _FileReader(name, progress).read(safe_json.load_bytes(data, name))


class _FileReader(RecordReader):
    """The file's structure: a collection and its one page, a page, an annotation or a list."""

    def __init__(self, name: str, progress: Progress | None = None) -> None:
        super().__init__(name)
        self.progress = progress

    def read(self, root: object) -> ReportedFile:
        header, types = {}, ()
        if isinstance(root, dict) and (types := types_of(root.get("type"))):
            header = root
            self.context(root, "", required=True)
            if "AnnotationCollection" in types:
                items = self.collection_items(root)
            elif "AnnotationPage" in types:
                items = self.page_items(root, "the page")
            elif "Annotation" in types:
                items = [root]
            else:
                raise self.fail("", f"is not W3C Web Annotation JSON (type {types[0]!r:.40})")
        elif isinstance(root, list):
            items = root
        else:
            what = f"{kind_of(root)} without a type" if isinstance(root, dict) else kind_of(root)
            raise self.fail("", "expected a W3C AnnotationCollection, an Annotation or a list "
                            f"of Annotations, not {what}")  # fmt: skip
        version = header.get("loupe:formatVersion", 1)
        if not is_whole(version) or version < 1:
            raise self.fail("", f"loupe:formatVersion must be a whole number, not {version!r:.20}")
        if version > FORMAT_VERSION:
            raise self.fail("", f"made by a newer Loupe (format version {version}; this Loupe "
                            f"reads {FORMAT_VERSION}): update Loupe to open it")  # fmt: skip
        self.declared = self.unit(header, "")
        if "loupe:documents" in header:
            self.documents(header["loupe:documents"])
        annotations = self.records(items)
        single = "Annotation" in types  # its creator is the annotation's own
        creator = "" if single else self.creator(header.get("creator"), "the collection")
        if not creator and len(found := {a.creator for a in annotations}) == 1:
            creator = found.pop()
        return ReportedFile(
            FORMAT, self.name, creator, tuple(self.docs.values()), annotations, self.notices()
        )

    def records(self, items: list) -> tuple[ForeignAnnotation, ...]:
        """Each record checked, then dropped: its memory is freed while still in the processor's
        cache and reused by the next records. Freeing 100,000 records after the loop instead cost
        0.15–0.25 s more, and the peak memory was higher."""
        annotation, out, progress = self.annotation, [], self.progress
        decode = items.decode if isinstance(items, w3c_layout.ItemLines) else None
        total = len(items)
        for i in range(total):
            if progress is not None and i % 2000 == 0:
                progress(i, total)  # may raise ImportCancelled
            if decode is None:
                item, items[i] = items[i], None
            else:
                item = decode(i)
            out.append(annotation(i + 1, item))
        return tuple(out)

    def notices(self) -> tuple[str, ...]:
        """What was read but not kept, in words for the analyst: nothing vanishes silently."""
        found = []
        if self.unplaced:
            found.append(f"{plural(self.unplaced, 'annotation')}: position ignored, because the "
                         "file does not say it counts code points (loupe:offsetUnit); placed by "
                         "quote instead")  # fmt: skip
        if self.skipped:
            kinds = ", ".join(f"{n} {kind}" for kind, n in self.skipped.most_common())
            found.append(f"bodies Loupe does not keep, skipped: {kinds}")
        if self.joined:
            found.append(f"{plural(self.joined, 'annotation')} with several comments: joined "
                         "into one note, separated by a blank line")  # fmt: skip
        return tuple(found)

    def collection_items(self, root: dict) -> list:
        first, total = root.get("first"), root.get("total")
        if isinstance(first, str):
            raise self.fail("", f"the annotations are in a separate page ({first:.80}), which "
                            "Loupe cannot fetch; export them with the collection")  # fmt: skip
        items = [] if first is None else self.page_items(first, "the first page")
        if total is not None and not is_whole(total):
            raise self.fail("", f"total must be a whole number, not {total!r:.20}")
        if total is not None and total != len(items):
            raise self.fail("", f"total says {total} annotations but the file holds {len(items)}")
        return items

    def page_items(self, page: object, where: str) -> list:
        if not isinstance(page, dict) or "AnnotationPage" not in types_of(page.get("type")):
            raise self.fail(where, "must be an object of type AnnotationPage")
        if page.get("next") is not None:
            raise self.fail(where, "continues in further pages, which Loupe cannot fetch")
        if not isinstance(items := page.get("items"), list | w3c_layout.ItemLines):
            raise self.fail(where, f"items must be a list of annotations, not {kind_of(items)}")
        return items

    def documents(self, value: object) -> None:
        if not isinstance(value, list):
            raise self.fail("loupe:documents", f"must be a list, not {kind_of(value)}")
        self.described = True
        for n, doc in enumerate(value, 1):
            if not isinstance(doc, dict):
                raise self.fail(f"document {n}", f"must be an object, not {kind_of(doc)}")
            key = self.iri(doc.get("id"), f"document {n}", "id")
            where = f"document {n} ({key:.80})"
            if key in self.docs:
                raise self.fail(where, "is described twice")
            sha, text = self.sha(key, where), doc.get("loupe:text")
            if text is not None:
                text = self.text(text, where, "the embedded text", MAX_ARTICLE_BYTES)
                actual = hashlib.sha256(text.encode()).hexdigest()
                if sha and actual != sha:
                    raise self.fail(where, "the embedded text does not match its SHA-256")
                sha = actual  # known now, even under a colleague's own IRI
            title, url, published, source = (
                self.text(doc.get(f"loupe:{k}"), where, f"loupe:{k}", 4096)
                for k in ("title", "url", "published", "source")
            )
            self.docs[key] = ForeignDocument(key, title, url, text, sha, source, published)


def write_file(path, documents, annotations, tag_types, *, creator: str = "",
               embed_text: bool = True) -> int:  # fmt: skip
    """Write the collection whole or not at all (temporary file, then rename): a failed export
    never leaves half a file where a colleague will look. Returns the number of annotations."""
    import os
    import tempfile
    from pathlib import Path

    text = write_json(documents, annotations, tag_types, creator=creator, embed_text=embed_text)
    target = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())  # on disk before it is announced as exported
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return len(annotations)
