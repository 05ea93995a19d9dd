"""Label Studio JSON import: regions land on the right characters whether the colleague's Label
Studio counted code points (since 2022) or UTF-16 units (before), proved by each region's quote."""

from __future__ import annotations

import json

import pytest

from app.articles import text_sha256
from app.formats import labelstudio
from app.formats.registry import read_colleague_file
from tests.import_helpers import ARABIC, CAT, FLAG, refused, utf16_len

NAME = "project-3.json"
ARTICLE = f"Homs {FLAG} talks\n{ARABIC} {CAT} said the rebels\nhad fallen back to Hama."


def region(rid: str, needle: str, labels=("Actor",), *, unit=len, text=ARTICLE, quote=None):
    start = text.index(needle)
    value = {"start": unit(text[:start]), "end": unit(text[: start + len(needle)]),
             "text": needle.replace("\n", "\\n") if quote is None else quote,
             "labels": list(labels)}  # fmt: skip
    return {"id": rid, "type": "labels", "from_name": "label", "to_name": "text", "value": value}


def task(results: list, *, task_id=12, text=ARTICLE, **extra) -> dict:
    annotation = {"id": 40, "completed_by": 3, "result": results,
                  "created_at": "2025-03-01T09:30:12.345Z", "updated_at": "2025-03-02T10:00:00Z",
                  "was_cancelled": False}  # fmt: skip
    return {"id": task_id, "data": {"text": text}, "annotations": [annotation], **extra}


def export(*tasks: dict) -> bytes:
    return json.dumps(list(tasks), ensure_ascii=False).encode()


def test_code_point_regions_with_notes_and_two_labels():
    note = {"id": "r2", "type": "textarea", "from_name": "note", "to_name": "text",
            "value": {"start": 0, "end": 1, "text": ["=only one source", "@check"]}}  # fmt: skip
    choice = {"id": "c1", "type": "choices", "value": {"choices": ["Urgent"]}}
    data = export(
        task(
            [
                region("r1", "بشار"),
                region("r2", "rebels\nhad fallen back", ["Credibility"]),
                note,
                region("r3", "Hama", ["Location", "Actor"]),
                choice,
            ],
            predictions=[{"result": []}],
        )
    )
    parsed = labelstudio.parse(data, NAME)
    assert parsed.format == "label-studio" and parsed.name == NAME and parsed.creator == "3"
    got = {a.id: a for a in parsed.annotations}
    assert set(got) == {"12/40/r1", "12/40/r2", "12/40/r3/Location", "12/40/r3/Actor"}
    for ann_id, quote in [("12/40/r1", "بشار"), ("12/40/r2", "rebels\nhad fallen back")]:
        ann = got[ann_id]
        assert ARTICLE[ann.start : ann.end] == ann.exact == quote
        assert ann.start == ARTICLE.index(quote)  # code points, after the flag and the cat
    assert got["12/40/r2"].note == "=only one source\n@check" and got["12/40/r1"].note == ""
    assert got["12/40/r2"].tag_type == "Credibility" and got["12/40/r3/Actor"].exact == "Hama"
    assert got["12/40/r1"].created == "2025-03-01T09:30:12.345Z"
    assert got["12/40/r1"].modified == "2025-03-02T10:00:00Z"
    (document,) = parsed.documents
    assert document.key == "12" and document.text == ARTICLE
    assert document.text_sha256 == text_sha256(ARTICLE) and document.title == f"Homs {FLAG} talks"
    notices = " | ".join(parsed.notices)
    assert "1 “choices” result skipped" in notices and "1 prediction" in notices


def test_utf16_regions_from_older_label_studio_are_recognised_by_their_quotes():
    data = export(task([region("r1", "Hama", unit=utf16_len), region("r2", "بشار")]))
    a, b = labelstudio.parse(data, NAME).annotations
    assert (ARTICLE[a.start : a.end], ARTICLE[b.start : b.end]) == ("Hama", "بشار")
    assert a.start == ARTICLE.index("Hama")


def test_crlf_in_the_task_text_is_mapped_to_stored_line_ends():
    raw = ARTICLE.replace("\n", "\r\n")
    data = export(task([region("r1", "Hama", text=raw)], text=raw))
    (ann,) = labelstudio.parse(data, NAME).annotations
    stored = ARTICLE
    assert stored[ann.start : ann.end] == "Hama" and ann.start == stored.index("Hama")


