"""The line-by-line read of a file in Loupe's own layout (`app/formats/w3c_layout.py`) must give
exactly what the whole-file read gives: the same annotations, or the same message naming the same
place. Each case edits the text of a file Loupe wrote, at one annotation line, the way a colleague's
tool or an attacker might; a property test edits bytes at random."""

from __future__ import annotations

import copy
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.formats import safe_json, w3c, w3c_layout
from app.interchange import ImportCancelled, ImportProblem, collector_paused
from tests.test_w3c import TAGS, sample
from tests.test_w3c_fast import EDITS, NEW_ID


def _collection() -> dict:
    docs, anns = sample()
    return w3c.write(docs, anns, TAGS, creator="k.ng")


def _own_file() -> bytes:
    return w3c.dumps(_collection()).encode()


def _whole(data: bytes) -> object:
    """The whole-file read, which every doubt of the line read falls back on."""
    try:
        with collector_paused():
            return w3c._FileReader("dana.json").read(safe_json.load_bytes(data, "dana.json"))
    except ImportProblem as exc:
        return str(exc)


def _lines(data: bytes) -> object:
    try:
        return w3c.parse(data, "dana.json")
    except ImportProblem as exc:
        return str(exc)


def _same(data: bytes) -> object:
    got = _lines(data)
    assert got == _whole(data)
    return got


def _edit_line(data: bytes, old: bytes, new: bytes, line: int = 2) -> bytes:
    """Replace `old` by `new` in the `line`-th annotation line (1-based)."""
    lines = data.split(b"\n")
    first = lines.index(w3c_layout.OPENER) + 1
    assert old in lines[first + line - 1], (old, lines[first + line - 1])
    lines[first + line - 1] = lines[first + line - 1].replace(old, new, 1)
    return b"\n".join(lines)


def test_loupes_own_file_is_read_line_by_line_with_every_line_taken_from_orjson(monkeypatch):
    """If Loupe's own lines needed the strict decoder, or the file the whole-file read, a large
    import would lose its speed without any other test noticing."""
    data = _own_file()
    whole = _whole(data)
    strict: list[str] = []
    decoded: list[int] = []
    real_strict, real_load = w3c_layout._STRICT.raw_decode, safe_json.load_bytes
    monkeypatch.setattr(
        w3c_layout._STRICT, "raw_decode", lambda text: strict.append(text) or real_strict(text)
    )
    monkeypatch.setattr(
        safe_json, "load_bytes", lambda b, name: decoded.append(len(b)) or real_load(b, name)
    )
    got = w3c.parse(data, "dana.json")
    assert got == whole and len(got.annotations) == 5
    assert strict == [] and len(decoded) == 1 and decoded[0] < len(data) - 1000  # the frame only


@pytest.mark.parametrize("edit", EDITS.values(), ids=EDITS.keys())
def test_every_record_edit_reads_the_same_in_the_layout(edit):
    collection = _collection()
    items = collection["first"]["items"]
    record = copy.deepcopy(items[0])
    record["id"] = NEW_ID
    edit(record)
    if record.get("id", "") is None:
        record["id"] = items[0]["id"]
    items.append(record)
    collection["total"] = len(items)
    data = w3c.dumps(collection).encode()
    assert w3c_layout.OPENER in data
    _same(data)


NOTE = b'"value":"=HYPERLINK'
NOTE_BODY = b'{"type":"TextualBody","purpose":"commenting","value":"=HYPERLINK'
ANN = b'"type":"Annotation"'
LINE_EDITS = {
    "duplicate key": (ANN, ANN + b"," + ANN),
    "duplicate key, other value": (b'"motivation":"assessing"', b'"motivation":"x",' + ANN),
    "16-digit integer in a field of its own": (ANN, ANN + b',"n":1234567890123456'),
    "15-digit integer is fine": (ANN, ANN + b',"n":123456789012345'),
    "16 digits in a string are fine": (NOTE, b'"value":"1234567890123456 =HYPERLINK'),
    "huge integer": (ANN, ANN + b',"n":' + b"9" * 400),
    "NaN": (ANN, ANN + b',"n":NaN'),
    "Infinity": (ANN, ANN + b',"n":-Infinity'),
    "lone surrogate escape": (NOTE, b'"value":"\\ud800=HYPERLINK'),
    "paired surrogate escape": (NOTE, b'"value":"\\ud83d\\ude00=HYPERLINK'),
    "escaped colon": (NOTE, b'"value":"\\u003a=HYPERLINK'),
    "escaped quote and backslash": (NOTE, b'"value":"\\"\\\\=HYPERLINK'),
    "spaces between tokens": (b'"type":"Annotation"', b'"type" : "Annotation"'),
    "comma missing": (b"}]}},", b"}]}}"),
    "a space where the comma was": (b"}]}},", b"}]}} "),
    "two commas": (b"}]}},", b"}]}},,"),
    "comma on the next line": (b"}]}},", b"}]}}\n,"),
    "blank line": (b"}]}},", b"}]}},\n"),
    "two annotations on one line": (b"}]}},", b"}]}},{}, "),
    "garbage after the value": (b"}]}},", b"}]}} x,"),
    "raw control character": (NOTE, b'"value":"\x07=HYPERLINK'),
    "invalid UTF-8": (NOTE, b'"value":"\xff=HYPERLINK'),
    "deep nesting": (ANN, ANN + b',"n":' + b"[" * 5000 + b"]" * 5000),
    "not an object": (NOTE_BODY, b'7,' + NOTE_BODY),
    "a number as the line": None,
    "tab indent": (b"      {", b"\t{"),
    "carriage return": (b"}]}},", b"}]}},\r"),
}  # fmt: skip


