"""Label Studio's JSON export: a list of tasks, each with its article in `data` and the annotators'
labelled spans in `annotations[].result[]`.

Offsets: Label Studio's own tests (web/libs/editor/tests/integration/e2e/ner/emoji.cy.ts, "Should
calculate offsets by code points in text") fix `value.start`/`value.end` of a Text region in
**code points**; releases before the 2022 fix (label-studio-frontend PR #308, issues #1008, #1347)
wrote JavaScript string indices, i.e. UTF-16 units. Each region repeats its text in `value.text`
(with every line break written as the two characters `\\n`), so each region's unit is proved by its
own quote: the first plausible reading (import_common.readings) under which the quote fits is used.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from app.formats.import_common import (
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
from app.formats.safe_json import load_bytes
from app.formats.w3c_vocab import is_time
from app.interchange import ForeignAnnotation, ImportProblem, check_text, clean_name

FORMAT = "label-studio"
_LINK = re.compile(r"(https?|s3|gs|azure-blob)://\S+|/data/\S+")


def parse(data: bytes, name: str) -> ReportedFile:
    tasks = load_bytes(data, name)
    if not isinstance(tasks, list):
        raise ImportProblem(
            name, "top level", f"must be the list of tasks Label Studio's JSON export writes, not "
            f"{_kind(tasks)}",
        )  # fmt: skip
    if not tasks:
        raise ImportProblem(name, "top level", "holds no tasks")
    documents, annotations = [], []
    first_item: dict[str, int] = {}
    skipped: Counter[str] = Counter()
    for index, task in enumerate(tasks, start=1):
        if not isinstance(task, dict):
            raise ImportProblem(name, f"item {index}", f"must be a task object, not {_kind(task)}")
        key = _identifier(task.get("id"), "the task id", name, f"item {index}") or f"item {index}"
        where = f"task {key}" if "id" in task else key
        if key in first_item:
            problem = f"the task id {key} appears again (first as item {first_item[key]})"
            raise ImportProblem(name, f"item {index}", problem)
        first_item[key] = index
        raw = _text(task, name, where)
        documents.append(_document(task, key, raw, name, where))
        annotations += _task_annotations(task, key, raw, name, where, skipped)
    creators = {a.creator for a in annotations}
    return ReportedFile(
        format=FORMAT,
        name=name,
        creator=creators.pop() if len(creators) == 1 else "",
        documents=tuple(documents),
        annotations=tuple(annotations),
        notices=tuple(skipped_notices(skipped)),
    )


def _kind(value: object) -> str:
    return {list: "a list", str: "text", dict: "an object"}.get(type(value), type(value).__name__)


def _identifier(value: object, what: str, name: str, where: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ImportProblem(name, where, f"{what} must be a number or text, not {_kind(value)}")
    return clean_name(str(value), file=name, where=where, what=what, allow_empty=False)


def _text(task: dict, name: str, where: str) -> str:
    """The article: `data.text`, or the one text field of `data` under another name."""
    data = task.get("data")
    if not isinstance(data, dict):
        raise ImportProblem(name, where, "has no “data” object (the article)")
    if "text" in data:
        value = data["text"]
    else:
        texts = [k for k, v in data.items() if isinstance(v, str) and k not in ("title", "url")]
        if len(texts) != 1:
            raise ImportProblem(
                name, where, "data has no “text” field"
                + (f" and several others ({', '.join(texts[:4])})" if texts else ""),
            )  # fmt: skip
        value = data[texts[0]]
    raw = article(value, file=name, where=where, what="data.text")
    if _LINK.fullmatch(raw.strip()):
        raise ImportProblem(
            name, where, f"data.text is a link ({shown(raw.strip())}), not the article; Label "
            "Studio fetched the text from there, which Loupe does not do. Export the task with "
            "the text itself",
        )  # fmt: skip
    return raw


def _document(task: dict, key: str, raw: str, name: str, where: str):
    data = task["data"]
    title, url = (
        check_text(data.get(field), file=name, where=where, what=f"data.{field}", limit=2000)
        if isinstance(data.get(field), str) else ""
        for field in ("title", "url")
    )  # fmt: skip
    return embedded_document(key, raw, title=title.strip(), url=url.strip())


@dataclass(frozen=True, slots=True)
class _Task:
    """What every result of one task is read against."""

    file: str
    key: str
    stored: str
    candidates: list[Reading]
    skipped: Counter


@dataclass(frozen=True, slots=True)
class _Entry:
    """One annotator's annotation of the task: who, when, and where it sits for messages."""

    id: str
    where: str
    creator: str
    created: str
    modified: str


