"""The inline check of records shaped as Loupe writes them (`app/formats/w3c_fast.py`) must accept
exactly what the field-by-field path accepts, with the same result, and leave every fault to it.
Each case alters one field of a record that comes after Loupe's own records, whose names and
grades the reader has then seen, so the inline check is really tried on it."""

from __future__ import annotations

import copy
import json

import pytest

from app.formats import w3c, w3c_records
from app.interchange import ImportProblem
from tests.test_w3c import TAGS, sample

NEW_ID = "urn:uuid:0b7c2b1e-5a3f-4c8e-9d6a-3f2e1d0c9b8a"


def _set(*path, value):
    """An edit: the value at `path` in the record (a path ending in a missing key adds it)."""

    def edit(record: dict) -> None:
        *head, last = path
        for step in head:
            record = record[step]
        record[last] = value

    return edit


def _drop(*path):
    def edit(record: dict) -> None:
        *head, last = path
        for step in head:
            record = record[step]
        del record[last]

    return edit


def _bodies(*bodies):
    return _set("body", value=list(bodies))


TAG = {"type": "TextualBody", "purpose": "classifying", "value": "Actor"}
ENTITY = {"type": "TextualBody", "purpose": "identifying", "value": "Bashar al-Assad"}
CRED = {**TAG, "value": "Credibility"}
QUOTE, POSITION = ("target", "selector", 0), ("target", "selector", 1)

EDITS = {
    "unchanged": lambda r: None,
    "id not a uuid": _set("id", value="https://example.org/anno/7"),
    "id in capitals": _set("id", value=NEW_ID.upper().replace("URN:UUID:", "URN:uuid:")),
    "id with a space": _set("id", value="urn:uuid:0b7c2b1e 5a3f"),
    "id a number": _set("id", value=7),
    "id missing": _drop("id"),
    "id taken": _set("id", value=None),  # replaced by the first record's id below
    "type a list": _set("type", value=["Annotation"]),
    "type other": _set("type", value="Note"),
    "own context": _set("@context", value="http://www.w3.org/ns/anno.jsonld"),
    "bad context": _set("@context", value="http://example.org/ctx"),
    "target in a list": lambda r: r.update(target=[r["target"]]),
    "target missing": _drop("target"),
    "target a string": _set("target", value="urn:sha256:" + "0" * 64),
    "source unknown": _set("target", "source", value="urn:sha256:" + "1" * 64),
    "source a number": _set("target", "source", value=5),
    "selectors swapped": lambda r: r["target"]["selector"].reverse(),
    "selector alone": lambda r: r["target"].update(selector=r["target"]["selector"][0]),
    "third selector": lambda r: r["target"]["selector"].append({"type": "CssSelector"}),
    "two quote selectors": lambda r: r["target"]["selector"].__setitem__(
        1, dict(r["target"]["selector"][0])
    ),
    "position missing": lambda r: r["target"]["selector"].pop(),
    "exact empty": _set(*QUOTE, "exact", value=""),
    "exact a number": _set(*QUOTE, "exact", value=3),
    "exact elsewhere": _set(*QUOTE, "exact", value="the rebels"),
    "prefix missing": _drop(*QUOTE, "prefix"),
    "prefix wrong": _set(*QUOTE, "prefix", value="nothing like it"),
    "prefix too long": _set(*QUOTE, "prefix", value="x" * 10_000),
    "suffix wrong": _set(*QUOTE, "suffix", value="!"),
    "suffix missing": _drop(*QUOTE, "suffix"),
    "start true": _set(*POSITION, "start", value=True),
    "start a float": _set(*POSITION, "start", value=11.0),
    "start negative": _set(*POSITION, "start", value=-1),
    "end past the text": _set(*POSITION, "end", value=10_000),
    "end before start": _set(*POSITION, "end", value=0),
    "body missing": _drop("body"),
    "body an object": _set("body", value=TAG),
    "body a link": _bodies(TAG, "https://example.org/tag"),
    "body a number": _bodies(TAG, 4),
    "body unknown purpose": _bodies(TAG, {"purpose": "tagging", "value": "x"}),
    "body without purpose": _bodies(TAG, {"type": "TextualBody", "value": "a comment"}),
    "purpose in a list": _bodies({**TAG, "purpose": ["classifying"]}),
    "two tag types": _bodies(TAG, {**TAG, "value": "Location"}),
    "tag type new": _bodies({**TAG, "value": "Weapon"}),
    "tag type empty": _bodies({**TAG, "value": "  "}),
    "tag type a number": _bodies({**TAG, "value": 1}),
    "entity with bidi": _bodies(TAG, {**ENTITY, "value": "Assad\u202e"}),
    "entity new": _bodies(TAG, {**ENTITY, "value": "Someone new"}),
    "two entities": _bodies(TAG, ENTITY, ENTITY),
    "two notes": _bodies(
        TAG, {"purpose": "commenting", "value": "a"}, {"purpose": "commenting", "value": "b"}
    ),
    "empty note": _bodies(TAG, {"purpose": "commenting", "value": ""}),
    "note": _bodies(TAG, {"purpose": "commenting", "value": "seen twice"}),
    "note a number": _bodies(TAG, {"purpose": "commenting", "value": 5}),
    "bodyValue too": _set("bodyValue", value="a comment"),
    "bodyValue null": _set("bodyValue", value=None),
    "grade seen": _bodies(
        CRED,
        {"purpose": "assessing", "value": "B3", "loupe:credibility": 3, "loupe:reliability": "B"},
    ),
    "grade true": _bodies(
        CRED,
        {"purpose": "assessing", "value": "6", "loupe:credibility": True},
    ),
    "grade disagrees": _bodies(
        CRED,
        {"purpose": "assessing", "value": "B3", "loupe:credibility": 4},
    ),
    "grade unseen": _bodies(CRED, {"purpose": "assessing", "value": "A1"}),
    "grade a list": _bodies(CRED, {"purpose": "assessing", "value": []}),
    "creator missing": _drop("creator"),
    "creator a name": _set("creator", value="k.ng"),
    "creator new": _set("creator", "name", value="someone else"),
    "creator nickname": _set("creator", value={"type": "Person", "nickname": "k.ng"}),
    "creators listed": _set("creator", value=[{"name": "k.ng"}, {"name": "b"}]),
    "creator in a list": _set("creator", value=[{"name": "k.ng"}]),
    "creator a number": _set("creator", "name", value=5),
    "creator with control": _set("creator", "name", value="k.ng\x07"),
    "created missing": _drop("created"),
    "created 31 February": _set("created", value="2025-02-31T10:00:00Z"),
    "created without zone": _set("created", value="2025-02-01T10:00:00"),
    "created a number": _set("created", value=2025),
    "modified missing": _drop("modified"),
    "modified later": _set("modified", value="2031-01-02T03:04:05.678Z"),
    "modified hour 25": _set("modified", value="2025-02-01T25:00:00Z"),
    "both missing": lambda r: [r.pop("created"), r.pop("modified")],
}


