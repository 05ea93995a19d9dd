"""One W3C annotation record read and checked (the vocabulary is in `w3c_vocab.py`).

A colleague's file is hostile until proven otherwise: every field is checked before anything is
returned, and the first fault stops the import with the record it is in. Other producers count
positions in UTF-16 units or over a web page's DOM text, so positions are trusted only when the
file declares `loupe:offsetUnit`; otherwise they are dropped and the importer re-anchors by quote.
The file's structure (collection, pages, documents) is read in `w3c.py`.

Records of exactly the shape Loupe writes are checked inline first (`w3c_fast.py`, the same
checks in one pass); every other record, and every record with a fault, is read here.
"""

from __future__ import annotations

import re
from collections import Counter

from app.formats.w3c_fast import loupe_record
from app.formats.w3c_vocab import (
    CREATOR,
    ENTITY,
    IRI,
    OFFSET_UNIT,
    SHA_IRI,
    TAG,
    W3C_CONTEXT,
    W3C_CONTEXTS,
    annotation_id,
    grade_key,
    is_time,
    is_whole,
    kind_of,
    types_of,
)
from app.interchange import (
    MAX_TEXT_FIELD,
    ForeignAnnotation,
    ForeignDocument,
    ImportProblem,
    check_offsets,
    check_text,
    clean_name,
)
from app.model import CREDIBILITY_NAMES, RELIABILITY_NAMES, Grade

_SHA = re.compile(r"[0-9a-f]{64}")
_GRADE = re.compile(r"([A-F]?)([1-6]?)")


