"""The headless commands, run the way a shell runs them: through `main.main` and as a process.

Every failing command must leave the project byte-identical, print one line (no traceback) and
return non-zero; the CLI path must never import PySide6 or pyqtgraph.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

import main
from app import cli
from app.formats.csv_export import unneutralise
from app.model import Grade
from db import repository
from db.connection import open_db

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = "Talks in Geneva\n\nPresident Bashar al-Assad met Lavrov.\nThe president said =1+1.\n"
EMOJI_ARTICLE = "🎉🎉 Flags 🇸🇾🇷🇺 first, then Homs fell, said Ахмед.\n"


@pytest.fixture(autouse=True)
def private_settings(tmp_path, monkeypatch):
    """Never read or write the real user's settings or default project."""
    monkeypatch.setattr(cli, "default_config_path", lambda: tmp_path / "config" / "settings.json")
    monkeypatch.setattr(cli, "default_db_path", lambda: tmp_path / "data" / "deep" / "loupe.db")


@pytest.fixture
def run(capsys):
    def run(*argv: object) -> tuple[int, str, str]:
        rc = main.main([str(a) for a in argv])
        out, err = capsys.readouterr()
        assert "Traceback" not in err
        return rc, out, err

    return run


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


@pytest.fixture
def project(tmp_path, run):
    """A project on disk with ARTICLE as document 1 and EMOJI_ARTICLE as document 2."""
    p = tmp_path / "p.db"
    files = write(tmp_path, "a.txt", ARTICLE), write(tmp_path, "e.txt", EMOJI_ARTICLE)
    assert run("add", *files, "--db", p)[0] == 0
    return p


def stored(p: Path):
    db = open_db(p)
    try:
        return [a for d in (1, 2) for a in repository.annotations_for_document(db, d)]
    finally:
        db.close()


def span(text: str, needle: str) -> tuple[int, int]:
    start = text.index(needle)
    return start, start + len(needle)


# ---------------------------------------------------------------- add


def test_add_prints_ids_and_titles(tmp_path, run):
    md = write(tmp_path, "b.md", "\n## Damascus  \n\nRebels advance.\n")
    rc, out, err = run("add", write(tmp_path, "a.txt", ARTICLE), md, "--db", tmp_path / "p.db")
    assert (rc, out, err) == (0, "1\tTalks in Geneva\n2\tDamascus\n", "")


def test_add_reports_texts_already_present_and_adds_the_rest(project, tmp_path, run):
    crlf = write(tmp_path, "copy.txt", ARTICLE.replace("\n", "\r\n"))  # same text once normalised
    new = write(tmp_path, "new.txt", "Another story.\n")
    rc, out, err = run("add", crlf, new, new, "--db", project)
    assert rc == 0
    assert out == "1\tTalks in Geneva\n3\tAnother story.\n3\tAnother story.\n"
    lines = err.splitlines()
    assert lines[0] == (
        f"{crlf}: already in this project as document 1 (“Talks in Geneva”); not added again"
    )
    assert lines[1].startswith(f"{new}: already in this project as document 3")
    db = open_db(project)
    assert repository.count_documents(db) == 3
    db.close()


def test_add_with_one_bad_file_adds_nothing(tmp_path, run):
    good = write(tmp_path, "good.txt", ARTICLE)
    bad = write(tmp_path, "bad.txt", "Homs caf\xe9".encode("latin-1"))
    p = tmp_path / "p.db"
    rc, out, err = run("add", good, bad, "--db", p)
    assert rc == 1 and out == ""
    assert err.count("\n") == 1 and "bad.txt" in err and "UTF-8" in err
    assert not p.exists()


def test_add_refuses_a_db_in_a_missing_folder(tmp_path, run):
    rc, out, err = run("add", write(tmp_path, "a.txt", ARTICLE), "--db", tmp_path / "no" / "p.db")
    assert (rc, out) == (2, "") and err.count("\n") == 1 and "is missing" in err
    assert not (tmp_path / "no").exists()


def test_add_creates_the_default_project_folder(tmp_path, run):
    rc, out, _ = run("add", write(tmp_path, "a.txt", ARTICLE))
    assert (rc, out) == (0, "1\tTalks in Geneva\n")
    assert (tmp_path / "data" / "deep" / "loupe.db").is_file()


# ---------------------------------------------------------------- tag


def test_tag_entity_defaults_to_the_quote_on_one_line(project, run):
    start, end = span(ARTICLE, "Lavrov.\nThe president")
    rc, out, err = run("tag", 1, start, end, "actor", "--db", project, "--annotator", "K")
    assert rc == 0 and err == ""
    (ann,) = stored(project)
    assert out == f"{ann.id}\n"
    assert ann.quote == "Lavrov.\nThe president"
    assert ann.entity == "Lavrov. The president"
    assert (ann.start, ann.end, ann.annotator) == (start, end, "K")


