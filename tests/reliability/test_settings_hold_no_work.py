"""Settings hold no analyst data. Per-user settings are the one thing written outside the project
file, and QSettings-style stores are flushed lazily (a kill -9 loses what they held): so nothing an
analyst makes (articles, tags, notes, entities, a colleague's layer) may live there. It all goes to
the project, committed with each action.

A real window runs in a child process whose home and XDG folders are fresh, and an analyst's
session is played in it: open an article, tag it through the real prompts, edit a note, grade a
claim, review a colleague's file, change preferences, quit. Everything typed carries a marker; after
the session no file the app wrote outside the project holds one, except the analyst's name in
settings.json, which proves the search would see one.

    python -m tests.reliability.test_settings_hold_no_work PROJECT ARTICLE COLLEAGUE  (the child)
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MARK = "MARK-"  # every marker starts so; none occurs in Loupe's own files
ARTICLE = (
    "MARK-ARTICLE-TITLE\nThe convoy of MARK-ARTICLE-ACTOR reached MARK-ARTICLE-PLACE at dawn, "
    "said a MARK-ARTICLE-CLAIM source in حمص 🇸🇾.\n"
)


def test_no_code_uses_qsettings():
    """Loupe's preferences live in settings.json (app/user_settings.py, written atomically); a
    second store would need this test's review first. Names in code count, not in comments."""
    sources = [ROOT / "main.py"]
    sources += [p for folder in ("app", "db", "widgets") for p in (ROOT / folder).rglob("*.py")]
    users = []
    for path in sources:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        nodes = list(ast.walk(tree))
        names = {getattr(node, "id", None) or getattr(node, "attr", None) for node in nodes}
        names |= {a.name for node in nodes if isinstance(node, ast.ImportFrom) for a in node.names}
        if "QSettings" in names:
            users.append(path.relative_to(ROOT))
    assert users == []


