"""Render the README's pictures: docs/screenshot.png and docs/screenshots/*.png.

Run: `.venv/bin/python docs/render_screenshot.py` (offscreen; no display needed). The real window on
the bundled sample article plus three short made-up dispatches (below, written for this script),
tagged through the same undo commands the window uses, so each picture is what a user would see:
the main window with Ctrl+F's matches, search across documents with the list filtered, the Summary,
dark mode, Preferences and Help ▸ Keyboard shortcuts.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# (quote, occurrence, type name, entity or grade "B3", note)
SAMPLE_TAGS = [
    ("Northern Freedom Front", 1, "Actor", "Northern Freedom Front", ""),
    ("NFF", 1, "Actor", "Northern Freedom Front", ""),
    ("NFF", 2, "Actor", "Northern Freedom Front", ""),
    ("NFF", 3, "Actor", "Northern Freedom Front", ""),
    ("Port Aldane", 1, "Location", "Port Aldane", ""),
    ("Port Aldane", 2, "Location", "Port Aldane", ""),
    ("Port Aldane", 3, "Location", "Port Aldane", ""),
    ("Kestrel Valley", 1, "Location", "Kestrel Valley", ""),
    ("Ilyas Marrow", 1, "Actor", "Ilyas Marrow", ""),
    ("Marrow", 2, "Actor", "Ilyas Marrow", "called “the Teacher”"),
    ("Velmoran Ministry of Defence", 1, "Actor", "Velmoran Ministry of Defence", ""),
    ("Colonel Dana Reyes", 1, "Actor", "Dana Reyes", "ministry spokesperson"),
    ("Sorrel River bridge", 1, "Location", "Sorrel River bridge", ""),
    ("Greywater", 1, "Location", "Greywater", ""),
    ("Lintz", 1, "Location", "Lintz", ""),
    ("Aldane Observatory", 1, "Actor", "Aldane Observatory", ""),
    ("Merrin", 1, "Location", "Merrin", "capital"),
    ("the road to the capital is open", 1, "Credibility", "C3", "audio message, undated"),
    ("repelled every attempt", 1, "Credibility", "B4", ""),
    ("at least 40 civilian deaths", 1, "Credibility", "B2", "monitors' own count"),
]


def tag_sample(window) -> None:
    from app.commands import AddAnnotations
    from app.model import Grade
    from app.offsets import new_annotation

    text, doc_id = window.view.text, window.view.document_id
    types = {t.name: t for t in window.store.tag_types()}
    annotations = []
    for quote, occurrence, type_name, value, note in SAMPLE_TAGS:
        start = -1
        for _ in range(occurrence):
            start = text.index(quote, start + 1)
        tag = types[type_name]
        grade = Grade(int(value[1]), value[0]) if tag.kind == "credibility" else Grade()
        entity = value if tag.kind == "entity" else ""
        annotations.append(
            new_annotation(
                text,
                doc_id,
                start,
                start + len(quote),
                tag.id,
                entity=entity,
                grade=grade,
                note=note,
                annotator="analyst",
            )
        )
    window.undo_stack.push(AddAnnotations(window.store, annotations))


# Made-up dispatches (title, source, published, text) so search, filters and the summary have
# several documents, sources and dates to show. Names and places are those of the sample article.
DISPATCHES = [
    (
        "Ceasefire talks stall in Merrin",
        "Aldane Observer",
        "2025-03-02",
        "Talks in Merrin stalled on Sunday. Ilyas Marrow told reporters the Northern Freedom Front "
        "would not withdraw from Port Aldane. The claim that a ceasefire line was agreed cannot be "
        "independently verified.\n",
    ),
    (
        "Bridge at Greywater reopens",
        "Kestrel Valley Telegram channel",
        "2025-03-09",
        "The Sorrel River bridge near Greywater reopened to traffic, according to a post "
        "attributed to the Velmoran Ministry of Defence. Residents said NFF checkpoints remained "
        "on the road to Lintz.\n",
    ),
    (
        "Observatory counts displaced families",
        "Aldane Observatory",
        "2025-03-16",
        "The Aldane Observatory said 1,200 families had left Port Aldane since the advance began. "
        "Colonel Dana Reyes disputed the figure. Marrow called it propaganda.\n",
    ),
]
DISPATCH_TAGS = [  # (document index, quote, type name, entity or grade)
    (0, "Ilyas Marrow", "Actor", "Ilyas Marrow"),
    (0, "Northern Freedom Front", "Actor", "Northern Freedom Front"),
    (0, "Port Aldane", "Location", "Port Aldane"),
    (0, "a ceasefire line was agreed", "Credibility", "C4"),
    (1, "Greywater", "Location", "Greywater"),
    (1, "Velmoran Ministry of Defence", "Actor", "Velmoran Ministry of Defence"),
    (1, "NFF checkpoints remained", "Credibility", "D3"),
    (2, "Aldane Observatory", "Actor", "Aldane Observatory"),
    (2, "1,200 families had left Port Aldane", "Credibility", "B2"),
    (2, "Port Aldane", "Location", "Port Aldane"),
]


def add_dispatches(window) -> None:
    from app.articles import make_document
    from app.commands import AddAnnotations
    from app.model import Grade
    from app.offsets import new_annotation

    docs = [make_document(text, title=t, source=s, published=p) for t, s, p, text in DISPATCHES]
    added = window.import_documents(docs, [])
    types = {t.name: t for t in window.store.tag_types()}
    annotations = []
    for index, quote, type_name, value in DISPATCH_TAGS:
        doc, tag = added[index], types[type_name]
        start = doc.text.index(quote)
        credibility = tag.kind == "credibility"
        annotations.append(new_annotation(
            doc.text, doc.id, start, start + len(quote), tag.id,
            entity="" if credibility else value,
            grade=Grade(int(value[1]), value[0]) if credibility else Grade(), annotator="analyst",
        ))  # fmt: skip
    window.undo_stack.push(AddAnnotations(window.store, annotations))


def settle(app, ms: int = 300) -> None:
    """Let timers and paints run. A local loop: Qt 6's quit() would close every window."""
    from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()
    QCoreApplication.processEvents()


