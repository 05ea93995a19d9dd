"""Keeps an open dialog's typing in the project while the analyst types (app/drafts.py says why).

The first change after a save arms a timer of SAVE_DELAY_MS; when it fires, the fields as they
are then go to the database in one small transaction. The timer is not restarted by later keys,
so a keystroke is saved at most SAVE_DELAY_MS (plus one event-loop turn) after it was typed, and
steady typing is saved twice a second rather than never. OK saves the final fields at once; the
caller discards the draft only after the edit itself is stored, so a failing edit leaves the
text recoverable. Cancel discards it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QLabel

from app.drafts import Draft, DraftKey, DraftNotSaved
from app.model import utc_now

SAVE_DELAY_MS = 500  # the brief allows a second; half leaves room for a busy event loop


def local_time(stamp: str) -> str:
    """`14:02:11` in the analyst's time zone, from a utc_now() stamp."""
    try:
        return datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone().strftime("%X")
    except ValueError:
        return stamp


class DraftKeeper(QObject):
    """One dialog's draft. Built before the dialog (its `recovered` prefills it), attached to the
    dialog's fields, then either `flush`ed (OK) and later `discard`ed, or `discard`ed (Cancel)."""

    def __init__(self, store, key: DraftKey) -> None:
        super().__init__()
        self._store, self.key = store, key
        self.recovered: Draft | None = store.draft(key)
        self._fields: Callable[[], tuple[str, str]] | None = None
        self._label: QLabel | None = None
        self._saved: tuple[str, str] | None = None
        self._timer = QTimer(self, singleShot=True, interval=SAVE_DELAY_MS)
        self._timer.timeout.connect(self.save)
        self.saves = 0  # how many drafts reached the database: for tests and curiosity

    def attach(self, fields: Callable[[], tuple[str, str]], label: QLabel) -> None:
        """`fields` reads (entity or grade, note) from the dialog; `label` tells the analyst
        about a recovered draft or one that could not be saved."""
        self._fields, self._label = fields, label
        self._saved = fields() if self.recovered is None else None
        if self.recovered is not None:
            self._say(f"Recovered what you typed here at {local_time(self.recovered.saved_at)}, "
                      "before Loupe stopped. OK keeps it; Cancel discards it.")  # fmt: skip

    def changed(self, *_args) -> None:
        if not self._timer.isActive():
            self._timer.start()

    def save(self) -> None:
        self._timer.stop()
        if self._fields is None:
            return
        fields = self._fields()
        if fields == self._saved:
            return
        try:
            self._store.save_draft(Draft(self.key, fields[0], fields[1], utc_now()))
        except DraftNotSaved as exc:
            self._say(f"Your typing could not be kept as a draft ({exc}); press OK to save it.")
            return
        self._saved = fields
        self.saves += 1

    def flush(self) -> None:
        """OK was pressed: keep the final text until the edit is stored."""
        self.save()

    def discard(self) -> None:
        self._timer.stop()
        self._fields = None
        if not self.saves and self.recovered is None:
            return  # nothing was ever written: tagging stays one transaction per tag
        with contextlib.suppress(DraftNotSaved):  # it stays, offered again: a nuisance, no loss
            self._store.discard_draft(self.key)

    def _say(self, text: str) -> None:
        if self._label is not None:
            self._label.setText(text)
            self._label.setVisible(True)
