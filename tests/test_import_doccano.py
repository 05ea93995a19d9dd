"""doccano JSONL import: both shapes doccano has exported, offsets in UTF-16 units (its web
annotator's count) or, when asked, code points; every fault names the line."""

from __future__ import annotations

import json

import pytest

from app.articles import text_sha256
from app.formats import doccano
from app.formats.registry import read_colleague_file
from tests.import_helpers import ARABIC, CAT, FLAG, refused, utf16_len

NAME = "export.jsonl"
ARTICLE = f"Homs {FLAG} talks. {ARABIC} {CAT} said the rebels had fallen back to Hama."
PLAIN = "EU rejects German call to boycott British lamb."


def offsets(text: str, needle: str, unit=utf16_len) -> tuple[int, int]:
    start = text.index(needle)
    return unit(text[:start]), unit(text[: start + len(needle)])


def jsonl(*records: object) -> bytes:
    return "\n".join(r if isinstance(r, str) else json.dumps(r) for r in records).encode()


def tuple_line(text=ARTICLE, unit=utf16_len, **extra) -> dict:
    spans = [[*offsets(text, needle, unit), label] for needle, label in
             [("بشار", "Actor"), ("Hama", "Location"), ("rebels", "Actor")]]  # fmt: skip
    return {"id": 7, "text": text, "label": spans, "Comments": ["check Hama"], **extra}


def dict_line() -> dict:
    return {
        "id": 8, "text": PLAIN, "title": "Lamb row", "url": "https://x.example/lamb",
        "entities": [
            {"id": 31, "label": "Actor", "start_offset": 0, "end_offset": 2},
            {"id": 32, "label": "Location", "start_offset": 11, "end_offset": 17},
        ],
        "relations": [{"id": 1, "from_id": 31, "to_id": 32, "type": "targets"}],
    }  # fmt: skip


def test_both_shapes_with_utf16_offsets_land_on_the_right_characters():
    parsed = doccano.parse(jsonl(tuple_line(), "", "  ", dict_line()), NAME)
    assert parsed.format == "doccano" and parsed.name == NAME
    got = {(a.document_key, a.exact): a for a in parsed.annotations}
    for needle in ("بشار", "Hama", "rebels"):
        ann = got[("7", needle)]
        assert ARTICLE[ann.start : ann.end] == needle
        assert (ann.start, ann.end) == offsets(ARTICLE, needle, len)
    hama = offsets(ARTICLE, "Hama")
    assert got[("7", "Hama")].id == f"7/{hama[0]}-{hama[1]}/Location"
    assert got[("7", "بشار")].tag_type == "Actor"
    assert got[("8", "EU")].id == "8/31" and got[("8", "German")].tag_type == "Location"
    first, second = parsed.documents
    assert first.text == ARTICLE and first.text_sha256 == text_sha256(ARTICLE)
    assert first.title == ARTICLE  # no title in the line: the first line of the text
    assert (second.title, second.url) == ("Lamb row", "https://x.example/lamb")
    notices = " | ".join(parsed.notices)
    assert "1 relation skipped" in notices and "1 document comment skipped" in notices
    assert "3 annotations lie in articles with emoji" in notices and "UTF-16" in notices


def test_code_point_offsets_when_asked():
    data = jsonl(tuple_line(unit=len))
    parsed = doccano.parse(data, NAME, unit="code-point")
    assert [ARTICLE[a.start : a.end] for a in parsed.annotations] == ["بشار", "Hama", "rebels"]
    assert any("code points" in n for n in parsed.notices)
    with pytest.raises(ValueError):
        doccano.parse(data, NAME, unit="bytes")


def test_plain_bmp_text_needs_no_notice_and_crlf_is_mapped():
    text = "Homs\r\nHama and Idlib"
    line = {"text": text, "labels": [[*offsets(text, "Idlib"), "Location"]], "username": "k.ng"}
    parsed = doccano.parse(jsonl(line), NAME)
    (ann,) = parsed.annotations
    (document,) = parsed.documents
    assert document.text == "Homs\nHama and Idlib" and document.key == "line 1"
    assert document.text[ann.start : ann.end] == "Idlib" and ann.creator == "k.ng"
    assert parsed.notices == () and parsed.creator == "k.ng"


