"""W3C Web Annotation JSON-LD, Loupe's exchange format: what we write must be valid W3C (checked
with the web-platform-tests schemas, not by eye), must come back field for field, in code points,
and a colleague's broken or hostile file must fail with the record and the problem named."""

from __future__ import annotations

import copy
import json
import re
import time
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.articles import text_sha256
from app.formats import safe_json, w3c
from app.interchange import ImportProblem
from app.model import Document, Grade, TagType
from app.offsets import new_annotation

SCHEMAS = Path(__file__).resolve().parents[2] / "shared" / "w3c-annotation-model"
TEXT = "Homs talks 🇸🇾\nYesterday الرئيسُ the president said the rebels had fallen back 👍🏽.\n"
OTHER = "Aleppo: a second article, 🐪 and all.\n"
TAGS = {
    1: TagType(1, "Actor"),
    2: TagType(2, "Location"),
    3: TagType(3, "Credibility", "credibility"),
}


def at(text: str, quote: str) -> tuple[int, int]:
    start = text.index(quote)  # Python indexes code points, which is what Loupe stores
    return start, start + len(quote)


def sample():
    docs = [
        Document(1, "Homs talks", TEXT, text_sha256(TEXT), "Reuters", "https://x.example/homs"),
        Document(2, "Aleppo", OTHER, text_sha256(OTHER), published="2025-03-01"),
    ]
    anns = [
        new_annotation(TEXT, 1, *at(TEXT, "the president"), 1, entity="Bashar al-Assad",
                       annotator="k.ng"),
        new_annotation(TEXT, 1, *at(TEXT, "said the rebels had fallen back"), 3,
                       grade=Grade(3, "B"), note="=HYPERLINK(\"x\")\none source", annotator="k.ng"),
        new_annotation(TEXT, 1, *at(TEXT, "الرئيسُ"), 1, entity="الرئيس", annotator="k.ng"),
        new_annotation(OTHER, 2, *at(OTHER, "🐪"), 2, grade=Grade(6), annotator="k.ng"),
        new_annotation(TEXT, 1, *at(TEXT, "🇸🇾"), 2, entity="Syria", annotator="k.ng"),
    ]  # fmt: skip
    anns[1] = replace(anns[1], updated_at="2031-01-02T03:04:05.678Z")
    return docs, anns


def encode(obj: object) -> bytes:
    return json.dumps(obj, ensure_ascii=False).encode()


def problem(obj: object) -> str:
    with pytest.raises(ImportProblem) as caught:
        w3c.parse(obj if isinstance(obj, bytes) else encode(obj), "notes.json")
    return str(caught.value)


def test_round_trip_keeps_every_field_in_code_points():
    docs, anns = sample()
    data = w3c.write_json(docs, anns, TAGS, creator="k.ng").encode()
    got = w3c.parse(data, "notes.json")
    assert (got.format, got.name, got.creator) == ("loupe-w3c", "notes.json", "k.ng")
    assert got.notices == ()  # nothing in Loupe's own file goes unread
    assert [
        (d.key, d.title, d.url, d.text, d.text_sha256, d.source, d.published)
        for d in got.documents
    ] == [
        (f"urn:sha256:{d.text_sha256}", d.title, d.url, d.text, d.text_sha256, d.source,
         d.published) for d in docs
    ]  # fmt: skip
    assert (got.documents[0].source, got.documents[1].published) == ("Reuters", "2025-03-01")
    for mine, theirs in zip(anns, got.annotations, strict=True):
        doc = docs[mine.document_id - 1]
        assert theirs.id == mine.id and theirs.document_key == f"urn:sha256:{doc.text_sha256}"
        assert (theirs.start, theirs.end) == (mine.start, mine.end)
        assert (theirs.exact, theirs.prefix) == (mine.quote, mine.prefix)
        assert theirs.suffix == mine.suffix
        assert theirs.tag_type == TAGS[mine.tag_type_id].name
        assert (theirs.entity, theirs.grade, theirs.note) == (mine.entity, mine.grade, mine.note)
        assert (theirs.creator, theirs.created, theirs.modified) == (
            mine.annotator, mine.created_at, mine.updated_at)  # fmt: skip
    flag = got.annotations[4]
    assert (flag.start, flag.end) == (11, 13)  # code points; UTF-16 would say 11–15
    president = got.annotations[0]
    assert president.start == TEXT.index("the president") == 32  # 34 UTF-16 units
    assert got.annotations[1].note.startswith("=HYPERLINK")  # stored verbatim, not neutralised


