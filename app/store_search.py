"""The store's reads for search across documents and for the document list's tag filter."""

from __future__ import annotations

from app.model import SearchHit
from app.search_query import match_expression
from db import repository as repo


class SearchStoreMixin:
    """Reads only: a search changes nothing, so it needs no transaction and sends no signal."""

    def search(self, typed: str, limit: int = 200) -> tuple[int, list[SearchHit]]:
        """(documents matching, the best `limit` of them) for what the analyst typed."""
        expression = match_expression(typed)
        if expression is None:
            return 0, []
        return repo.search_documents(self.db, expression, limit)

    def search_matches(self, document_id: int, typed: str) -> list[tuple[int, int]]:
        """Code-point spans of the matches of `typed` in the document's text, in order."""
        expression = match_expression(typed)
        return [] if expression is None else repo.match_spans(self.db, document_id, expression)

    def documents_with_tag_type(self, tag_type_id: int) -> set[int]:
        return repo.document_ids_with_tag_type(self.db, tag_type_id)
