"""The drafts' half of the Store (app/drafts.py says what a draft is). Mixed into `Store`, which
owns the connection: each save or discard is its own small transaction, never on the undo stack
and never inside an edit's transaction, so a draft can neither be undone nor roll an edit back.

A failure to save a draft is reported as DraftNotSaved for the dialog to show; it must not
interrupt the analyst, who can still press OK and have the edit itself saved.
"""

from __future__ import annotations

import sqlite3

from app.drafts import Draft, DraftKey, DraftNotSaved
from db import repository as repo


class DraftStoreMixin:
    def draft(self, key: DraftKey) -> Draft | None:
        row = repo.drafts.get_draft(self.db, key.dialog, key.target)
        return Draft.from_row(row) if row else None

    def drafts(self) -> list[Draft]:
        """Every draft left in the project, oldest first: after a crash, what to offer back."""
        return [Draft.from_row(row) for row in repo.drafts.list_drafts(self.db)]

    def save_draft(self, draft: Draft) -> None:
        try:
            with self._transaction() as db:
                repo.drafts.save_draft(db, draft.as_row())
        except (sqlite3.Error, OSError) as exc:
            raise DraftNotSaved(str(exc)) from exc

    def discard_draft(self, key: DraftKey) -> None:
        try:
            with self._transaction() as db:
                repo.drafts.delete_draft(db, key.dialog, key.target)
        except (sqlite3.Error, OSError) as exc:
            raise DraftNotSaved(str(exc)) from exc
