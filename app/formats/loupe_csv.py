"""Loupe's own CSV export read back: every value the export wrote comes back exactly.

The export (csv_export.py, docs/formats.md "CSV export") is the file analysts pass around most, and
the one most often opened and re-saved in a spreadsheet on the way, so nothing is assumed: the
header must be Loupe's, every row must have every cell, numbers must be plain digits, grades on the
Admiralty scale, and the quote exactly as long as its span. Text cells get the formula guard taken
off with `unneutralise`, the exact inverse of what the export does. The CSV carries no article
text, so the importer finds each document by title, URL and quote.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import datetime

from app.formats.csv_export import COLUMNS, unneutralise
from app.formats.safe_json import decode_bytes
from app.interchange import (
    MAX_TEXT_FIELD,
    ForeignAnnotation,
    ForeignDocument,
    ForeignFile,
    ImportProblem,
    check_offsets,
    clean_name,
)
from app.model import Grade

FORMAT = "loupe-csv"
_INDEX = {name: i for i, name in enumerate(COLUMNS)}
# Cells the export guards (db/reports.py _TEXT_COLUMNS): all but the numbers and the reliability.
_GUARDED = frozenset(COLUMNS) - {"document_id", "start", "end", "credibility", "reliability"}
_DIGITS = re.compile(r"[0-9]{1,15}")  # not \d: that also takes "٤٦" (Arabic digits)


@dataclass(frozen=True, slots=True)
class CsvDocument(ForeignDocument):
    """A document as the CSV names it. `source` (the outlet the exporting project filed it under)
    has no field in ForeignDocument yet; it rides here so that nothing the export wrote is lost."""

    source: str = ""


def parse(data: bytes, name: str) -> ForeignFile:
    """The whole file or an ImportProblem naming the row (spreadsheet numbering: header = row 1).

    Text cells need no further check: UTF-8 decoding leaves no lone surrogates and the CSV reader's
    field limit bounds their size. Names repeat on every row, so each distinct one is checked once.
    """
    text = decode_bytes(data, name)  # strips the BOM the export writes
    rows = _records(text, name)
    first = next(rows, None)
    if first is None:
        raise ImportProblem(name, "", "the file is empty")
    _check_header(first[1], name, f"row {first[0]}")
    has_nul = "\x00" in text
    names: dict[tuple[str, str], str] = {}
    documents: dict[str, tuple[CsvDocument, int]] = {}
    seen_ids: dict[str, int] = {}
    annotations = []
    for number, cells in rows:
        where = f"row {number}"
        if len(cells) != len(COLUMNS):
            raise ImportProblem(
                name, where, f"has {len(cells)} cells; Loupe's CSV has {len(COLUMNS)} per row"
            )
        row = _cells(cells, name, where, has_nul)
        ann = _annotation(row, names, name, where)
        if ann.id in seen_ids:
            problem = f"annotation_id {ann.id} appears again (first in row {seen_ids[ann.id]})"
            raise ImportProblem(name, where, problem)
        seen_ids[ann.id] = number
        _add_document(documents, row, number, name, where)
        annotations.append(ann)
    creators = {a.creator for a in annotations}
    return ForeignFile(
        format=FORMAT,
        name=name,
        creator=creators.pop() if len(creators) == 1 else "",
        documents=tuple(doc for doc, _ in documents.values()),
        annotations=tuple(annotations),
    )


def _records(text: str, name: str):
    """(row number, cells) per CSV record; quoted line breaks stay inside their cell."""
    # The default 128 KiB per cell is less than a long quote; the limit is only ever raised.
    csv.field_size_limit(max(csv.field_size_limit(), MAX_TEXT_FIELD + 2))
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    number = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise ImportProblem(name, f"row {number + 1}", f"is not valid CSV ({exc})") from None
        number += 1
        if cells:  # a blank line (a spreadsheet may add one at the end) carries nothing
            yield number, cells


def _check_header(header: list[str], name: str, where: str) -> None:
    if tuple(header) == COLUMNS:
        return
    missing = [c for c in COLUMNS if c not in header]
    unexpected = [c for c in header if c not in COLUMNS]
    if missing or unexpected:
        parts = []
        if missing:
            parts.append("missing " + ", ".join(missing))
        if unexpected:
            parts.append("unexpected " + ", ".join(repr(c)[:60] for c in unexpected))
        problem = "the header is not Loupe's CSV header: " + "; ".join(parts)
    else:
        problem = "the header has Loupe's columns but in another order (or one twice)"
    raise ImportProblem(name, where, problem + f". Expected: {','.join(COLUMNS)}")


def _cells(cells: list[str], name: str, where: str, has_nul: bool) -> dict[str, str]:
    if has_nul:
        for column, cell in zip(COLUMNS, cells, strict=True):
            if "\x00" in cell:
                raise ImportProblem(name, where, f"{column} contains a NUL character")
    return {
        column: unneutralise(cell) if column in _GUARDED else cell
        for column, cell in zip(COLUMNS, cells, strict=True)
    }


def _name(row: dict[str, str], column: str, names: dict, name: str, where: str) -> str:
    key = (column, row[column])
    if key not in names:
        allow_empty = column != "tag_type"
        names[key] = clean_name(
            row[column], file=name, where=where, what=column, allow_empty=allow_empty
        )
    return names[key]


def _annotation(row: dict[str, str], names: dict, name: str, where: str) -> ForeignAnnotation:
    start, end = check_offsets(
        int(_whole(row, "start", name, where)), int(_whole(row, "end", name, where)),
        file=name, where=where,
    )  # fmt: skip
    quote = row["quote"]
    if len(quote) != end - start:
        raise ImportProblem(
            name, where, f"the quote has {len(quote)} characters but start {start} and end {end} "
            f"span {end - start}; the offsets or the quote were changed",
        )  # fmt: skip
    if not quote.strip():
        raise ImportProblem(name, where, "the quote holds only white space")
    return ForeignAnnotation(
        id=clean_name(row["annotation_id"], file=name, where=where, what="annotation_id",
                      allow_empty=False),
        document_key=_whole(row, "document_id", name, where),
        start=start,
        end=end,
        exact=quote,
        prefix=row["prefix"],
        suffix=row["suffix"],
        tag_type=_name(row, "tag_type", names, name, where),
        entity=_name(row, "entity", names, name, where),
        grade=_grade(row, name, where),
        note=row["note"],
        creator=_name(row, "annotator", names, name, where),
        created=_timestamp(row, "created_at", name, where),
        modified=_timestamp(row, "updated_at", name, where),
        record=where,
    )  # fmt: skip


def _whole(row: dict[str, str], column: str, name: str, where: str) -> str:
    """Plain digits only: a spreadsheet's "1.0", "+3" or " 3" means the file was changed."""
    if not _DIGITS.fullmatch(row[column]):
        problem = f"{column} must be a whole number, not {row[column]!r:.40}"
        raise ImportProblem(name, where, problem)
    return row[column]