def test_written_json_is_utf8_indented_and_in_stable_order():
    docs, anns = sample()
    one, two = (w3c.write_json(docs, anns, TAGS) for _ in range(2))
    assert one.startswith('{\n  "@context": [\n    "http://www.w3.org/ns/anno.jsonld",')
    assert "الرئيسُ" in one and "🇸🇾" in one and one.endswith("}\n")

    def steady(text: str) -> str:  # without the collection's and the page's ids and the time
        c = json.loads(text)
        for fresh in (c["id"], c["first"]["id"], f'"generated": "{c["generated"]}"'):
            text = text.replace(fresh, "")
        return text

    assert steady(one) == steady(two)
    collection = json.loads(one)
    assert collection["loupe:offsetUnit"] == "unicode-code-point"
    assert collection["loupe:formatVersion"] == 1 and collection["total"] == 5
    graded = collection["first"]["items"][1]
    assert graded["motivation"] == "assessing" and graded["id"] == f"urn:uuid:{anns[1].id}"
    assert graded["body"][1] == {"type": "TextualBody", "purpose": "assessing", "value": "B3",
                                 "loupe:credibility": 3, "loupe:reliability": "B"}  # fmt: skip
    assert [b["purpose"] for b in collection["first"]["items"][3]["body"]] == [
        "classifying", "assessing"]  # fmt: skip


def test_text_can_be_left_out_and_positions_still_count():
    docs, anns = sample()
    got = w3c.parse(w3c.write_json(docs, anns, TAGS, embed_text=False).encode(), "n.json")
    assert [d.text for d in got.documents] == [None, None]
    assert [(a.start, a.end) for a in got.annotations] == [(a.start, a.end) for a in anns]


def test_documents_travel_without_annotations():
    docs, _ = sample()
    collection = w3c.write(docs, [], TAGS)
    assert collection["total"] == 0 and "first" not in collection  # W3C: no page when empty
    got = w3c.parse(encode(collection), "docs.json")
    assert got.annotations == () and [d.text for d in got.documents] == [TEXT, OTHER]


@pytest.mark.parametrize(
    ("kept", "iri"),
    [("26926b3b-917c-4edb-ad88-5fb9550c2f76", "urn:uuid:26926b3b-917c-4edb-ad88-5fb9550c2f76"),
     ("https://hyp.example/a/1", "https://hyp.example/a/1"), ("T1", "urn:loupe:annotation:T1"),
     ("a b/ü", "urn:loupe:annotation:a%20b%2F%C3%BC")],
)  # fmt: skip
def test_annotation_ids_become_iris_and_come_back(kept, iri):
    assert w3c.annotation_iri(kept) == iri and w3c.annotation_id(iri) == kept


def test_the_documented_example_is_a_file_loupe_reads():
    docs = (Path(__file__).resolve().parents[1] / "docs" / "formats.md").read_text("utf-8")
    section = docs[docs.index("## W3C Web Annotation (Loupe's exchange format)") :]
    example = re.search(r"```json\n(.*?)```", section, re.S)[1]
    (ann,) = w3c.parse(example.encode(), "example.json").annotations
    assert (ann.start, ann.end, ann.grade, ann.note) == (35, 66, Grade(3, "C"), "one source only")


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=1, max_size=40), st.data())
def test_any_span_of_any_text_comes_back(text, data):
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    doc = Document(7, "t", text, text_sha256(text))
    ann = replace(new_annotation("x" * len(text), 7, start, end, 1), quote=text[start:end],
                  prefix=text[max(0, start - 32) : start], suffix=text[end : end + 32])  # fmt: skip
    (back,) = w3c.parse(w3c.write_json([doc], [ann], TAGS).encode(), "t.json").annotations
    assert (back.start, back.end, back.exact) == (start, end, text[start:end])


