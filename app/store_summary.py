"""The summaries' half of the Store: reads only, for the Summary dialog and the HTML report.

Mixed into `Store`, which owns the connection. Every figure comes from the count panel's own
queries (entity counts, grades by source) plus the mentions by publication date, then
`app.summary` shapes them, so the dialog, the report and the panel agree.

Over a million annotations the whole project's summary takes about 0.4 s (docs/performance.md),
so the report's figures can also be read as work for a worker thread (`report_work`), through a
read-only connection of its own, like the exports (`app/store_background.py`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from app.model import TagType
from app.progress import ProgressTracker
from app.summary import Summary, build_summary
from db import repository as repo

ALL_DOCUMENTS = "All documents"


def summary_of(db, tag_types: Sequence[TagType], document_id: int | None, scope: str) -> Summary:
    """One document's summary, or (None) the whole project's, read through `db`."""
    return build_summary(
        scope,
        repo.entity_counts(db, document_id),
        tag_types,
        repo.sources.source_grade_counts(db, document_id),
        repo.summary.source_ratings(db, document_id),
        repo.summary.mentions_by_published(db, document_id),
    )


class SummaryStoreMixin:
    def summary(self, document_id: int | None = None) -> Summary:
        """One document's summary, or (None) the whole project's."""
        return summary_of(self.db, self.tag_types(), document_id, self._scope_name(document_id))

    def summaries_work(
        self, document_ids: Sequence[int | None]
    ) -> Callable[[ProgressTracker], list[Summary]]:
        """The summaries of these scopes as work for `widgets/background.py`: the names and tag
        types are taken now; the counting happens on the worker through its own read-only
        connection. An in-memory project (tests) has no file to reopen: it is counted now."""
        types, scopes = self.tag_types(), [self._scope_name(d) for d in document_ids]
        source = repo.project_file(self.db)
        if not source:
            ready = [
                summary_of(self.db, types, d, s) for d, s in zip(document_ids, scopes, strict=True)
            ]
            return lambda tracker: ready

        def work(tracker: ProgressTracker) -> list[Summary]:
            done = []
            with repo.read_only(source) as db:
                for doc_id, scope in zip(document_ids, scopes, strict=True):
                    tracker.stage(f"Counting {scope}…", len(document_ids))
                    tracker(len(done), len(document_ids))
                    done.append(summary_of(db, types, doc_id, scope))
            tracker(len(done), len(document_ids))
            return done

        return work

    def _scope_name(self, document_id: int | None) -> str:
        if document_id is None:
            return ALL_DOCUMENTS
        doc = self.document(document_id)
        return doc.title if doc is not None else f"Document {document_id}"
