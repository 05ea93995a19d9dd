"""Cold start to a shown window, in fresh `python -c` subprocesses. Target (issue 2): ≤ 1.0 s.

Each child records the monotonic clock on its first line, imports `main`, builds the
QApplication, opens the project through `main.ProjectSession.open_project` (open_db, build_window,
show: the path `loupe --db FILE` takes after the first-run name prompt) and processes events until
the window is exposed and the article's viewport has been painted. The parent notes the clock
just before spawning, so both figures come out: in-process (first line → painted) and whole
subprocess (spawn → painted, including interpreter start-up). CLOCK_MONOTONIC is system-wide on
Linux, so the two processes' readings compare. "Cold" means a new process; the OS file cache is
warm (one untimed spawn first), as it is for an analyst who has run Loupe before.

Baselines from the same run: a child that only imports PySide6.QtWidgets, pyqtgraph and
sqlite_utils; and, for context, one that also shows an empty QMainWindow. Each Loupe child also
reports whether pyqtgraph was imported before the window was shown (the chart is meant to be built
lazily) and when it was imported afterwards.

    .venv/bin/python bench/bench_startup.py [--quick] [--runs N] [--profile] [--json FILE]
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402
from common import DocSpec, Stats  # noqa: E402

TARGET = 1.0
NOW = "__import__('time').clock_gettime(1)"  # CLOCK_MONOTONIC

LOUPE_CHILD = f"""
T = {{'start': {NOW}}}
import os, sys, json
from pathlib import Path
os.environ.setdefault('QT_QPA_PLATFORM', 'offscreen')
sys.path.insert(0, {str(common.ROOT)!r})
import main
T['import_main'] = {NOW}
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication
T['import_qt'] = {NOW}
app = QApplication(['loupe'])
app.setApplicationName('Loupe')
T['qapplication'] = {NOW}
import db.connection  # imported by open_project anyway; imported here to attribute its time
T['import_db'] = {NOW}
import widgets.main_window  # likewise, imported by build_window
T['import_widgets'] = {NOW}
from app.user_settings import UserSettings
config = Path({str(common.OUT / "startup-settings.json")!r})
session = main.ProjectSession(UserSettings(annotator='bench'), config)
ok = session.open_project(sys.argv[1])
assert ok
T['window_built_and_shown'] = {NOW}
window = session.window
pg_before_loop = 'pyqtgraph' in sys.modules

class PaintSpy(QObject):
    painted = False
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            self.painted = True
        return False

spy = PaintSpy()
window.view.viewport().installEventFilter(spy)
window.view.viewport().update()
while not (window.windowHandle().isExposed() and spy.painted):
    app.processEvents()
T['painted'] = {NOW}
pg_at_painted = 'pyqtgraph' in sys.modules
pg_at = T['painted'] if pg_at_painted else None
deadline = T['painted'] + 2.0
while {NOW} < deadline and (pg_at is None or window.counts.refresh_count == 0):
    app.processEvents()
    if pg_at is None and 'pyqtgraph' in sys.modules:
        pg_at = {NOW}
print(json.dumps({{'t': T, 'pg_before_show_loop': pg_before_loop, 'pg_at_painted': pg_at_painted,
                  'pg_at': pg_at, 'doc': window.view.document_id,
                  'annotations': len(window.view.annotations()),
                  'documents': window.documents.rowCount()}}))
sys.stdout.flush()
os._exit(0)
"""

IMPORTS_CHILD = f"""
T = {{'start': {NOW}}}
import json
import PySide6.QtWidgets, pyqtgraph, sqlite_utils
T['imported'] = {NOW}
print(json.dumps({{'t': T}}))
"""

BARE_WINDOW_CHILD = f"""
T = {{'start': {NOW}}}
import os, json
os.environ.setdefault('QT_QPA_PLATFORM', 'offscreen')
from PySide6.QtWidgets import QApplication, QMainWindow, QPlainTextEdit
app = QApplication(['bare'])
w = QMainWindow()
w.setCentralWidget(QPlainTextEdit('hello'))
w.resize(1400, 860)
w.show()
while not w.windowHandle().isExposed():
    app.processEvents()
