"""The CSV guard, as a spreadsheet meets it: no cell whose first visible character starts a formula
(`= + - @`, or a tab, CR or LF, also behind leading spaces) reaches Excel unguarded; every row and
cell arrives; and Loupe's own import gets back exactly what the project held.

The rule is checked against an oracle written from the issue's words, not from the code, over
generated cells (every dangerous start, leading spaces and other invisible characters, quotes,
commas, line breaks, emoji, right-to-left text) through both guards: the SQL one of the
annotation export and the Python one of every other table (entities, agreement).
"""

from __future__ import annotations

import csv
import re
import sys
import tempfile
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.cli import export_csv
from app.formats import loupe_csv
from app.formats.csv_export import COLUMNS, GUARD_SKIPPED, unneutralise, write_table_file
from app.model import Document, Grade, TagType
from app.offsets import new_annotation
from app.store import Store
from db import repository as repo
from db.connection import open_db
from tests.reliability.scale import pick

FORMULA = "=+-@\t\r\n"
# The rule: a formula character first, or after leading spaces.
AFTER_SPACES = re.compile(r" *[=+\-@\t\r\n]")
# Unseen characters a reader may skip, stated without the code's list: every Unicode white space,
# every control character, and the zero-width and direction marks.
MARKS = "\u200b\u200c\u200d\u200e\u200f\u061c\u2060\ufeff\u202a\u202b\u202c\u202d\u202e"
UNSEEN = MARKS + "".join(  # no white space or control character lies above U+3000
    c for c in map(chr, range(1, 0x3001)) if c.isspace() or unicodedata.category(c) == "Cc"
)


def spreadsheet_reads_a_formula(cell: str) -> bool:
    visible = cell.lstrip(UNSEEN)
    return bool(AFTER_SPACES.match(cell)) or (visible[:1] != "" and visible[0] in "=+-@")


# ------------------------------------------------------------------ generated cells

SPACES = st.text(st.sampled_from([" ", " ", " ", "\u00a0", "\u3000", "\u2009", "\u200b",
                                  "\u200f", "\u061c", "\x0b", "\ufeff"]), max_size=3)  # fmt: skip
ODD = st.sampled_from(['"', ",", '""', "\r", "\n", "\r\n", "'", " ", "=", "+", "-", "@", "\t",
                       "🇸🇾", "👩‍👩‍👧", "حمص", "دمشق", "עברית", "\u200f", ";", "A1"])  # fmt: skip
ANY_CHAR = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")
FREE = st.lists(st.one_of(ANY_CHAR, ODD), max_size=8).map("".join)
RISKY = st.tuples(SPACES, st.sampled_from(list(FORMULA + "'")), FREE).map("".join)
CELL = st.one_of(FREE, RISKY, st.tuples(SPACES, FREE).map("".join))
# Names (tag types, entities, annotators) are stored trimmed, single-spaced, without controls.
NAME_CHAR = st.characters(blacklist_categories=("Cs", "Cc", "Cf", "Zl", "Zp"))
NAME = st.tuples(st.sampled_from(["", *"=+-@'"]), st.text(NAME_CHAR, max_size=8)).map(
    lambda parts: " ".join("".join(parts).split())
)
QUOTE = st.one_of(RISKY, FREE, CELL).filter(str.strip)


def assert_guarded_as_excel_sees_it(original: str, written: str) -> None:
    assert not spreadsheet_reads_a_formula(written), (original, written)
    assert written in (original, "'" + original)
    if original.startswith("'") or spreadsheet_reads_a_formula(original):
        assert written == "'" + original
    assert unneutralise(written) == original


