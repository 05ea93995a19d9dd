"""doccano JSONL (sequence labelling): one article per line with its labelled spans.

doccano has exported two shapes: `"label": [[start, end, "Type"], …]` (also under `labels` or
`entities` in older versions) and, for projects with relations, `"entities": [{"id", "label",
"start_offset", "end_offset"}, …]`. Its offsets are **UTF-16 code units** since doccano 1.0: the
web annotator (doccano/v-annotator, TextSelectionHandler.ts) adds the DOM selection's offset, a
JavaScript string index, to the line's start (doccano issues #2290 and #2484 confirm it on emoji).
The file carries no quote, so nothing in it can prove the unit: a line whose text has no character
outside the BMP (all of Arabic, Cyrillic, CJK …) counts the same either way; for the others
`unit="code-point"` reads files written by Python scripts or by doccano 0.x, and a notice says how
many annotations depended on the choice.
"""

from __future__ import annotations

import re
from collections import Counter

from app.formats.import_common import (
    Reading,
    ReportedFile,
    article,
    checked_span_text,
    context,
    embedded_document,
    locate,
    plural,
    skipped_notices,
    stored_form,
)
from app.formats.safe_json import decode_bytes, loads
from app.interchange import ForeignAnnotation, ImportProblem, check_text, clean_name

FORMAT = "doccano"
UNITS = ("utf-16", "code-point")
_TEXT_KEYS = ("text", "data")  # "data" in some 1.x exports
_SPAN_KEYS = ("label", "labels", "entities")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def parse(data: bytes, name: str, *, unit: str = "utf-16") -> ReportedFile:
    if unit not in UNITS:
        raise ValueError(f"unit must be one of {UNITS}, not {unit!r}")
    documents, annotations = [], []
    first_line: dict[str, int] = {}
    skipped: Counter[str] = Counter()
    unit_dependent = 0
    for number, line in enumerate(decode_bytes(data, name).split("\n"), start=1):
        if not line.strip():
            continue
        where = f"line {number}"
        record = loads(line, name, where)
        if not isinstance(record, dict):
            raise ImportProblem(name, where, f"must be a JSON object, not {_kind(record)}")
        document = _document(record, number, name, where)
        if document.key in first_line:
            problem = (
                f"the id {document.key} appears again (first on line {first_line[document.key]})"
            )
            raise ImportProblem(name, where, problem)
        first_line[document.key] = number
        documents.append(document)
        found = _annotations(record, document, unit, name, where, skipped)
        annotations += found
        if _ASTRAL.search(document.text):
            unit_dependent += len(found)
        for extra, what in (("relations", "relation"), ("Comments", "document comment")):
            if isinstance(record.get(extra), list) and record[extra]:
                skipped[what] += len(record[extra])
    if not documents:
        raise ImportProblem(name, "", "holds no lines with an article")
    creators = {a.creator for a in annotations}
    return ReportedFile(
        format=FORMAT,
        name=name,
        creator=creators.pop() if len(creators) == 1 else "",
        documents=tuple(documents),
        annotations=tuple(annotations),
        notices=(*skipped_notices(skipped), *_unit_notice(unit_dependent, unit)),
    )


def _unit_notice(count: int, unit: str) -> list[str]:
    if not count:
        return []
    counted = "UTF-16 units, as doccano's web annotator" if unit == "utf-16" else "code points"
    verb = "lies" if count == 1 else "lie"
    return [
        f"{plural(count, 'annotation')} {verb} in articles with emoji or other characters outside "
        f"the BMP; their offsets were read as {counted} counts them: check them"
    ]


def _kind(value: object) -> str:
    return {list: "a list", str: "text", dict: "an object"}.get(type(value), type(value).__name__)


def _one_of(record: dict, keys: tuple[str, ...], name: str, where: str, *, required=True):
    present = [k for k in keys if k in record]
    if len(present) > 1:
        raise ImportProblem(name, where, f"has both “{present[0]}” and “{present[1]}”")
    if not present:
        if required:
            raise ImportProblem(name, where, f"has no “{keys[0]}” (the article)")
        return None
    return record[present[0]]


def _identifier(value: object, what: str, name: str, where: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ImportProblem(name, where, f"{what} must be a number or text, not {_kind(value)}")
    return clean_name(str(value), file=name, where=where, what=what, allow_empty=False)


def _document(record: dict, number: int, name: str, where: str):
    """doccano spreads each example's metadata over its line; a `title` or `url` there is kept."""
    raw = article(_one_of(record, _TEXT_KEYS, name, where), file=name, where=where)
    key = _identifier(record.get("id", record.get("doc_id")), "id", name, where)
    title, url = (
        check_text(record.get(field), file=name, where=where, what=field, limit=2000).strip()
        for field in ("title", "url")
    )
    return embedded_document(key or f"line {number}", raw, title=title, url=url)


def _spans(record: dict, name: str, where: str) -> list:
    spans = _one_of(record, _SPAN_KEYS, name, where, required=False)
    if spans is None:
        return []
    if not isinstance(spans, list):
        raise ImportProblem(name, where, f"the labels must be a list, not {_kind(spans)}")
    if any(isinstance(s, str) for s in spans):
        raise ImportProblem(
            name, where, "holds categories (a text-classification export), not labelled spans; "
            "Loupe imports doccano's sequence-labelling exports",
        )  # fmt: skip
    return spans


def _span(item: object, name: str, where: str) -> tuple[object, object, object, object]:
    """(start, end, label, id or None) from either shape doccano has written."""
    if isinstance(item, list):
        if len(item) != 3:
            raise ImportProblem(
                name, where, f"a span must be [start, end, label], not {len(item)} items"
            )
        return item[0], item[1], item[2], None
    if isinstance(item, dict):
        missing = [k for k in ("start_offset", "end_offset", "label") if k not in item]
        if missing:
            raise ImportProblem(name, where, f"a span lacks {', '.join(missing)}")
        span_id = _identifier(item.get("id"), "a span's id", name, where)
        return item["start_offset"], item["end_offset"], item["label"], span_id
    raise ImportProblem(name, where, f"a span must be a list or an object, not {_kind(item)}")


def _annotations(record: dict, document, unit: str, name: str, where: str, skipped) -> list:
    raw = record.get("text", record.get("data"))
    stored, removed = stored_form(raw)
    reading = Reading(raw, removed, unit == "utf-16", unit)
    creator = clean_name(
        record.get("username", record.get("user")), file=name, where=where, what="the user"
    )
    found, seen = [], set()
    for index, item in enumerate(_spans(record, name, where), start=1):
        at = f"{where}, span {index}"
        start, end, label, span_id = _span(item, name, at)
        label = clean_name(label, file=name, where=at, what="the label", allow_empty=False)
        _, _, s, e = locate(reading, start, end, file=name, where=at)
        if (s, e, label) in seen:
            skipped["repeated span"] += 1
            continue
        seen.add((s, e, label))
        prefix, suffix = context(stored, s, e)
        found.append(
            ForeignAnnotation(
                id=f"{document.key}/{span_id or f'{start}-{end}/{label}'}",
                document_key=document.key,
                start=s,
                end=e,
                exact=checked_span_text(stored, s, e, file=name, where=at),
                prefix=prefix,
                suffix=suffix,
                tag_type=label,
                creator=creator,
                record=at,
            )
        )
    return found
