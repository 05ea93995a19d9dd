"""Shared checks for the colleague-format parsers: a refusal must name the file, the record and
the problem, and must be an ImportProblem (never a traceback from deeper down)."""

from __future__ import annotations

import pytest

from app.interchange import ImportProblem

# Text that sits before the spans in the samples: an emoji flag (2 code points, 4 UTF-16 units),
# a cat (1 code point, 2 units) and Arabic with a haraka (letters and a combining mark).
FLAG, CAT = "🇸🇾", "🐈"
ARABIC = "قالَ الرئيس بشار"


def refused(call, *args, file: str, where: str, says: str, **kwargs) -> ImportProblem:
    """Run a parser that must refuse; check the message names `file`, `where` and `says`."""
    with pytest.raises(ImportProblem) as info:
        call(*args, **kwargs)
    problem = info.value
    message = str(problem)
    assert problem.file == file, message
    assert where in problem.where, message
    assert says in problem.problem, message
    place = f"{file}, {problem.where}" if problem.where else file
    assert message.startswith(f"{place}: "), message
    return problem


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2