def test_formula_like_labels_are_kept_verbatim_and_repeats_counted():
    line = {"text": PLAIN, "label": [[0, 2, "=cmd|' /C calc'!A0"], [0, 2, "=cmd|' /C calc'!A0"]]}
    parsed = doccano.parse(jsonl(line), NAME)
    assert [a.tag_type for a in parsed.annotations] == ["=cmd|' /C calc'!A0"]
    assert "1 repeated span skipped" in parsed.notices[0]


def test_through_the_registry(tmp_path):
    path = tmp_path / "export.jsonl"
    path.write_bytes(jsonl(tuple_line()))
    parsed = read_colleague_file(path)
    assert parsed.format == "doccano" and len(parsed.annotations) == 3


# ---------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    ("line", "where", "says"),
    [
        ("[1, 2]", "line 2", "must be a JSON object, not a list"),
        ('{"text": "a", }', "line 2", "not valid JSON"),
        ('{"label": []}', "line 2", "has no “text”"),
        ('{"text": 5}', "line 2", "text must be text, not int"),
        ('{"text": "   "}', "line 2", "text is empty"),
        ('{"text": "ab", "data": "ab"}', "line 2", "has both “text” and “data”"),
        ('{"text": "ab", "label": [[0, 1, "A"]], "entities": []}', "line 2", "has both"),
        ('{"text": "ab", "label": {"0": 1}}', "line 2", "must be a list"),
        ('{"text": "ab", "label": ["positive"]}', "line 2", "text-classification"),
        ('{"text": "ab", "label": [[0, 1]]}', "line 2, span 1", "[start, end, label]"),
        ('{"text": "ab", "label": [[-1, 1, "A"]]}', "line 2, span 1", "must not be negative"),
        ('{"text": "ab", "label": [[2, 1, "A"]]}', "line 2, span 1", "is not before end"),
        ('{"text": "ab", "label": [[0, 3, "A"]]}', "line 2, span 1", "past the end"),
        ('{"text": "ab", "label": [[0, 1.5, "A"]]}', "line 2, span 1", "whole number"),
        ('{"text": "ab", "label": [[0, true, "A"]]}', "line 2, span 1", "whole number"),
        ('{"text": "a b", "label": [[1, 2, "A"]]}', "line 2, span 1", "only white space"),
        ('{"text": "ab", "label": [[0, 1, 4]]}', "line 2, span 1", "label must be text"),
        ('{"text": "ab", "label": [[0, 1, "A\\u202eB"]]}', "line 2, span 1", "U+202E"),
        ('{"text": "ab", "label": [[0, 1, ""]]}', "line 2, span 1", "the label is empty"),
        ('{"text": "ab", "entities": [{"label": "A", "start_offset": 0}]}', "line 2, span 1",
         "lacks end_offset"),
        ('{"text": "ab", "label": [[0, 1, "A"]], "id": [1]}', "line 2", "id must be a number"),
        ('{"text": "ab", "label": [[0, 1, "A"]], "id": 7}', "line 2", "appears again"),
        ('{"text": "a\\ud800b"}', "line 2", "lone surrogate"),
    ],
)  # fmt: skip
def test_bad_lines_are_refused_with_their_line(line, where, says):
    first = {"id": 7, "text": "Homs", "label": [[0, 4, "Location"]]}
    refused(doccano.parse, jsonl(first, line), NAME, file=NAME, where=where, says=says)


def test_an_offset_inside_an_emoji_is_not_a_utf16_offset():
    line = {"text": f"{CAT} Homs", "label": [[1, 6, "Location"]]}
    refused(doccano.parse, jsonl(line), NAME, file=NAME, where="line 1, span 1",
            says="splits a character outside the Basic Multilingual Plane")  # fmt: skip


def test_the_first_of_two_equal_ids_is_named():
    line = {"id": "a", "text": "Homs", "label": []}
    problem = refused(doccano.parse, jsonl(line, "", line), NAME, file=NAME, where="line 3",
                      says="appears again")  # fmt: skip
    assert "first on line 1" in problem.problem


def test_a_file_without_articles_is_refused():
    refused(doccano.parse, b"\n  \n", NAME, file=NAME, where="", says="empty")
