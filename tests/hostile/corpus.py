"""The bad-input corpus: every colleague's file Loupe must refuse (or, for formula-like text, take
verbatim), each generated from a valid file made by Loupe's own writers and then broken.

A `Case` builds its file into a folder (`make(folder) -> path`) and says what the refusal must
read like: `expect` is a regular expression for the message, `record` one for where in the file
(`annotation 2 (urn:uuid:…)`, `row 3`, `line 2`, `table annotations, id …`) when there is such a
place. `expect=None` marks a file that must import, with `stored` the (field, value) pairs one of
its layer annotations must hold exactly. `limits` are (module, attribute, value) to patch while
importing, so "a file over the size limit" needs no 200 MB on disk.

The valid bases: a colleague's project (`open_db`, the sample article, four annotations of dana's:
a location, two actors and a graded claim with a note), exported by `w3c.write_json` and
`app.cli.export_csv`; brat, doccano and Label Studio files written from the same annotations in
those tools' own shapes (Loupe writes none of them). `python -m tests.hostile.make_corpus OUT`
writes every case to a folder for a person to look at.
"""

from __future__ import annotations

import csv
import dataclasses
import functools
import io
import json
import random
import sqlite3
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from app.articles import make_document, read_article
from app.cli import export_csv
from app.formats import w3c
from app.formats.csv_export import BOM, COLUMNS
from app.model import Annotation, Document, Grade, TagType
from app.offsets import new_annotation
from db import repository as repo
from db.connection import open_db

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "resources" / "sample_article.txt"
COLLEAGUE = "dana"
T0 = "2025-03-01T09:30:12.345Z"
COLLECTION_ID = "urn:uuid:7fc5a1f0-4e5e-4dda-87dc-466461a64300"
PAGE_ID = "urn:uuid:15c976ae-8a46-4979-b076-3f1c7750d05a"
RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE: makes a name display as something else
FORMULA_ENTITY = '=HYPERLINK("http://x","y")'
FORMULA_NOTE = "@SUM(A1)"
SECOND_TEXT = "Port Aldane harbour stayed open on Sunday, officials said.\n"
DEEP = 100_000
HUGE_INT = "1" + "0" * 400
MIB = 2**20
SIZE_LIMITS = tuple(
    (module, "MAX_FILE_BYTES", MIB)
    for module in ("app.interchange", "app.formats.registry", "app.formats.safe_json")
)

# (quote, tag type, entity, grade, note) in text order: annotation n of every file is SPANS[n-1].
SPANS = (
    ("Port Aldane", "Location", "Port Aldane", Grade(), ""),
    ("Northern Freedom Front", "Actor", "Northern Freedom Front", Grade(), ""),
    ("Ilyas Marrow", "Actor", "Ilyas Marrow", Grade(), ""),
    ("the road to the capital is open", "Credibility", "", Grade(3, "C"),
     "one audio message, date unconfirmed"),
)  # fmt: skip


def ann_id(n: int) -> str:
    return f"00000000-0000-4000-8000-{n:012d}"


def w3c_record(n: int) -> str:
    return rf"annotation {n} \(urn:uuid:{ann_id(n)}\)"


def db_record(n: int) -> str:
    return rf"table annotations, id {ann_id(n)}"


@dataclass(frozen=True)
class Case:
    name: str
    filename: str
    make: Callable[[Path], Path]
    expect: str | None  # regex for the refusal; None: the file must import
    record: str | None = None  # regex for the place named, where the file has one
    names: str = ""  # the file the message must name, when not `filename` (brat's .txt)
    limits: tuple[tuple[str, str, int], ...] = ()
    stored: tuple[tuple[str, object], ...] = ()  # success: fields of one imported annotation

    @property
    def named_file(self) -> str:
        return self.names or self.filename


# ---------------------------------------------------------------- the valid bases


@dataclass(frozen=True)
class Base:
    db_bytes: bytes
    document: Document
    annotations: tuple[Annotation, ...]
    tag_types: dict[int, TagType]


def _colleague_project(path: Path) -> tuple[Document, tuple[Annotation, ...], dict]:
    db = open_db(path)
    try:
        with db.atomic():
            doc = repo.insert_document(db, read_article(SAMPLE))
            made = []
            for n, (quote, tag, entity, grade, note) in enumerate(SPANS, 1):
                start = doc.text.index(quote)
                tag_id = repo.find_tag_type(db, tag).id
                ann = new_annotation(
                    doc.text,
                    doc.id,
                    start,
                    start + len(quote),
                    tag_id,
                    entity=entity,
                    grade=grade,
                    note=note,
                    annotator=COLLEAGUE,
                )
                made.append(dataclasses.replace(ann, id=ann_id(n), created_at=T0, updated_at=T0))
            repo.insert_annotations(db, made)
        anns = tuple(repo.annotations_for_document(db, doc.id))
        types = {t.id: t for t in repo.list_tag_types(db)}
    finally:
        db.close()
    assert [a.id for a in anns] == [ann_id(n) for n in range(1, len(SPANS) + 1)]
    return doc, anns, types


@functools.cache
def base() -> Base:
    """dana's project, closed (no -wal beside it), and what it holds."""
    with tempfile.TemporaryDirectory(prefix="loupe-hostile-") as folder:
        path = Path(folder) / "colleague.loupe"
        doc, anns, types = _colleague_project(path)
        return Base(path.read_bytes(), doc, anns, types)


@functools.cache
def _w3c_text() -> str:
    b = base()
    text = w3c.write_json([b.document], list(b.annotations), b.tag_types, creator=COLLEAGUE)
    data = json.loads(text)  # fixed ids and time, so the corpus is the same on every run
    data.update(id=COLLECTION_ID, generated=T0)
    data["first"].update(id=PAGE_ID, partOf=COLLECTION_ID)
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def w3c_base() -> dict:
    return json.loads(_w3c_text())


@functools.cache
def _csv_text() -> str:
    with tempfile.TemporaryDirectory(prefix="loupe-hostile-") as folder:
        path, out = Path(folder) / "colleague.loupe", Path(folder) / "out.csv"
        path.write_bytes(base().db_bytes)
        db = open_db(path)
        try:
            export_csv(db, out)
        finally:
            db.close()
        return out.read_bytes().decode("utf-8")


def csv_rows() -> list[list[str]]:
    """Header first: rows[k] is spreadsheet row k + 1, so annotation n is row n + 1."""
    text = _csv_text().removeprefix(BOM)
    return [row for row in csv.reader(io.StringIO(text, newline="")) if row]


def csv_text(rows: list[list[str]], delimiter: str = ",") -> str:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n", delimiter=delimiter)
    writer.writerows(rows)
    return BOM + out.getvalue()


