"""`loupe export-csv` of 1,000,000 annotations against a bare sqlite3 + csv.writer loop over the
same rows. Target (issue 2): within 1.3× of the bare loop, measured in the same run.

Loupe is timed twice: in-process (`app.cli.main(["export-csv", OUT, "--db", DB])`, which opens the
project like the CLI does) and as a whole `python main.py export-csv …` subprocess. The baseline
runs the same SELECT with the same joins and order, without neutralisation, and writes with
`csv.writer`: both `writerows(cursor)` (a C loop, the stricter baseline) and a Python
`for row in cursor: writer.writerow(row)` loop. Loupe writes to a temporary file, fsyncs it and
renames it; the baseline's own fsync is timed separately so that share is visible.

    .venv/bin/python bench/bench_export.py [--quick] [--runs N] [--profile] [--json FILE]
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402
from common import Stats  # noqa: E402

RATIO = 1.3
HEADER = (
    "annotation_id", "document_id", "document_title", "source", "url", "start", "end", "quote",
    "prefix", "suffix", "tag_type", "entity", "credibility", "reliability", "note", "annotator",
    "created_at", "updated_at",
)  # fmt: skip
SELECT = (
    "SELECT a.id, a.document_id, d.title, coalesce(s.name, ''), d.url, a.start, a.\"end\","
    " a.quote, a.prefix, a.suffix, t.name, coalesce(e.name, ''), a.credibility, a.reliability,"
    " a.note, a.annotator, a.created_at, a.updated_at"
    " FROM annotations a JOIN documents d ON d.id = a.document_id"
    " LEFT JOIN sources s ON s.id = d.source_id JOIN tag_types t ON t.id = a.tag_type_id"
    " LEFT JOIN entities e ON e.id = a.entity_id ORDER BY a.document_id, a.start, a.id"
)


def baseline(db: Path, out: Path, *, per_row: bool) -> tuple[float, float, int]:
    """(seconds to write, seconds to fsync, rows): bare sqlite3 + csv.writer, no neutralisation."""
    t0 = time.perf_counter()
    conn = sqlite3.connect(db)
    with open(out, "w", encoding="utf-8", newline="") as f:
        f.write("\ufeff")
        writer = csv.writer(f, lineterminator="\r\n")
        writer.writerow(HEADER)
        cursor = conn.execute(SELECT)
        if per_row:
            n = 0
            for n, row in enumerate(cursor, start=1):  # noqa: B007 (n is the row count)
                writer.writerow(row)
        else:
            writer.writerows(cursor)
            n = conn.execute("SELECT count(*) FROM annotations").fetchone()[0]  # not timed below
            t_write = time.perf_counter() - t0
        f.flush()
        if per_row:
            t_write = time.perf_counter() - t0
        t1 = time.perf_counter()
        os.fsync(f.fileno())
        t_sync = time.perf_counter() - t1
    conn.close()
    return t_write, t_sync, n


def loupe_in_process(db: Path, out: Path) -> float:
    from app import cli

    err = io.StringIO()
    t0 = time.perf_counter()
    with contextlib.redirect_stderr(err):
        status = cli.main(["export-csv", str(out), "--db", str(db)])
    elapsed = time.perf_counter() - t0
    if status != 0:
        raise RuntimeError(f"export-csv failed ({status}): {err.getvalue()}")
    return elapsed


def loupe_subprocess(db: Path, out: Path) -> tuple[float, str]:
    cmd = [
        str(common.PYTHON),
        str(common.ROOT / "main.py"),
        "export-csv",
        str(out),
        "--db",
        str(db),
    ]
    t0 = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=common.ROOT)
    elapsed = time.perf_counter() - t0
    if done.returncode != 0:
        raise RuntimeError(f"export-csv failed: {done.stderr}")
    return elapsed, done.stderr.strip()


def main() -> int:
    parser = common.arg_parser(__doc__.splitlines()[0], runs=3)
    parser.add_argument(
        "--loop-runs", type=int, default=1, help="runs of the per-row baseline (default 1)"
    )
    args = parser.parse_args()
    runs = 1 if args.quick else args.runs
    common.header("bench_export: export-csv of 1,000,000 annotations")
    db = common.million_project()
    out = common.OUT / "export.csv"
    print(f"   project {db.name}, {db.stat().st_size / 1e6:,.0f} MB; output on the same disk")

    def clean() -> None:
        out.unlink(missing_ok=True)

    # Warm the page cache for both sides alike (one untimed baseline pass).
    baseline(db, out, per_row=False)
    clean()
    loupe, sub, fast, fast_sync, loop, loop_sync = [], [], [], [], [], []
    message, size_loupe, size_base = "", 0, 0
    for i in range(runs):
        order = ["loupe", "fast", "sub"] + (["loop"] if i < args.loop_runs else [])
        order = (
            order[i % len(order) :] + order[: i % len(order)]
        )  # drift in the load hits all alike
        for what in order:
            if what == "loupe":
                loupe.append(loupe_in_process(db, out))
                size_loupe = out.stat().st_size
            elif what == "sub":
                elapsed, message = loupe_subprocess(db, out)
                sub.append(elapsed)
            elif what == "fast":
                w, s, _ = baseline(db, out, per_row=False)
                fast.append(w)
                fast_sync.append(w + s)
                size_base = out.stat().st_size
            else:
                w, s, _ = baseline(db, out, per_row=True)
                loop.append(w)
                loop_sync.append(w + s)
            clean()
        print(f"   run {i + 1}/{runs} done · {common.load()}", flush=True)

    L, S, F, FS, P, PS = (Stats(x) for x in (loupe, sub, fast, fast_sync, loop, loop_sync))
    sizes = f"{size_loupe / 1e6:,.1f} MB (baseline file {size_base / 1e6:,.1f} MB)"
    print(f"\n   Loupe: {message}; {sizes}")
    print(f"   Loupe export-csv, in-process      {L.ms()}")
    print(f"   Loupe export-csv, subprocess      {S.ms()}")
    print(f"   baseline writerows(cursor)        {F.ms()}")
    print(f"   baseline writerows + fsync        {FS.ms()}")
    print(f"   baseline per-row writerow loop    {P.ms()}")
    print(f"   baseline per-row loop + fsync     {PS.ms()}")
    for name, base in (("writerows", F), ("per-row loop", P)):
        for label, value in (("in-process", L), ("subprocess", S)):
            ratio = value.median / base.median
            print(f"   ratio {label:<10} / {name:<12} {ratio:5.2f}×   target ≤ {RATIO}× → "
                  f"{'PASS' if ratio <= RATIO else 'MISS'}")  # fmt: skip
    named = {
        "loupe_in_process": L, "loupe_subprocess": S, "baseline_writerows": F,
        "baseline_writerows_fsync": FS, "baseline_loop": P, "baseline_loop_fsync": PS,
    }  # fmt: skip
    results = {name: st.as_dict() for name, st in named.items()}
    results.update(size_loupe=size_loupe, size_baseline=size_base, runs=runs)

    if args.profile:
        print(common.profile(lambda: loupe_in_process(db, out), top=20))
        clean()
    print(f"\n   {common.load()}")
    common.write_json(args.json, results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