def test_another_producers_positions_are_ignored_unless_declared():
    foreign = {
        "@context": "http://www.w3.org/ns/anno.jsonld", "id": "https://hyp.example/a/1",
        "type": "Annotation", "creator": "acct:alice@hyp.example",
        "body": [{"type": "TextualBody", "value": "Says who?"}, "https://x.org",
                 {"type": "TextualBody", "purpose": "tagging", "value": "protest"},
                 {"type": "TextualBody", "purpose": "commenting", "value": "Check."}],
        "target": [{"source": "https://news.example/homs", "selector": [
            {"type": "RangeSelector", "startSelector": {}, "endSelector": {}},
            {"type": "TextPositionSelector", "start": 37, "end": 50},  # UTF-16, over the page
            {"type": "TextQuoteSelector", "exact": "the president", "prefix": "Yesterday "}]}],
    }  # fmt: skip
    got = w3c.parse(encode(foreign), "hyp.json")
    (ann,) = got.annotations
    assert (ann.start, ann.end, ann.exact) == (None, None, "the president")
    assert ann.prefix == "Yesterday "
    assert (ann.id, ann.tag_type, ann.creator, got.creator) == (
        "https://hyp.example/a/1",
        "",
        "acct:alice@hyp.example",
        "acct:alice@hyp.example",
    )
    assert ann.note == "Says who?\n\nCheck."  # a body without a purpose is W3C's plain comment
    assert got.documents[0].url == "https://news.example/homs" and got.documents[0].text is None
    assert got.notices[0].startswith("1 annotation: position ignored, because the file does not")
    assert got.notices[1] == "bodies Loupe does not keep, skipped: 1 link, 1 tagging"
    assert got.notices[2].startswith("1 annotation with several comments: joined into one note")
    quote_only = copy.deepcopy(foreign)
    quote_only["target"][0]["selector"] = quote_only["target"][0]["selector"][2]
    assert w3c.parse(encode([quote_only]), "list.json").annotations[0].start is None
    declared = {**foreign, "loupe:offsetUnit": "unicode-code-point"}
    assert w3c.parse(encode(declared), "d.json").annotations[0].start == 37
    declared["target"][0]["selector"][1]["end"] = 51  # without the text: the length must agree
    assert "the quote is 13 characters long but its position 37–51 spans 14" in problem(declared)


def annotation(c, n):
    return c["first"]["items"][n - 1]


def body(c, n, purpose):
    return next(b for b in annotation(c, n)["body"] if b["purpose"] == purpose)


def position(c, n):
    return annotation(c, n)["target"]["selector"][1]


