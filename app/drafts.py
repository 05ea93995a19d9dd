"""Drafts of open dialogs: what the analyst has typed into a note or tag popup and not yet
confirmed. They are kept in the project (table `drafts`, schema v5), not in the window, because a
crash must not take a paragraph of reasoning with it, and not in QSettings, which is lost on a
kill and is no place for analyst data.

A draft is identified by the dialog and what it edits: an existing annotation (note, entity,
grade) or a span about to be tagged. Opening the same dialog on the same thing again finds it.
"""

from __future__ import annotations

from dataclasses import dataclass

NOTE, ENTITY, GRADE = "note", "entity", "grade"
DIALOGS = (NOTE, ENTITY, GRADE)


class DraftNotSaved(Exception):
    """Saving or discarding a draft failed (disk full, read-only file, project locked). The
    dialog says so and goes on: a draft must never stand in the way of the edit itself."""


@dataclass(frozen=True, slots=True)
class DraftKey:
    """The dialog and what it edits. `annotation_id` is None for a tag not yet made."""

    dialog: str
    document_id: int
    tag_type_id: int
    start: int
    end: int
    annotation_id: str | None = None

    @property
    def target(self) -> str:
        """Stable text naming what is edited, unique per dialog: the table's key."""
        if self.annotation_id is not None:
            return f"annotation {self.annotation_id} type {self.tag_type_id}"
        return f"span {self.document_id} {self.start} {self.end} type {self.tag_type_id}"


@dataclass(frozen=True, slots=True)
class Draft:
    """The fields of the dialog as last saved. `entity` holds the entity field of an entity
    popup or the grade (`B3`) of a credibility popup; `note` the note."""

    key: DraftKey
    entity: str
    note: str
    saved_at: str  # app.model.utc_now() format

    def as_row(self) -> tuple:
        k = self.key
        return (k.dialog, k.target, k.document_id, k.annotation_id, k.tag_type_id, k.start,
                k.end, self.entity, self.note, self.saved_at)  # fmt: skip

    @classmethod
    def from_row(cls, row) -> Draft:
        dialog, _target, doc_id, ann_id, tag_id, start, end, entity, note, saved_at = row
        return cls(DraftKey(dialog, doc_id, tag_id, start, end, ann_id), entity, note, saved_at)

    def describe(self, quote: str, tag_name: str) -> str:
        """One line for the list of recovered drafts: which dialog, on which passage."""
        shown = " ".join(quote.split())
        shown = shown if len(shown) <= 40 else shown[:39] + "…"
        what = {
            NOTE: f"note of the {tag_name} tag",
            ENTITY: f"{tag_name} tag" if self.key.annotation_id is None else f"{tag_name} entity",
            GRADE: f"{tag_name} tag" if self.key.annotation_id is None else f"{tag_name} grade",
        }[self.key.dialog]
        new = " (not yet made)" if self.key.annotation_id is None else ""
        return f"{what}{new} on “{shown}”"