def test_tag_entity_option_names_the_canonical_entity(project, run):
    for needle in ("Bashar al-Assad", "The president"):
        s, e = span(ARTICLE, needle)
        assert run("tag", 1, s, e, "Actor", "--entity", "Bashar al-Assad", "--db", project)[0] == 0
    rc, out, _ = run("counts", "--json", "--db", project)
    assert json.loads(out) == [{"type": "Actor", "entity": "Bashar al-Assad", "count": 2}]


def test_tag_credibility_with_reliability_stores_the_grade(project, run):
    s, e = span(ARTICLE, "The president said =1+1.")
    rc, _, _ = run(
        "tag", 1, s, e, "CREDIBILITY", "--credibility", "2", "--reliability", "b",
        "--note", "single source", "--db", project,
    )  # fmt: skip
    assert rc == 0
    (ann,) = stored(project)
    assert (ann.grade, ann.entity, ann.note) == (Grade(2, "B"), "", "single source")


def test_tag_counts_code_points_not_utf16_units(project, run):
    s, e = span(EMOJI_ARTICLE, "Homs")
    assert len(EMOJI_ARTICLE[:s].encode("utf-16-le")) // 2 == s + 6  # six astral characters before
    assert run("tag", 2, s, e, "Location", "--db", project)[0] == 0
    s, e = span(EMOJI_ARTICLE, "Ахмед")
    assert run("tag", 2, s, e, "Actor", "--db", project)[0] == 0
    assert [(a.quote, a.entity) for a in stored(project)] == [("Homs", "Homs"), ("Ахмед", "Ахмед")]


def test_tag_annotator_comes_from_settings_then_login(project, tmp_path, run, monkeypatch):
    s, e = span(ARTICLE, "Geneva")
    assert run("tag", 1, s, e, "Location", "--db", project)[0] == 0
    settings = tmp_path / "config" / "settings.json"
    settings.parent.mkdir()
    settings.write_text(json.dumps({"annotator": "R. Analyst"}), encoding="utf-8")
    assert run("tag", 1, s, e, "Location", "--db", project)[0] == 0
    assert [a.annotator for a in stored(project)] == [cli.os_user_name(), "R. Analyst"]


def test_tag_on_a_corpus_article_with_emoji(tmp_path, run, corpus_text):
    text = corpus_text("homs-rewrite.txt")
    first_astral = next(i for i, ch in enumerate(text) if ord(ch) > 0xFFFF)
    s = text.index("Homs", first_astral)
    p = tmp_path / "p.db"
    assert run("add", write(tmp_path, "rewrite.txt", text), "--db", p)[0] == 0
    assert run("tag", 1, s, s + 4, "Location", "--db", p)[0] == 0
    (ann,) = stored(p)
    assert (ann.quote, ann.prefix) == ("Homs", text[max(0, s - 32) : s])


def fingerprint(p: Path) -> tuple[str, list[str], list[str]]:
    digest = hashlib.sha256(p.read_bytes()).hexdigest()
    files = sorted(x.name for x in p.parent.iterdir() if x.name.startswith(p.name))
    conn = sqlite3.connect(p)
    try:
        return digest, files, list(conn.iterdump())
    finally:
        conn.close()


GRADE = ["1", "0", "5", "Credibility", "--credibility"]
ERRORS = {
    "unknown document": (["99", "0", "4", "Actor"], "no document 99"),
    "end past the text": (["1", "0", "9999", "Actor"], "not inside the document"),
    "reversed": (["1", "9", "4", "Actor"], "start must be smaller"),
    "negative start": (["1", "-3", "4", "Actor"], "not inside the document"),
    "white space only": (["1", "15", "17", "Actor"], "only white space"),
    "unknown type": (["1", "0", "5", "Weapon"], "Actor, Location, Credibility"),
    "credibility 7": ([*GRADE, "7"], "1–6"),
    "credibility word": ([*GRADE, "high"], "1–6"),
    "reliability G": ([*GRADE, "2", "--reliability", "G"], "A–F"),
    "credibility missing": (["1", "0", "5", "Credibility", "--reliability", "B"], "--credibility"),
    "entity on a grade": ([*GRADE, "2", "--entity", "X"], "--entity"),
    "grade on an entity": (["1", "0", "5", "Actor", "--credibility", "2"], "entity type"),
    "empty entity": (["1", "0", "5", "Actor", "--entity", "  "], "--entity is empty"),
}  # fmt: skip