ERRORS = [  # (what is changed, which record the message must name, what it must say)
    (lambda c: c["first"].clear() or c["first"].update(type="AnnotationPage", items=[]),
     None, "total says 5 annotations but the file holds 0"),
    (lambda c: c.update({"loupe:formatVersion": 2}), None, "made by a newer Loupe"),
    (lambda c: c.update({"@context": "http://example.org/ctx"}), None, "@context must include"),
    (lambda c: c.update({"loupe:offsetUnit": "utf-16"}), None, "'utf-16' is unknown"),
    (lambda c: annotation(c, 2).pop("target"), 2, "has no target"),
    (lambda c: annotation(c, 2).update(type="Note"), 2, "type must be “Annotation”"),
    (lambda c: annotation(c, 2)["target"]["selector"][0].update(exact=5), 2,
     "the quote (exact) must be text, not int"),
    (lambda c: annotation(c, 2)["target"]["selector"].pop(0), 2, "has no TextQuoteSelector"),
    (lambda c: annotation(c, 2).update(target=[{}, {}]), 2, "has 2 targets"),
    (lambda c: annotation(c, 2).update(target="urn:x"), 2, "its target is a whole resource"),
    (lambda c: position(c, 2).update(start=-1), 2, "offsets must not be negative"),
    (lambda c: position(c, 2).update(start=60, end=50), 2, "start 60 is not before end 50"),
    (lambda c: position(c, 2).update(start="3"), 2, "start must be a whole number"),
    (lambda c: position(c, 2).update(end=500), 2, "end 500 is past the end of the text (82)"),
    (lambda c: position(c, 2).update(start=position(c, 2)["start"] + 1,
     end=position(c, 2)["end"] + 1), 2, "the quote does not match the text at 47–78"),
    (lambda c: body(c, 2, "assessing").update({"loupe:credibility": 7}), 2,
     "credibility 7 is not on the Admiralty scale 1–6"),
    (lambda c: body(c, 2, "assessing").update({"loupe:credibility": True}), 2, "credibility True"),
    (lambda c: body(c, 2, "assessing").update({"loupe:reliability": "G"}), 2,
     "reliability 'G' is not on the Admiralty scale A–F"),
    (lambda c: body(c, 2, "assessing").update(value="C3"), 2, "disagrees with its loupe:"),
    (lambda c: body(c, 4, "assessing").update(value="7"), 4, "'7' is not an Admiralty grade"),
    (lambda c: annotation(c, 3).update(id=annotation(c, 1)["id"]), 3,
     "has the same id as annotation 1"),
    (lambda c: annotation(c, 3).pop("id"), 3, "has no id"),
    (lambda c: body(c, 1, "classifying").update(value="Act\u202eor"), 1,
     "the tag type contains the control or direction character U+202E"),
    (lambda c: body(c, 1, "identifying").update(value=["x"]), 1, "the entity must be text"),
    (lambda c: annotation(c, 5).update(creator={"name": "k\x07ng"}), 5, "the creator contains"),
    (lambda c: annotation(c, 2)["body"].append(body(c, 2, "classifying")), 2,
     "has two classifying bodies"),
    (lambda c: annotation(c, 2).update(bodyValue="x"), 2, "has both body and bodyValue"),
    (lambda c: annotation(c, 2).update(created="yesterday"), 2, "created must be an ISO 8601"),
    (lambda c: annotation(c, 2).update(modified="2025-02-30T10:00:00Z"), 2, "modified must be"),
    (lambda c: annotation(c, 2)["target"].update(source="urn:sha256:" + "0" * 64), 2,
     "is not among the file's documents"),
    (lambda c: c["loupe:documents"][0].update({"loupe:text": TEXT.upper()}), "document",
     "the embedded text does not match its SHA-256"),
]  # fmt: skip


@pytest.mark.parametrize(("change", "record", "expected"), ERRORS)
def test_broken_files_name_the_record_and_the_problem(change, record, expected):
    docs, anns = sample()
    collection = json.loads(w3c.write_json(docs, anns, TAGS))
    change(collection)
    message = problem(collection)
    assert message.startswith("notes.json") and expected in message, message
    if isinstance(record, int):
        iri = collection["first"]["items"][record - 1].get("id")
        where = f"annotation {record} ({iri})" if iri else f"annotation {record}"
        assert message.startswith(f"notes.json, {where}: "), message
    elif record == "document":
        assert f"notes.json, document 1 (urn:sha256:{docs[0].text_sha256}): " in message
    else:
        assert message.startswith("notes.json: "), message


@pytest.mark.parametrize(
    ("content", "expected"),
    [(b"42", "not a number"), (b'"x"', "not text"), (b'{"a": 1}', "an object without a type"),
     (b'{"type": "Note", "@context": "http://www.w3.org/ns/anno.jsonld"}', "type 'Note'"),
     (b'[{"id": "a", "id": "b"}]', "appears twice"), (b"[7]", "annotation 1: must be an object")],
)  # fmt: skip
def test_files_that_are_not_annotations_are_refused(content, expected):
    assert expected in problem(content)


