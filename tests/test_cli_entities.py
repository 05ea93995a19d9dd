"""`loupe entities`: the registry listed from a shell, as text and as JSON."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import main
from app import cli
from app.articles import make_document
from app.offsets import new_annotation
from db.connection import open_db

ROOT = Path(__file__).resolve().parent.parent
TEXT = (
    "Abu Mohammad al-Jolani spoke in Idlib. Jolani said HTS would hold Idlib.\n"
    "In Hama, al-Julani was not seen; Ахмед was.\n"
)


@pytest.fixture(autouse=True)
def private_settings(tmp_path, monkeypatch):
    monkeypatch.setattr(cli, "default_config_path", lambda: tmp_path / "config" / "settings.json")
    monkeypatch.setattr(cli, "default_db_path", lambda: tmp_path / "data" / "loupe.db")


@pytest.fixture
def project(tmp_path, qapp):
    """Tagged through the Store, as the window does, so tagged spellings become aliases."""
    from app.store import Store

    path = tmp_path / "p.loupe"
    db = open_db(path)
    try:
        store = Store(db)
        (one,) = store.add_documents([make_document(TEXT, title="Idlib")])
        (two,) = store.add_documents([make_document("Jolani again.\n", title="Second")])

        def tag(doc, text, quote, entity, tag_type):
            start = text.index(quote)
            store.add_annotations(
                [new_annotation(text, doc.id, start, start + len(quote), tag_type, entity=entity)]
            )

        tag(one, TEXT, "Abu Mohammad al-Jolani", "Abu Mohammad al-Jolani", 1)
        tag(one, TEXT, "Jolani said", "Abu Mohammad al-Jolani", 1)
        tag(one, TEXT, "al-Julani", "Abu Mohammad al-Jolani", 1)
        tag(two, "Jolani again.\n", "Jolani", "Abu Mohammad al-Jolani", 1)
        tag(one, TEXT, "Ахмед", "Ахмед", 1)
        tag(one, TEXT, "Idlib", "Idlib", 2)
        tag(one, TEXT, "Hama", "Hama", 2)
        jolani = store.entity_id(1, "Abu Mohammad al-Jolani")
        store.add_alias(jolani, "Jolani")
        store.remove_alias(jolani, "Jolani said")
    finally:
        db.close()
    return path


def run(capsys, *argv):
    rc = main.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return rc, out, err


def test_table_lists_every_entity_with_counts_and_aliases(project, capsys):
    rc, out, err = run(capsys, "entities", "--db", project)
    assert rc == 0 and err == ""
    assert out.splitlines() == [
        "type      name                    mentions  documents  aliases",
        "Actor     Abu Mohammad al-Jolani         4          2  al-Julani | Jolani",
        "Actor     Ахмед                          1          1",
        "Location  Hama                           1          1",
        "Location  Idlib                          1          1",
    ]


def test_json_and_the_type_filter_in_any_case(project, capsys):
    rc, out, _ = run(capsys, "entities", "--type", "aCtOr", "--json", "--db", project)
    assert rc == 0
    assert json.loads(out) == [
        {"type": "Actor", "name": "Abu Mohammad al-Jolani", "aliases": ["al-Julani", "Jolani"],
         "mentions": 4, "documents": 2},
        {"type": "Actor", "name": "Ахмед", "aliases": [], "mentions": 1, "documents": 1},
    ]  # fmt: skip
    assert "Ахмед" in out  # not \u-escaped


def test_unknown_or_non_entity_type_is_one_line_and_non_zero(project, capsys):
    before = project.read_bytes()
    rc, out, err = run(capsys, "entities", "--type", "Weapon", "--db", project)
    assert rc == 1 and out == ""
    assert err == (
        "loupe entities: unknown tag type “Weapon”; this project's entity types are: "
        "Actor, Location.\n"
    )
    rc, _, err = run(capsys, "entities", "--type", "credibility", "--db", project)
    assert rc == 1 and "no entities for the tag type" in err and err.count("\n") == 1
    assert project.read_bytes() == before


def test_empty_registry_and_missing_project(tmp_path, capsys):
    path = tmp_path / "empty.loupe"
    open_db(path).close()
    rc, out, err = run(capsys, "entities", "--db", path)
    assert (rc, out, err) == (0, "", "no entities yet\n")
    rc, out, _ = run(capsys, "entities", "--json", "--db", path)
    assert (rc, json.loads(out)) == (0, [])
    rc, _, err = run(capsys, "entities", "--db", tmp_path / "nope.loupe")
    assert rc == 2 and "no Loupe project" in err


def test_runs_as_a_process_without_qt(project, tmp_path):
    script = (
        "import sys, main\n"
        f"rc = main.main(['entities', '--json', '--db', {str(project)!r}])\n"
        "assert rc == 0, rc\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', "
        "'pyqtgraph')]\n"
        "assert not bad, bad\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, encoding="utf-8",
        timeout=60, env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)[0]["name"] == "Abu Mohammad al-Jolani"