def brat_lines() -> list[str]:
    """T1–T4 on lines 1–4, then the entities (N), the grade (A) and the note (#)."""
    b = base()
    lines = [f"T{n}\t{b.tag_types[a.tag_type_id].name} {a.start} {a.end}\t{a.quote}"
             for n, a in enumerate(b.annotations, 1)]  # fmt: skip
    for n, a in enumerate(b.annotations, 1):
        if a.entity:
            lines.append(f"N{n}\tReference T{n} Loupe:{n}\t{a.entity}")
        if a.grade.credibility:
            lines.append(f"A1\tCredibility T{n} {a.grade.credibility}")
        if a.grade.reliability:
            lines.append(f"A2\tReliability T{n} {a.grade.reliability}")
        if a.note:
            lines.append(f"#{n}\tAnnotatorNotes T{n}\t{a.note}")
    return lines


def _second_spans() -> list:
    return [[0, len("Port Aldane"), "Location"]]


def doccano_records() -> list[dict]:
    """Line 1 the sample article, line 2 a short second one. The spans lie before the article's
    one emoji, so UTF-16 units and code points agree."""
    b = base()
    spans = [[a.start, a.end, b.tag_types[a.tag_type_id].name] for a in b.annotations]
    return [
        {"id": 1, "text": b.document.text, "label": spans, "user": COLLEAGUE},
        {"id": 2, "text": SECOND_TEXT, "label": _second_spans(), "user": COLLEAGUE},
    ]


def labelstudio_tasks() -> list[dict]:
    """Task 1 the sample article (annotation 10), task 2 a short second one (annotation 20)."""
    b = base()

    def region(rid, start, end, quote, label):
        value = {"start": start, "end": end, "text": quote, "labels": [label]}
        return {"id": rid, "from_name": "label", "to_name": "text", "type": "labels",
                "value": value}  # fmt: skip

    def task(tid, text, results):
        entry = {"id": tid * 10, "completed_by": {"email": f"{COLLEAGUE}@example.org"},
                 "created_at": T0, "updated_at": T0, "result": results}  # fmt: skip
        return {"id": tid, "data": {"text": text}, "annotations": [entry]}

    first = [region(f"r{n}", a.start, a.end, a.quote, b.tag_types[a.tag_type_id].name)
             for n, a in enumerate(b.annotations, 1)]  # fmt: skip
    return [task(1, b.document.text, first),
            task(2, SECOND_TEXT, [region("r1", 0, 11, "Port Aldane", "Location")])]  # fmt: skip


# ---------------------------------------------------------------- small tools


def _write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def item(data: dict, n: int) -> dict:
    return data["first"]["items"][n - 1]


def selector(data: dict, n: int, kind: str) -> dict:
    return next(s for s in item(data, n)["target"]["selector"] if s["type"] == kind)


def position(data: dict, n: int) -> dict:
    return selector(data, n, "TextPositionSelector")


def quote(data: dict, n: int) -> dict:
    return selector(data, n, "TextQuoteSelector")


def body(data: dict, n: int, purpose: str) -> dict:
    return next(b for b in item(data, n)["body"] if b["purpose"] == purpose)


MARK = "@@HOSTILE@@"


def literal(text: str, replacement: str) -> str:
    """Put JSON Python cannot write (NaN, a lone surrogate escape, a duplicate key…) where a
    mutation left the marker string."""
    assert f'"{MARK}"' in text
    return text.replace(f'"{MARK}"', replacement)


def lit(replacement: str) -> Callable[[str], str]:
    return lambda text: literal(text, replacement)


def deep_array(depth: int = DEEP) -> str:
    return "[" * depth + "]" * depth


# ---------------------------------------------------------------- W3C


def _w3c(name: str, expect: str | None, record: str | None = None, *,
         mutate: Callable[[dict], object] | None = None, text: Callable[[str], str] | None = None,
         raw: Callable[[bytes], bytes] | None = None, **kw) -> Case:  # fmt: skip
    filename = f"{name}.json"

    def make(folder: Path) -> Path:
        data = w3c_base()
        if mutate is not None:
            mutate(data)
        out = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        if text is not None:
            out = text(out)
        encoded = out.encode("utf-8", "surrogatepass")
        return _write(folder / filename, raw(encoded) if raw is not None else encoded)

    return Case(name, filename, make, expect, record, **kw)


def _w3c_file(
    name: str, data: bytes, expect: str, record: str | None = None, *, stem: str = "", **kw
) -> Case:
    filename = f"{stem or name}.json"

    def make(folder: Path) -> Path:
        return _write(folder / filename, data)

    return Case(name, filename, make, expect, record, **kw)


def _insert_after(needle: bytes, extra: bytes) -> Callable[[bytes], bytes]:
    def transform(data: bytes) -> bytes:
        at = data.index(needle) + len(needle)
        return data[:at] + extra + data[at:]

    return transform


def _swap(d: dict, n: int) -> None:
    pos = position(d, n)
    pos["start"], pos["end"] = pos["end"], pos["start"]


def _past_end(d: dict, n: int) -> None:
    size = len(base().document.text)
    position(d, n).update(start=size + 5, end=size + 5 + len(SPANS[n - 1][0]))


def _formula(d: dict) -> None:
    body(d, 2, "identifying")["value"] = FORMULA_ENTITY
    item(d, 2)["body"].append({"type": "TextualBody", "purpose": "commenting",
                               "value": FORMULA_NOTE})  # fmt: skip


