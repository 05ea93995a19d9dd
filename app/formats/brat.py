"""brat standoff (`.ann` beside its `.txt`): text-bound annotations with their notes, entity
normalisations and Admiralty attributes.

brat (nlplab/brat, server/src/annotation.py) counts offsets as indices into the Python 2 unicode
string of the `.txt`: code points on the usual "wide" builds, UTF-16 units on "narrow" ones, and,
because `codecs.open` reads in binary mode whatever brat asks for, with `\\r\\n` as two characters
and a BOM as one. Every T line repeats its text, so the reading is not guessed: the first of the
plausible readings (import_common.readings) under which every T line's text matches is taken.
Relations, events and equivalences have no Loupe counterpart; they are counted, not imported.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import PurePath

from app.formats.import_common import (
    BOM,
    Reading,
    ReportedFile,
    article,
    checked_span_text,
    context,
    embedded_document,
    locate,
    readings,
    shown,
    skipped_notices,
    stored_form,
)
from app.formats.safe_json import decode_bytes
from app.interchange import ForeignAnnotation, ImportProblem, check_text, clean_name
from app.model import CREDIBILITY_NAMES, RELIABILITY_NAMES, Grade

FORMAT = "brat"
_ID = re.compile(r"([A-Za-z]+|#[A-Za-z]*)[0-9]+\S*")  # brat's own rule (annotation.py)
_FRAGMENT = re.compile(r" *([0-9]{1,15}) ([0-9]{1,15}) *")
_NORMALISATION = re.compile(r"(\S+) (\S+) (\S+?):(\S+)")
_DISCONTINUOUS_SEPARATOR = " "  # brat joins the texts of discontinuous fragments with one space
_SKIPPED = {"R": "relation", "E": "event", "*": "equivalence"}


def parse(ann_bytes: bytes, txt_bytes: bytes, name: str) -> ReportedFile:
    txt_name = str(PurePath(name).with_suffix(".txt"))
    raw = article(decode_bytes(txt_bytes, txt_name), file=txt_name, where="")
    if txt_bytes.startswith(BOM.encode()):
        raw = BOM + raw  # decode_bytes drops it, but brat counted it
    lines = _lines(decode_bytes(ann_bytes, name), name)
    bound = [line for line in lines if line[1].startswith("T")]
    reading = _choose_reading(raw, bound, name)
    stored, _ = stored_form(raw)
    notes, entities, grades, skipped = _extras(lines, {line[1] for line in bound}, name)
    document = embedded_document(txt_name, raw, fallback=PurePath(txt_name).stem)
    annotations = []
    for number, ann_id, body, _ in bound:
        where = f"line {number}"
        tag_type, fragments = _textbound(body, name, where)
        start, end = _covering_span(reading, fragments, stored, name, where)
        prefix, suffix = context(stored, start, end)
        annotations.append(
            ForeignAnnotation(
                id=ann_id,
                document_key=document.key,
                start=start,
                end=end,
                exact=checked_span_text(stored, start, end, file=name, where=where),
                prefix=prefix,
                suffix=suffix,
                tag_type=tag_type,
                entity=entities.get(ann_id, ""),
                grade=grades.get(ann_id, Grade()),
                note="\n".join(notes.get(ann_id, [])),
                record=where,
            )
        )
    notices = skipped_notices(skipped)
    if reading.label != readings(raw)[0].label:
        notices.append(f"offsets read as {reading.label}, the reading under which every quote fits")
    return ReportedFile(
        format=FORMAT,
        name=name,
        documents=(document,),
        annotations=tuple(annotations),
        notices=tuple(notices),
    )


def _lines(text: str, name: str) -> list[tuple[int, str, str, str | None]]:
    """(line number, id, body, text after the second tab or None) for every non-blank line."""
    seen: dict[str, int] = {}
    lines = []
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.removesuffix("\r")
        if not line.strip():
            continue
        where = f"line {number}"
        parts = line.split("\t", 2)
        if len(parts) < 2:
            raise ImportProblem(name, where, "is not a brat annotation (ID, a tab, then the rest)")
        ann_id = parts[0]
        if ann_id != "*" and not _ID.fullmatch(ann_id):
            raise ImportProblem(name, where, f"“{ann_id[:20]}” is not a brat annotation ID")
        if ann_id in seen:
            raise ImportProblem(
                name, where, f"the ID {ann_id} is used again (first on line {seen[ann_id]})"
            )
        if ann_id != "*":
            seen[ann_id] = number
        kind = ann_id[0]
        if kind not in "TANM#RE*":
            raise ImportProblem(name, where, f"brat has no annotation kind “{ann_id[0]}”")
        lines.append((number, ann_id, parts[1], parts[2] if len(parts) == 3 else None))
    return lines


def _textbound(body: str, name: str, where: str) -> tuple[str, list[tuple[int, int]]]:
    tag_type, _, spans = body.partition(" ")
    tag_type = clean_name(tag_type, file=name, where=where, what="the type", allow_empty=False)
    fragments = []
    for piece in spans.split(";"):
        match = _FRAGMENT.fullmatch(piece)
        if match is None:
            raise ImportProblem(
                name, where, f"“{piece[:40]}” is not a span; brat writes “START END”, fragments "
                "separated by “;”",
            )  # fmt: skip
        fragments.append((int(match[1]), int(match[2])))
    return tag_type, fragments


def _fragment_texts(reading: Reading, fragments, name: str, where: str) -> list[tuple]:
    located = [locate(reading, s, e, file=name, where=where) for s, e in fragments]
    for before, after in zip(located, located[1:], strict=False):
        if after[0] < before[1]:
            raise ImportProblem(
                name, where, "the fragments of this discontinuous span overlap or are out of order"
            )
    return located


def _quote_fits(text: str, expected: str) -> bool:
    """brat allows more after the text, separated by white space."""
    return text.startswith(expected) and (
        len(text) == len(expected) or text[len(expected)].isspace()
    )


def _first_misfit(reading: Reading, bound: list, name: str) -> ImportProblem | None:
    for number, _, body, text in bound:
        where = f"line {number}"
        _, fragments = _textbound(body, name, where)
        try:
            located = _fragment_texts(reading, fragments, name, where)
        except ImportProblem as problem:
            return problem
        expected = _DISCONTINUOUS_SEPARATOR.join(reading.text[a:b] for a, b, _, _ in located)
        if text is not None and not _quote_fits(text, expected):
            return ImportProblem(
                name, where, f"the text “{shown(text)}” is not what the .txt holds at "
                f"{body.partition(' ')[2]} (“{shown(expected)}”)",
            )  # fmt: skip
    return None


def _choose_reading(raw: str, bound: list, name: str) -> Reading:
    failures = []
    for reading in readings(raw):
        failure = _first_misfit(reading, bound, name)
        if failure is None:
            return reading
        failures.append(failure)
    raise failures[0]  # as the most likely reading sees it


def _covering_span(reading: Reading, fragments, stored: str, name: str, where: str):
    """One span for Loupe: a discontinuous brat span becomes the span covering its fragments when
    only white space lies between them (brat splits a selection across lines that way); fragments
    with words between them would tag words the colleague did not mark, so they are refused."""
    located = _fragment_texts(reading, fragments, name, where)
    start, end = located[0][2], located[-1][3]
    for before, after in zip(located, located[1:], strict=False):
        gap = stored[before[3] : after[2]]
        if gap.strip():
            raise ImportProblem(
                name, where, f"the discontinuous span leaves out “{shown(gap.strip(), 40)}”; "
                "Loupe's spans are contiguous, so split it into separate annotations in brat",
            )  # fmt: skip
    return start, end


def _extras(lines, textbound_ids: set[str], name: str):
    """Notes, entity names and grades by T id; counts of what is skipped."""
    notes: dict[str, list[str]] = {}
    entities: dict[str, tuple[str, str]] = {}
    grade_parts: dict[str, dict[str, str]] = {}
    skipped: Counter[str] = Counter()
    defined = {line[1] for line in lines}
    for number, ann_id, body, tail in lines:
        where = f"line {number}"
        kind = ann_id[0]
        if kind in _SKIPPED:
            skipped[_SKIPPED[kind]] += 1
            continue
        if kind == "T":
            continue
        words = body.split(" ")
        target = words[1] if len(words) > 1 else ""
        if not target:
            raise ImportProblem(name, where, "names no annotation it belongs to")
        if target not in defined:
            problem = f"refers to {target[:20]}, which the file does not define"
            raise ImportProblem(name, where, problem)
        if target not in textbound_ids:
            skipped[f"{_what(kind)} on a relation or event"] += 1
            continue
        if kind == "#":
            if words[0] != "AnnotatorNotes":
                skipped[f"“{words[0][:20]}” comment"] += 1
                continue
            note = check_text((tail or "").strip(), file=name, where=where, what="the note")
            notes.setdefault(target, []).append(note)
        elif kind == "N":
            entities[target] = _entity(body, tail, entities.get(target), ann_id, name, where)
        else:
            _attribute(words, grade_parts.setdefault(target, {}), skipped, name, where)
    grades = {}
    for target, parts in grade_parts.items():
        cred = parts.get("credibility")
        grades[target] = Grade(int(cred) if cred else None, parts.get("reliability"))
    return notes, {t: e for t, (e, _) in entities.items()}, grades, skipped


def _what(kind: str) -> str:
    return {"#": "note", "N": "normalisation"}.get(kind, "attribute")


def _entity(body, tail, earlier, ann_id: str, name: str, where: str) -> tuple[str, str]:
    match = _NORMALISATION.fullmatch(body.strip())
    if match is None:
        raise ImportProblem(
            name, where, "is not a brat normalisation (“Reference T1 Wikidata:Q123”, a tab, a name)"
        )
    entity = clean_name(
        (tail or "").strip() or f"{match[3]}:{match[4]}", file=name, where=where, what="the entity"
    )
    if earlier is not None and earlier[0] != entity:
        raise ImportProblem(
            name, where, f"gives {match[2]} the entity “{entity}”, but {earlier[1]} gave it "
            f"“{earlier[0]}”; Loupe keeps one entity per annotation",
        )  # fmt: skip
    return entity, ann_id


def _attribute(words: list[str], parts: dict[str, str], skipped: Counter, name, where) -> None:
    """`A1 Credibility T1 3` and `A2 Reliability T1 B` (the convention docs/formats.md sets out);
    any other attribute is counted and left out."""
    key = words[0].lower()
    if key not in ("credibility", "reliability"):
        skipped[f"“{words[0][:20]}” attribute"] += 1
        return
    value = words[2] if len(words) == 3 else None
    allowed = (
        [str(c) for c in CREDIBILITY_NAMES] if key == "credibility" else list(RELIABILITY_NAMES)
    )
    if value not in allowed:
        scale = "1–6" if key == "credibility" else "A–F"
        given = "no value" if value is None else f"“{shown(' '.join(words[2:]), 20)}”"
        raise ImportProblem(name, where, f"{words[0]} must be {scale}, not {given}")
    if key in parts and parts[key] != value:
        raise ImportProblem(name, where, f"{words[1]} has two {key} values ({parts[key]}, {value})")
    parts[key] = value