def _grade(row: dict[str, str], name: str, where: str) -> Grade:
    credibility, reliability = row["credibility"], row["reliability"]
    if credibility and credibility not in ("1", "2", "3", "4", "5", "6"):
        problem = f"credibility must be 1–6 or empty, not {credibility!r:.20}"
        raise ImportProblem(name, where, problem)
    if reliability and (len(reliability) != 1 or reliability not in "ABCDEF"):
        problem = f"reliability must be A–F or empty, not {reliability!r:.20}"
        raise ImportProblem(name, where, problem)
    return Grade(int(credibility) if credibility else None, reliability or None)


def _timestamp(row: dict[str, str], column: str, name: str, where: str) -> str:
    value = row[column]
    if not value:
        return ""
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        parsed = None
    if parsed is None or "T" not in value or parsed.tzinfo is None:
        raise ImportProblem(
            name, where, f"{column} must be an ISO 8601 time with zone, like "
            f"2025-03-01T09:30:12.345Z, not {value!r:.40}",
        )  # fmt: skip
    return value


def _add_document(documents: dict, row: dict[str, str], number: int, name: str, where: str) -> None:
    key = row["document_id"]
    if key not in documents:
        document = CsvDocument(key, row["document_title"], row["url"], source=row["source"])
        documents[key] = (document, number)
        return
    first, first_row = documents[key]
    for column, value in (("document_title", first.title), ("url", first.url),
                          ("source", first.source)):  # fmt: skip
        if row[column] != value:
            raise ImportProblem(
                name, where, f"document {key} has another {column} than in row {first_row}; "
                "one document cannot have two",
            )  # fmt: skip