def test_creators_cancelled_annotations_and_legacy_completions():
    old = {"id": 5, "data": {"text": ARTICLE, "title": "Homs talks"},
           "completions": [{"id": 1, "completed_by": {"id": 9, "email": "k.ng@x.example"},
                            "result": [region("r1", "Hama")]},
                           {"id": 2, "was_cancelled": True, "result": []}]}  # fmt: skip
    parsed = labelstudio.parse(export(old), NAME)
    (ann,) = parsed.annotations
    assert ann.creator == "k.ng@x.example" and parsed.documents[0].title == "Homs talks"
    assert any("1 skipped (cancelled) annotation" in n for n in parsed.notices)


def test_regions_without_a_quote_are_taken_as_code_points():
    result = region("r1", "Hama")
    del result["value"]["text"]
    (ann,) = labelstudio.parse(export(task([result])), NAME).annotations
    assert ann.exact == "Hama"


def test_formula_like_labels_are_kept_verbatim():
    data = export(task([region("r1", "Hama", ['=HYPERLINK("x")'])]))
    assert labelstudio.parse(data, NAME).annotations[0].tag_type == '=HYPERLINK("x")'


def test_through_the_registry(tmp_path):
    path = tmp_path / "project-3.json"
    path.write_bytes(export(task([region("r1", "Hama")])))
    parsed = read_colleague_file(path)
    assert parsed.format == "label-studio" and parsed.annotations[0].exact == "Hama"


# ---------------------------------------------------------------- refusals

WHERE = "task 12, annotation 40, result r1"


def test_the_top_level_must_be_a_list_of_tasks():
    refused(labelstudio.parse, b'{"data": {}}', NAME, file=NAME, where="top level",
            says="must be the list of tasks")  # fmt: skip
    refused(labelstudio.parse, b"[]", NAME, file=NAME, where="top level", says="no tasks")
    refused(labelstudio.parse, b"[1]", NAME, file=NAME, where="item 1", says="task object")


@pytest.mark.parametrize(
    ("changes", "says"),
    [
        ({"text": "HAMA"}, "value.text “HAMA” is not the article's text"),
        ({"start": -1}, "must not be negative"),
        ({"start": 99, "end": 90}, "start 99 is not before end 90"),
        ({"end": 10_000}, "past the end of the text"),
        ({"start": "4"}, "start must be a whole number"),
        ({"labels": []}, "value.labels must be a list of at least one label"),
        ({"labels": ["Act\u202eor"]}, "U+202E"),
        ({"labels": [7]}, "a label must be text"),
        ({"text": ["Hama"]}, "value.text must be text"),
    ],
)
def test_bad_regions_are_refused_with_their_result_id(changes, says):
    result = region("r1", "Hama")
    result["value"].update(changes)
    refused(labelstudio.parse, export(task([result])), NAME, file=NAME, where=WHERE, says=says)


def test_bad_tasks_are_refused_with_their_id():
    for bad, says in [
        ({"id": 12, "annotations": []}, "has no “data” object"),
        ({"id": 12, "data": {"a": "x", "b": "y"}}, "no “text” field and several others"),
        ({"id": 12, "data": {"text": "https://x.example/article.txt"}}, "is a link"),
        ({"id": 12, "data": {"text": "Homs"}, "annotations": {}}, "annotations must be a list"),
    ]:
        refused(labelstudio.parse, export(bad), NAME, file=NAME, where="task 12", says=says)
    broken = task([region("r1", "Hama")])
    broken["annotations"][0]["result"] = {"id": "r1"}
    refused(labelstudio.parse, export(broken), NAME, file=NAME, where="task 12, annotation 40",
            says="result must be a list")  # fmt: skip
    bad_user = task([region("r1", "Hama")])
    bad_user["annotations"][0]["completed_by"] = ["k"]
    refused(labelstudio.parse, export(bad_user), NAME, file=NAME, where="task 12, annotation 40",
            says="completed_by must be")  # fmt: skip


def test_a_repeated_task_id_names_both_items():
    one = task([region("r1", "Hama")])
    problem = refused(labelstudio.parse, export(one, one), NAME, file=NAME, where="item 2",
                      says="appears again")  # fmt: skip
    assert "first as item 1" in problem.problem


def test_invalid_json_is_refused_with_its_place():
    refused(labelstudio.parse, b'[{"id": 1,}]', NAME, file=NAME, where="line 1, column",
            says="not valid JSON")  # fmt: skip


def test_the_registry_finds_label_studio_when_data_comes_late(tmp_path):
    results = [region(f"r{i}", "Hama") for i in range(600)]  # > 64 KiB before "data"
    one = {"id": 1, "annotations": [{"id": 2, "result": results}], "data": {"text": ARTICLE}}
    path = tmp_path / "big.json"
    path.write_bytes(export(one))
    assert path.read_bytes()[:65536].find(b'"data"') == -1
    assert len(read_colleague_file(path).annotations) == 600
