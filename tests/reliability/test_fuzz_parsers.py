"""Every import parser fuzzed with hypothesis: arbitrary bytes, arbitrary JSON, CSV rows and brat
lines, valid files broken at random, a colleague's project with random bytes overwritten.

Two promises. A parser refuses with its documented type only (`ImportProblem`; `ArticleError`
for articles): any other exception is a bug. And never a partial write: a file that parses is
imported whole (read → match → plan → one `Store.apply_import`, as the window does, saying yes to
every question), and one refused at any step leaves the project byte-for-byte and dump-for-dump
as it was. Hand-made malformed files are in tests/hostile/ (tests/test_hostile_corpus.py); the
valid files broken here are built by the same corpus module.

Size: `LOUPE_RELIABILITY_SCALE` (tests/reliability/scale.py). At the CI size the examples are
derandomized, so a CI run is reproducible; larger runs draw fresh ones.
"""

from __future__ import annotations

import copy
from collections.abc import Callable

from hypothesis import example, given
from hypothesis import strategies as st

from app.articles import ArticleError, read_article
from app.entity_import import plan_entity_import
from app.formats import entity_csv, w3c
from app.interchange import ImportProblem
from app.store import Store
from db.connection import open_db
from tests.hostile import corpus
from tests.reliability._e_fuzz import (
    FUZZ,
    JSON,
    broken_bytes,
    dumps,
    fresh_project,
    import_file,
    mutate_tree,
    refusal_ok,
    state,
    written,
)

# ---------------------------------------------------------------- W3C, Label Studio, doccano

FORMATS: dict[str, tuple[str, Callable[[], object]]] = {
    "w3c": ("theirs.json", corpus.w3c_base),
    "labelstudio": ("theirs.json", corpus.labelstudio_tasks),
    "doccano": ("theirs.jsonl", corpus.doccano_records),
}


def _json_file(fmt: str, value: object) -> bytes:
    """In each format's own layout where the value allows: doccano a record a line, W3C as
    `w3c.write_json` lays it out (read line by line by w3c_layout, then w3c_fast)."""
    if fmt == "doccano" and isinstance(value, list):
        return b"\n".join(dumps(v) for v in value) + b"\n"
    if fmt == "w3c" and isinstance(value, dict) and isinstance(value.get("first"), dict):
        return w3c.dumps(value).encode("utf-8", "surrogatepass")
    return dumps(value)


@FUZZ
@given(fmt=st.sampled_from(sorted(FORMATS)), data=st.data())
def test_a_json_file_broken_anywhere_is_imported_whole_or_refused_cleanly(fmt, data):
    name, valid = FORMATS[fmt]
    import_file(name, _json_file(fmt, mutate_tree(valid(), data)))


@FUZZ
@given(fmt=st.sampled_from(sorted(FORMATS)), value=JSON)
def test_any_json_structure_is_imported_whole_or_refused_cleanly(fmt, value):
    import_file(FORMATS[fmt][0], _json_file(fmt, value))


@FUZZ
@given(name=st.sampled_from(["theirs.json", "theirs.jsonl", "theirs.csv", "theirs.loupe"]),
       data=st.binary(max_size=600))  # fmt: skip
def test_arbitrary_bytes_are_refused_cleanly_whatever_the_file_says_it_is(name, data):
    import_file(name, data)


@FUZZ
@given(fmt=st.sampled_from(sorted(FORMATS) + ["csv"]), data=st.data())
def test_a_valid_file_with_bytes_changed_is_imported_whole_or_refused_cleanly(fmt, data):
    name, valid = FORMATS.get(fmt, ("theirs.csv", None))
    original = corpus.csv_text(corpus.csv_rows()).encode() if valid is None else None
    original = original or _json_file(fmt, valid())
    import_file(name, data.draw(broken_bytes(original)))


# ---------------------------------------------------------------- Loupe CSV and brat

CELLS = st.text(max_size=20) | st.sampled_from(["", "0", "-1", "99999", "Actor", "Credibility",
                                                "=SUM(A1)", "'@x", "\r\n", '"'])  # fmt: skip


@st.composite
def edited_rows(draw, rows: list[list[str]]) -> list[list[str]]:
    rows = copy.deepcopy(rows)
    for _ in range(draw(st.integers(1, 4))):
        r = draw(st.integers(0, len(rows) - 1))
        action = draw(st.sampled_from(["cell", "cell", "drop cell", "add row", "drop row"]))
        if action == "cell" and rows[r]:
            rows[r][draw(st.integers(0, len(rows[r]) - 1))] = draw(CELLS)
        elif action == "drop cell" and rows[r]:
            rows[r].pop(draw(st.integers(0, len(rows[r]) - 1)))
        elif action == "add row":
            rows.insert(r, draw(st.lists(CELLS, max_size=len(rows[0]) + 1)))
        elif len(rows) > 1:
            rows.pop(r)
    return rows


@FUZZ
@given(data=st.data())
def test_loupe_csv_rows_edited_at_random_are_imported_whole_or_refused_cleanly(data):
    rows = data.draw(edited_rows(corpus.csv_rows()))
    import_file("theirs.csv", corpus.csv_text(rows).encode("utf-8", "surrogatepass"))


ZEROS = "0\u0660\u06f0\u0966\u09e6\u0e50\uff10\U0001d7ce"  # 0 in Arabic, Persian, Devanagari …


