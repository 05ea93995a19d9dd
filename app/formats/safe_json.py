"""JSON from a colleague, read as hostile: one loader that every JSON-based format uses.

Python's `json` accepts things a file exchanged between analysts must not contain: NaN and
Infinity, duplicate keys (the last silently wins), integers of thousands of digits, lone
surrogates from `\\ud800` escapes, and nesting deep enough to exhaust the stack. Each is refused
here with the line and column, before any parser looks at the structure.
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
    if not data.strip():
        raise ImportProblem(name, "", "the file is empty")
    if len(data) > MAX_FILE_BYTES:
        size, limit = len(data) / 2**20, MAX_FILE_BYTES // 2**20
        raise ImportProblem(name, "", f"the file is {size:.0f} MiB, over the {limit} MiB limit")
    if b"\x00" in data[:4096]:
        raise ImportProblem(name, "", "the file is binary, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportProblem(name, f"byte {exc.start}", "the file is not valid UTF-8 text") from None


def _check_strings(value: object, name: str, path: str = "") -> None:
    """Lone surrogates can only come from escapes; find the first, with where it sits."""
    stack = [(value, path)]
    while stack:
        item, where = stack.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                raise ImportProblem(
                    name, where or "top level", "text contains a lone surrogate escape"
                ) from None
        elif isinstance(item, dict):
            for k, v in item.items():
                stack.append((k, where))
                stack.append((v, f"{where}.{k}" if where else k))
        elif isinstance(item, list):
            stack.extend((v, f"{where}[{i}]") for i, v in enumerate(item))


def loads(text: str, name: str, where: str = "") -> object:
    """Parse one JSON document strictly; `where` prefixes locations (e.g. "line 12" for JSONL)."""
    enabled = gc.isenabled()
    gc.disable()  # a JSON tree has no cycles; collecting during a big parse costs a third
    try:
        value = json.loads(
            text, object_pairs_hook=_pairs, parse_constant=_constant, parse_int=_integer
        )
    except json.JSONDecodeError as exc:
        at = f"line {exc.lineno}, column {exc.colno}"
        place = f"{where}, {at}" if where else at
        raise ImportProblem(name, place, f"not valid JSON ({exc.msg})") from None
    except _Refused as exc:
        raise ImportProblem(name, where, str(exc)) from None
    except RecursionError:
        raise ImportProblem(name, where, "the JSON is nested too deeply") from None
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
