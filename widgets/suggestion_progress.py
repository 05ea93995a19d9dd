"""A quiet progress bar for the suggestion search of a big document, with Stop.

The whole-document search runs on a worker (widgets/suggestion_controller.py) and the window stays
usable meanwhile, with the names on screen already suggested. Past half a second (a few MB of
text against thousands of names) the status bar says so, with a busy bar (the search is one call
into the matcher, so there is no fraction to show) and Stop, which drops the search's result:
suggestions write nothing, so stopping leaves the project as it was.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QToolButton, QWidget

SHOW_AFTER_MS = 500


class SuggestionProgress(QWidget):
    def __init__(self, controller, status_message, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._controller, self._status_message = controller, status_message
        self.label = QLabel("Looking for known names in this document…")
        self.bar = QProgressBar(maximumWidth=120, maximumHeight=14, textVisible=False)
        self.bar.setRange(0, 0)  # busy: one call into the matcher, no fraction to report
        self.stop_button = QToolButton(text="Stop", autoRaise=True)
        self.stop_button.setToolTip("Stop looking for suggestions in the rest of this document")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.label, self.bar, self.stop_button):
            layout.addWidget(widget)
        self.hide()
        self._delay = QTimer(self, singleShot=True, interval=SHOW_AFTER_MS)
        self._delay.timeout.connect(self._show_if_still_searching)
        controller.search_started.connect(self._delay.start)
        controller.search_ended.connect(self._ended)
        self.stop_button.clicked.connect(self.stop)

    def _show_if_still_searching(self) -> None:
        if not self._controller.ready():
            self.show()

    def _ended(self) -> None:
        self._delay.stop()
        self.hide()

    def stop(self) -> None:
        self._controller.stop_search()
        self._status_message(
            "Stopped looking for suggestions in this document; the names on screen stay "
            "suggested. Reopen the document to look again."
        )


def install_suggestion_progress(window) -> SuggestionProgress:
    progress = SuggestionProgress(window.suggesting, window.show_status, window)
    window.statusBar().addPermanentWidget(progress)
    return progress