@pytest.mark.parametrize("args, message", ERRORS.values(), ids=ERRORS.keys())
def test_tag_errors_say_why_and_write_nothing(project, run, args, message):
    assert ARTICLE[15:17] == "\n\n"
    s, e = span(ARTICLE, "Geneva")
    assert run("tag", 1, s, e, "Actor", "--db", project)[0] == 0  # one annotation already there
    before = fingerprint(project)
    rc, out, err = run("tag", *args, "--db", project)
    assert rc == 1 and out == ""
    assert err.count("\n") == 1 and err.startswith("loupe tag: ") and message in err
    assert fingerprint(project) == before


def test_tag_usage_error_exits_2_and_writes_nothing(project, run):
    before = fingerprint(project)
    rc, out, err = run("tag", "1", "zero", "4", "Actor", "--db", project)
    assert rc == 2 and out == "" and "invalid int value" in err
    assert fingerprint(project) == before


def test_commands_other_than_add_never_create_a_project(tmp_path, run):
    for args in (["tag", 1, 0, 4, "Actor"], ["counts"], ["export-csv", tmp_path / "o.csv"]):
        rc, _, err = run(*args, "--db", tmp_path / "typo.db")
        assert rc == 2 and "no Loupe project at" in err
    assert not (tmp_path / "typo.db").exists() and not (tmp_path / "o.csv").exists()


def test_a_file_that_is_not_a_project_is_refused_untouched(tmp_path, run):
    other = write(tmp_path, "notes.db", "just some notes, not SQLite\n")
    before = other.read_bytes()
    rc, out, err = run("counts", "--db", other)
    assert rc == 2 and out == "" and err.count("\n") == 1 and "not a Loupe project" in err
    assert other.read_bytes() == before


# ---------------------------------------------------------------- counts


@pytest.fixture
def tagged(project, run):
    for needle, type_name, entity in [
        ("Bashar al-Assad", "Actor", "Bashar al-Assad"),
        ("The president", "Actor", "Bashar al-Assad"),
        ("Lavrov", "Actor", "Сергей Лавров"),
        ("Geneva", "Location", "Geneva"),
    ]:
        s, e = span(ARTICLE, needle)
        assert run("tag", 1, s, e, type_name, "--entity", entity, "--db", project)[0] == 0
    s, e = span(EMOJI_ARTICLE, "Homs")
    assert run("tag", 2, s, e, "Location", "--entity", "=Homs", "--db", project)[0] == 0
    s, e = span(ARTICLE, "The president said =1+1.")
    args = ["--credibility", "3", "--reliability", "C", "--note", "@all", "--db", project]
    assert run("tag", 1, s, e, "Credibility", *args)[0] == 0
    return project


def test_counts_table_is_aligned(tagged, run):
    rc, out, err = run("counts", "--db", tagged)
    assert rc == 0 and err == ""
    lines = out.splitlines()
    assert lines[0].split() == ["type", "entity", "count"]
    assert lines[1].split() == ["Actor", "Bashar", "al-Assad", "2"]
    assert sorted(line.rsplit(None, 1)[1] for line in lines[2:]) == ["1"] * 4
    assert len({len(line) for line in lines}) == 1  # counts right-aligned in one column
    assert len({line.index(line.split()[1]) for line in lines}) == 1  # entities start together
    assert "Сергей Лавров" in out and "C3" in out


def test_counts_json_for_one_document(tagged, run):
    rc, out, _ = run("counts", "--json", "--document", 2, "--db", tagged)
    assert rc == 0 and json.loads(out) == [{"type": "Location", "entity": "=Homs", "count": 1}]
    rc, out, _ = run("counts", "--json", "--db", tagged)
    rows = json.loads(out)
    assert all(set(r) == {"type", "entity", "count"} for r in rows)
    assert sum(r["count"] for r in rows) == 6
    assert "Сергей Лавров" in out  # ensure_ascii=False


def test_counts_unknown_document(tagged, run):
    rc, out, err = run("counts", "--document", 7, "--db", tagged)
    assert rc == 1 and out == "" and "no document 7" in err and err.count("\n") == 1


# ---------------------------------------------------------------- export-csv


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return [{k: unneutralise(v) for k, v in row.items()} for row in csv.DictReader(f)]


