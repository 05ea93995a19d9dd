"""`loupe suggest`: the window's suggestions from a shell — listed, rejected ones skipped, and
all accepted in one transaction."""

from __future__ import annotations

import json

import pytest

import main
from app import cli
from db import repository
from db.connection import open_db

TEXT = (
    "Jolani spoke in Idlib. Later al-Julani said JOLANI would hold Idlib.\n"
    "Idlibi traders and the Jolani-led group met in Идлиб.\n"
)


@pytest.fixture(autouse=True)
def private_settings(tmp_path, monkeypatch):
    monkeypatch.setattr(cli, "default_config_path", lambda: tmp_path / "config" / "settings.json")
    monkeypatch.setattr(cli, "default_db_path", lambda: tmp_path / "data" / "loupe.db")


@pytest.fixture
def project(tmp_path):
    path = tmp_path / "p.loupe"
    article = tmp_path / "idlib.txt"
    article.write_text(TEXT, encoding="utf-8")
    assert main.main(["add", str(article), "--db", str(path)]) == 0
    at = TEXT.index("Idlib")
    assert main.main(["tag", "1", str(at), str(at + 5), "Location", "--db", str(path)]) == 0
    assert main.main(["tag", "1", "0", "6", "Actor", "--db", str(path)]) == 0
    return path


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_lists_untagged_mentions_at_word_boundaries(project, capsys):
    code, out, _ = run(capsys, "suggest", "1", "--json", "--db", str(project))
    found = [(r["start"], r["quote"], r["type"], r["entity"]) for r in json.loads(out)]
    second_idlib = TEXT.index("Idlib", TEXT.index("Idlib") + 1)
    assert code == 0 and found == [
        (TEXT.index("JOLANI"), "JOLANI", "Actor", "Jolani"),
        (second_idlib, "Idlib", "Location", "Idlib"),
        (TEXT.index("Jolani-led"), "Jolani", "Actor", "Jolani"),
    ]  # not "Idlibi", not "al-Julani" (undeclared), not the Cyrillic spelling (undeclared)
    code, out, _ = run(capsys, "suggest", "1", "--db", str(project))
    assert out.splitlines()[0].split("\t") == [
        str(TEXT.index("JOLANI")), str(TEXT.index("JOLANI") + 6), "Actor", "Jolani", "JOLANI"
    ]  # fmt: skip


def test_rejected_suggestions_are_skipped_and_accept_all_tags_the_rest(project, capsys):
    db = open_db(project)
    with db.atomic():
        jolani = repository.entities.find_entity(db, 1, "Jolani")
        at = TEXT.index("JOLANI")
        repository.entities.reject_suggestion(db, 1, at, at + 6, jolani)
    db.close()
    code, out, _ = run(capsys, "suggest", "1", "--accept-all", "--annotator", "kim",
                       "--db", str(project))  # fmt: skip
    assert code == 0 and len(out.split()) == 2  # two new annotation ids
    db = open_db(project)
    try:
        made = [a for a in repository.annotations_for_document(db, 1) if a.annotator == "kim"]
        assert sorted((a.quote, a.entity) for a in made) == [("Idlib", "Idlib"),
                                                             ("Jolani", "Jolani")]  # fmt: skip
    finally:
        db.close()
    code, out, _ = run(capsys, "suggest", "1", "--db", str(project))
    assert code == 0 and out == ""


def test_an_unknown_document_is_one_line_and_writes_nothing(project, capsys):
    before = project.read_bytes()
    code, _, err = run(capsys, "suggest", "9", "--accept-all", "--db", str(project))
    assert code == 1 and "no document 9" in err and err.count("\n") == 1
    assert project.read_bytes() == before


def test_tags_from_the_shell_teach_aliases_as_the_window_does(project, capsys):
    """A quote tagged as an entity under another name becomes one of its aliases (the window's
    rule, app/alias_collect.py), from `loupe tag` and from `loupe suggest --accept-all`; and the
    new alias is then suggested like any name."""
    at = TEXT.index("al-Julani")
    code, _, _ = run(capsys, "tag", "1", str(at), str(at + 9), "Actor", "--entity", "Jolani",
                     "--db", str(project))  # fmt: skip
    assert code == 0
    db = open_db(project)
    try:
        (jolani,) = [e for e in repository.entities.list_entities(db) if e.name == "Jolani"]
        assert jolani.aliases == ("al-Julani",)
    finally:
        db.close()
    code, out, _ = run(capsys, "entities", "--json", "--db", str(project))
    listed = next(e for e in json.loads(out) if e["name"] == "Jolani")
    assert "al-Julani" in listed["aliases"]
    # Accepting "JOLANI" teaches nothing new: it is the name's own form, case aside.
    code, _, _ = run(capsys, "suggest", "1", "--accept-all", "--db", str(project))
    db = open_db(project)
    try:
        (jolani,) = [e for e in repository.entities.list_entities(db) if e.name == "Jolani"]
        assert jolani.aliases == ("al-Julani",) and jolani.mentions == 4
    finally:
        db.close()
