"""JSON from a colleague, read as hostile: one loader that every JSON-based format uses.

Python's `json` accepts things a file exchanged between analysts must not contain: NaN and
Infinity, duplicate keys (the last silently wins), integers of thousands of digits, lone
surrogates from `\\ud800` escapes, and nesting deep enough to exhaust the stack. Each is refused
here, before any parser looks at the structure, with where it is: the line and column for bad
syntax and deep nesting, the path of the value (`first.items[1].target.selector[1].start`) for
the rest. Finding that place costs a second look, taken only at a file already refused.
"""

from __future__ import annotations

import gc
import json
import re

from app.interchange import MAX_FILE_BYTES, ImportProblem

MAX_INT_DIGITS = 15  # offsets and ids fit; 2**53 is 16 digits


class _Refused(ValueError):
    pass


# Only an escape can put a surrogate into a str decoded from valid UTF-8.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _pairs(pairs: list[tuple[str, object]]) -> dict:
    seen = dict(pairs)  # C speed; a shorter dict means a key came twice
    if len(seen) != len(pairs):
        counts: dict[str, int] = {}
        for key, _ in pairs:
            counts[key] = counts.get(key, 0) + 1
            if counts[key] > 1:
                raise _Refused(f"the key “{key[:40]}” appears twice in one object")
    return seen


def _constant(name: str) -> float:
    raise _Refused(f"{name} is not a number JSON allows")


def _integer(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise _Refused(f"the number {text[:20]}… is too large")
    return int(text)


def decode_bytes(data: bytes, name: str) -> str:
    if not data or data.isspace():  # as `not data.strip()`, without copying a large file
        raise ImportProblem(name, "", "the file is empty")
    if len(data) > MAX_FILE_BYTES:
        size, limit = len(data) / 2**20, MAX_FILE_BYTES // 2**20
        raise ImportProblem(name, "", f"the file is {size:.0f} MiB, over the {limit} MiB limit")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportProblem(name, "", "the file is UTF-16 text; Loupe reads colleagues' files "
                            "as UTF-8: save it as UTF-8 and import it again")  # fmt: skip
    if b"\x00" in data[:4096]:
        raise ImportProblem(name, "", "the file is binary, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportProblem(name, f"byte {exc.start}", "the file is not valid UTF-8 text") from None


def _place(where: str, path: str) -> str:
    return ", ".join(p for p in (where, path) if p)


def _at(where: str, line: int, column: int) -> str:
    """A position; within one JSONL record (`where` = "line 12") its line is always 1."""
    if where and line == 1:
        return f"{where}, column {column}"
    return _place(where, f"line {line}, column {column}")


def _child(path: str, key: str) -> str:
    key = key if len(key) <= 40 else key[:39] + "…"  # messages quote keys; a key can be huge
    return f"{path}.{key}" if path else key


def _check_strings(value: object, name: str, where: str = "") -> None:
    """Lone surrogates can only come from escapes; find the first, with where it sits."""
    stack = [(value, "")]
    while stack:
        item, path = stack.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                raise ImportProblem(
                    name, _place(where, path) or "top level",
                    "text contains a lone surrogate escape",
                ) from None  # fmt: skip
        elif isinstance(item, dict):
            for k, v in item.items():
                stack.append((k, path))
                stack.append((v, _child(path, k)))
        elif isinstance(item, list):
            stack.extend((v, f"{path}[{i}]") for i, v in enumerate(item))


class _Marked:
    """A value the strict decode refused, left in place by `_refused_at` to find its path."""

    __slots__ = ()


class _MarkedObject:
    """An object with a repeated key, every pair kept: a mark made inside must still be found."""

    __slots__ = ("pairs",)

    def __init__(self, pairs: list[tuple[str, object]]) -> None:
        self.pairs = pairs


def _refused_at(text: str, where: str) -> str:
    """Where the value the strict decode stopped at sits: `where` and its path. Decoding again
    with hooks that mark instead of raising calls them in the same order, so the first mark is
    that value."""
    marks: list[object] = []

    def mark(*_args) -> _Marked:
        marks.append(_Marked())
        return marks[-1]

    def pairs(items: list[tuple[str, object]]) -> object:
        if len({k for k, _ in items}) == len(items):
            return dict(items)
        marks.append(_MarkedObject(items))
        return marks[-1]

    def integer(digits: str) -> object:
        return mark() if len(digits.lstrip("-")) > MAX_INT_DIGITS else int(digits)

    try:
        tree = json.loads(text, object_pairs_hook=pairs, parse_constant=mark, parse_int=integer)
    except (ValueError, RecursionError):
        return where
    stack = [(tree, "")]
    while stack and marks:
        item, path = stack.pop()
        if item is marks[0]:
            return _place(where, path) or "top level"
        if isinstance(item, dict | _MarkedObject):
            pairs_ = item.pairs if isinstance(item, _MarkedObject) else item.items()
            stack.extend((v, _child(path, k)) for k, v in pairs_)
        elif isinstance(item, list):
            stack.extend((v, f"{path}[{i}]") for i, v in enumerate(item))
    return where


_BRACKETS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')
_DEPTH_SHOWN = 100  # no format Loupe reads nests a tenth as deep


def _too_deep_at(text: str, where: str) -> str:
    """Line and column where the nesting passes `_DEPTH_SHOWN` levels (strings skipped)."""
    depth = 0
    for match in _BRACKETS.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > _DEPTH_SHOWN:
                start = match.start()
                column = start - text.rfind("\n", 0, start)
                return _at(where, text.count("\n", 0, start) + 1, column)
        elif token in "]}":
            depth -= 1
    return where


def loads(text: str, name: str, where: str = "") -> object:
    """Parse one JSON document strictly; `where` prefixes locations (e.g. "line 12" for JSONL)."""
    enabled = gc.isenabled()
    gc.disable()  # a JSON tree has no cycles; collecting during a big parse costs a third
    try:
        value = json.loads(
            text, object_pairs_hook=_pairs, parse_constant=_constant, parse_int=_integer
        )
    except json.JSONDecodeError as exc:
        at = _at(where, exc.lineno, exc.colno)
        raise ImportProblem(name, at, f"not valid JSON ({exc.msg})") from None
    except _Refused as exc:
        raise ImportProblem(name, _refused_at(text, where), str(exc)) from None
    except RecursionError:
        at = _too_deep_at(text, where)
        raise ImportProblem(name, at, "the JSON is nested too deeply") from None
    except ValueError as exc:  # e.g. Python's own limit on integer digits
        raise ImportProblem(name, where, f"not valid JSON ({exc})") from None
    finally:
        if enabled:
            gc.enable()
    if _SURROGATE_ESCAPE.search(text):
        _check_strings(value, name, where)
    return value


def load_bytes(data: bytes, name: str) -> object:
    return loads(decode_bytes(data, name), name)
