"""Painting an article pasted as one paragraph, with thousands of tags in it.

Web pages and PDFs often arrive as one long paragraph: one text block of thousands of laid-out
lines. The view used to walk every line of a visible block against every span of the block, on
every paint: 3.9 s per paint with 4,000 tags (issue 6). It now finds the visible lines by
bisection and asks the span index per line. Timed: `viewport().repaint()` (synchronous) of the
real window, with N tags in a ~300,000-character single paragraph, scrolled to the middle.

    .venv/bin/python bench/bench_paint_paragraph.py [--quick] [--runs N]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402
from common import Stats  # noqa: E402

SENTENCE = "Hama fell at dawn and the rebels of the northern front said Homs is next. "


def window_with_paragraph(app, tags: int):
    import main
    from app.articles import make_document
    from app.commands import AddAnnotations
    from app.offsets import new_annotation
    from app.user_settings import UserSettings
    from db.connection import open_db

    window = main.build_window(
        open_db(None), "bench.loupe", UserSettings("bench"), lambda s: None, first_run_sample=False
    )
    window.resize(1400, 860)
    window.show()
    text = SENTENCE * 4000
    doc = window.import_documents([make_document(text, title="one paragraph")], [])[0]
    actor = window.store.tag_types()[0].id
    starts, at = [], text.find("Homs")
    while at >= 0 and len(starts) < tags:
        starts.append(at)
        at = text.find("Homs", at + 1)
    annotations = [new_annotation(text, doc.id, s, s + 4, actor, entity="Homs") for s in starts]
    window.undo_stack.push(AddAnnotations(window.store, annotations))
    bar = window.view.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)
    app.processEvents()
    return window, len(text)


def main() -> int:
    quick = "--quick" in sys.argv
    runs = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 15
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    common.header("bench_paint_paragraph: repaint of a one-paragraph article with many tags")
    for tags in (1_000,) if quick else (1_000, 4_000):
        window, length = window_with_paragraph(app, tags)
        viewport, samples = window.view.viewport(), []
        for _ in range(runs):
            start = time.perf_counter()
            viewport.repaint()
            samples.append(time.perf_counter() - start)
        where = f"{tags:,} tags in one {length:,}-character paragraph"
        print(f"   {where}: repaint {Stats(samples).ms()}")
        window.close()
    print(f"\n   {common.load()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