def _task_annotations(task: dict, key: str, raw: str, name: str, where: str, skipped) -> list:
    entries = task.get("annotations", task.get("completions", []))  # "completions" before 1.0
    if not isinstance(entries, list):
        raise ImportProblem(name, where, f"annotations must be a list, not {_kind(entries)}")
    predictions = task.get("predictions")
    if isinstance(predictions, list) and predictions:
        skipped["prediction (model suggestion)"] += len(predictions)
    context_ = _Task(name, key, stored_form(raw)[0], readings(raw), skipped)
    found = []
    for index, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            raise ImportProblem(name, f"{where}, annotation {index}", f"is {_kind(entry)}")
        ann_id = _identifier(entry.get("id"), "the annotation id", name, where) or str(index)
        at = f"{where}, annotation {ann_id}"
        if entry.get("was_cancelled") is True:
            skipped["skipped (cancelled) annotation"] += 1
            continue
        results = entry.get("result")
        if not isinstance(results, list):
            raise ImportProblem(name, at, f"result must be a list, not {_kind(results)}")
        created, modified = (_time(entry.get(f), name, at, f) for f in ("created_at", "updated_at"))
        creator = _creator(entry.get("completed_by"), name, at)
        found += _results(results, context_, _Entry(ann_id, at, creator, created, modified))
    return found


def _creator(value: object, name: str, where: str) -> str:
    """`completed_by` is a user id, or (older exports) an object with the user's email."""
    if isinstance(value, dict):
        value = value.get("email") or value.get("id")
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, int | str):
        problem = f"completed_by must be a user id or email, not {_kind(value)}"
        raise ImportProblem(name, where, problem)
    return clean_name(str(value), file=name, where=where, what="completed_by")


def _results(results: list, task: _Task, entry: _Entry) -> list:
    """Labelled regions become annotations; a textarea on the same region (same result id) is
    their note; everything else is counted as skipped."""
    name, notes, regions = task.file, {}, []
    for index, result in enumerate(results, start=1):
        if not isinstance(result, dict):
            raise ImportProblem(name, f"{entry.where}, result {index}", f"is {_kind(result)}")
        rid = _identifier(result.get("id"), "the result id", name, entry.where) or f"r{index}"
        at = f"{entry.where}, result {rid}"
        kind, value = result.get("type"), result.get("value")
        if not isinstance(value, dict):
            raise ImportProblem(name, at, f"value must be an object, not {_kind(value)}")
        if kind == "labels":
            regions.append((rid, at, value))
        elif kind == "textarea" and "start" in value:
            texts = value.get("text")
            if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
                raise ImportProblem(name, at, "a textarea's value.text must be a list of texts")
            notes.setdefault(rid, []).extend(texts)
        else:
            task.skipped[f"“{shown(str(kind), 30)}” result"] += 1
    found = []
    for rid, at, value in regions:
        note = check_text("\n".join(notes.pop(rid, [])), file=name, where=at, what="the note")
        found += _region(value, f"{task.key}/{entry.id}/{rid}", task, entry, note, at)
    if notes:
        task.skipped["note (textarea) on a region without a label"] += len(notes)
    return found


def _region(value: dict, region_id: str, task: _Task, entry: _Entry, note: str, at: str) -> list:
    name = task.file
    labels = value.get("labels")
    if not isinstance(labels, list) or not labels:
        raise ImportProblem(name, at, "value.labels must be a list of at least one label")
    labels = [clean_name(x, file=name, where=at, what="a label", allow_empty=False) for x in labels]
    quote = value.get("text")
    if quote is not None:
        quote = check_text(quote, file=name, where=at, what="value.text")
    start, end = _locate(task.candidates, value.get("start"), value.get("end"), quote, name, at)
    exact = checked_span_text(task.stored, start, end, file=name, where=at)
    prefix, suffix = context(task.stored, start, end)
    return [
        ForeignAnnotation(
            id=region_id if len(labels) == 1 else f"{region_id}/{label}",
            document_key=task.key,
            start=start,
            end=end,
            exact=exact,
            prefix=prefix,
            suffix=suffix,
            tag_type=label,
            note=note,
            creator=entry.creator,
            created=entry.created,
            modified=entry.modified,
            record=at,
        )
        for label in labels
    ]


def _locate(candidates: list[Reading], start, end, quote, name: str, at: str) -> tuple[int, int]:
    """The region in stored code points under the first reading its quote fits."""
    first_failure = None
    for reading in candidates:
        try:
            cp_start, cp_end, s, e = locate(reading, start, end, file=name, where=at)
        except ImportProblem as problem:
            first_failure = first_failure or problem
            continue
        there = reading.text[cp_start:cp_end]
        if quote is None or quote in (there, re.sub("[\r\n]", lambda _: "\\n", there)):
            return s, e
        first_failure = first_failure or ImportProblem(
            name, at, f"value.text “{shown(quote)}” is not the article's text at {start}–{end} "
            f"(“{shown(there)}”)",
        )  # fmt: skip
    raise first_failure


def _time(value: object, name: str, at: str, what: str) -> str:
    """Label Studio stamps annotations in UTC ISO 8601 (2024-01-15T10:23:45.123456Z); anything
    else was altered, and a wrong time would mislead a reviewer reading who tagged what when."""
    text = check_text(value, file=name, where=at, what=what, limit=64)
    if text and not is_time(text):
        raise ImportProblem(name, at, f"{what} must be an ISO 8601 time with zone, like "
                            f"2024-01-15T10:23:45.123456Z, not {text!r:.40}")  # fmt: skip
    return text
