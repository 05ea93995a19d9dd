"""Import and re-anchor a colleague's file of 100,000 annotations over 1,000 documents.

Target (issue 3): ≤ 2 s. The colleague's project (1,000 documents of ~5 KB, 100 annotations each)
is exported with Loupe's own writers; the analyst's project holds the same 1,000 articles and no
annotations. Timed, separately and in total: reading and validating the file, matching documents,
anchoring every annotation, and writing the layer in one transaction. Baselines from the same run:
a bare `json.loads` of the file, and a bare `executemany` of the 100,000 layer rows.

    .venv/bin/python bench/bench_import.py [--quick] [--runs N] [--profile] [--json FILE]
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402
from common import OUT, DocSpec, Stats  # noqa: E402

from app.formats import registry, w3c  # noqa: E402
from app.review_import import LocalDocumentRef, match_documents, plan_import  # noqa: E402
from db import repository  # noqa: E402
from db.connection import open_db  # noqa: E402
from db.layers import LAYER_COLUMNS  # noqa: E402

TARGET_S = 2.0
DOCS, PER_DOC = 1_000, 100


def prepare() -> tuple[Path, Path]:
    """The colleague's W3C file and a fresh copy of the analyst's project (same articles)."""
    source = common.prepare_db("import", [DocSpec(5_000, PER_DOC) for _ in range(DOCS)])
    exported = OUT / "import-colleague.json"
    db = open_db(source)
    try:
        if not exported.exists() or exported.stat().st_mtime < source.stat().st_mtime:
            ids = [d.id for d in repository.list_document_summaries(db)]
            docs = [repository.get_document(db, i) for i in ids]
            anns = [a for i in ids for a in repository.annotations_for_document(db, i)]
            types = {t.id: t for t in repository.list_tag_types(db)}
            exported.write_text(w3c.write_json(docs, anns, types, creator="Dana"), "utf-8")
    finally:
        db.close()
    mine = OUT / "import-mine.db"
    return exported, source, mine


def fresh_project(source: Path, mine: Path) -> None:
    for stale in OUT.glob("import-mine.db*"):
        stale.unlink()
    shutil.copyfile(source, mine)
    conn = sqlite3.connect(mine)
    conn.execute("DELETE FROM annotations")
    conn.commit()
    conn.close()


def import_once(path: Path, mine: Path) -> dict[str, float]:
    times: dict[str, float] = {}
    db = open_db(mine)
    try:
        t = time.perf_counter()
        foreign = registry.read_colleague_file(path)
        times["read + validate"] = time.perf_counter() - t
        t = time.perf_counter()
        local = [LocalDocumentRef(*row) for row in repository.document_refs(db)]  # as the Store
        texts: dict[int, str] = {}

        def text_of(doc_id: int) -> str:
            if doc_id not in texts:
                texts[doc_id] = repository.get_document(db, doc_id).text
            return texts[doc_id]

        matches = match_documents(foreign, local, text_of)
        times["match documents"] = time.perf_counter() - t
        t = time.perf_counter()
        plan = plan_import(foreign, matches, repository.list_tag_types(db), text_of,
                           layer_name="Dana")  # fmt: skip
        times["anchor"] = time.perf_counter() - t
        t = time.perf_counter()
        with db.atomic():
            repository.import_layer(db, plan.layer, plan.new_documents, plan.rows)
        times["write (one transaction)"] = time.perf_counter() - t
        times["counts"] = plan.counts
    finally:
        db.close()
    return times


def main() -> int:
    args = common.arg_parser(__doc__.splitlines()[0], runs=5).parse_args()
    runs = 2 if args.quick else args.runs
    common.header("bench_import: import + re-anchor 100,000 annotations over 1,000 documents")
    path, source, mine = prepare()
    print(f"   colleague's file: {path.stat().st_size / 2**20:.1f} MiB W3C JSON-LD")
    parts: dict[str, list[float]] = {}
    totals, counts = [], None
    for _ in range(runs):
        fresh_project(source, mine)
        t0 = time.perf_counter()
        times = import_once(path, mine)
        totals.append(time.perf_counter() - t0)
        counts = times.pop("counts")
        for k, v in times.items():
            parts.setdefault(k, []).append(v)
    total = Stats(totals)
    print(f"   import, total            {total.ms()}   target ≤ {TARGET_S * 1e3:.0f} ms "
          f"→ {common.verdict(total.median, TARGET_S)}")  # fmt: skip
    for k, v in parts.items():
        print(f"     {k:<23}{Stats(v).ms()}")
    print(f"   anchoring: {counts}")
    data = path.read_bytes()
    loads = Stats([common.timed(lambda: json.loads(data)) for _ in range(runs)])
    print(f"   baseline json.loads      {loads.ms()}")
    fresh_project(source, mine)
    db = open_db(mine)
    plan_rows = plan_for_baseline(path, db)
    conn = db.conn
    marks = ",".join("?" * len(LAYER_COLUMNS))

    def bare() -> None:
        conn.execute("SAVEPOINT b")
        bare_once(conn, plan_rows, marks)

    conn.execute("BEGIN")
    bare_stats = Stats([common.timed(bare) for _ in range(runs)])
    conn.rollback()
    db.close()
    print(f"   baseline executemany     {bare_stats.ms()}")
    results = {"total": total.as_dict(), "parts": {k: Stats(v).as_dict() for k, v in parts.items()},
               "json_loads": loads.as_dict(), "executemany": bare_stats.as_dict(),
               "counts": counts}  # fmt: skip
    print(f"\n   {common.load()}")
    common.write_json(args.json, results)
    return 0


def bare_once(conn, rows, marks) -> None:
    conn.execute("INSERT OR IGNORE INTO layers VALUES ('Dana', 'x', 'x', 'x', 1)")
    conn.executemany(f"INSERT INTO layer_annotations VALUES ({marks})", rows)
    conn.execute("ROLLBACK TO b")


def plan_for_baseline(path: Path, db):
    foreign = registry.read_colleague_file(path)
    local = [LocalDocumentRef(*row) for row in repository.document_refs(db)]

    def text_of(doc_id: int) -> str:
        return repository.get_document(db, doc_id).text

    matches = match_documents(foreign, local, text_of)
    return plan_import(foreign, matches, repository.list_tag_types(db), text_of,
                       layer_name="Dana").rows  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