def w3c_cases() -> list[Case]:
    a2, a4 = w3c_record(2), w3c_record(4)
    i2 = r"first\.items\[1\]"  # what the strict JSON loader names: the path of the value
    sample = base().document.text
    return [
        _w3c("w3c-valid", None, stored=(("entity", "Northern Freedom Front"),)),
        # the file as a whole
        _w3c_file("w3c-empty", b"", r"the file is empty"),
        _w3c_file("w3c-blank", b" \r\n\t\n", r"the file is empty"),
        _w3c("w3c-truncated", r"not valid JSON", r"line \d+, column \d+",
             raw=lambda b: b[: len(b) // 2]),
        _w3c_file("w3c-binary", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4,
                  r"binary"),
        _w3c("w3c-utf16", r"the file is UTF-16 text; Loupe reads colleagues' files as UTF-8",
             raw=lambda b: b.decode("utf-8").encode("utf-16")),
        _w3c("w3c-invalid-utf8", r"not valid UTF-8", r"byte \d+",
             raw=_insert_after(b"one audio message", b"\xc3\x28")),
        _w3c("w3c-windows-1252", r"not valid UTF-8", r"byte \d+",
             raw=lambda b: b.decode("utf-8").encode("cp1252", "replace")),
        _w3c("w3c-utf8-surrogate-bytes", r"not valid UTF-8", r"byte \d+",
             raw=_insert_after(b"one audio message", b"\xed\xa0\x80")),
        _w3c_file("w3c-top-level-text", b'"annotations"\n', r"expected a W3C .*not text"),
        _w3c_file("w3c-top-level-number", b"42\n", r"expected a W3C .*not a number"),
        _w3c_file("w3c-top-level-null", b"null\n", r"expected a W3C .*not null"),
        _w3c_file("w3c-top-level-untyped", b'{"items": []}\n', r"not an object without a type"),
        _w3c_file("w3c-list-of-numbers", b"[1, 2]\n", r"must be an object, not a number",
                  r"annotation 1"),
        _w3c("w3c-not-annotations", r"is not W3C Web Annotation JSON",
             mutate=lambda d: d.update(type="Dataset")),
        _w3c("w3c-no-context", r"@context must include", mutate=lambda d: d.pop("@context")),
        # strict JSON
        _w3c("w3c-nan", r"NaN is not a number JSON allows", rf"{i2}\.target\.selector\[1\]\.start",
             mutate=lambda d: position(d, 2).update(start=MARK), text=lit(r"NaN")),
        _w3c("w3c-infinity", r"Infinity is not a number JSON allows", rf"{i2}\.target",
             mutate=lambda d: position(d, 2).update(end=MARK), text=lit("Infinity")),
        _w3c("w3c-minus-infinity", r"-Infinity is not a number JSON allows",
             r"first\.items\[3\]\.body\[1\]\.loupe:credibility",
             mutate=lambda d: body(d, 4, "assessing").update({"loupe:credibility": MARK}),
             text=lit("-Infinity")),
        _w3c("w3c-duplicate-key", r"the key “type” appears twice", rf"{i2}: ",
             mutate=lambda d: item(d, 2).update({MARK: "x"}),
             text=lambda t: t.replace(f'"{MARK}"', '"type"')),
        _w3c("w3c-duplicate-hostile-key", r"the key “line\\nbreak\\u202eyek” appears twice",
             rf"{i2}: ",
             mutate=lambda d: item(d, 2).update({MARK: "x", MARK + "2": "y"}),
             text=lambda t: t.replace(f'"{MARK}2"', f'"{MARK}"').replace(
                 f'"{MARK}"', f'"line\\nbreak{RLO}yek"')),
        _w3c_file("w3c-deep-nesting", deep_array().encode(), r"nested too deeply",
                  r"line 1, column 101"),
        _w3c("w3c-deep-nesting-inside", r"nested too deeply", r"line \d+, column \d+",
             mutate=lambda d: item(d, 2).update({"loupe:extra": MARK}),
             text=lambda t: literal(t, deep_array())),
        _w3c("w3c-huge-integer", r"the number 10000000000000000000… is too large", i2,
             mutate=lambda d: position(d, 2).update(start=MARK), text=lit(HUGE_INT)),
        _w3c("w3c-huge-total", r"is too large", r"json, total: ",
             mutate=lambda d: d.update(total=MARK), text=lit("1" + "0" * 30)),
        _w3c("w3c-huge-float", r"start must be a whole number", a2,
             mutate=lambda d: position(d, 2).update(start=MARK), text=lit("1e999")),
        _w3c("w3c-lone-surrogate", r"lone surrogate", rf"{i2}\.body\[1\]\.value",
             mutate=lambda d: body(d, 2, "identifying").update(value=MARK),
             text=lit(r'"Northern \ud800 Front"')),
        _w3c("w3c-lone-low-surrogate-key", r"lone surrogate", rf"{i2}: ",
             mutate=lambda d: item(d, 2).update({MARK: 1}),
             text=lambda t: t.replace(f'"{MARK}"', r'"\udc00"')),
        # size
        _w3c("w3c-over-size-limit", r"the file is 3 MiB, over the 1 MiB limit",
             text=lambda t: t + " " * (3 * MIB), limits=SIZE_LIMITS),
        # structure and fields
        _w3c("w3c-newer-format", r"made by a newer Loupe \(format version 2",
             mutate=lambda d: d.update({"loupe:formatVersion": 2})),
        _w3c("w3c-format-version-text", r"loupe:formatVersion must be a whole number",
             mutate=lambda d: d.update({"loupe:formatVersion": "1"})),
        _w3c("w3c-unknown-offset-unit", r"loupe:offsetUnit 'utf-16' is unknown",
             mutate=lambda d: d.update({"loupe:offsetUnit": "utf-16"})),
        _w3c("w3c-total-mismatch", r"total says 5 annotations but the file holds 4",
             mutate=lambda d: d.update(total=5)),
        _w3c("w3c-page-as-link", r"separate page", mutate=lambda d: d.update(first="urn:x:page2")),
        _w3c("w3c-next-page", r"continues in further pages", r"the first page",
             mutate=lambda d: d["first"].update(next="urn:x:page2")),
        _w3c("w3c-items-not-list", r"items must be a list of annotations, not an object",
             r"the first page", mutate=lambda d: d["first"].update(items={})),
        _w3c("w3c-annotation-not-object", r"must be an object, not text", r"annotation 2",
             mutate=lambda d: d["first"]["items"].__setitem__(1, "urn:uuid:x")),
        _w3c("w3c-missing-id", r"has no id", r"annotation 2",
             mutate=lambda d: item(d, 2).pop("id")),
        _w3c("w3c-id-not-iri", r"its id must be an IRI", r"annotation 2",
             mutate=lambda d: item(d, 2).update(id="not an iri")),
        _w3c("w3c-missing-target", r"has no target", a2,
             mutate=lambda d: item(d, 2).pop("target")),
        _w3c("w3c-two-targets", r"has 2 targets", a2,
             mutate=lambda d: item(d, 2).update(target=[item(d, 2)["target"]] * 2)),
        _w3c("w3c-missing-quote-selector", r"no TextQuoteSelector", a2,
             mutate=lambda d: item(d, 2)["target"]["selector"].remove(quote(d, 2))),
        _w3c("w3c-missing-exact", r"the quote \(exact\) is empty", a2,
             mutate=lambda d: quote(d, 2).pop("exact")),
        _w3c("w3c-exact-not-text", r"the quote \(exact\) must be text, not int", a2,
             mutate=lambda d: quote(d, 2).update(exact=22)),
        _w3c("w3c-wrong-type", r"its type must be “Annotation”", a2,
             mutate=lambda d: item(d, 2).update(type="Highlight")),
        _w3c("w3c-start-as-text", r"start must be a whole number, not '\d+'", a2,
             mutate=lambda d: position(d, 2).update(start=str(position(d, 2)["start"]))),
        _w3c("w3c-start-fraction", r"start must be a whole number, not 1\.5", a2,
             mutate=lambda d: position(d, 2).update(start=1.5)),
        _w3c("w3c-start-boolean", r"start must be a whole number, not True", a2,
             mutate=lambda d: position(d, 2).update(start=True)),
        _w3c("w3c-body-not-object", r"a body must be an object or an IRI, not a number", a2,
             mutate=lambda d: item(d, 2).update(body=[5])),
        _w3c("w3c-creator-not-text", r"the creator must be text, not int", a2,
             mutate=lambda d: item(d, 2).update(creator=42)),
        _w3c("w3c-bad-created", r"its created must be an ISO 8601 date and time", a2,
             mutate=lambda d: item(d, 2).update(created="yesterday")),
        _w3c("w3c-impossible-date", r"its modified must be an ISO 8601 date", a2,
             mutate=lambda d: item(d, 2).update(modified="2025-02-31T09:30:12Z")),
        _w3c("w3c-body-and-bodyvalue", r"has both body and bodyValue", a2,
             mutate=lambda d: item(d, 2).update(bodyValue="note")),
        _w3c("w3c-two-classifying", r"has two classifying bodies", a2,
             mutate=lambda d: item(d, 2)["body"].append(body(d, 2, "classifying"))),
        # offsets
        _w3c("w3c-negative-offset", r"offsets must not be negative \(-1, ", a2,
             mutate=lambda d: position(d, 2).update(start=-1)),
        _w3c("w3c-reversed-offsets", r"start \d+ is not before end \d+", a2,
             mutate=lambda d: _swap(d, 2)),
        _w3c("w3c-empty-span", r"start (\d+) is not before end \1", a2,
             mutate=lambda d: position(d, 2).update(end=position(d, 2)["start"])),
        _w3c("w3c-offsets-past-end", rf"is past the end of the text \({len(sample)}\)", a2,
             mutate=lambda d: _past_end(d, 2)),
        _w3c("w3c-quote-mismatch", r"the quote does not match the text at \d+–\d+", a2,
             mutate=lambda d: quote(d, 2).update(exact="Northern Freedom Fronts")),
        _w3c("w3c-quote-moved", r"the quote does not match the text at", a2,
             mutate=lambda d: position(d, 2).update(start=position(d, 2)["start"] + 1,
                                                    end=position(d, 2)["end"] + 1)),
        _w3c("w3c-prefix-mismatch", r"the prefix does not match the text before", a2,
             mutate=lambda d: quote(d, 2).update(prefix="Fighters of the southern ")),
        _w3c("w3c-text-not-its-hash", r"the embedded text does not match its SHA-256",
             r"document 1 \(urn:sha256:[0-9a-f]{64}\)",
             mutate=lambda d: d["loupe:documents"][0].update({"loupe:text": sample + "x"})),
        _w3c("w3c-target-not-described", r"is not among the file's documents", a2,
             mutate=lambda d: item(d, 2)["target"].update(source="urn:sha256:" + "0" * 64)),
        # names, tags and grades
        _w3c("w3c-unknown-tag-type", r"unknown tag type “Weapon”; this project has Actor", a2,
             mutate=lambda d: body(d, 2, "classifying").update(value="Weapon")),
        _w3c("w3c-rlo-tag-type", r"the tag type contains the control or direction character "
             r"U\+202E", a2,
             mutate=lambda d: body(d, 2, "classifying").update(value=f"Act{RLO}or")),
        _w3c("w3c-rlo-entity", r"the entity contains the control or direction character U\+202E",
             a2, mutate=lambda d: body(d, 2, "identifying").update(value=f"{RLO}tnorF mrof")),
        _w3c("w3c-rlo-creator", r"the creator contains the control or direction character "
             r"U\+202E", a2, mutate=lambda d: item(d, 2)["creator"].update(name=f"dana{RLO}")),
        _w3c("w3c-rlo-collection-creator", r"the creator contains the control or direction",
             r"the collection", mutate=lambda d: d["creator"].update(name=f"{RLO}anad")),
        _w3c("w3c-bell-in-entity", r"the entity contains the control or direction character "
             r"U\+0007", a2, mutate=lambda d: body(d, 2, "identifying").update(value="NFF\x07")),
        _w3c("w3c-zero-width-tag-type", r"control or direction character U\+200B", a2,
             mutate=lambda d: body(d, 2, "classifying").update(value="Act\u200bor")),
        _w3c("w3c-long-entity", r"the entity is longer than 200 characters", a2,
             mutate=lambda d: body(d, 2, "identifying").update(value="N" * 201)),
        _w3c("w3c-credibility-7", r"credibility 7 is not on the Admiralty scale 1–6", a4,
             mutate=lambda d: body(d, 4, "assessing").update({"loupe:credibility": 7})),
        _w3c("w3c-credibility-0", r"credibility 0 is not on the Admiralty scale 1–6", a4,
             mutate=lambda d: body(d, 4, "assessing").update({"loupe:credibility": 0})),
        _w3c("w3c-reliability-g", r"reliability 'G' is not on the Admiralty scale A–F", a4,
             mutate=lambda d: body(d, 4, "assessing").update({"loupe:reliability": "G"})),
        _w3c("w3c-grade-z9", r"the grade 'Z9' is not an Admiralty grade", a4,
             mutate=lambda d: body(d, 4, "assessing").update(value="Z9")),
        _w3c("w3c-grade-disagrees", r"the grade 'B2' disagrees with", a4,
             mutate=lambda d: body(d, 4, "assessing").update(value="B2")),
        _w3c("w3c-duplicate-id", r"has the same id as annotation 1", r"annotation 2",
             mutate=lambda d: item(d, 2).update(id=item(d, 1)["id"])),
        _w3c("w3c-duplicate-document", r"is described twice", r"document 2",
             mutate=lambda d: d["loupe:documents"].append(d["loupe:documents"][0])),
        _w3c_file("w3c-rlo-in-file-name", b"", r"the file is empty", stem=f"w3c-rlo-{RLO}nosj",
                  names=r"w3c-rlo-\u202enosj.json"),  # the name, shown escaped, cannot mislead
        # formula-like text is the colleague's text: kept verbatim, neutralised only in CSV
        _w3c("w3c-formula-strings", None, mutate=_formula,
             stored=(("entity", FORMULA_ENTITY), ("note", FORMULA_NOTE))),
    ]  # fmt: skip


# ---------------------------------------------------------------- Loupe CSV


def _csv(name: str, expect: str | None, record: str | None = None, *,
         rows: Callable[[list[list[str]]], object] | None = None,
         raw: Callable[[bytes], bytes] | None = None, delimiter: str = ",",
         **kw) -> Case:  # fmt: skip
    filename = f"{name}.csv"

    def make(folder: Path) -> Path:
        table = csv_rows()
        if rows is not None:
            rows(table)
        data = csv_text(table, delimiter).encode("utf-8")
        return _write(folder / filename, raw(data) if raw is not None else data)

    return Case(name, filename, make, expect, record, **kw)


def _cell(row: int, column: str, value: str | Callable[[str], str]):
    """Set one cell: `row` in spreadsheet numbering (the header is row 1)."""

    def change(table: list[list[str]]) -> None:
        i = COLUMNS.index(column)
        table[row - 1][i] = value(table[row - 1][i]) if callable(value) else value

    return change


def _csv_formula(table: list[list[str]]) -> None:
    row = table[2]  # annotation 2: written the way Loupe's export guards formula-like cells
    row[COLUMNS.index("entity")] = "'" + FORMULA_ENTITY
    row[COLUMNS.index("note")] = "'" + FORMULA_NOTE


def _csv_swap(table: list[list[str]]) -> None:
    row = table[2]
    s, e = COLUMNS.index("start"), COLUMNS.index("end")
    row[s], row[e] = row[e], row[s]


def csv_cases() -> list[Case]:
    r3 = r"row 3"
    return [
        _csv("csv-valid", None, stored=(("entity", "Northern Freedom Front"),)),
        _csv("csv-empty", r"the file is empty", raw=lambda b: b""),
        _csv("csv-bom-only", r"the file is empty", raw=lambda b: BOM.encode()),
        _csv("csv-binary", r"binary", raw=lambda b: b[:200] + b"\x00\x01\x02" + b[200:]),
        _csv("csv-excel-unicode-text", r"the file is UTF-16 text",
             raw=lambda b: b.decode("utf-8-sig").replace(",", "\t").encode("utf-16")),
        _csv("csv-invalid-utf8", r"not valid UTF-8", r"byte \d+",
             raw=_insert_after(b"one audio message", b"\xff")),
        _csv("csv-wrong-header", r"the header is not Loupe's CSV header: missing quote; "
             r"unexpected 'text'", r"row 1",
             rows=lambda t: t[0].__setitem__(COLUMNS.index("quote"), "text")),
        _csv("csv-header-reordered", r"the header has Loupe's columns but in another order",
             r"row 1", rows=lambda t: t[0].reverse()),
        _csv("csv-semicolons", r"the header is not Loupe's CSV header", r"row 1", delimiter=";"),
        _csv("csv-short-row", r"has 17 cells; Loupe's CSV has 18 per row", r3,
             rows=lambda t: t[2].pop()),
        _csv("csv-long-row", r"has 19 cells", r3, rows=lambda t: t[2].append("extra")),
        _csv("csv-unterminated-quote", r"is not valid CSV \(unexpected end of data\)", r"row 6",
             raw=lambda b: b + b'x,"never closed'),
        _csv("csv-stray-quote", r"is not valid CSV", r3,
             raw=lambda b: b.replace(b"Northern Freedom Front,", b'"Northern" Freedom Front,', 1)),
        _csv("csv-duplicate-annotation-id",
             rf"annotation_id {ann_id(1)} appears again \(first in row 2\)", r3,
             rows=_cell(3, "annotation_id", ann_id(1))),
        _csv("csv-empty-annotation-id", r"annotation_id is empty", r3,
             rows=_cell(3, "annotation_id", "")),
        _csv("csv-negative-start", r"start must be a whole number, not '-1'", r3,
             rows=_cell(3, "start", "-1")),
        _csv("csv-start-decimal", r"start must be a whole number, not '\d+\.0'", r3,
             rows=_cell(3, "start", lambda v: v + ".0")),
        _csv("csv-huge-start", r"start must be a whole number", r3,
             rows=_cell(3, "start", HUGE_INT)),
        _csv("csv-reversed-offsets", r"start \d+ is not before end \d+", r3, rows=_csv_swap),
        _csv("csv-quote-length", r"the quote has 23 characters but start \d+ and end \d+ span 22",
             r3, rows=_cell(3, "quote", "Northern Freedom Fronts")),
        _csv("csv-document-title-differs", r"document 1 has another document_title than in row 2",
             r3, rows=_cell(3, "document_title", "Another title")),
        _csv("csv-credibility-7", r"credibility must be 1–6 or empty, not '7'", r"row 5",
             rows=_cell(5, "credibility", "7")),
        _csv("csv-reliability-g", r"reliability must be A–F or empty, not 'G'", r"row 5",
             rows=_cell(5, "reliability", "G")),
        _csv("csv-unknown-tag-type", r"unknown tag type “Weapon”", r3,
             rows=_cell(3, "tag_type", "Weapon")),
        _csv("csv-empty-tag-type", r"tag_type is empty", r3, rows=_cell(3, "tag_type", "")),
        _csv("csv-rlo-tag-type", r"tag_type contains the control or direction character U\+202E",
             r3, rows=_cell(3, "tag_type", f"Act{RLO}or")),
        _csv("csv-rlo-entity", r"entity contains the control or direction character U\+202E",
             r3, rows=_cell(3, "entity", f"{RLO}tnorF")),
        _csv("csv-rlo-annotator", r"annotator contains the control or direction character "
             r"U\+202E", r3, rows=_cell(3, "annotator", f"dana{RLO}")),
        _csv("csv-bad-timestamp", r"created_at must be an ISO 8601 time with zone", r3,
             rows=_cell(3, "created_at", "01/03/2025 09:30")),
        _csv("csv-over-size-limit", r"the file is 3 MiB, over the 1 MiB limit",
             raw=lambda b: b + b"\r\n" * (3 * MIB // 2), limits=SIZE_LIMITS),
        _csv("csv-formula-strings", None, rows=_csv_formula,
             stored=(("entity", FORMULA_ENTITY), ("note", FORMULA_NOTE))),
        _csv("csv-formula-unguarded", None,
             rows=lambda t: (_cell(3, "entity", FORMULA_ENTITY)(t),
                             _cell(3, "note", FORMULA_NOTE)(t)),
             stored=(("entity", FORMULA_ENTITY), ("note", FORMULA_NOTE))),
    ]  # fmt: skip


# ---------------------------------------------------------------- brat


def _brat(name: str, expect: str | None, record: str | None = None, *,
          lines: Callable[[list[str]], object] | None = None,
          txt: Callable[[bytes], bytes | None] | None = None,
          ann: Callable[[bytes], bytes] | None = None, **kw) -> Case:  # fmt: skip
    filename = f"{name}.ann"

    def make(folder: Path) -> Path:
        ann_lines = brat_lines()
        if lines is not None:
            lines(ann_lines)
        data = ("\n".join(ann_lines) + "\n").encode("utf-8")
        text = SAMPLE.read_bytes()
        text = txt(text) if txt is not None else text
        if text is not None:
            _write(folder / f"{name}.txt", text)
        return _write(folder / filename, ann(data) if ann is not None else data)

    return Case(name, filename, make, expect, record, **kw)


def _span(line: int, change: Callable[[int, int], tuple[object, object]]):
    def edit(lines: list[str]) -> None:
        ident, rest, quoted = lines[line - 1].split("\t")
        kind, start, end = rest.split(" ")
        new = change(int(start), int(end))
        lines[line - 1] = f"{ident}\t{kind} {new[0]} {new[1]}\t{quoted}"

    return edit


def _brat_type(line: int, kind: str):
    def edit(lines: list[str]) -> None:
        ident, rest, quoted = lines[line - 1].split("\t")
        lines[line - 1] = f"{ident}\t{kind} {rest.split(' ', 1)[1]}\t{quoted}"

    return edit


def _line_starting(prefix: str, new: str):
    def edit(lines: list[str]) -> None:
        i = next(i for i, line in enumerate(lines) if line.startswith(prefix))
        lines[i] = new

    return edit


def brat_cases() -> list[Case]:
    size = len(base().document.text)
    return [
        _brat("brat-valid", None, stored=(("entity", "Northern Freedom Front"),)),
        _brat("brat-offsets-shifted", r"the text “Northern Freedom Front” is not what the \.txt "
              r"holds at \d+ \d+", r"line 2", lines=_span(2, lambda s, e: (s + 3, e + 3))),
        _brat("brat-other-txt", r"is not what the \.txt holds|past the end of the text",
              r"line 1", txt=lambda b: SECOND_TEXT.encode()),
        _brat("brat-offsets-past-end", rf"end {size + 30} is past the end of the text", r"line 2",
              lines=_span(2, lambda s, e: (size + 10, size + 30))),
        _brat("brat-reversed-offsets", r"start \d+ is not before end \d+", r"line 2",
              lines=_span(2, lambda s, e: (e, s))),
        _brat("brat-negative-offset", r"“-3 \d+” is not a span", r"line 2",
              lines=_span(2, lambda s, e: (-3, e))),
        _brat("brat-huge-offset", r"is not a span", r"line 2",
              lines=_span(2, lambda s, e: (s, HUGE_INT))),
        _brat("brat-missing-txt", r"brat needs the text beside it: brat-missing-txt\.txt is "
              r"missing", txt=lambda b: None),
        _brat("brat-txt-invalid-utf8", r"not valid UTF-8", r"byte \d+",
              names="brat-txt-invalid-utf8.txt",
              txt=lambda b: b.replace("—".encode(), b"\x97", 1)),  # a Windows-1252 dash
        _brat("brat-txt-binary", r"binary", names="brat-txt-binary.txt",
              txt=lambda b: b[:100] + b"\x00" + b[100:]),
        _brat("brat-empty-ann", r"the file is empty", ann=lambda b: b""),
        _brat("brat-not-brat", r"is not a brat annotation", r"line 1",
              ann=lambda b: b"<html><body>not brat</body></html>\n"),
        _brat("brat-duplicate-id", r"the ID T2 is used again \(first on line 2\)", r"line 3",
              lines=lambda ls: ls.__setitem__(2, ls[2].replace("T3\t", "T2\t", 1))),
        _brat("brat-unknown-tag-type", r"unknown tag type “Weapon”", r"line 2",
              lines=_brat_type(2, "Weapon")),
        _brat("brat-rlo-type", r"the type contains the control or direction character U\+202E",
              r"line 2", lines=_brat_type(2, f"Act{RLO}or")),
        _brat("brat-rlo-entity", r"the entity contains the control or direction character "
              r"U\+202E", r"line \d+",
              lines=_line_starting("N2\t", f"N2\tReference T2 Loupe:2\t{RLO}tnorF mrof")),
        _brat("brat-credibility-9", r"Credibility must be 1–6, not “9”", r"line \d+",
              lines=_line_starting("A1\t", "A1\tCredibility T4 9")),
        _brat("brat-reliability-x", r"Reliability must be A–F, not “X”", r"line \d+",
              lines=_line_starting("A2\t", "A2\tReliability T4 X")),
        _brat("brat-dangling-reference", r"refers to T9, which the file does not define",
              r"line \d+", lines=_line_starting("A1\t", "A1\tCredibility T9 3")),
        _brat("brat-over-size-limit", r"the file is 3 MiB, over the 1 MiB limit",
              ann=lambda b: b + b"\n" * (3 * MIB), limits=SIZE_LIMITS),
        _brat("brat-formula-strings", None,
              lines=_line_starting("N2\t", f"N2\tReference T2 Loupe:2\t{FORMULA_ENTITY}"),
              stored=(("entity", FORMULA_ENTITY),)),
    ]  # fmt: skip


# ---------------------------------------------------------------- doccano JSONL


def _doccano(name: str, expect: str | None, record: str | None = None, *,
             line2: Callable[[dict], object] | None = None,
             text: Callable[[str], str] | None = None,
             raw: Callable[[bytes], bytes] | None = None, **kw) -> Case:  # fmt: skip
    filename = f"{name}.jsonl"

    def make(folder: Path) -> Path:
        records = doccano_records()
        if line2 is not None:
            line2(records[1])
        lines = [json.dumps(r, ensure_ascii=False) for r in records]
        if text is not None:
            lines[1] = text(lines[1])
        data = ("\n".join(lines) + "\n").encode("utf-8", "surrogatepass")
        return _write(folder / filename, raw(data) if raw is not None else data)

    return Case(name, filename, make, expect, record, **kw)


def doccano_cases() -> list[Case]:
    line2, span1 = r"line 2", r"line 2, span 1"

    def mark_start(record: dict) -> None:
        record["label"][0][0] = MARK

    return [
        _doccano("doccano-valid", None, stored=(("quote", "Northern Freedom Front"),)),
        _doccano("doccano-empty", r"the file is empty", raw=lambda b: b""),
        _doccano("doccano-truncated", r"not valid JSON", line2, raw=lambda b: b[:-20]),
        _doccano("doccano-nan", r"NaN is not a number JSON allows",
                 rf"{line2}, label\[0\]\[0\]", line2=mark_start, text=lit("NaN")),
        _doccano("doccano-infinity", r"Infinity is not a number JSON allows", line2,
                 line2=mark_start, text=lit("Infinity")),
        _doccano("doccano-duplicate-key", r"the key “text” appears twice", line2,
                 line2=lambda r: r.update({MARK: "x"}),
                 text=lambda t: t.replace(f'"{MARK}"', '"text"')),
        _doccano("doccano-deep-nesting", r"nested too deeply", rf"{line2}, column \d+",
                 line2=lambda r: r.update(meta=MARK), text=lambda t: literal(t, deep_array())),
        _doccano("doccano-huge-integer", r"is too large", line2, line2=mark_start,
                 text=lit(HUGE_INT)),
        _doccano("doccano-lone-surrogate", r"lone surrogate", line2,
                 line2=lambda r: r.update(user=MARK), text=lit(r'"d\ud800na"')),
        _doccano("doccano-invalid-utf8", r"not valid UTF-8", r"byte \d+",
                 raw=_insert_after(b"stayed open", b"\xc0\xaf")),
        _doccano("doccano-wrong-type", r"must be a JSON object, not a list", line2,
                 text=lambda t: "[1, 2, 3]"),
        _doccano("doccano-no-text", r"has no “text” \(the article\)", line2,
                 line2=lambda r: r.pop("text")),
        _doccano("doccano-span-mistyped", r"start must be a whole number, not '0'", span1,
                 line2=lambda r: r["label"][0].__setitem__(0, "0")),
        _doccano("doccano-negative-offset", r"offsets must not be negative", span1,
                 line2=lambda r: r["label"][0].__setitem__(0, -4)),
        _doccano("doccano-reversed-offsets", r"start 11 is not before end 0", span1,
                 line2=lambda r: r.update(label=[[11, 0, "Location"]])),
        _doccano("doccano-offsets-past-end", r"end 500 is past the end of the text", span1,
                 line2=lambda r: r.update(label=[[0, 500, "Location"]])),
        _doccano("doccano-duplicate-id", r"the id 1 appears again \(first on line 1\)", line2,
                 line2=lambda r: r.update(id=1)),
        _doccano("doccano-unknown-tag-type", r"unknown tag type “Weapon”", span1,
                 line2=lambda r: r["label"][0].__setitem__(2, "Weapon")),
        _doccano("doccano-rlo-label", r"the label contains the control or direction character "
                 r"U\+202E", span1, line2=lambda r: r["label"][0].__setitem__(2, f"Loc{RLO}")),
        _doccano("doccano-rlo-user", r"the user contains the control or direction character "
                 r"U\+202E", line2, line2=lambda r: r.update(user=f"{RLO}anad")),
    ]  # fmt: skip


# ---------------------------------------------------------------- Label Studio JSON


def _labelstudio(name: str, expect: str | None, record: str | None = None, *,
                 mutate: Callable[[list], object] | None = None,
                 text: Callable[[str], str] | None = None, **kw) -> Case:  # fmt: skip
    filename = f"{name}.json"

    def make(folder: Path) -> Path:
        tasks = labelstudio_tasks()
        if mutate is not None:
            mutate(tasks)
        out = json.dumps(tasks, ensure_ascii=False, indent=1) + "\n"
        if text is not None:
            out = text(out)
        return _write(folder / filename, out.encode("utf-8", "surrogatepass"))

    return Case(name, filename, make, expect, record, **kw)


def _region(tasks: list) -> dict:
    """Task 2's one labelled region."""
    return tasks[1]["annotations"][0]["result"][0]["value"]


def labelstudio_cases() -> list[Case]:
    r1 = r"task 2, annotation 20, result r1"
    value = r"\[1\]\.annotations\[0\]\.result\[0\]\.value"  # the path the JSON loader names
    return [
        _labelstudio("labelstudio-valid", None, stored=(("quote", "Northern Freedom Front"),)),
        _labelstudio("labelstudio-nan", r"NaN is not a number JSON allows",
                     rf"{value}\.start",
                     mutate=lambda t: _region(t).update(start=MARK), text=lit("NaN")),
        _labelstudio("labelstudio-duplicate-key", r"the key “text” appears twice",
                     r"\[1\]\.data: ",
                     mutate=lambda t: t[1]["data"].update({MARK: "x"}),
                     text=lambda s: s.replace(f'"{MARK}"', '"text"')),
        _labelstudio("labelstudio-deep-nesting", r"nested too deeply", r"line \d+, column \d+",
                     mutate=lambda t: t[1]["data"].update(meta=MARK),
                     text=lambda s: literal(s, deep_array())),
        _labelstudio("labelstudio-huge-integer", r"is too large", rf"{value}\.end",
                     mutate=lambda t: _region(t).update(end=MARK),
                     text=lit(HUGE_INT)),
        _labelstudio("labelstudio-lone-surrogate", r"lone surrogate", rf"{value}\.text",
                     mutate=lambda t: _region(t).update(text=MARK),
                     text=lit(r'"Port \udfff"')),
        _labelstudio("labelstudio-not-tasks", r"must be a task object, not text", r"item 1",
                     mutate=lambda t: t.__setitem__(slice(None), ["data"])),
        _labelstudio("labelstudio-no-data", r"has no “data” object", r"task 2",
                     mutate=lambda t: t[1].pop("data")),
        _labelstudio("labelstudio-text-is-link", r"data\.text is a link", r"task 2",
                     mutate=lambda t: t[1]["data"].update(text="https://example.org/a.txt")),
        _labelstudio("labelstudio-quote-mismatch", r"value\.text “Port Aldeen” is not the "
                     r"article's text at 0–11", r1,
                     mutate=lambda t: _region(t).update(text="Port Aldeen")),
        _labelstudio("labelstudio-offsets-past-end", r"end 900 is past the end of the text", r1,
                     mutate=lambda t: _region(t).update(start=890, end=900)),
        _labelstudio("labelstudio-offsets-mistyped", r"end must be a whole number, not '11'", r1,
                     mutate=lambda t: _region(t).update(end="11")),
        _labelstudio("labelstudio-duplicate-task", r"the task id 1 appears again", r"item 2",
                     mutate=lambda t: t[1].update(id=1)),
        _labelstudio("labelstudio-bad-timestamp", r"updated_at must be an ISO 8601 time with "
                     r"zone, like 2024-01-15T10:23:45\.123456Z, not '2025-02-30T10:00:00Z'",
                     r"task 2, annotation 20",
                     mutate=lambda t: t[1]["annotations"][0].update(
                         updated_at="2025-02-30T10:00:00Z")),
        _labelstudio("labelstudio-unknown-label", r"unknown tag type “Weapon”", r1,
                     mutate=lambda t: _region(t).update(labels=["Weapon"])),
        _labelstudio("labelstudio-rlo-label", r"a label contains the control or direction "
                     r"character U\+202E", r1,
                     mutate=lambda t: _region(t).update(labels=[f"Loc{RLO}"])),
        _labelstudio("labelstudio-rlo-creator", r"completed_by contains the control or "
                     r"direction character U\+202E", r"task 2, annotation 20",
                     mutate=lambda t: t[1]["annotations"][0].update(completed_by=f"{RLO}anad")),
    ]  # fmt: skip


# ---------------------------------------------------------------- another Loupe project


def _alter(path: Path, *statements: str) -> None:
    """Another program edits the file: no foreign keys, no CHECK constraints."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA ignore_check_constraints = ON")
        for sql in statements:
            conn.execute(sql)
        conn.commit()
    finally:
        conn.close()


def _db(name: str, expect: str | None, record: str | None = None, *,
        sql: tuple[str, ...] = (), raw: Callable[[bytes], bytes] | None = None,
        suffix: str = ".loupe", source: Callable[[], bytes] | None = None,
        **kw) -> Case:  # fmt: skip
    filename = f"{name}{suffix}"

    def make(folder: Path) -> Path:
        data = source() if source is not None else base().db_bytes
        path = _write(folder / filename, raw(data) if raw is not None else data)
        if sql:
            _alter(path, *sql)
        leftovers = [p.name for p in folder.iterdir() if p.name.startswith(filename + "-")]
        assert not leftovers, leftovers
        return path

    return Case(name, filename, make, expect, record, **kw)


def _garble_middle(data: bytes) -> bytes:
    """Overwrite pages in the middle (not the header, not the first page) with noise."""
    page = int.from_bytes(data[16:18], "big")
    pages = len(data) // page
    noise = random.Random(7).randbytes(page * 2)
    at = page * (pages // 2)
    return data[:at] + noise + data[at + len(noise) :]


@functools.cache
def _plain_sqlite() -> bytes:
    with tempfile.TemporaryDirectory(prefix="loupe-hostile-") as folder:
        path = Path(folder) / "other.sqlite"
        conn = sqlite3.connect(path)
        conn.executescript("CREATE TABLE documents (id INTEGER PRIMARY KEY, body TEXT);"
                           "INSERT INTO documents (body) VALUES ('not Loupe');")  # fmt: skip
        conn.close()
        return path.read_bytes()


@functools.cache
def _big_project() -> bytes:
    """dana's project with a second article of 3 MiB, for the size limit."""
    with tempfile.TemporaryDirectory(prefix="loupe-hostile-") as folder:
        path = Path(folder) / "big.loupe"
        path.write_bytes(base().db_bytes)
        db = open_db(path)
        try:
            with db.atomic():
                line = "Port Aldane waited for news from the valley.\n"
                repo.insert_document(db, make_document(line * (3 * MIB // len(line))))
        finally:
            db.close()
        return path.read_bytes()


def db_cases() -> list[Case]:
    a2 = db_record(2)
    altered = r"which Loupe never creates: another program altered the file"
    return [
        _db("db-valid", None, stored=(("entity", "Northern Freedom Front"),)),
        _db("db-empty", r"the file is empty", raw=lambda b: b""),
        _db("db-not-sqlite", r"not an SQLite database, so not a Loupe project",
            raw=lambda b: _w3c_text().encode()),
        _db("db-header-only", r"not an SQLite database", raw=lambda b: b[:50]),
        _db("db-truncated", r"cut short \([\d,]+ of [\d,]+ bytes\), so it is damaged",
            raw=lambda b: b[: len(b) // 2]),
        _db("db-garbled-middle", r"damaged", raw=_garble_middle),
        _db("db-bad-page-size", r"damaged \(its header gives a page size of 1000\)",
            raw=lambda b: b[:16] + (1000).to_bytes(2, "big") + b[18:]),
        _db("db-plain-sqlite", r"an SQLite database, but not a Loupe project", suffix=".sqlite",
            source=_plain_sqlite),
        _db("db-newer-schema", r"written by a newer Loupe \(schema version 99",
            sql=("PRAGMA user_version = 99",)),
        _db("db-no-schema-version", r"marked as Loupe's but holds no Loupe schema",
            sql=("PRAGMA user_version = 0",)),
        _db("db-trigger", rf"contains triggers or views \(trigger “leak”\), {altered}",
            sql=("CREATE TRIGGER leak AFTER INSERT ON documents BEGIN "
                 "DELETE FROM annotations; END",)),
        _db("db-trigger-hostile-name", r"contains triggers or views \(trigger "
            r"“x(\\n|\?)y(\\u202e|\?)kcabllac”\)",
            sql=('CREATE TRIGGER "x\ny\u202ekcabllac" AFTER INSERT ON documents BEGIN '
                 "DELETE FROM annotations; END",)),
        _db("db-view", rf"contains triggers or views \(view “annotations_v”\), {altered}",
            sql=("CREATE VIEW annotations_v AS SELECT * FROM annotations",)),
        _db("db-generated-column", r"has computed columns \(shout\)",
            sql=("ALTER TABLE documents ADD COLUMN shout TEXT "
                 "GENERATED ALWAYS AS (upper(title)) VIRTUAL",)),
        _db("db-expression-index", r"index “odd” is computed",
            sql=("CREATE INDEX odd ON annotations (lower(quote))",)),
        _db("db-missing-column", r"table annotations is missing columns: note",
            sql=("ALTER TABLE annotations DROP COLUMN note",)),
        _db("db-reversed-offsets", r"the span \d+–\d+ is not inside the text", a2,
            sql=(f"UPDATE annotations SET start = \"end\", \"end\" = start "
                 f"WHERE id = '{ann_id(2)}'",)),
        _db("db-offsets-past-end", r"is not inside the text", a2,
            sql=(f"UPDATE annotations SET start = 5000, \"end\" = 5022 WHERE id = '{ann_id(2)}'",)),
        _db("db-negative-offset", r"is not inside the text", a2,
            sql=(f"UPDATE annotations SET start = -1 WHERE id = '{ann_id(2)}'",)),
        _db("db-start-as-text", r"column start: must be a whole number, but is text", a2,
            sql=(f"UPDATE annotations SET start = 'twelve' WHERE id = '{ann_id(2)}'",)),
        _db("db-quote-mismatch", r"column quote: is not the document's text at", a2,
            sql=(f"UPDATE annotations SET quote = 'Northern Freedom Frnot' "
                 f"WHERE id = '{ann_id(2)}'",)),
        _db("db-credibility-9", r"column credibility: is 9, not 1–6", db_record(4),
            sql=(f"UPDATE annotations SET credibility = 9 WHERE id = '{ann_id(4)}'",)),
        _db("db-reliability-g", r"column reliability: is “G”, not one of A–F", db_record(4),
            sql=(f"UPDATE annotations SET reliability = 'G' WHERE id = '{ann_id(4)}'",)),
        _db("db-text-altered", r"is not the SHA-256 of the text", r"table documents, id 1",
            sql=("UPDATE documents SET text = text || 'x'",)),
        _db("db-note-blob", r"column note: must be text, but is binary data", a2,
            sql=(f"UPDATE annotations SET note = x'00ff' WHERE id = '{ann_id(2)}'",)),
        _db("db-invalid-utf8", r"column annotator: is not valid UTF-8 text", a2,
            sql=(f"UPDATE annotations SET annotator = CAST(x'64c328' AS TEXT) "
                 f"WHERE id = '{ann_id(2)}'",)),
        _db("db-rlo-tag-type", r"the tag type contains the control or direction character "
            r"U\+202E", rf"annotation {ann_id(2)}",
            sql=(f"UPDATE tag_types SET name = 'Act{RLO}or' WHERE name = 'Actor'",)),
        _db("db-rlo-entity", r"the entity contains the control or direction character U\+202E",
            rf"annotation {ann_id(2)}",
            sql=(f"UPDATE entities SET name = '{RLO}tnorF mrof' "
                 f"WHERE name = 'Northern Freedom Front'",)),
        _db("db-rlo-annotator", r"the annotator contains the control or direction character "
            r"U\+202E", rf"annotation {ann_id(1)}",
            sql=(f"UPDATE annotations SET annotator = 'dana{RLO}'",)),
        _db("db-unknown-tag-type", r"unknown tag type “Weapon”", rf"annotation {ann_id(2)}",
            sql=("UPDATE tag_types SET name = 'Weapon' WHERE name = 'Actor'",)),
        _db("db-bad-timestamp", r"created_at must be an ISO 8601 time with zone, like "
            r".*not 'last Tuesday\\u202e'", rf"annotation {ann_id(1)}",
            sql=(f"UPDATE annotations SET created_at = 'last Tuesday{RLO}'",)),
        _db("db-over-size-limit", r"the file is \d MiB, over the 1 MiB limit",
            source=_big_project, limits=(("db.foreign", "MAX_PROJECT_BYTES", MIB),)),
        _db("db-formula-strings", None,
            sql=(f"UPDATE entities SET name = '{FORMULA_ENTITY}' "
                 "WHERE name = 'Northern Freedom Front'",
                 f"UPDATE annotations SET note = '{FORMULA_NOTE}' WHERE id = '{ann_id(2)}'"),
            stored=(("entity", FORMULA_ENTITY), ("note", FORMULA_NOTE))),
    ]  # fmt: skip


def cases() -> list[Case]:
    found = [*w3c_cases(), *csv_cases(), *brat_cases(), *doccano_cases(), *labelstudio_cases(),
             *db_cases()]  # fmt: skip
    names = [c.name for c in found]
    assert len(names) == len(set(names)), "case names must be unique"
    return found
