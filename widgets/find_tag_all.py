"""Tag all matches of a find at once: one annotation per match not already tagged with that type
at exactly its span, all in one undoable step (one Ctrl+Z removes them all), through the same
prompts as tagging a selection, asked once: the entity for an actor or location (prefilled with
the canonical name when the match is a known alias), the grade for credibility.
"""

from __future__ import annotations

from collections.abc import Callable

from app.commands import AddAnnotations
from app.model import Grade, TagType
from app.offsets import new_annotation
from app.store import Store
from widgets import prompts
from widgets.article_view import ArticleView


class MatchTagger:
    def __init__(
        self,
        store: Store,
        undo_stack,
        view: ArticleView,
        annotator: Callable[[], str],
        status: Callable[[str], None],
    ) -> None:
        self._store, self._stack, self._view = store, undo_stack, view
        self._annotator, self._status = annotator, status

    def tag_all(self, matches: list[tuple[int, int]], tag_type_id: int) -> int:
        """One annotation per match not already tagged with this type at exactly its span, all in
        one undoable step. Returns how many were made."""
        tag, view = self._store.tag_type(tag_type_id), self._view
        doc_id, text = view.document_id, view.text
        if tag is None or doc_id is None or not matches:
            return 0
        tagged = {(s, e) for _id, s, e, t in self._store.spans(doc_id) if t == tag.id}
        todo = [(s, e) for s, e in matches if (s, e) not in tagged and text[s:e].strip()]
        if not todo:
            self._status(f"All {len(matches):,} matches are already tagged as {tag.name}.")
            return 0
        answer = self._ask(tag, text[todo[0][0] : todo[0][1]], doc_id)
        if answer is None:
            return 0
        entity, grade = answer
        annotator = self._annotator()
        annotations = [
            new_annotation(text, doc_id, s, e, tag.id, entity=entity, grade=grade,
                           annotator=annotator)
            for s, e in todo
        ]  # fmt: skip
        n = len(annotations)
        self._stack.push(AddAnnotations(self._store, annotations, f"Tag {n} matches as {tag.name}"))
        skipped = len(matches) - n
        also = f" ({skipped:,} already were)" if skipped else ""
        self._status(f"Tagged {n:,} matches as {tag.name}{also}")
        return n

    def _ask(self, tag: TagType, quote: str, doc_id: int) -> tuple[str, Grade] | None:
        """Once for all matches: the entity (prefilled with the canonical name the match is a
        known alias of, else the match) or the grade."""
        if tag.asks_for_entity:
            owner = self._store.alias_owner(tag.id, quote)
            default = (self._store.entity_name(owner) if owner is not None else None) or quote
            names = self._store.entity_names(tag.id)
            got = prompts.ask_entity(self._view.window(), tag, names, default)
            return None if got is None else (got[0], Grade())
        source = self._store.document_source(doc_id)
        got = prompts.ask_grade(self._view.window(), Grade(), "", source=source)
        return None if got is None else ("", got[0])
