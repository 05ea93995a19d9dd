"""A fast, exact read of a W3C file in the layout `w3c.write_json` gives it: an indented frame
and one compact annotation per line.

Decoding 100,000 annotations as one JSON tree, with the hooks that refuse duplicate keys, took
0.9 s, and freeing that tree record by record another 0.4 s. Here the frame (collection, page,
documents) is decoded strictly as before, and each annotation line on its own with orjson (a
well-kept C decoder, 3× faster) the moment the reader wants it, so its memory is still in the
processor's cache when it is freed. orjson keeps the last of two equal keys and reads integers
of any length, so a line is taken from orjson only if orjson writes back exactly its bytes:
that text then has no repeated key (orjson never writes one) and no NaN, and it means the same to
Python's decoder; a 16-digit run anywhere sends its line to the strict decoder too. Every other
line is decoded strictly; a line even that refuses, or a file not in this layout, is read by the
whole-file path (`safe_json`), which names the place of the fault exactly as before.

Why the split is exact: JSON strings cannot hold a raw line break, so every line break lies
between tokens. The opener line ends with the page's `[` and the closer line begins with its `]`;
the lines between, each one whole value followed by a comma (the last without), are exactly that
array's elements. The frame is decoded with a random marker in their place, which must come
back as the page's only item.
"""

from __future__ import annotations

import json
import uuid

import orjson

from app.formats import safe_json

OPENER, CLOSER = b'    "items": [', b"    ]"  # as `w3c.write_json` indents the first page
_DIGITS = bytes(0x30 if 0x30 <= b <= 0x39 else 0x20 for b in range(256))  # digit → 0, else space
_RUN = b"0" * 16
_STRICT = json.JSONDecoder(
    object_pairs_hook=safe_json._pairs,
    parse_int=safe_json._integer,
    parse_constant=safe_json._constant,
)


class NotInLayout(Exception):
    """This file (or one of its lines) is for the whole-file path, which explains any fault."""


class ItemLines:
    """The page's items, still undecoded: `decode(i)` gives the i-th (0-based) as a value. Lines
    are cut from the file one at a time, in order, as the reader asks: splitting the 70 MB up
    front cost 0.2 s of fresh memory, while a line cut now reuses the memory of the one before."""

    def __init__(self, data: bytes, first: int, closed: int) -> None:
        self._data, self._at, self._closed = data, first, closed
        self._count = data.count(b"\n", first, closed) + 1
        self._next = 0

    def __len__(self) -> int:
        return self._count

    def decode(self, i: int) -> object:
        if i != self._next:
            raise IndexError("ItemLines are decoded once each, in order")
        data, at = self._data, self._at
        end = data.find(b"\n", at, self._closed)
        end = self._closed if end < 0 else end
        self._at, self._next = end + 1, i + 1
        if i + 1 < self._count:  # every element but the last is followed by its comma
            if data[end - 1 : end] != b",":
                raise NotInLayout()
            end -= 1
        body = data[at:end].lstrip(b" ")
        if _RUN not in body.translate(_DIGITS):  # safe_json refuses integers of 16 digits
            try:
                value = orjson.loads(body)
                if orjson.dumps(value) == body:
                    return value
            except orjson.JSONDecodeError:
                pass
        try:
            text = body.decode("utf-8")
            value, end = _STRICT.raw_decode(text)
            if text[end:].strip(" \t\r") or safe_json._SURROGATE_ESCAPE.search(text):
                raise NotInLayout()
        except (ValueError, RecursionError, UnicodeDecodeError):
            raise NotInLayout() from None
        return value


def split(data: bytes, name: str) -> dict | None:
    """The collection, decoded, with its page's items as `ItemLines`; None when the file is not in
    the layout. Raises NotInLayout when the frame itself needs the whole-file path."""
    opened = data.find(b"\n" + OPENER + b"\n")
    if opened < 0:
        return None
    first = opened + len(OPENER) + 2
    closed = data.find(b"\n" + CLOSER, first - 1)
    if closed < 0 or closed < first:
        return None
    marker = f"loupe-items-{uuid.uuid4()}"
    frame_bytes = data[:first] + f'"{marker}"'.encode() + data[closed:]
    try:
        frame = safe_json.load_bytes(frame_bytes, name)
    except safe_json.ImportProblem:
        raise NotInLayout() from None
    # A collection only: its first page's items are always read, as the whole-file path reads them.
    if not isinstance(frame, dict) or frame.get("type") != "AnnotationCollection":
        raise NotInLayout()
    if not isinstance(page := frame.get("first"), dict):
        raise NotInLayout()
    if page.get("items") != [marker]:
        raise NotInLayout()
    page["items"] = ItemLines(data, first, closed)
    return frame


_DIGITS = bytes(0x30 if 0x30 <= b <= 0x39 else 0x20 for b in range(256))  # digit → 0, else space
_RUN = b"0" * 16