def read_back(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


@settings(max_examples=pick(ci=150, large=5000), deadline=None)
@given(st.lists(st.lists(CELL, min_size=1, max_size=6), max_size=6))
def test_any_table_reaches_the_spreadsheet_inert_with_every_row_and_cell(rows):
    """The Python guard: entity lists and agreement figures are written through it."""
    header = [f"column {i}" for i in range(6)]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "table.csv"
        assert write_table_file([header, *rows], path) == len(rows)
        back = read_back(path)
    assert back[0] == header
    assert [len(r) for r in back[1:]] == [len(r) for r in rows]
    for row, written_row in zip(rows, back[1:], strict=True):
        for original, written in zip(row, written_row, strict=True):
            assert_guarded_as_excel_sees_it(original, written)


@st.composite
def projects(draw) -> list[dict]:
    """Documents, each with annotations whose every text cell was drawn above."""
    documents = []
    for _ in range(draw(st.integers(1, 3))):
        pieces = draw(st.lists(st.tuples(FREE, QUOTE), min_size=1, max_size=4))
        anns = [
            {"entity": draw(NAME), "note": draw(CELL), "annotator": draw(NAME),
             "grade": Grade(draw(st.sampled_from([None, 1, 3, 6])),
                            draw(st.sampled_from([None, "A", "F"])))}
            for _ in pieces
        ]  # fmt: skip
        documents.append(
            {"title": draw(CELL), "source": draw(CELL), "url": draw(CELL), "pieces": pieces,
             "anns": anns, "extra_type": draw(st.booleans())}
        )  # fmt: skip
    return documents


def build(db, documents: list[dict]) -> None:
    with db.atomic():
        custom = repo.insert_tag_type(db, TagType(None, "=Weapon", "entity", "#CC79A7"))
        actor = repo.find_tag_type(db, "Actor")
        for number, spec in enumerate(documents):
            text, spans = "", []
            for before, quote in spec["pieces"]:
                text += before
                spans.append((len(text), len(text) + len(quote)))
                text += quote
            doc = repo.insert_document(db, Document(None, spec["title"], text, f"h{number}",
                                                    spec["source"], spec["url"]))  # fmt: skip
            tag = custom if spec["extra_type"] else actor
            repo.insert_annotations(
                db,
                [new_annotation(text, doc.id, start, end, tag.id, **ann)
                 for (start, end), ann in zip(spans, spec["anns"], strict=True)],
            )  # fmt: skip


@settings(
    max_examples=pick(ci=60, large=3000),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(projects())
def test_a_project_export_is_inert_complete_and_comes_back_through_loupes_import(documents):
    db = open_db(None)
    try:
        build(db, documents)
        stored = {a.id: a for s in repo.list_document_summaries(db)
                  for a in repo.annotations_for_document(db, s.id)}  # fmt: skip
        docs = {s.id: repo.get_document(db, s.id) for s in repo.list_document_summaries(db)}
        types = {t.id: t.name for t in repo.list_tag_types(db)}
        with tempfile.TemporaryDirectory() as folder:
            path, cli_path = Path(folder) / "window.csv", Path(folder) / "cli.csv"
            assert Store(db).export_csv(str(path)) == len(stored)  # the window's export
            export_csv(db, cli_path)  # loupe export-csv
            data = path.read_bytes()
            assert cli_path.read_bytes() == data
            back = read_back(path)
    finally:
        db.close()

    assert back[0] == list(COLUMNS)
    assert len(back) == len(stored) + 1 and all(len(r) == len(COLUMNS) for r in back)
    for record in back[1:]:
        ann = stored[unneutralise(record[0])]
        doc = docs[ann.document_id]
        originals = {
            "annotation_id": ann.id, "document_id": str(doc.id), "document_title": doc.title,
            "source": doc.source, "url": doc.url, "start": str(ann.start), "end": str(ann.end),
            "quote": ann.quote, "prefix": ann.prefix, "suffix": ann.suffix,
            "tag_type": types[ann.tag_type_id], "entity": ann.entity,
            "credibility": str(ann.grade.credibility or ""),
            "reliability": ann.grade.reliability or "", "note": ann.note,
            "annotator": ann.annotator, "created_at": ann.created_at,
            "updated_at": ann.updated_at,
        }  # fmt: skip
        for column, written in zip(COLUMNS, record, strict=True):
            assert_guarded_as_excel_sees_it(originals[column], written)

    parsed = loupe_csv.parse(data, "window.csv")
    assert len(parsed.annotations) == len(stored)
    for got in parsed.annotations:
        ann = stored[got.id]
        assert (got.start, got.end, got.exact, got.prefix, got.suffix) == (
            ann.start, ann.end, ann.quote, ann.prefix, ann.suffix)  # fmt: skip
        assert (got.tag_type, got.entity, got.grade, got.note, got.creator) == (
            types[ann.tag_type_id], ann.entity, ann.grade, ann.note, ann.annotator)  # fmt: skip
        assert (got.created, got.modified) == (ann.created_at, ann.updated_at)
        assert got.document_key == str(ann.document_id)
    for got in parsed.documents:
        doc = docs[int(got.key)]
        assert (got.title, got.url, got.source) == (doc.title, doc.url, doc.source)


# ------------------------------------------------------------------ the rule itself


@pytest.mark.parametrize(
    "cell",
    ["=1+2", "  =1+2", " +1", "   -2", " @SUM(A1)", "\n=1", " \n=1", "\t=1", " \t=1", "\r=1",
     "\u00a0=1", "\u3000=1", "\u200b=1", "\u200f@x", "\ufeff+1", "'", "'=1"],
)  # fmt: skip
def test_formula_starts_are_guarded_in_the_project_export_and_the_tables(cell, tmp_path):
    db = open_db(None)
    try:
        with db.atomic():
            doc = repo.insert_document(db, Document(None, cell, "Homs fell.", "h"))
            tag = repo.find_tag_type(db, "Actor")
            repo.insert_annotations(db, [new_annotation(doc.text, doc.id, 0, 4, tag.id, note=cell)])
        export_csv(db, tmp_path / "out.csv")
    finally:
        db.close()
    record = dict(zip(COLUMNS, read_back(tmp_path / "out.csv")[1], strict=True))
    assert record["document_title"] == record["note"] == "'" + cell
    write_table_file([["cell"], [cell]], tmp_path / "table.csv")
    assert read_back(tmp_path / "table.csv")[1] == ["'" + cell]


def test_the_skipped_characters_include_all_white_space_but_the_guarded_tab_cr_and_lf():
    white = {chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()}
    assert white - set(GUARD_SKIPPED) == set("\t\r\n")
    assert not set(GUARD_SKIPPED) & set(FORMULA + "'")
    assert set(UNSEEN) <= set(GUARD_SKIPPED) | set("\t\r\n")
