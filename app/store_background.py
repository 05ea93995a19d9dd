"""Exports as work for a worker thread (widgets/background.py), reading the project on their own.

Each function takes the little it needs from the Store now, on the GUI thread (tag types, which
documents), and returns the work to run later. The work reads through its own read-only
connection (`db/reader.py`: SQLite connections are per thread, and in WAL mode it sees the last
commit without holding up the window's writes), reports its progress to the tracker, and stops
at the next chunk once the analyst cancels. The writers stream to a temporary file beside the
target and rename it at the end (`csv_export.write_csv_file`, `w3c.write_file`), so a cancelled
or failed export leaves no file behind and an earlier file at the target as it was.

An in-memory project (tests only) has no file a second connection could open; its rows are read
here, on the calling thread, and only the writing happens on the worker.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import nullcontext
from itertools import chain, islice

from app.formats import csv_export
from app.progress import ProgressTracker
from db import repository as repo

CHUNK_ROWS = 20_000  # rows between two progress reports (and cancel checks)

Work = Callable[[ProgressTracker], int]


def csv_export_work(store, path: str, document_id: int | None = None) -> Work:
    """`Store.export_csv`, as work: returns the number of annotations written."""
    guard = csv_export.GUARD_LEADING, csv_export.GUARD_SKIPPED
    total = sum(
        s.annotation_count
        for s in store.document_summaries()
        if document_id is None or s.id == document_id
    )
    source = repo.project_file(store.db)
    read_now = None if source else list(repo.export_rows(store.db, document_id, *guard))

    def work(tracker: ProgressTracker) -> int:
        tracker.stage(f"Writing {total:,} annotations…", total)
        with _reading(source) as db:
            rows = read_now if db is None else repo.export_rows(db, document_id, *guard)
            try:
                return csv_export.write_csv_file(
                    _reported(rows, tracker, total), path, guarded=True
                )
            finally:
                if hasattr(rows, "close"):
                    rows.close()  # here, on the thread that owns its cursor, even if cancelled

    return work


def w3c_export_work(store, path: str, document_id: int | None = None, creator: str = "") -> Work:
    """`Store.export_w3c`, as work: returns the number of annotations written."""
    from app.formats import w3c

    everything = document_id is None
    ids = [s.id for s in store.document_summaries()] if everything else [document_id]
    types = {t.id: t for t in store.tag_types()}
    source = repo.project_file(store.db)
    read_now = None if source else _read_documents(store.db, ids, None)

    def work(tracker: ProgressTracker) -> int:
        tracker.stage(f"Reading {len(ids):,} articles…", len(ids))
        with _reading(source) as db:
            documents, annotations = read_now or _read_documents(db, ids, tracker)
        tracker.stage(f"Writing {len(annotations):,} annotations…")
        return w3c.write_file(path, documents, annotations, types, creator=creator)

    return work


def _reading(source: str):
    return repo.read_only(source) if source else nullcontext(None)


def _read_documents(db, ids: list[int], tracker: ProgressTracker | None) -> tuple[list, list]:
    documents, annotations = [], []
    for i, doc_id in enumerate(ids):
        if tracker is not None:
            tracker(i, len(ids))
        documents.append(repo.get_document(db, doc_id))
        annotations.extend(repo.annotations_for_document(db, doc_id))
    return documents, annotations


def _reported(rows: Iterable[tuple], tracker: ProgressTracker, total: int) -> Iterator[tuple]:
    """The same rows, drawn a chunk at a time with a report (and a cancel check) between chunks;
    `chain` walks each chunk in C, so a million rows cost no Python call per row."""
    rows = iter(rows)

    def chunks() -> Iterator[list[tuple]]:
        done = 0
        while chunk := list(islice(rows, CHUNK_ROWS)):
            tracker(done, total)
            yield chunk
            done += len(chunk)
        tracker(done, total)  # a Cancel pressed during the last chunk still counts

    return chain.from_iterable(chunks())