class RecordReader:
    """Checks records one by one, failing on the first fault; names are cleaned once per value."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.docs: dict[str, ForeignDocument] = {}
        self.described = self.declared = False
        self.ids: dict[str, int] = {}
        self.names: dict[str, dict[str, str]] = {TAG: {}, ENTITY: {}, CREATOR: {}}  # what → value
        self.grades: dict[tuple, Grade] = {}
        self.skipped: Counter[str] = Counter()  # bodies Loupe has no place for, by kind
        self.unplaced = self.joined = 0  # positions ignored; annotations with several comments

    def fail(self, where: str, problem: str) -> ImportProblem:
        return ImportProblem(self.name, where, problem)

    def context(self, obj: dict, where: str, *, required: bool) -> None:
        ctx = obj.get("@context")
        if (ctx is not None or required) and W3C_CONTEXTS.isdisjoint(
            c for c in types_of(ctx) or (ctx,) if isinstance(c, str)
        ):  # fmt: skip
            raise self.fail(where, f"its @context must include {W3C_CONTEXT}")

    def unit(self, obj: dict, where: str) -> bool:
        unit = obj.get("loupe:offsetUnit")
        if unit is not None and unit != OFFSET_UNIT:
            raise self.fail(where, f"loupe:offsetUnit {unit!r:.40} is unknown ({OFFSET_UNIT!r})")
        return unit is not None

    def iri(self, value: object, where: str, what: str) -> str:
        if value is None:
            raise self.fail(where, f"has no {what}")
        if not isinstance(value, str) or not IRI.fullmatch(value):
            raise self.fail(where, f"its {what} must be an IRI (no spaces or control characters, "
                            f"at most 2048), not {value!r:.60}")  # fmt: skip
        return value

    def sha(self, iri: str, where: str) -> str:
        if not iri.startswith(SHA_IRI):
            return ""
        if not _SHA.fullmatch(iri, len(SHA_IRI)):
            raise self.fail(where, "urn:sha256: must be followed by 64 lowercase hex digits")
        return iri[len(SHA_IRI) :]

    def text(self, value: object, where: str, what: str, limit: int = MAX_TEXT_FIELD) -> str:
        if value.__class__ is str and len(value) <= limit:  # type: ignore[arg-type]
            return value  # type: ignore[return-value]  # safe_json refused lone surrogates
        return check_text(value, file=self.name, where=where, what=what, limit=limit)

    def document(self, source: str, where: str) -> ForeignDocument:
        if (doc := self.docs.get(source)) is None:
            if self.described:
                raise self.fail(where, f"its target {source:.80} is not among the file's "
                                "documents (loupe:documents)")  # fmt: skip
            url = source if source.startswith(("http://", "https://")) else ""
            doc = ForeignDocument(source, url=url, text_sha256=self.sha(source, where))
            self.docs[source] = doc
        return doc

    def name_of(self, value: object, where: str, what: str, empty: bool = True) -> str:
        if not isinstance(value, str):
            return clean_name(value, file=self.name, where=where, what=what, allow_empty=empty)
        if (found := (cache := self.names.setdefault(what, {})).get(value)) is None:
            found = clean_name(value, file=self.name, where=where, what=what, allow_empty=empty)
            cache[value] = found
        return found

    def creator(self, value: object, where: str) -> str:
        if isinstance(value, list):
            if len(value) != 1:
                raise self.fail(where, f"has {len(value)} creators; Loupe records one annotator")
            value = value[0]
        if isinstance(value, dict):
            value = value.get("name") or value.get("nickname") or value.get("id")
        return self.name_of(value, where, CREATOR)

    def time(self, item: dict, key: str, where: str) -> str:
        if (value := item.get(key)) is None:
            return ""
        if not is_time(value):
            raise self.fail(where, f"its {key} must be an ISO 8601 date and time such as "
                            f"2025-03-01T09:30:12.345Z, not {value!r:.40}")  # fmt: skip
        return value  # type: ignore[return-value]

    def grade(self, body: dict, where: str) -> Grade:
        key, plain = grade_key(body)
        if not plain or (grade := self.grades.get(key)) is None:
            grade = self.check_grade(*key, where)
            if plain:
                self.grades[key] = grade
        return grade

    def check_grade(self, value: object, cred: object, rel: object, where: str) -> Grade:
        if cred is not None and (not is_whole(cred) or cred not in CREDIBILITY_NAMES):
            raise self.fail(where, f"credibility {cred!r:.20} is not on the Admiralty scale 1–6")
        if rel is not None and (not isinstance(rel, str) or rel not in RELIABILITY_NAMES):
            raise self.fail(where, f"reliability {rel!r:.20} is not on the Admiralty scale A–F")
        grade = Grade(cred, rel)  # type: ignore[arg-type]
        if value is not None:
            match = _GRADE.fullmatch(value.strip().upper()) if isinstance(value, str) else None
            if not match or not match[0]:
                raise self.fail(where, f"the grade {value!r:.20} is not an Admiralty grade such as "
                                "B3 (reliability A–F, credibility 1–6)")  # fmt: skip
            said = Grade(int(match[2]) if match[2] else None, match[1] or None)
            if grade != Grade() and said != grade:
                raise self.fail(where, f"the grade {value!r:.20} disagrees with its loupe:"
                                f"credibility/reliability ({grade.compact})")  # fmt: skip
            grade = said
        if grade == Grade():
            raise self.fail(where, "its assessing body has no grade")
        return grade

    def target(self, item: dict, where: str) -> tuple[str, dict, dict | None]:
        target = item.get("target")
        if isinstance(target, list) and len(target) == 1:
            target = target[0]
        if target is None:
            raise self.fail(where, "has no target")
        if isinstance(target, list):
            raise self.fail(where, f"has {len(target)} targets; Loupe marks one quoted passage")
        if not isinstance(target, dict):
            raise self.fail(where, f"its target is a whole resource ({kind_of(target)}), not a "
                            "quoted passage")  # fmt: skip
        source = target.get("source")
        if source.__class__ is not str or source not in self.docs:  # known sources are valid
            source = self.iri(source, where, "target's source")
        selectors = target.get("selector")
        found: dict[str, dict] = {}
        for sel in selectors if isinstance(selectors, list) else [selectors]:
            kind = sel.get("type") if isinstance(sel, dict) else None
            if kind in ("TextQuoteSelector", "TextPositionSelector"):
                if kind in found:
                    raise self.fail(where, f"its target has two {kind}s")
                found[kind] = sel
        if "TextQuoteSelector" not in found:
            raise self.fail(where, "its target has no TextQuoteSelector; Loupe needs the quote")
        return source, found["TextQuoteSelector"], found.get("TextPositionSelector")

    def position(self, sel: dict, text: str | None, quoted: tuple, where: str) -> tuple[int, int]:
        exact, prefix, suffix = quoted
        size = None if text is None else len(text)
        start, end = check_offsets(sel.get("start"), sel.get("end"), file=self.name, where=where,
                                   length=size)  # fmt: skip
        if text is None:
            if end - start != len(exact):
                raise self.fail(where, f"the quote is {len(exact)} characters long but its "
                                f"position {start}–{end} spans {end - start}")  # fmt: skip
        elif text[start:end] != exact:
            raise self.fail(where, f"the quote does not match the text at {start}–{end}, which "
                            f"reads {text[start:end]!r:.60}")  # fmt: skip
        elif len(prefix) > start or text[start - len(prefix) : start] != prefix:
            raise self.fail(where, f"the prefix does not match the text before {start}")
        elif text[end : end + len(suffix)] != suffix:
            raise self.fail(where, f"the suffix does not match the text after {end}")
        return start, end

    def bodies(self, item: dict, where: str) -> tuple[dict[str, object], str]:
        body, body_value = item.get("body"), item.get("bodyValue")
        if body is not None and body_value is not None:
            raise self.fail(where, "has both body and bodyValue; W3C allows one")
        notes = [] if body_value is None else [self.text(body_value, where, "bodyValue")]
        kept: dict[str, object] = {}
        for b in body if isinstance(body, list) else [] if body is None else [body]:
            if b.__class__ is not dict:
                if isinstance(b, str):
                    self.skipped["link"] += 1
                    continue
                raise self.fail(where, f"a body must be an object or an IRI, not {kind_of(b)}")
            if (purposes := b.get("purpose")) is None:  # W3C's plain comment has no purpose
                purposes = "commenting" if isinstance(b.get("value"), str) else "untyped resource"
            for purpose in (purposes,) if purposes.__class__ is str else types_of(purposes):
                if purpose == "commenting":
                    if note := self.text(b.get("value"), where, "the note"):
                        notes.append(note)
                elif purpose.__class__ is str and purpose in kept:  # [[]] is no key: skipped
                    raise self.fail(where, f"has two {purpose} bodies; Loupe keeps one")
                elif purpose == "classifying":
                    kept[purpose] = self.name_of(b.get("value"), where, TAG, False)
                elif purpose == "identifying":
                    kept[purpose] = self.name_of(b.get("value"), where, ENTITY, False)
                elif purpose == "assessing":
                    kept[purpose] = self.grade(b, where)
                else:
                    self.skipped[f"{purpose:.40}" if isinstance(purpose, str) else "other"] += 1
        self.joined += len(notes) > 1
        return kept, notes[0] if len(notes) == 1 else "\n\n".join(filter(None, notes))

    def annotation(self, n: int, item: object) -> ForeignAnnotation:
        return loupe_record(self, n, item) or self.checked(n, item)

    def checked(self, n: int, item: object) -> ForeignAnnotation:
        """Any record, every field checked through its own method, failing on the first fault.
        Records of the shape Loupe writes take `loupe_record`, which accepts the same ones."""
        if not isinstance(item, dict):
            raise self.fail(f"annotation {n}", f"must be an object, not {kind_of(item)}")
        iri = self.iri(item.get("id"), f"annotation {n}", "id")
        where = f"annotation {n} ({iri:.80})"
        if (kind := item.get("type")) != "Annotation" and "Annotation" not in types_of(kind):
            raise self.fail(where, f"its type must be “Annotation”, not {kind!r:.40}")
        if "@context" in item:
            self.context(item, where, required=False)
        key = annotation_id(iri)
        if (other := self.ids.setdefault(key, n)) != n:
            raise self.fail(where, f"has the same id as annotation {other}")
        source, quoted, position = self.target(item, where)
        doc = self.document(source, where)
        exact = self.text(quoted.get("exact"), where, "the quote (exact)")
        if not exact:
            raise self.fail(where, "the quote (exact) is empty")
        prefix = self.text(quoted.get("prefix"), where, "the prefix")
        suffix = self.text(quoted.get("suffix"), where, "the suffix")
        start = end = None
        if position is not None and (self.declared or self.unit(item, where)):
            start, end = self.position(position, doc.text, (exact, prefix, suffix), where)
        elif position is not None:
            self.unplaced += 1
        kept, note = self.bodies(item, where)
        return ForeignAnnotation(
            key, source, start, end, exact, prefix, suffix, kept.get("classifying", ""),
            kept.get("identifying", ""), kept.get("assessing", Grade()), note,
            self.creator(item.get("creator"), where), self.time(item, "created", where),
            self.time(item, "modified", where), where,
        )  # fmt: skip
