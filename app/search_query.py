"""What an analyst types in the search box, made into a full-text query that cannot fail.

FTS5 has its own query language: `-`, `:`, `(`, `^`, an unbalanced quote or a bare `NEAR` is a
syntax error, and `al-Assad` means "column al, excluding Assad". Analysts type names, not
operators, so every word typed is passed as an FTS5 string (in double quotes, inner quotes
doubled), which FTS5 reads as a phrase of its tokens and never as an operator. Two conveniences are
kept: "quoted words" stay together as a phrase, and a trailing `*` searches by prefix (`Ala*`).
Terms are joined by AND (FTS5's implicit operator): every one must be in the document.
"""

from __future__ import annotations

import re
import unicodedata

# A quoted phrase (the closing quote may be missing: the phrase runs to the end), or a run of
# anything but space and quotes.
_TERM = re.compile(r'"(?P<phrase>[^"]*)"?|(?P<word>[^\s"]+)')


def has_token(text: str) -> bool:
    """Whether FTS5's unicode61 tokenizer finds a word in `text` (letters, digits, private use)."""
    return any(unicodedata.category(ch)[0] in "LN" or unicodedata.category(ch) == "Co"
               for ch in text)  # fmt: skip


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def search_terms(typed: str) -> list[tuple[str, bool]]:
    """(words, is_prefix) per term typed, in order; terms with no word in them are dropped."""
    terms = []
    typed = typed.replace("\x00", " ")  # FTS5 ends a string at NUL: "unterminated string"
    for m in _TERM.finditer(typed):
        text = m.group("phrase") if m.group("phrase") is not None else m.group("word")
        prefix = text.endswith("*")
        text = text.rstrip("*")
        if has_token(text):
            terms.append((text, prefix))
    return terms


def match_expression(typed: str) -> str | None:
    """An FTS5 MATCH expression for `typed`, or None when it holds nothing to search for."""
    parts = [_quoted(text) + ("*" if prefix else "") for text, prefix in search_terms(typed)]
    return " ".join(parts) or None
