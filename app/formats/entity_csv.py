"""Entity lists as CSV, so a team can share one registry: one row per canonical entity with its
tag type, its name and its other names (docs/formats.md, "Entity list CSV").

Written like every CSV Loupe makes (`csv_export`: UTF-8 with BOM, RFC 4180, the formula guard),
because the list is edited in spreadsheets and its names come from articles, which anyone writes.
All aliases share one cell so that a row stays one entity however many names it has; they are
joined by " | ", and a `|` or `\\` inside an alias is written with a backslash before it, so the
cell splits back into exactly the aliases written. Reading undoes the formula guard first (it was
applied to the whole cell), then splits.

This module only reads and writes; whether a row fits the project (its tag type, names another
entity already owns) is decided by `app.entity_import`, which names the same rows.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from app.formats.csv_export import unneutralise, write_table_file
from app.formats.safe_json import decode_bytes
from app.interchange import ImportProblem, clean_name

COLUMNS = ("type", "name", "aliases")
SEPARATOR = " | "
_ESCAPE = "\\"


@dataclass(frozen=True, slots=True)
class EntityRecord:
    """One row as the file gives it, checked for shape and characters only."""

    tag_type: str
    name: str
    aliases: tuple[str, ...]
    row: int  # spreadsheet numbering, the header being row 1: what messages name


def join_aliases(aliases: Iterable[str]) -> str:
    return SEPARATOR.join(
        a.replace(_ESCAPE, _ESCAPE * 2).replace("|", _ESCAPE + "|") for a in aliases
    )


def split_aliases(cell: str) -> list[str]:
    """The inverse of `join_aliases`. Pieces are stripped, so `a|b` and `a | b` read alike
    (aliases never start or end with white space). ValueError for a backslash before anything
    but `|` or `\\`: such a cell was not written by Loupe and its meaning would be a guess."""
    if not cell.strip():
        return []
    pieces, current, chars = [], [], iter(cell)
    for ch in chars:
        if ch == _ESCAPE:
            following = next(chars, "")
            if following not in ("|", _ESCAPE):
                shown = f"“\\{following}”" if following else "a backslash at the end"
                raise ValueError(
                    f"{shown} in the aliases: write “\\|” for a | and “\\\\” for a \\ in an alias"
                )
            current.append(following)
        elif ch == "|":
            pieces.append("".join(current).strip())
            current = []
        else:
            current.append(ch)
    pieces.append("".join(current).strip())
    return pieces


def rows(entities: Iterable[tuple[str, str, Sequence[str]]]) -> Iterator[tuple[str, str, str]]:
    """(type, name, aliases cell) per entity, not yet guarded against formulas."""
    for tag_type, name, aliases in entities:
        yield tag_type, name, join_aliases(aliases)


def write_file(path: str | Path, entities: Iterable[tuple[str, str, Sequence[str]]]) -> int:
    """(tag type name, entity name, aliases) per entity, written whole or not at all (a
    temporary file renamed over `path`). Returns the number of entities."""
    return write_table_file([COLUMNS, *rows(entities)], path)


def parse(data: bytes, name: str) -> list[EntityRecord]:
    """Every row, or an ImportProblem naming the first bad one; nothing partial."""
    text = decode_bytes(data, name)  # empty, oversized, UTF-16, binary, not UTF-8: refused
    records = _records(text, name)
    first = next(records, None)
    if first is None:
        raise ImportProblem(name, "", "the file is empty")
    number, header = first
    if tuple(c.strip().casefold() for c in header) != COLUMNS:
        shown = ",".join(c[:40] for c in header[:6])
        raise ImportProblem(
            name, f"row {number}", f"the header is “{shown}”; an entity list's header is "
            f"{','.join(COLUMNS)} (File ▸ Export entities… writes one)",
        )  # fmt: skip
    found = [_record(cells, name, number) for number, cells in records]
    if not found:
        raise ImportProblem(name, "", "the file has a header but no entities")
    return found


def _record(cells: list[str], name: str, number: int) -> EntityRecord:
    where = f"row {number}"
    if len(cells) != len(COLUMNS):
        raise ImportProblem(
            name, where, f"has {len(cells)} cells; each row needs {len(COLUMNS)}: type, name, "
            "aliases (the aliases cell may be empty)",
        )  # fmt: skip
    tag_type, entity, aliases = (unneutralise(c) for c in cells)
    tag_type = clean_name(tag_type, file=name, where=where, what="the type", allow_empty=False)
    entity = clean_name(entity, file=name, where=where, what="the name", allow_empty=False)
    try:
        pieces = split_aliases(aliases)
    except ValueError as exc:
        raise ImportProblem(name, where, str(exc)) from None
    cleaned = tuple(
        " ".join(clean_name(
            alias, file=name, where=where, what=f"alias {i}", allow_empty=False).split()
        )
        for i, alias in enumerate(pieces, 1)
    )  # fmt: skip
    return EntityRecord(tag_type, " ".join(entity.split()), cleaned, number)


def _records(text: str, name: str) -> Iterator[tuple[int, list[str]]]:
    """(row number, cells) per record. Rows are counted as a spreadsheet shows them: a quoted line
    break stays inside its row, and a blank line (spreadsheets add one at the end) is a row that
    is skipped but counted."""
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
        if any(c.strip() for c in cells):
            yield number, cells
