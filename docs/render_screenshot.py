"""Render docs/screenshot.png: the real main window on the bundled sample article, tagged.

Run: `.venv/bin/python docs/render_screenshot.py` (offscreen; no display needed). The tags below are
applied through the same undo commands the window uses, so the picture is what a user would see.
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


def main(out: Path = ROOT / "docs" / "screenshot.png") -> Path:
    from PySide6.QtCore import QCoreApplication, QTimer
    from PySide6.QtWidgets import QApplication

    import main as loupe
    from app.user_settings import UserSettings
    from db.connection import open_db

    app = QApplication.instance() or QApplication([])
    window = loupe.build_window(
        open_db(None), "analyst.loupe", UserSettings("analyst"), lambda s: None
    )
    window.resize(1440, 860)
    window.show()
    tag_sample(window)
    marrow = window.view.text.index("Marrow")
    window.view.select_span(marrow, marrow)
    QTimer.singleShot(300, app.quit)
    app.exec()
    QCoreApplication.processEvents()
    window.grab().save(str(out))
    return out


if __name__ == "__main__":
    print(main())