app.processEvents()
T['painted'] = {NOW}
print(json.dumps({{'t': T}}))
os._exit(0)
"""


def spawn(code: str, *args: str) -> dict:
    t_spawn = time.clock_gettime(time.CLOCK_MONOTONIC)
    done = subprocess.run([str(common.PYTHON), "-c", code, *args], capture_output=True, text=True,
                          cwd=common.ROOT)  # fmt: skip
    t_exit = time.clock_gettime(time.CLOCK_MONOTONIC)
    if done.returncode != 0:
        raise RuntimeError(done.stderr)
    data = json.loads(done.stdout.strip().splitlines()[-1])
    data["spawn"], data["exit"] = t_spawn, t_exit
    return data


def projects() -> list[tuple[str, Path]]:
    """A small project, one whose last document is 1 MB with 10,000 annotations, and the
    million-annotation project (1,000 documents)."""
    small = common.prepare_db("startup-small", [DocSpec(5_000, 20, "A short note")])
    big = common.prepare_db(
        "startup-1mb",
        [DocSpec(5_000, 20, "A short note"), DocSpec(1_000_000, 10_000, "One megabyte")],
        last_document=2,
    )
    million = common.million_project()
    return [("small project (1 doc, 20 annotations)", small),
            ("last doc 1 MB / 10k annotations", big),
            ("1M annotations, 1,000 docs", million)]  # fmt: skip


def main() -> int:
    args = common.arg_parser(__doc__.splitlines()[0], runs=7).parse_args()
    runs = 3 if args.quick else args.runs
    common.header("bench_startup: cold start to a shown, painted window")
    cases = projects()
    spawn(IMPORTS_CHILD)  # warm the file cache (untimed)
    results: dict = {}

    imports = [spawn(IMPORTS_CHILD) for _ in range(runs)]
    bare = [spawn(BARE_WINDOW_CHILD) for _ in range(runs)]
    imp_whole = Stats([r["t"]["imported"] - r["spawn"] for r in imports])
    imp_in = Stats([r["t"]["imported"] - r["t"]["start"] for r in imports])
    bare_whole = Stats([r["t"]["painted"] - r["spawn"] for r in bare])
    interp = Stats([r["t"]["start"] - r["spawn"] for r in imports])
    print(f"   interpreter start (spawn → first line)              {interp.ms()}")
    print("   baseline: import QtWidgets+pyqtgraph+sqlite_utils,")
    print(f"             whole subprocess (spawn → imported)       {imp_whole.ms()}")
    print(f"             in-process (first line → imported)        {imp_in.ms()}")
    print(f"   context:  bare QMainWindow shown+painted, whole     {bare_whole.ms()}")
    results["baseline_imports_whole"] = imp_whole.as_dict()
    results["baseline_imports_in_process"] = imp_in.as_dict()
    results["bare_window_whole"] = bare_whole.as_dict()
    results["interpreter_start"] = interp.as_dict()

    for label, path in cases:
        spawn(LOUPE_CHILD, str(path))  # untimed warm-up for this project's file
        rows = [spawn(LOUPE_CHILD, str(path)) for _ in range(runs)]
        whole = Stats([r["t"]["painted"] - r["spawn"] for r in rows])
        inproc = Stats([r["t"]["painted"] - r["t"]["start"] for r in rows])
        print(f"\n-- {label}: opens document {rows[0]['doc']} ({rows[0]['annotations']:,} "
              f"annotations), {rows[0]['documents']:,} documents listed")  # fmt: skip
        print(f"   whole subprocess, spawn → painted      {whole.ms()}   target ≤ {TARGET:.1f} s "
              f"→ {common.verdict(whole.median, TARGET)}")  # fmt: skip
        print(f"   in-process, first line → painted       {inproc.ms()}")
        steps = ["start", "import_main", "import_qt", "qapplication", "import_db",
                 "import_widgets", "window_built_and_shown", "painted"]  # fmt: skip
        split = {}
        for a, b in zip(steps, steps[1:], strict=False):
            st = Stats([r["t"][b] - r["t"][a] for r in rows])
            split[b] = st.as_dict()
            print(f"     {a + ' → ' + b:<38} {st.ms()}")
        before = sum(r["pg_before_show_loop"] or r["pg_at_painted"] for r in rows)
        later = [r["pg_at"] - r["t"]["painted"] for r in rows if r["pg_at"] is not None]
        print(f"   pyqtgraph imported before the window was painted: {before}/{runs} runs; "
              + (f"imported {Stats(later).median * 1e3:.0f} ms after the paint (median)"
                 if later else "not imported within 2 s after"))  # fmt: skip
        results[label] = {"whole": whole.as_dict(), "in_process": inproc.as_dict(),
                          "split": split, "pyqtgraph_before_paint_runs": before,
                          "pyqtgraph_after_paint_ms": Stats(later).median * 1e3 if later else None,
                          "runs": runs}  # fmt: skip

    if args.profile:
        out = common.OUT / "startup.prof"
        code = LOUPE_CHILD.replace("os._exit(0)", "")
        script = common.OUT / "startup_child.py"
        script.write_text(code)
        subprocess.run([str(common.PYTHON), "-m", "cProfile", "-o", str(out), str(script),
                        str(cases[1][1])], capture_output=True, cwd=common.ROOT)  # fmt: skip
        import pstats

        pstats.Stats(str(out)).strip_dirs().sort_stats("cumulative").print_stats(35)
    print(f"\n   {common.load()}")
    common.write_json(args.json, results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
