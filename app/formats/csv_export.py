"""Annotations as CSV for spreadsheets: UTF-8 with BOM, RFC 4180 quoting, formulas neutralised.

Excel reads a BOM-less CSV in the machine's legacy code page and turns Arabic or Cyrillic quotes
into mojibake, hence the BOM. A cell starting with `=`, `+`, `-`, `@`, tab, carriage return or line
feed is a formula to Excel and LibreOffice (OWASP "CSV injection"), also behind leading spaces
("  =1+2": an import that trims spaces, or a user who does, makes it one), and article text is
attacker-controlled, so such cells get a leading apostrophe. Cells that already start with an
apostrophe get one too, so that removing exactly one leading apostrophe (`unneutralise`) restores
every cell exactly.

Column meanings and units are documented in docs/formats.md.
"""

from __future__ import annotations

import contextlib
import csv
import os
import tempfile
from collections.abc import Iterable, Sequence
from itertools import count
from operator import itemgetter
from pathlib import Path
from typing import TextIO

from app.model import CSV_COLUMNS

COLUMNS = CSV_COLUMNS

FORMULA_STARTS = "=+-@\t\r\n"
GUARD_LEADING = FORMULA_STARTS + "'"
# What may stand, unseen, before a formula's first character: white space (str.isspace, less the
# tab, CR and LF above), the other control characters, and zero-width and direction marks. A cell
# whose first character outside this set is in GUARD_LEADING is guarded ("  =1+2", "\u200b@x").
GUARD_SKIPPED = "".join(
    map(chr, [
        *range(0x01, 0x09), 0x0B, 0x0C, *range(0x0E, 0x21), *range(0x7F, 0xA1), 0xAD, 0x61C, 0x1680,
        0x180E, *range(0x2000, 0x2010), 0x2028, 0x2029, *range(0x202A, 0x2030),
        *range(0x205F, 0x2065), *range(0x2066, 0x206A), 0x3000, 0xFEFF,
    ])
)  # fmt: skip
_GUARD_TUPLE = tuple(GUARD_LEADING)
_MAY_NEED_GUARD = frozenset(GUARD_LEADING + GUARD_SKIPPED)
BOM = "\ufeff"


def needs_guard(cell: str) -> bool:
    """True when the first character not in GUARD_SKIPPED is in GUARD_LEADING."""
    return cell[:1] in _MAY_NEED_GUARD and cell.lstrip(GUARD_SKIPPED).startswith(_GUARD_TUPLE)


def neutralise(cell: str) -> str:
    return "'" + cell if needs_guard(cell) else cell


def unneutralise(cell: str) -> str:
    """What an importer applies to every text cell; exact inverse of `neutralise`."""
    return cell[1:] if cell.startswith("'") else cell


def _neutralise_row(row: tuple) -> tuple:
    return tuple(neutralise(c) if isinstance(c, str) else c for c in row)


def write_csv(rows: Iterable[tuple], out: TextIO, *, guarded: bool = False) -> int:
    """Write the BOM, the header and `rows`; return the number of rows written.

    `guarded=True` says the rows were neutralised already (the repository does it in SQL), and
    then no Python code runs per row or per cell: `csv.writer.writerows` and the counting below are
    all C loops, which keeps a million-row export as fast as a bare csv.writer loop. `out` must be
    opened with `newline=""` so the writer's `\\r\\n` reaches the file unchanged.
    """
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(COLUMNS)
    if not guarded:
        rows = map(_neutralise_row, rows)
    counter = count()
    # zip stops at the end of `rows` without drawing from `counter`, so counter's next value is
    # the number of rows written.
    writer.writerows(map(itemgetter(0), zip(rows, counter, strict=False)))
    return next(counter)


def write_csv_file(rows: Iterable[tuple], path: str | Path, *, guarded: bool = False) -> int:
    """Write to a temporary file beside `path`, then rename over it: an export that fails half-way
    (disk full, a database error while reading rows) leaves any earlier file at `path` intact and
    no half-written CSV behind. The file is created readable by its owner only (mkstemp), which
    suits exports of analysts' material; nothing is widened behind their back."""
    path = Path(path)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="", buffering=1 << 20) as out:
            written = write_csv(rows, out, guarded=guarded)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise
    return written


def write_table_file(rows: Iterable[Sequence], path: str | Path) -> int:
    """Any table (first row the header) with the same encoding, quoting and formula guard as the
    annotation export, e.g. agreement figures. Returns the number of data rows."""
    rows = iter(rows)
    header = next(rows)
    path = Path(path)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            out.write(BOM)
            writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
            writer.writerow(header)
            n = 0
            for row in rows:
                writer.writerow(_neutralise_row(tuple(row)))
                n += 1
            out.flush()
            os.fsync(out.fileno())  # on disk before it is announced as exported
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise
    return n
