"""How counts read in messages and headings: "1 document", "2,417 documents"; not "(s)"."""

from __future__ import annotations


def plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count:,} {one if count == 1 else (many or one + 's')}"
