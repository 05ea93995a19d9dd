"""How responsive the window stays during long work: a 100,000-annotation import and CSV export.

Issue 6: long work runs off the GUI thread. A 5 ms QTimer in the real window stamps every tick
while File ▸ Review colleague's file… runs on the data of `bench_import.py` (1,000 documents,
100,000 annotations, a 72 MiB W3C file); the figure is the longest gap between two ticks (from
the start of the import to its end), i.e. the longest the window could not repaint or react.

- **worker**: the window's own flow (`ColleagueImporter.import_path`): reading and anchoring on
  a worker thread (widgets/background.py), the write in one transaction on the GUI thread.
- **baseline**: the same steps on the GUI thread, pumping events at each progress report, as
  Loupe did before issue 6 (reading, matching, anchoring, writing).
- **csv-worker** / **csv-baseline**: File ▸ Export CSV of all 100,000 annotations of the
  colleague's project, as the window runs it now (read through a second connection and written
  on a worker) and as it ran before (`Store.export_csv` on the GUI thread, no events at all).

    .venv/bin/python bench/bench_background.py [--quick] [--runs N] [--json FILE]
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_import  # noqa: E402
import common  # noqa: E402
from common import Stats  # noqa: E402

TICK_MS = 5
SETTLE_S = 2.0


def gui_thread_import(window, path: Path) -> None:
    """The import as it ran before issue 6: every step here, events pumped at each report."""
    from PySide6.QtWidgets import QApplication

    from app.commands import ImportColleagueFile
    from app.review_import import match_documents, plan_import

    store = window.store

    def pump(_done: int, _total: int) -> None:
        QApplication.processEvents()

    foreign = store.read_colleague_file(str(path), pump)
    matches = match_documents(foreign, store.local_documents(), store.document_text)
    plan = plan_import(foreign, matches, store.tag_types(), store.document_text,
                       layer_name="Dana", progress=pump)  # fmt: skip
    window.undo_stack.push(ImportColleagueFile(store, plan, pump))


def worker_import(window, path: Path) -> None:
    plan = window.reviewing.importer.import_path(str(path))
    assert plan is not None and len(plan.rows) == 100_000, window.last_message


def gui_thread_export(window, target: Path) -> None:
    """File ▸ Export CSV (all documents) as it ran before issue 6: on the GUI thread."""
    window.store.export_csv(str(target))


def worker_export(window, target: Path) -> None:
    from widgets import file_dialogs

    file_dialogs.csv_path = lambda parent, suggestion: str(target)
    window.export_csv(whole_project=True)
    assert window.last_message.startswith("Exported 100000 "), window.last_message


TASKS = {
    "baseline": gui_thread_import,
    "worker": worker_import,
    "csv-baseline": gui_thread_export,
    "csv-worker": worker_export,
}


def one_run(variant: str, path: Path, source: Path, mine: Path) -> tuple:
    """(longest gap in s, task time in s, ticks, the gaps over 0.1 s) for one import into a
    fresh project, or one CSV export of the colleague's project (a copy: it stays the cache)."""
    import shutil

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from db.connection import close_db
    from widgets import colleague_import

    colleague_import.ask_layer_name = lambda parent, default: "Dana"
    if variant.startswith("csv"):
        for stale in common.OUT.glob("background-export*"):
            stale.unlink()
        mine = common.OUT / "background-export.db"
        shutil.copyfile(source, mine)
        path = common.OUT / "background-export.csv"
    else:
        bench_import.fresh_project(source, mine)
    db = common.open_project(mine)
    window = common.build_window(db, mine)
    settle = time.perf_counter() + SETTLE_S  # the new window's own deferred work (the count
    while time.perf_counter() < settle:  # chart imports pyqtgraph, suggestions) is done first
        QApplication.processEvents()
        time.sleep(0.01)
    stamps: list[float] = []
    timer = QTimer(interval=TICK_MS)
    timer.timeout.connect(lambda: stamps.append(time.perf_counter()))
    try:
        timer.start()
        QApplication.processEvents()
        start = time.perf_counter()
        TASKS[variant](window, path)
        end = time.perf_counter()
        timer.stop()
    finally:
        window.close()
        window.deleteLater()
        QApplication.processEvents()
        close_db(db)
    during = [start, *(s for s in stamps if start <= s <= end), end]
    pairs = list(zip(during, during[1:], strict=False))
    longest = max(b - a for a, b in pairs)
    long_gaps = [(round(a - start, 2), round((b - a) * 1e3)) for a, b in pairs if b - a > 0.1]
    return longest, end - start, len(during) - 2, long_gaps


def run_in_process(variant: str) -> tuple:
    """Each import in a fresh process: a closed window's leftovers (its undo stack holds the
    last import's 100,000 rows) would otherwise lengthen the next run's collector passes."""
    code = (f"import sys; sys.path.insert(0, {str(Path(__file__).parent)!r}); "
            f"import bench_background as b; b.child({variant!r})")  # fmt: skip
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return tuple(json.loads(out.stdout.strip().splitlines()[-1]))


def child(variant: str) -> None:
    app = common.qapp()  # noqa: F841  (kept alive for the window)
    path, source, mine = bench_import.prepare()
    print(json.dumps(one_run(variant, path, source, mine)))


def main() -> int:
    args = common.arg_parser(__doc__.splitlines()[0], runs=3).parse_args()
    runs = 1 if args.quick else args.runs
    common.header("bench_background: window responsiveness during long work (100,000 annotations)")
    path, _source, _mine = bench_import.prepare()
    print(f"   colleague's file: {path.stat().st_size / 2**20:.1f} MiB W3C JSON-LD")
    results: dict[str, dict] = {}
    gaps: dict[str, list[float]] = {v: [] for v in TASKS}
    totals: dict[str, list[float]] = {v: [] for v in TASKS}
    ticks: dict[str, list[int]] = {v: [] for v in TASKS}
    for _ in range(runs):
        for variant in TASKS:  # alternated, so load drift hits each
            gap, total, n, long_gaps = run_in_process(variant)
            print(f"   {variant:<12} gaps over 100 ms (s from start, ms): {long_gaps}")
            gaps[variant].append(gap)
            totals[variant].append(total)
            ticks[variant].append(n)
    for variant in TASKS:
        g, t = Stats(gaps[variant]), Stats(totals[variant])
        print(f"   {variant:<12} longest gap {g.ms()}   task {t.ms()}   "
              f"ticks of {TICK_MS} ms: {sorted(ticks[variant])}")  # fmt: skip
        results[variant] = {"longest_gap": g.as_dict(), "import": t.as_dict(),
                            "ticks": ticks[variant]}  # fmt: skip
    print(f"\n   {common.load()}")
    common.write_json(args.json, results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
