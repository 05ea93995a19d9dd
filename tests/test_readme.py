"""The README is the newcomer's contract: its commands are the ones CI runs, its shortcuts are the
window's, and its screenshot exists."""

from __future__ import annotations

import re

from tests.conftest import ROOT
from tests.gui_helpers import make_window

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _code_blocks_after(heading_phrase: str) -> str:
    part = README[README.index(heading_phrase) :]
    return re.search(r"```sh\n(.+?)\n```", part, re.S).group(1).strip()


def test_ci_runs_the_readme_test_command_verbatim():
    command = _code_blocks_after("Install and run the tests")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert command in ci.splitlines()
    assert "pytest" in command and "[test]" in command


def test_readme_install_command_installs_and_starts_the_app():
    command = _code_blocks_after("Install and start the app")
    assert "pip install -e ." in command and command.endswith(".venv/bin/loupe")


def test_screenshot_is_there():
    png = ROOT / "docs" / "screenshot.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 20_000


def test_every_window_shortcut_is_in_the_readme_table(qtbot, db):
    table = README[README.index("## Keyboard shortcuts") : README.index("## Command line")]
    window = make_window(qtbot, db)
    for keys, action in window.shortcut_rows():
        for key in keys.split(", "):
            if len(key) == 1 and key.isdigit():
                assert re.search(rf"\b{key}\b", table), f"tag key {key} ({action}) missing"
            else:
                assert key in table, f"{key} ({action}) is not in the README's shortcut table"


def test_every_picture_the_readme_shows_is_there():
    pictures = re.findall(r"!\[[^\]]*\]\(([^)]+\.png)\)", README)
    assert len(pictures) >= 5
    for picture in pictures:
        png = ROOT / picture
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000, png