def test_a_hundred_thousand_annotations_parse_quickly(monkeypatch):
    """The checks on top of JSON decoding must stay cheap. Decoding itself (safe_json, shared by
    every JSON format) is timed apart, so a slow or busy machine does not hide a slow parser."""
    text = "Homs talks 🇸🇾 the president said الرئيسُ the rebels had fallen back.\n" * 2000
    doc, line = Document(1, "Homs", text, text_sha256(text)), len(text) // 2000
    anns = [
        new_annotation(text, 1, (i % 2000) * line + 15, (i % 2000) * line + 28, 1 + i % 3,
                       entity="Bashar al-Assad", grade=Grade(3, "C"), note="one source",
                       annotator="k.ng")
        for i in range(100_000)
    ]  # fmt: skip
    data = encode(w3c.write([doc], anns, TAGS))  # compact: the C encoder keeps the test short
    decoding, load = [], safe_json.load_bytes

    def timed_load(data: bytes, name: str) -> object:
        began = time.process_time()
        root = load(data, name)
        decoding.append(time.process_time() - began)
        return root

    monkeypatch.setattr(safe_json, "load_bytes", timed_load)
    wall, began = time.perf_counter(), time.process_time()
    parsed = w3c.parse(data, "big.json")
    spent, wall = time.process_time() - began, time.perf_counter() - wall
    print(f"\n100,000 annotations, {len(data) / 1e6:.0f} MB: parse {wall:.2f} s wall, "
          f"{spent:.2f} s CPU, of which JSON decoding {decoding[0]:.2f} s, "
          f"checks {spent - decoding[0]:.2f} s")  # fmt: skip
    assert len(parsed.annotations) == 100_000 and parsed.annotations[-1].end is not None
    assert spent - decoding[0] < 3.0


def test_timestamps_written_are_iso_8601():
    docs, anns = sample()
    for item in w3c.write(docs, anns, TAGS)["first"]["items"]:
        assert datetime.fromisoformat(item["created"]) <= datetime.fromisoformat(item["modified"])


# --- The W3C schemas (web-platform-tests), loaded as w3c-annotation-model/README.md says.

_URI = re.compile(r"[A-Za-z][\w+.\-]*:(?:[\w\-.~!$&'()*+,;=:@/?#\[\]]|%[0-9A-Fa-f]{2})*", re.A)
_DATE_TIME = re.compile(r"\d{4}-\d\d-\d\d[Tt]\d\d:\d\d:\d\d(?:\.\d+)?(?:[Zz]|[+-]\d\d:\d\d)")


def format_checker():
    """`uri` and `date-time` as RFC 3986 / RFC 3339 define them. jsonschema checks neither unless
    optional packages are installed, and then silently; these make the check certain."""
    from jsonschema import FormatChecker

    checker = FormatChecker(formats=())

    @checker.checks("uri")
    def is_uri(value: object) -> bool:
        return not isinstance(value, str) or bool(_URI.fullmatch(value))

    @checker.checks("date-time", raises=ValueError)
    def is_date_time(value: object) -> bool:
        if not isinstance(value, str):
            return True
        return bool(_DATE_TIME.fullmatch(value)) and bool(datetime.fromisoformat(value[:19]))

    return checker