def test_export_csv(tagged, tmp_path, run):
    out_path = tmp_path / "out.csv"
    rc, out, err = run("export-csv", out_path, "--db", tagged)
    assert (rc, out, err) == (0, "", f"6 annotations → {out_path}\n")
    raw = out_path.read_text(encoding="utf-8-sig")
    assert "'=Homs" in raw and "'@all" in raw and "'=1+1" not in raw  # quote starts with "The"
    rows = read_csv(out_path)
    assert {(r["entity"], r["credibility"], r["reliability"]) for r in rows} >= {
        ("=Homs", "", ""), ("", "3", "C"),
    }  # fmt: skip
    by_id = {a.id: a for a in stored(tagged)}
    assert {r["annotation_id"]: (int(r["start"]), int(r["end"]), r["quote"]) for r in rows} == {
        i: (a.start, a.end, a.quote) for i, a in by_id.items()
    }


def test_export_csv_one_document_and_errors(tagged, tmp_path, run):
    one = tmp_path / "one.csv"
    assert run("export-csv", one, "--document", 2, "--db", tagged)[2] == f"1 annotation → {one}\n"
    assert [r["quote"] for r in read_csv(one)] == ["Homs"]
    missing = tmp_path / "missing.csv"
    rc, _, err = run("export-csv", missing, "--document", 5, "--db", tagged)
    assert rc == 1 and "no document 5" in err and not missing.exists()
    rc, _, err = run("export-csv", tmp_path / "no" / "such" / "x.csv", "--db", tagged)
    assert rc == 1 and "does not exist" in err
    before = fingerprint(tagged)
    rc, _, err = run("export-csv", tagged, "--db", tagged)
    assert rc == 1 and "project database itself" in err and fingerprint(tagged) == before


# ---------------------------------------------------------------- as real processes


def subprocess_env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "cfg"), "XDG_DATA_HOME": str(tmp_path)}


def test_main_py_runs_as_a_process(tmp_path):
    p, article = tmp_path / "p.db", write(tmp_path, "e.txt", EMOJI_ARTICLE)
    s, e = span(EMOJI_ARTICLE, "Ахмед")
    env = subprocess_env(tmp_path)
    for argv, expected in [
        (["add", article], "1\t🎉🎉 Flags 🇸🇾🇷🇺 first, then Homs fell, said Ахмед.\n"),
        (["tag", "1", str(s), str(e), "Actor"], None),
        (["counts", "--json"], '[\n  {\n    "type": "Actor",\n    "entity": "Ахмед",'),
    ]:
        done = subprocess.run(
            [sys.executable, "main.py", *map(str, argv), "--db", str(p)],
            cwd=ROOT, env=env, capture_output=True, encoding="utf-8", timeout=60,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert expected is None or done.stdout.startswith(expected)
    done = subprocess.run(
        [sys.executable, "main.py", "counts", "--document", "9", "--db", str(p)],
        cwd=ROOT, env=env, capture_output=True, encoding="utf-8", timeout=60,
    )  # fmt: skip
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.count("\n") == 1


@pytest.mark.parametrize("command", cli.COMMANDS)
def test_no_qt_is_imported_on_the_cli_path(project, tmp_path, command):
    s, e = span(ARTICLE, "Geneva")
    if command in ("import", "agreement"):  # both need a colleague's layer or tags first
        colleague = tmp_path / "colleague.db"
        shutil.copyfile(project, colleague)
        assert main.main(["tag", "1", str(s), str(e), "Location", "--annotator", "kim",
                                 "--db", str(colleague)]) == 0  # fmt: skip
    if command == "agreement":
        assert main.main(["import", str(colleague), "--as", "Kim", "--db",
                                 str(project)]) == 0  # fmt: skip
        assert main.main(["tag", "1", str(s), str(e), "Location", "--annotator", "me",
                                 "--db", str(project)]) == 0  # fmt: skip
    argv = {
        "add": ["add", str(write(tmp_path, "n.txt", "New text.\n"))],
        "tag": ["tag", "1", str(s), str(e), "Location"],
        "counts": ["counts"],
        "export-csv": ["export-csv", str(tmp_path / "x.csv")],
        "export-w3c": ["export-w3c", str(tmp_path / "x.json")],
        "import": ["import", str(tmp_path / "colleague.db")],
        "agreement": ["agreement", "--a", "me", "--b", "Kim"],
        "suggest": ["suggest", "1", "--accept-all"],
        "entities": ["entities", "--json"],
    }[command] + ["--db", str(project)]
    script = (
        "import sys, main\n"
        f"rc = main.main({argv!r})\n"
        "assert rc == 0, rc\n"
        "qt = ('PySide6', 'pyqtgraph', 'shiboken6')\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in qt]\n"
        "assert not bad, bad\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=subprocess_env(tmp_path),
        capture_output=True, encoding="utf-8", timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
