"""What the remembered window and the preferences cost on a large open document.

No target in issue 6 for these; the bar used here is "feels instant" (≤ 100 ms) for what runs while
the analyst waits: saving the session at quit or project switch (layout to settings.json, document
and scroll place committed to the project), restoring the scroll place at start, switching light ↔
dark, and a font change in Preferences (the article is laid out again). Each timed in the real
window (`main.build_window`) with the document open, until its viewport has repainted. Baseline from
the same run: a bare `QPlainTextEdit` with the same text, given the same font change.

    .venv/bin/python bench/bench_session.py [--quick] [--runs N] [--profile] [--json FILE]
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402
from common import DocSpec, Stats  # noqa: E402

SMALL, ONE_MB, FIVE_MB = 1, 2, 3
DOCS = [
    DocSpec(5_000, 20, "A short note"),
    DocSpec(1_000_000, 10_000, "One megabyte, 10,000 annotations"),
    DocSpec(5_000_000, 50_000, "Five megabytes, 50,000 annotations"),
]
CASES = [(ONE_MB, "1 MB / 10k annotations"), (FIVE_MB, "5 MB / 50k annotations")]
TARGET = 0.100


def _settle() -> None:
    from PySide6.QtWidgets import QApplication

    QApplication.processEvents()


def _build(db, path: Path, settings_file: Path):
    import main
    from app.user_settings import UserSettings

    window = main.build_window(
        db, str(path), UserSettings(annotator="bench"), lambda s: s.save(settings_file),
        first_run_sample=False,
    )  # fmt: skip
    window.show()
    common.wait_exposed(window)
    return window


def _measure(window, doc_id: int, runs: int) -> dict[str, Stats]:
    from widgets import session_state, theme
    from widgets.preferences_dialog import apply_article_font

    view = window.view
    window.open_document(doc_id)
    view.viewport().repaint()
    _settle()
    bar = view.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)
    view.viewport().repaint()
    _settle()
    top = session_state.top_code_point(view)
    base_size = view.font().pointSizeF()

    def save() -> None:
        window.settings = window.settings.with_(window_geometry="")  # so the file is written
        session_state.save_session(window)

    def restore_scroll() -> None:
        bar.setValue(0)
        view.viewport().repaint()
        _settle()
        t = common.timed(lambda: (session_state.scroll_to_top_line(view, top),
                                  view.viewport().repaint(), _settle()))  # fmt: skip
        restored.append(t)

    def switch(mode: str) -> None:
        theme.apply_appearance(mode)
        _settle()  # the palette reaches widgets through posted events
        view.viewport().repaint()

    def font(step: int) -> None:
        apply_article_font(view, "", base_size + step)
        view.viewport().repaint()
        _settle()

    restored: list[float] = []
    results = {"save_session": Stats([common.timed(save) for _ in range(runs)])}
    for _ in range(runs):
        restore_scroll()
    results["restore_scroll"] = Stats(restored)
    dark, light = [], []
    for _ in range(runs):
        dark.append(common.timed(lambda: switch("dark")))
        light.append(common.timed(lambda: switch("light")))
    results["to_dark"], results["to_light"] = Stats(dark), Stats(light)
    results["font_change"] = Stats([common.timed(lambda i=i: font(i % 2 + 1)) for i in range(runs)])
    apply_article_font(view, "", base_size)
    results["utf16_top_point"] = Stats(
        [common.timed(lambda: session_state.top_code_point(view)) for _ in range(runs)]
    )
    return results


def _baseline_font(text: str, size: tuple[int, int], runs: int) -> Stats:
    from PySide6.QtGui import QFont
    from PySide6.QtWidgets import QPlainTextEdit

    bare = QPlainTextEdit()
    bare.resize(*size)
    bare.setPlainText(text)
    bare.show()
    common.wait_exposed(bare)
    base = bare.font().pointSizeF()

    def font(step: int) -> None:
        f = QFont(bare.font())
        f.setPointSizeF(base + step)
        bare.setFont(f)
        bare.viewport().repaint()
        _settle()

    stats = Stats([common.timed(lambda i=i: font(i % 2 + 1)) for i in range(runs)])
    bare.close()
    return stats


def main() -> int:
    args = common.arg_parser(__doc__.splitlines()[0], runs=7).parse_args()
    runs = 3 if args.quick else args.runs
    common.header("bench_session: remembered window and preferences on a large document")
    path = common.prepare_db("open", DOCS, last_document=SMALL)
    app = common.qapp()  # noqa: F841 (kept alive)
    db = common.open_project(path)
    settings_file = Path(tempfile.mkdtemp()) / "settings.json"
    window = _build(db, path, settings_file)
    view = window.view
    print(f"   article viewport {view.viewport().width()}×{view.viewport().height()} px")
    results: dict = {}
    for doc_id, label in CASES:
        print(f"\n-- {label}")
        measured = _measure(window, doc_id, runs)
        measured["baseline_font_change"] = _baseline_font(
            view.text, (view.width(), view.height()), runs
        )
        for key, stats in measured.items():
            tag = f"→ {common.verdict(stats.median, TARGET)}" if not key.startswith("base") else ""
            print(f"   {key:<22} {stats.ms()} {tag}")
        results[label] = {k: v.as_dict() for k, v in measured.items()}
        if args.profile and doc_id == FIVE_MB:
            from widgets.preferences_dialog import apply_article_font

            print(common.profile(lambda: (apply_article_font(view, "", 20), view.repaint())))
    from widgets import theme

    theme.apply_appearance("light")
    return common.finish(args, results, window, db)


if __name__ == "__main__":
    sys.exit(main())
