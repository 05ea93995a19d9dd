"""The sources' half of the Store: each outlet's Admiralty reliability, edited in one place (the
Sources dialog), and the reads that grade claims by it. Mixed into `Store`, which owns the
connection, the transaction and the signals; each write is one transaction and `sources_changed`
goes out only after COMMIT, so the count panel recounts once and tooltips read the new rating.
"""

from __future__ import annotations

from dataclasses import replace

from app.model import RELIABILITY_NAMES, Source, SourceGradeCount
from db import repository as repo


class SourceError(ValueError):
    """A source change the analyst must be told about instead (an empty or taken name)."""


class SourceStoreMixin:
    # ------------------------------------------------------------ reads

    def source_summaries(self) -> list[Source]:
        return repo.sources.source_summaries(self.db)

    def source(self, source_id: int) -> Source | None:
        return repo.sources.get_source(self.db, source_id)

    def document_source(self, document_id: int) -> tuple[str, str | None]:
        """(name, reliability) of the document's source; ("", None) when it has none."""
        return repo.sources.document_source(self.db, document_id)

    def document_sources(self) -> dict[int, tuple[str, str | None]]:
        return repo.sources.document_sources(self.db)

    def source_grade_counts(self, document_id: int | None = None) -> list[SourceGradeCount]:
        return repo.sources.source_grade_counts(self.db, document_id)

    # ------------------------------------------------------------ writes

    def update_source(self, source: Source) -> None:
        """Write a source's name and rating as given: a rename, a new rating, or an undo of
        either. Raises SourceError, before writing anything, for a name that is empty or taken."""
        name = " ".join(source.name.split())
        if not name:
            raise SourceError("A source needs a name.")
        if source.reliability is not None and source.reliability not in RELIABILITY_NAMES:
            raise SourceError(f"Reliability must be one of A–F, not {source.reliability!r}.")
        old = repo.sources.get_source(self.db, source.id)
        if old is None:
            raise SourceError("That source no longer exists.")
        owner = repo.sources.find_source_id(self.db, name)
        if owner is not None and owner != source.id:
            raise SourceError(f"There is already a source called “{name}”.")
        with self._transaction() as db:
            repo.sources.update_source(db, replace(source, name=name))
        self.sources_changed.emit()
        if name != old.name:
            self.documents_changed.emit()  # the document list shows source names
