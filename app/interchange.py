"""What every colleague's file becomes before it touches the database.

Each format parser (app/formats/*) turns untrusted bytes into one `ForeignFile`, validating
everything first and raising `ImportProblem` (naming the file, the record and the problem) on the
first fault. Offsets here are always Unicode code points into the text the file was made against,
whatever unit the format itself uses; the parser converts. Nothing here touches Qt or SQL.
"""

from __future__ import annotations

import gc
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from app.model import Grade

MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_TEXT_FIELD = 10 * 1024 * 1024  # an embedded article
MAX_NAME_CHARS = 200  # tag types, entities, creators


_ESCAPED = {"Cc", "Cf", "Cs", "Zl", "Zp"}  # controls, format/bidi, lone surrogates, line breaks
_SHOWN = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def one_line(text: str) -> str:
    """Text from a hostile file, safe to show in a one-line message: line breaks, control and
    direction characters and lone surrogates appear as escapes (`\\n`, `\\u202e`), so a key or
    name can neither split the message nor reorder it on screen. ZWJ stays (emoji, Indic names)."""
    if text.isprintable():
        return text
    return "".join(
        c if c == "\u200d" or unicodedata.category(c) not in _ESCAPED
        else _SHOWN.get(c) or (f"\\u{ord(c):04x}" if ord(c) <= 0xFFFF else f"\\U{ord(c):08x}")
        for c in text
    )  # fmt: skip


Progress = Callable[[int, int], None]
"""Told (done, total) as a long import step goes; raises ImportCancelled to stop it."""


class ImportCancelled(Exception):
    """The analyst cancelled the import; nothing was written."""


class ImportProblem(ValueError):
    """A colleague's file Loupe will not import. `str()` is the whole message for people: one
    line, whatever the file put in the names, keys and values it quotes (`one_line`)."""

    def __init__(self, file: str, where: str, problem: str) -> None:
        self.file, self.where, self.problem = file, where, problem
        place = f"{file}, {where}" if where else file
        super().__init__(one_line(f"{place}: {problem}"))


@dataclass(frozen=True, slots=True)
class ForeignDocument:
    key: str  # how the file refers to this document (a source IRI, a file name, a row id)
    title: str = ""
    url: str = ""
    text: str | None = None  # the article, when the file carries it
    text_sha256: str = ""  # hash of the text the offsets were made against, when known
    source: str = ""  # outlet, channel or agency, when the file says
    published: str = ""  # the publication date as the file gives it


@dataclass(slots=True)  # not frozen: a frozen __init__ costs 0.1 s more per 100,000 records
class ForeignAnnotation:
    id: str  # the id in the file, kept so a round trip and a second import recognise it
    document_key: str
    start: int | None  # code points; None when the file gives only a quote
    end: int | None
    exact: str  # the quote as the colleague saw it
    prefix: str = ""
    suffix: str = ""
    tag_type: str = ""
    entity: str = ""
    grade: Grade = Grade()
    note: str = ""
    creator: str = ""
    created: str = ""
    modified: str = ""
    record: str = ""  # where in the file, for messages: "annotation 12", "line 40"


@dataclass(frozen=True, slots=True)
class ForeignFile:
    format: str  # "loupe-w3c", "loupe-csv", "loupe-db", "brat", "doccano", "label-studio"
    name: str  # the file's name, for messages and the default layer name
    creator: str = ""  # the colleague, when the file says who
    documents: tuple[ForeignDocument, ...] = ()
    annotations: tuple[ForeignAnnotation, ...] = field(default_factory=tuple)


_BIDI_AND_CONTROL = {"Cc", "Cf"}  # C0/C1 controls; format chars include bidi overrides and ZW*


def clean_name(value: object, *, file: str, where: str, what: str, allow_empty=True) -> str:
    """A short label from untrusted input: a string, not too long, no control or bidi characters
    (a right-to-left override can make a name display as something else)."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ImportProblem(file, where, f"{what} must be text, not {type(value).__name__}")
    value = value.strip()
    if not value and not allow_empty:
        raise ImportProblem(file, where, f"{what} is empty")
    if len(value) > MAX_NAME_CHARS:
        raise ImportProblem(file, where, f"{what} is longer than {MAX_NAME_CHARS} characters")
    bad = next((c for c in value if unicodedata.category(c) in _BIDI_AND_CONTROL), None)
    if bad is not None and bad != "\u200d":  # ZWJ is part of emoji and Indic names
        raise ImportProblem(
            file, where, f"{what} contains the control or direction character U+{ord(bad):04X}"
        )
    return value


def check_text(value: object, *, file: str, where: str, what: str, limit=MAX_TEXT_FIELD) -> str:
    """Free text (quotes, notes, articles): a string within the size limit, no lone surrogates."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ImportProblem(file, where, f"{what} must be text, not {type(value).__name__}")
    if len(value) > limit:
        raise ImportProblem(file, where, f"{what} is longer than {limit:,} characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ImportProblem(
            file, where, f"{what} contains a lone surrogate (U+{ord(value[exc.start]):04X})"
        ) from None
    return value


def check_offsets(
    start: object, end: object, *, file: str, where: str, length: int | None = None
) -> tuple[int, int]:
    """Whole numbers, 0 ≤ start < end, and within the text when its length is known."""
    for name, value in (("start", start), ("end", end)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ImportProblem(file, where, f"{name} must be a whole number, not {value!r:.40}")
    if start < 0 or end < 0:
        raise ImportProblem(file, where, f"offsets must not be negative ({start}, {end})")
    if start >= end:
        raise ImportProblem(file, where, f"start {start} is not before end {end}")
    if length is not None and end > length:
        raise ImportProblem(file, where, f"end {end} is past the end of the text ({length})")
    return start, end


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector for one bulk step of an import. Decoding, checking and
    planning create millions of objects without reference cycles (reference counting frees them),
    yet the collector walks the growing heap again and again meanwhile: measured, a third of JSON
    decoding and 0.2 s of planning 100,000 annotations. Nested pauses restore the outer state."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