def test_a_gui_session_writes_no_analyst_data_outside_the_project(tmp_path):
    home = tmp_path / "home"
    project, inputs = tmp_path / "projects" / "case.loupe", tmp_path / "inputs"
    for folder in (home, project.parent, inputs):
        folder.mkdir()
    article = inputs / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    colleague = inputs / "colleague.json"
    env = {
        **os.environ, "HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local/share"), "XDG_CACHE_HOME": str(home / ".cache"),
        "XDG_STATE_HOME": str(home / ".local/state"), "QT_QPA_PLATFORM": "offscreen",
    }  # fmt: skip
    child = [sys.executable, "-m", "tests.reliability.test_settings_hold_no_work"]
    done = subprocess.run(
        [*child, str(project), str(article), str(colleague)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    session = json.loads(done.stdout.strip().splitlines()[-1])
    # The session really made things: each kind is in the project, marked.
    assert session["annotations"] == 2 and session["layers"] == 1, session
    project_bytes = b"".join(p.read_bytes() for p in project.parent.iterdir())
    for marker in ("MARK-ARTICLE-ACTOR", "MARK-TYPED-1", "MARK-TYPED-2", "MARK-COLLEAGUE-NOTE"):
        assert marker.encode() in project_bytes, marker

    written = {p.relative_to(home): p.read_bytes() for p in home.rglob("*") if p.is_file()}
    settings = Path(".config/Loupe/settings.json")
    assert settings in written, sorted(written)
    name = session["annotator"]  # typed into Edit ▸ Annotator name…: a setting, rightly
    assert name.startswith(MARK) and name.encode() in written[settings], "the search must see it"
    leaks = {str(file): [m for m in _markers(data) if m != name] for file, data in written.items()}
    assert {name: found for name, found in leaks.items() if found} == {}, sorted(written)


def _markers(data: bytes) -> list[str]:
    text = data.decode("utf-8", "replace") + data.decode("utf-16-le", "replace")
    found, at = [], text.find(MARK)
    while at != -1:
        end = at + len(MARK)
        while end < len(text) and (text[end].isalnum() or text[end] == "-"):
            end += 1
        found.append(text[at:end])
        at = text.find(MARK, end)
    return found


# ------------------------------------------------------------------ the child: one session


def _answer_dialogs(typed: list[int]) -> None:
    """Plays the analyst at every dialog: types a fresh marker into its text fields, then OK."""
    from PySide6.QtWidgets import (
        QApplication,
        QDialog,
        QLineEdit,
        QMessageBox,
        QPlainTextEdit,
        QTextEdit,
    )  # fmt: skip

    dialog = QApplication.activeModalWidget()
    if dialog is None:
        return
    if isinstance(dialog, QMessageBox):
        button = dialog.button(QMessageBox.StandardButton.Yes) or dialog.defaultButton()
        (button or dialog.buttons()[0]).click()
        return
    typed[0] += 1
    marker = f"MARK-TYPED-{typed[0]}"
    for field in dialog.findChildren(QLineEdit):
        if field.isVisible() and field.isEnabled():
            field.setText(marker)
    for field in [*dialog.findChildren(QPlainTextEdit), *dialog.findChildren(QTextEdit)]:
        if field.isVisible() and not field.isReadOnly():
            field.setPlainText(f"{marker} note")
    if isinstance(dialog, QDialog):
        dialog.accept()


def _session(project: str, article: str, colleague: str) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QTextCursor
    from PySide6.QtWidgets import QApplication

    import main
    from app.formats import w3c
    from app.offsets import new_annotation
    from app.user_settings import UserSettings, default_config_path
    from widgets.main_window import MainWindow

    UserSettings(annotator="first name").save(default_config_path())  # not a first start
    app = QApplication([sys.argv[0]])
    typed = [0]
    answerer = QTimer(interval=20)
    answerer.timeout.connect(lambda: _answer_dialogs(typed))
    answerer.start()
    report = {}

    def select(w, needle: str) -> None:
        start = w.view.text.index(needle)
        u16 = lambda cp: len(w.view.text[:cp].encode("utf-16-le")) // 2  # noqa: E731
        cursor = w.view.textCursor()
        cursor.setPosition(u16(start))
        cursor.setPosition(u16(start + len(needle)), QTextCursor.MoveMode.KeepAnchor)
        w.view.setTextCursor(cursor)

    def play() -> None:
        try:
            act()
        except BaseException:  # a failed step ends the session instead of hanging it
            traceback.print_exc()
            os._exit(3)
        QTimer.singleShot(200, app.quit)

    def act() -> None:
        w = next(x for x in app.topLevelWidgets() if isinstance(x, MainWindow) and x.isVisible())
        (doc,) = w.open_files([article])
        w.open_document(doc.id)
        types = {t.name: t for t in w.store.tag_types()}
        select(w, "MARK-ARTICLE-ACTOR")
        actor = w.editor.tag_selection(types["Actor"].id)  # entity and note typed: MARK-TYPED-1
        w.editor.edit_note(w.store.annotation(actor.id))  # MARK-TYPED-2
        select(w, "MARK-ARTICLE-CLAIM")
        w.editor.tag_selection(types["Credibility"].id)
        theirs = new_annotation(doc.text, doc.id, doc.text.index("MARK-ARTICLE-PLACE"),
                                doc.text.index("MARK-ARTICLE-PLACE") + 18,
                                types["Location"].id, entity="MARK-COLLEAGUE-ENTITY",
                                note="MARK-COLLEAGUE-NOTE", annotator="Dana")  # fmt: skip
        w3c.write_file(colleague, [doc], [theirs], {t.id: t for t in types.values()})
        w.reviewing.review_file(colleague)
        w.set_snap_to_words(False)
        w.actions["annotator"].trigger()  # Edit ▸ Annotator name…, typed: a setting, rightly
        report.update(
            annotations=len(w.store.annotations(doc.id)), layers=len(w.store.layers()),
            annotator=w.settings.annotator,
        )  # fmt: skip

    QTimer.singleShot(0, play)
    status = main.run_gui(["--db", project])  # quits through the app's own close path
    print(json.dumps({**report, "status": status}))


if __name__ == "__main__":
    _session(*sys.argv[1:4])
