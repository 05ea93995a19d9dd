"""The document list and search with 10,000 documents of ~5 KB (issue 6): "instant" is ≤ 100 ms.

Times, each until the list has repainted: `set_documents` with 10,000 rows; a refresh after one
document is added (the window's refresh_documents: the query and the list); a keystroke in the
title filter; a click on a column header (sort); `adjust_count` after a tag (the document in the
last row); and the window opening on the project. Baseline: the same steps with the previous
document list (a QTableWidget, `git show HEAD~:widgets/document_list.py`, kept verbatim in
bench/out/ on the first run) in the same process. Also: the summaries query (correlated count
versus a grouped join), search across all 10,000 documents (a rare word, a common word, a phrase,
a prefix; count + the best 200 with snippets), the match places of one result, and the FTS5
'optimize' that closing a project runs after a document was deleted.

    .venv/bin/python bench/bench_documents.py [--quick] [--runs N] [--json FILE]
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402
from common import OUT, DocSpec, Stats  # noqa: E402

N_DOCS = 10_000
TARGET = 0.100


def project() -> Path:
    path = common.prepare_db("docs10k", [DocSpec(5_000, 5) for _ in range(N_DOCS)])
    conn = common.sqlite3.connect(path, isolation_level=None)
    conn.execute(  # nine in ten documents dated over four years (not an FTS column: no reindex)
        "UPDATE documents SET published = date('2021-01-01', '+' || (id * 7 % 1461) || ' days')"
        " WHERE id % 10 != 0 AND published = ''"
    )
    conn.close()
    return path


def old_document_list():
    """The QTableWidget list this issue replaced, loaded from git as it was."""
    source = OUT / "old_document_list.py"
    if not source.exists():
        commit = subprocess.run(
            ["git", "log", "-1", "--format=%H", "--", "widgets/document_model.py"],
            cwd=common.ROOT, capture_output=True, text=True,
        ).stdout.strip()  # fmt: skip
        rev = f"{commit}~" if commit else "HEAD"
        text = subprocess.run(["git", "show", f"{rev}:widgets/document_list.py"], cwd=common.ROOT,
                              capture_output=True, text=True, check=True).stdout  # fmt: skip
        source.write_text(text)
    spec = importlib.util.spec_from_file_location("old_document_list", source)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.DocumentList


def painted(app, widget) -> None:
    widget.repaint()
    app.processEvents()


def median_of(runs: int, fn) -> Stats:
    return Stats([common.timed(fn) for _ in range(runs)])


def list_figures(app, runs: int, summaries, make_list, label: str) -> dict:
    from PySide6.QtCore import Qt

    lst = make_list()
    lst.resize(330, 800)
    lst.show()
    common.wait_exposed(lst)
    view = getattr(lst, "table", lst)
    out = {}
    out["set_documents"] = median_of(runs, lambda: (lst.set_documents(summaries),
                                                    painted(app, view)))  # fmt: skip
    if hasattr(lst, "rows"):  # the document in the last row shown: the old list's worst case
        last = lst.model.document_at(lst.model.rowCount() - 1).id
    else:
        last = lst.item(lst.rowCount() - 1, 0).data(Qt.ItemDataRole.UserRole)
    lst.set_current(last)
    out["adjust_count"] = median_of(runs, lambda: (lst.adjust_count(last, 1), painted(app, view)))
    if hasattr(lst, "sort_by"):
        sort = lambda column, order: lst.sort_by(column, order)  # noqa: E731
        tags = 3
    else:
        sort = lambda column, order: lst.sortItems(column, order)  # noqa: E731
        tags = 2
    flip = [Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder]
    out["sort by tags"] = median_of(runs, lambda: (sort(tags, flip.reverse() or flip[0]),
                                                   painted(app, view)))  # fmt: skip
    sort(0, Qt.SortOrder.AscendingOrder)
    if hasattr(lst, "title_filter"):
        words = ["D", "Do", "Doc", "Docu", "Document 1", "Document 12", "Document 123"]
        state = {"i": 0}

        def keystroke() -> None:
            lst.title_filter.setText(words[state["i"] % len(words)])
            state["i"] += 1
            painted(app, view)

        out["filter keystroke"] = median_of(runs, keystroke)
        lst.title_filter.clear()
    for name, stats in out.items():
        print(f"   {label:<22} {name:<18} {stats.ms()}")
    lst.close()
    lst.deleteLater()
    app.processEvents()
    return {k: v.as_dict() for k, v in out.items()}


def query_figures(db, runs: int) -> dict:
    from db import repository

    grouped = (
        "SELECT d.id, d.title, coalesce(s.name, ''), coalesce(c.n, 0), d.text_length,"
        " d.published, d.author FROM documents d LEFT JOIN sources s ON s.id = d.source_id"
        " LEFT JOIN (SELECT document_id, count(*) AS n FROM annotations GROUP BY document_id) c"
        " ON c.document_id = d.id ORDER BY d.id"
    )
    out = {
        "summaries (correlated count)": median_of(
            runs, lambda: repository.list_document_summaries(db)
        ),
        "summaries (grouped join)": median_of(runs, lambda: db.execute(grouped).fetchall()),
    }
    plan = db.execute(
        "EXPLAIN QUERY PLAN SELECT (SELECT count(*) FROM annotations a WHERE a.document_id = d.id)"
        " FROM documents d"
    ).fetchall()
    print("   plan of the correlated count: " + " | ".join(r[-1] for r in plan))
    for name, stats in out.items():
        print(f"   {name:<41} {stats.ms()}")
    return {k: v.as_dict() for k, v in out.items()}


def search_figures(store, runs: int) -> dict:
    out = {}
    for typed in ("Qamishli", "the", '"armed group"', "negot*", "حمص"):
        total, hits = store.search(typed)
        stats = median_of(runs, lambda t=typed: store.search(t))
        out[f"search {typed}"] = stats
        print(f"   search {typed!r:<16} {total:>6,} documents, {len(hits)} shown   {stats.ms()}")
    hit = store.search("Qamishli")[1][0]
    out["match places"] = median_of(runs, lambda: store.search_matches(hit.document_id, "Qamishli"))
    print(f"   match places in one document         {out['match places'].ms()}")
    return {k: v.as_dict() for k, v in out.items()}


def window_open(app, path: Path, runs: int) -> Stats:
    from db.connection import open_db

    samples = []
    for _ in range(runs):
        db = open_db(path)
        t = time.perf_counter()
        window = common.build_window(db, path)
        painted(app, window)
        samples.append(time.perf_counter() - t)
        window.close()
        window.deleteLater()
        app.processEvents()
        db.close()
    return Stats(samples)


def optimize_after_delete(path: Path, runs: int) -> Stats:
    from db.connection import open_db
    from db.search import optimize_full_text_index

    samples = []
    for i in range(runs):
        copy = OUT / "docs10k-optimize.db"
        for stale in OUT.glob("docs10k-optimize.db*"):
            stale.unlink()
        shutil.copyfile(path, copy)
        db = open_db(copy)
        with db.conn:
            db.execute("DELETE FROM annotations WHERE document_id = ?", [i + 1])
            db.execute("DELETE FROM documents WHERE id = ?", [i + 1])
        samples.append(common.timed(lambda d=db: optimize_full_text_index(d)))
        db.close()
    return Stats(samples)


def main() -> int:
    args = common.arg_parser(__doc__.splitlines()[0], runs=7).parse_args()
    runs = 3 if args.quick else args.runs
    common.header("bench_documents: 10,000 documents — the list, its filter, search")
    app = common.qapp()
    path = project()
    db = common.open_project(path)
    window = common.build_window(db, path)
    store = window.store
    summaries = store.document_summaries()
    assert len(summaries) == N_DOCS
    results = {"query": query_figures(db, runs)}

    from widgets.document_list import DocumentList

    old = old_document_list()
    results["new list"] = list_figures(
        app, runs, summaries, lambda: DocumentList(store), "model/view"
    )
    results["old list"] = list_figures(app, runs, summaries, lambda: old(), "QTableWidget (old)")

    refresh = median_of(runs, lambda: (window.refresh_documents(), painted(app, window.documents)))
    print(f"   window.refresh_documents (query + list)  {refresh.ms()}")
    results["refresh"] = refresh.as_dict()
    results["search"] = search_figures(store, runs)
    panel = window.searching.panel
    window.searching.reveal()
    panel.query.setText("Qamishli")
    typed = median_of(runs, lambda: (panel.run_search(), painted(app, panel)))
    print(f"   Search panel: 'Qamishli' → 200 results painted  {typed.ms()}")
    results["search panel"] = typed.as_dict()
    window.close()
    db.close()
    opened = window_open(app, path, max(3, runs // 2))
    print(f"   window open on 10,000 documents (build_window → painted) {opened.ms()}")
    results["window open"] = opened.as_dict()
    optimized = optimize_after_delete(path, 3)
    print(f"   FTS5 optimize after deleting a document (closing) {optimized.ms()}")
    results["optimize"] = optimized.as_dict()
    print(f"\n   {common.load()}")
    common.write_json(args.json, results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