def _file(edit) -> bytes:
    docs, anns = sample()
    collection = w3c.write(docs, anns, TAGS, creator="k.ng")
    items = collection["first"]["items"]
    record = copy.deepcopy(items[0])
    record["id"] = NEW_ID
    edit(record)
    if record.get("id", "") is None:
        record["id"] = items[0]["id"]
    items.append(record)
    collection["total"] = len(items)
    return json.dumps(collection, ensure_ascii=False).encode()


def _outcome(data: bytes) -> object:
    try:
        return w3c.parse(data, "dana.json")
    except ImportProblem as exc:
        return str(exc)


@pytest.mark.parametrize("edit", EDITS.values(), ids=EDITS.keys())
def test_inline_check_agrees_with_the_field_by_field_path(edit, monkeypatch):
    data = _file(edit)
    inline = _outcome(data)
    monkeypatch.setattr(w3c_records, "loupe_record", lambda *_: None)
    assert inline == _outcome(data)


def test_loupes_own_records_take_the_inline_check(monkeypatch):
    """Once a record's names and grade have been seen, Loupe's own shape never needs the slow
    path: if it did, a large import would lose its speed without any test noticing."""
    slow: list[int] = []
    checked = w3c_records.RecordReader.checked

    def counted(self, n, item):
        slow.append(n)
        return checked(self, n, item)

    monkeypatch.setattr(w3c_records.RecordReader, "checked", counted)
    got = w3c.parse(_file(EDITS["unchanged"]), "dana.json")
    assert len(got.annotations) == 6 and 6 not in slow
    slow.clear()
    got = w3c.parse(_file(EDITS["note"]), "dana.json")
    assert got.annotations[-1].note == "seen twice" and slow == [1, 2, 3, 4, 5]