def main(out: Path = ROOT / "docs" / "screenshot.png") -> list[Path]:
    from PySide6.QtWidgets import QApplication

    import main as loupe
    from app.user_settings import UserSettings
    from db.connection import open_db
    from widgets import keyboard_help, summary_view, theme
    from widgets.preferences_dialog import open_preferences

    app = QApplication.instance() or QApplication([])
    theme.apply_appearance("light")
    window = loupe.build_window(
        open_db(None), "analyst.loupe", UserSettings("analyst"), lambda s: None
    )
    window.resize(1440, 860)
    window.show()
    sample_id = window.view.document_id
    add_dispatches(window)
    window.open_document(sample_id)
    tag_sample(window)
    folder = out.parent / "screenshots"
    folder.mkdir(exist_ok=True)
    shots: list[Path] = []

    def shot(widget, path: Path) -> None:
        settle(app)
        widget.grab().save(str(path))
        shots.append(path)

    window.finding.open_bar()
    window.finding.query.setText("Port Aldane")
    window.finding.search()
    shot(window, out)

    window.finding.close_bar()
    window.searching.reveal()
    panel = window.searching.panel
    panel.query.setText('"Port Aldane"')  # a phrase: the words together
    panel.run_search()
    panel.open_result(1)
    shot(window, folder / "search.png")

    dialog = summary_view.open_summary(window)
    dialog.all_button.setChecked(True)
    dialog.resize(1000, 900)
    dialog.reload()
    shot(dialog, folder / "summary.png")
    dialog.close()

    shortcuts = keyboard_help.show_shortcuts(window)
    shot(shortcuts, folder / "shortcuts.png")
    shortcuts.close()

    preferences = open_preferences(window)
    shot(preferences, folder / "preferences.png")
    preferences.reject()

    theme.apply_appearance("dark")
    window.open_document(sample_id)
    shot(window, folder / "dark.png")
    theme.apply_appearance("light")
    return shots


if __name__ == "__main__":
    for path in main():
        print(path)