@FUZZ
@given(column=st.sampled_from(["document_id", "start", "end"]), zero=st.sampled_from(ZEROS[1:]))
@example(column="start", zero="\u0660")  # found: "٤٦" was read as 46 (a `\d` without re.ASCII)
def test_loupe_csv_numbers_in_digits_other_than_0_to_9_are_refused(column, zero):
    """Loupe writes 0–9; other scripts' digits mean an edited file, as "+3" or "1.0" do."""
    rows = corpus.csv_rows()
    at = rows[0].index(column)
    script = str.maketrans("0123456789", "".join(chr(ord(zero) + n) for n in range(10)))
    for row in rows[1:]:
        row[at] = row[at].translate(script)
    assert import_file("theirs.csv", corpus.csv_text(rows).encode()) == "refused"


@FUZZ
@given(data=st.data(), text=st.none() | st.text(min_size=1, max_size=80))
def test_brat_lines_edited_at_random_are_imported_whole_or_refused_cleanly(data, text):
    lines = corpus.brat_lines()
    for _ in range(data.draw(st.integers(1, 3))):
        at = data.draw(st.integers(0, len(lines) - 1))
        fields = lines[at].split("\t")
        pieces = [data.draw(CELLS) if data.draw(st.booleans()) else f for f in fields]
        lines[at] = "\t".join(pieces) if data.draw(st.integers(0, 3)) else data.draw(CELLS)
    article = corpus.base().document.text if text is None else text
    txt = {"theirs.txt": article.encode("utf-8", "surrogatepass")}
    import_file("theirs.ann", "\n".join(lines).encode("utf-8", "surrogatepass"), txt)


# ---------------------------------------------------------------- another Loupe project


@FUZZ
@given(data=st.data())
def test_a_colleagues_project_with_bytes_overwritten_is_imported_whole_or_refused_cleanly(data):
    original = corpus.base().db_bytes
    broken = bytearray(original)
    for _ in range(data.draw(st.integers(1, 6))):
        at = data.draw(st.integers(0, len(broken) - 1))
        chunk = data.draw(st.binary(min_size=1, max_size=16))
        broken[at : at + len(chunk)] = chunk
    if data.draw(st.integers(0, 4)) == 0:
        del broken[data.draw(st.integers(0, len(broken) - 1)) :]
    import_file("theirs.loupe", bytes(broken))


# ---------------------------------------------------------------- entity lists and articles

ENTITY_CELLS = CELLS | st.sampled_from(["Ilyas Marrow", "Port Aldane", "Marrow | I. Marrow",
                                        "a \\| b", "x\\", "Location "])  # fmt: skip


@FUZZ
@given(rows=st.lists(st.lists(ENTITY_CELLS, min_size=2, max_size=4), max_size=5),
       header=st.sampled_from([["type", "name", "aliases"], ["Type", "Name", "Aliases"]]),
       raw=st.none() | st.binary(max_size=200))  # fmt: skip
def test_an_entity_list_is_imported_whole_or_refused_cleanly(rows, header, raw):
    """File ▸ Import entities…: parse → plan against the registry → one transaction."""
    data = raw if raw is not None else corpus.csv_text([header, *rows]).encode("utf-8", "replace")
    with fresh_project() as (project, _):
        before = state(project)
        db = open_db(project)
        try:
            store = Store(db)
            try:
                records = entity_csv.parse(data, "entities.csv")
                plan = plan_entity_import(records, store.tag_types(), store.entities(),
                                          "entities.csv")  # fmt: skip
            except ImportProblem as exc:
                refusal_ok(exc, "entities.csv")
                plan = None
            if plan is not None and not plan.empty:
                store.import_entities(plan)
                names = {n for e in store.entities() for n in e.names}
                assert {n.name for n in plan.new} <= names
        finally:
            db.close()
        if plan is None:
            assert state(project) == before


ARTICLE_BYTES = (
    st.binary(max_size=300)
    | st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass"))
    | st.text(max_size=100).map(lambda t: t.encode("utf-16", "surrogatepass"))
    | broken_bytes(corpus.SAMPLE.read_bytes()[:2000])
)


@FUZZ
@given(data=ARTICLE_BYTES, suffix=st.sampled_from([".txt", ".md", ".TXT", ".pdf"]))
def test_an_article_file_is_added_whole_or_refused_cleanly(data, suffix):
    """Opening an article (app/articles.py) and adding it as the window does."""
    with fresh_project() as (project, theirs):
        path = written(theirs, f"article{suffix}", data)
        try:
            doc = read_article(path)
        except ArticleError as exc:
            refusal_ok(exc, path.name)
            return
        db = open_db(project)
        try:
            store = Store(db)
            if store.find_document_by_text(doc.text) is None:
                (added,) = store.add_documents([doc])
                assert store.document(added.id).text == doc.text
        finally:
            db.close()


# ---------------------------------------------------------------- what the fuzzing found


def test_a_w3c_body_whose_purpose_is_a_list_of_lists_is_not_a_crash():
    """Found by the large run: `"purpose": [[]]` reached `purpose in kept` (TypeError)."""
    collection = corpus.w3c_base()
    collection["first"]["items"][0]["body"][1]["purpose"] = [[]]
    assert import_file("theirs.json", _json_file("w3c", collection)) in ("imported", "refused")


def test_a_colleagues_project_whose_schema_names_are_not_utf8_is_refused_cleanly():
    """Found by the large run: a byte 0x80 in a table's or index's name escaped as
    UnicodeDecodeError (SQLite's "malformed database schema (…)" message holds the name, and
    Python decodes it strictly) or as UnicodeEncodeError (the name, read back with surrogates,
    put into `PRAGMA index_list`)."""
    original = corpus.base().db_bytes
    for name in (b"documents", b"tag_types", b"annotations_by_document", b"layer_annotations"):
        at = original.find(name)
        while at != -1:
            for shift in (0, 3):
                broken = bytearray(original)
                broken[at + shift] = 0x80
                assert import_file("theirs.loupe", bytes(broken)) in ("refused", "imported")
            at = original.find(name, at + 1)
