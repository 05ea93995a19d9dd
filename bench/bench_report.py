"""The summary and the HTML report of a big project: 100,000 annotations over 1,000 documents.

Timed: `Store.summary(None)` (the whole project: top entities, credibility by source, mentions by
publication date), `Store.summary(doc)` (one document), `render_report` of both (HTML with inline
SVG) and the whole of File ▸ Export summary report… without its dialog (both summaries, render,
write). Baseline from the same run: the three bare GROUP BY queries through sqlite3, no shaping.
Target: under 0.5 s, the point past which the issue wants work off the GUI thread with a progress
bar. The project is the import benchmark's (`--million`: the tag benchmark's), copied, with
publication dates over 2023–2024 (one document in ten undated) and two of its three sources rated.

    .venv/bin/python bench/bench_report.py [--million] [--quick] [--runs N] [--profile] [--json F]
"""

from __future__ import annotations

import random
import shutil
import sqlite3
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402
from common import OUT, DocSpec, Stats  # noqa: E402

TARGET_S = 0.5
DOCS, PER_DOC = 1_000, 100
BARE_QUERIES = (
    "SELECT tag_type_id, entity_id, count(*) FROM annotations GROUP BY tag_type_id, entity_id",
    "SELECT d.source_id, a.credibility, count(*) FROM annotations a"
    " JOIN documents d ON d.id = a.document_id WHERE a.credibility IS NOT NULL GROUP BY 1, 2",
    "SELECT d.published, count(*) FROM annotations a JOIN documents d ON d.id = a.document_id"
    " GROUP BY d.published",
)


def prepare(million: bool) -> Path:
    if million:  # the tag and export benchmarks' project: 1,000,000 annotations
        source, path = common.million_project(), OUT / "report-million.db"
    else:
        source = common.prepare_db("import", [DocSpec(5_000, PER_DOC) for _ in range(DOCS)])
        path = OUT / "report.db"
    for stale in OUT.glob(f"{path.name}*"):
        stale.unlink()
    shutil.copyfile(source, path)
    rng = random.Random(6)
    conn = sqlite3.connect(path)
    dates = [
        (
            ""
            if rng.random() < 0.1
            else f"{rng.choice((2023, 2024))}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            doc_id,
        )
        for doc_id in range(1, DOCS + 1)
    ]
    conn.executemany("UPDATE documents SET published = ? WHERE id = ?", dates)
    conn.execute("UPDATE sources SET reliability = 'B' WHERE id = 1")
    conn.execute("UPDATE sources SET reliability = 'E' WHERE id = 3")
    conn.commit()
    conn.close()
    return path


def main() -> int:
    parser = common.arg_parser(__doc__.splitlines()[0], runs=7)
    parser.add_argument("--million", action="store_true", help="1,000,000 annotations instead")
    args = parser.parse_args()
    runs = 2 if args.quick else args.runs
    size = "1,000,000" if args.million else "100,000"
    common.header(f"bench_report: summary + HTML report, {size} annotations over 1,000 documents")
    path = prepare(args.million)
    common.qapp()
    from app.model import utc_now
    from app.report_html import render_report
    from app.store import Store
    from db.connection import open_db

    db = open_db(path)
    store = Store(db)
    whole, one = store.summary(None), store.summary(1)
    out = OUT / "report.html"

    def export() -> None:
        page = render_report("bench", utc_now(), "bench", [store.summary(None), store.summary(1)])
        out.write_text(page, encoding="utf-8")

    def times(fn) -> Stats:
        return Stats([common.timed(fn) for _ in range(runs)])

    figures = {
        "summary, all documents": times(lambda: store.summary(None)),
        "summary, one document": times(lambda: store.summary(1)),
        "render_report (both)": times(lambda: render_report("b", "now", "", [whole, one])),
        "export report, total": times(export),
    }
    conn = sqlite3.connect(path)
    bare = Stats(
        [
            common.timed(lambda: [conn.execute(q).fetchall() for q in BARE_QUERIES])
            for _ in range(runs)
        ]
    )
    conn.close()
    for name, stats in figures.items():
        print(f"   {name:<26}{stats.ms()}")
    total = figures["export report, total"]
    print(f"   → export total vs target ≤ {TARGET_S * 1e3:.0f} ms: "
          f"{common.verdict(total.median, TARGET_S)}")  # fmt: skip
    print(f"   baseline, 3 bare GROUP BYs {bare.ms()}")
    print(
        f"   report: {out.stat().st_size / 1024:.0f} KiB; timeline unit {whole.timeline.unit},"
        f" {len(whole.timeline.points)} buckets, {whole.timeline.undated_documents} undated docs"
    )
    if args.profile:
        print(common.profile(export, top=20))
    db.close()
    print(f"\n   {common.load()}")
    results = {k: v.as_dict() for k, v in figures.items()} | {"bare": bare.as_dict()}
    common.write_json(args.json, results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
