"""The review workflow from a shell: export-w3c, import, agreement — and no Qt on these paths."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys

import main
from tests.conftest import ROOT

SAMPLE = ROOT / "resources" / "sample_article.txt"


def run(*args) -> int:
    return main.main([str(a) for a in args])


def sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _projects(tmp_path):
    a, b = tmp_path / "a.loupe", tmp_path / "b.loupe"
    text = SAMPLE.read_text(encoding="utf-8")
    s1, s2 = text.index("Northern Freedom Front"), text.index("NFF")
    for project, who, second in ((a, "ana", "Actor"), (b, "bo", "Location")):
        assert run("add", SAMPLE, "--db", project) == 0
        assert run("tag", 1, s1, s1 + 22, "Actor", "--annotator", who, "--db", project) == 0
        assert run("tag", 1, s2, s2 + 3, second, "--annotator", who, "--db", project) == 0
    return a, b


def test_export_import_and_agreement(tmp_path, capsys):
    a, b = _projects(tmp_path)
    out = tmp_path / "ana.json"
    assert run("export-w3c", out, "--annotator", "ana", "--db", a) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["type"] == "AnnotationCollection" and data["total"] == 2
    capsys.readouterr()
    assert run("import", out, "--as", "Ana", "--db", b) == 0
    assert "2 anchored, 0 moved, 0 need review, 0 orphans" in capsys.readouterr().out
    assert run("agreement", "--a", "bo", "--b", "Ana", "--json", "--db", b) == 0
    figures = json.loads(capsys.readouterr().out)["overall"]["overall"]
    assert (figures["agree"], figures["conflict"], figures["only_a"], figures["only_b"]) == (
        1, 1, 0, 0,
    )  # fmt: skip
    assert run("import", a, "--as", "Ana-project", "--db", b) == 0  # a Loupe project file
    assert "2 anchored" in capsys.readouterr().out


def test_bad_files_and_names_write_nothing(tmp_path, capsys):
    _, b = _projects(tmp_path)
    before = sha(b)
    bad = tmp_path / "bad.json"
    bad.write_text('{"type": "AnnotationCollection", "total": NaN}', encoding="utf-8")
    assert run("import", bad, "--db", b) == 1
    err = capsys.readouterr().err
    assert "bad.json" in err and "NaN" in err and "Traceback" not in err
    other = tmp_path / "x.txt"
    other.write_text("hello", encoding="utf-8")
    assert run("import", other, "--db", b) == 1
    assert "cannot read" in capsys.readouterr().err
    assert run("agreement", "--a", "nobody", "--b", "bo", "--db", b) == 1
    assert "neither a layer nor an annotator" in capsys.readouterr().err
    assert sha(b) == before


def test_review_commands_import_no_qt(tmp_path):
    a, b = _projects(tmp_path)
    out = tmp_path / "o.json"
    for argv in (
        ["export-w3c", str(out), "--db", str(a)],
        ["import", str(out), "--db", str(b)],
        ["agreement", "--a", "bo", "--b", "ana", "--db", str(b)],
    ):
        code = (
            f"import sys, main; rc = main.main({argv!r}); "
            "assert not [m for m in sys.modules if m.startswith(('PySide6', 'pyqtgraph'))]; "
            "sys.exit(rc)"
        )
        done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                              text=True, timeout=60)  # fmt: skip
        assert done.returncode == 0, done.stderr