@pytest.fixture(scope="module")
def schemas():
    musts_file = SCHEMAS / "annotations" / "annotationMusts.test"
    if not musts_file.exists():
        pytest.skip(f"the W3C annotation schemas are not present ({SCHEMAS})")
    from jsonschema import Draft4Validator
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT4

    files = {p.name: json.loads(p.read_text("utf-8")) for p in SCHEMAS.glob("*/*.json")}
    registry = Registry().with_resources(  # keyed by each file's draft-04 "id", as $refs use
        (s["id"], Resource.from_contents(s, default_specification=DRAFT4)) for s in files.values()
    )
    checker = format_checker()

    def validator(schema):
        return Draft4Validator(schema, registry=registry, format_checker=checker)

    def ref(pointer):
        return validator({"$ref": pointer})

    musts = json.loads(musts_file.read_text("utf-8"))["assertions"]
    assert len(musts) == 14
    return {
        "musts": [(m, validator(files[m.split("/")[-1]])) for m in musts],
        "TextQuoteSelector": ref("specificResource.json#/definitions/textQuoteSelectorDetected"),
        "TextPositionSelector": ref(
            "specificResource.json#/definitions/textPositionSelectorDetected"),
        "target": ref("specificResource.json#/definitions/selectorDetected"),
        "collection": [ref(f"collections.json#/definitions/{d}") for d in (
            "annotationCollectionTypeValueFound", "totalFound",
            "firstRequiredIfTotalMoreThanZero")],
        "context": ref("collections.json#/definitions/contextValueInArrayFound"),
        "page": [ref(f"collections.json#/definitions/{d}") for d in (
            "annotationPageTypeValueFound", "itemsFound", "partOfValidIfPresent",
            "startIndexDefinition")],
    }  # fmt: skip


def must_errors(schemas, anno) -> list[str]:
    return [f"{m}: {e.message}" for m, v in schemas["musts"] for e in v.iter_errors(anno)]


def exported():
    docs, anns = sample()
    collection = w3c.write(docs, anns, TAGS, creator="k.ng")
    items = collection["first"]["items"]
    return collection, [{"@context": collection["@context"], **a} for a in items]


def test_every_exported_annotation_passes_the_w3c_annotation_musts(schemas):
    collection, annotations = exported()
    assert len(annotations) == 5
    for anno in annotations:
        assert must_errors(schemas, anno) == [], anno["id"]
    assert not [e for v in schemas["collection"] for e in v.iter_errors(collection)]
    assert not list(schemas["context"].iter_errors(collection["@context"]))
    assert not [e for v in schemas["page"] for e in v.iter_errors(collection["first"])]


def test_every_exported_selector_passes_the_selector_definitions(schemas):
    for anno in exported()[1]:
        target = anno["target"]
        assert not list(schemas["target"].iter_errors(target))
        kinds = [s["type"] for s in target["selector"]]
        assert kinds == ["TextQuoteSelector", "TextPositionSelector"]
        for selector in target["selector"]:
            assert not list(schemas[selector["type"]].iter_errors(selector)), selector


@pytest.mark.parametrize(
    ("breakage", "failing"),
    [
        (lambda a: a.pop("target"), "3.1-targetKeyFound"),
        (lambda a: a.update({"@context": "http://example.org/ctx"}), "annotationContextValidated"),
        (lambda a: a.update(type="Note"), "3.1-annotationTypeValidated"),
        (lambda a: a.update(id="not a uri"), "3.1-annotationIdValidated"),
        (lambda a: a.update(created="yesterday"), "annotationCreatedValidated"),
        (lambda a: a.update(modified="2025-13-01T00:00:00Z"), "annotationModifiedValidated"),
        (lambda a: a.update(bodyValue="x"), "3.2.5-notBodyBodyValue"),
        (lambda a: a["target"].update(source="not a uri"), "3.2-targetObjectsRecognized"),
    ],
)
def test_the_schema_check_fails_a_broken_annotation(schemas, breakage, failing):
    anno = copy.deepcopy(exported()[1][1])
    breakage(anno)
    assert any(failing in e for e in must_errors(schemas, anno))


def test_the_selector_check_fails_a_broken_selector(schemas):
    quote, position = copy.deepcopy(exported()[1][0]["target"]["selector"])
    quote.pop("exact")
    position["start"] = -1
    assert list(schemas["TextQuoteSelector"].iter_errors(quote))
    assert list(schemas["TextPositionSelector"].iter_errors(position))
    assert list(schemas["target"].iter_errors({"source": "urn:x", "selector": [{"type": "Foo"}]}))