@pytest.mark.parametrize("case", LINE_EDITS, ids=LINE_EDITS.keys())
def test_hostile_lines_read_the_same_as_the_whole_file(case):
    data = _own_file()
    if case == "a number as the line":
        lines = data.split(b"\n")
        first = lines.index(w3c_layout.OPENER) + 1
        lines[first + 1] = b"      5,"
        data = b"\n".join(lines)
    else:
        old, new = LINE_EDITS[case]
        data = _edit_line(data, old, new)
    _same(data)


def test_the_fast_read_refuses_what_the_whole_read_refuses():
    """A sample of the cases above, with the message expected, so `_same` cannot pass by both
    reads accepting everything."""
    data = _own_file()
    assert "appears twice" in _same(_edit_line(data, *LINE_EDITS["duplicate key"]))
    big = LINE_EDITS["16-digit integer in a field of its own"]
    assert "too large" in _same(_edit_line(data, *big))
    assert "not a number JSON allows" in _same(_edit_line(data, *LINE_EDITS["NaN"]))
    assert "lone surrogate" in _same(_edit_line(data, *LINE_EDITS["lone surrogate escape"]))
    fine = _same(_edit_line(data, *LINE_EDITS["16 digits in a string are fine"]))
    assert fine.annotations[1].note.startswith("1234567890123456 =HYPERLINK")
    paired = _same(_edit_line(data, *LINE_EDITS["paired surrogate escape"]))
    assert paired.annotations[1].note.startswith("😀=HYPERLINK")


@pytest.mark.parametrize(
    "old, new",
    [
        (b'"type": "AnnotationCollection"', b'"type": "AnnotationPage"'),  # items elsewhere
        (b'"total": 5', b'"total": 6'),
        (b'"total": 5', b'"total": 5, "total": 5'),
        (b'"loupe:title": "Homs talks"', b'"loupe:title": "    \\"items\\": ["'),
        (b'"type": "AnnotationPage"', b'"type": "AnnotationPage", "items": []'),
    ],
)
def test_frame_edits_read_the_same(old, new):
    data = _own_file()
    assert old in data
    _same(data.replace(old, new, 1))


def test_windows_line_ends_read_the_same():
    _same(_own_file().replace(b"\n", b"\r\n"))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_random_byte_edits_in_annotation_lines_read_the_same(data):
    raw = _own_file()
    lines = raw.split(b"\n")
    first = lines.index(w3c_layout.OPENER) + 1
    n = data.draw(st.integers(first, first + 4))
    line = lines[n]
    at = data.draw(st.integers(0, len(line)))
    kind = data.draw(st.sampled_from(["insert", "delete", "replace"]))
    byte = data.draw(st.sampled_from(list(b'",:{}[]\\ 0719aeu-.\n\x00\xff') + [0xC3]))
    if kind == "insert":
        line = line[:at] + bytes([byte]) + line[at:]
    elif kind == "delete":
        line = line[:at] + line[at + 1 :]
    else:
        line = line[:at] + bytes([byte]) + line[at + 1 :]
    lines[n] = line
    _same(b"\n".join(lines))


def test_progress_is_reported_and_a_cancel_stops_the_read():
    collection = _collection()
    items = collection["first"]["items"]
    for i in range(4_995):  # 5,000 records: progress at 0, 2,000 and 4,000
        record = copy.deepcopy(items[i % 5])
        record["id"] = f"urn:uuid:00000000-0000-4000-8000-{i:012d}"
        items.append(record)
    del items[:5]
    collection["total"] = len(items)
    data = w3c.dumps(collection).encode()
    seen: list[tuple[int, int]] = []
    got = w3c.parse(data, "dana.json", lambda done, total: seen.append((done, total)))
    assert len(got.annotations) == 4_995 and seen == [(0, 4_995), (2_000, 4_995), (4_000, 4_995)]

    def cancel(done: int, _total: int) -> None:
        if done >= 2_000:
            raise ImportCancelled()

    with pytest.raises(ImportCancelled):
        w3c.parse(data, "dana.json", cancel)


def test_item_lines_are_read_once_each_in_order():
    frame = w3c_layout.split(_own_file(), "dana.json")
    items = frame["first"]["items"]
    assert len(items) == 5 and isinstance(items.decode(0), dict)
    with pytest.raises(IndexError):
        items.decode(3)


def test_a_file_not_in_the_layout_is_left_to_the_whole_read():
    compact = json.dumps(_collection(), ensure_ascii=False).encode()
    assert w3c_layout.split(compact, "dana.json") is None
    assert _same(compact).annotations
