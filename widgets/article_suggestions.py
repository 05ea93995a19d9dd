"""The article view's side of suggestions: offsets in, painted occurrences out.

A mixin of `ArticleView` (widgets/article_view.py), which owns `suggestions` (a
`SuggestionLayer`), `_map` (code points ↔ UTF-16) and `_index` (the annotations' spans); the
`SuggestionController` (widgets/suggestion_controller.py) talks to the view through these.
"""

from __future__ import annotations

from collections.abc import Callable


class SuggestionsInView:
    def _utf16_map(self) -> Callable[[int], int] | None:
        """None when the text has no astral characters: code points are UTF-16 units then."""
        return None if self._map.identity else self._map.to_utf16

    def set_suggestions(self, items) -> None:
        """Occurrences (code points, start order) to offer."""
        self.suggestions.set(items, self._utf16_map())
        self.viewport().update()

    def update_suggestions(self, removed, added) -> None:
        if removed or added:
            self.suggestions.update(removed, added, self._utf16_map())
            self.viewport().update()

    def visible_range(self) -> tuple[int, int]:
        """Code points of the text on screen, from the top-left character to the bottom-right."""
        port = self.viewport().rect()
        first = self.cursorForPosition(port.topLeft()).position()
        last = self.cursorForPosition(port.bottomRight()).position()
        to_cp = self._map.to_code_point
        return to_cp(first), to_cp(min(self._map.length_utf16, last + 1))

    def suggestions_over(self, start: int, end: int) -> list:
        """The suggestions overlapping [start, end) (code points)."""
        return self.suggestions.overlapping(self._map.to_utf16(start), self._map.to_utf16(end))

    def annotated_over(self, start: int, end: int) -> list[tuple[int, int]]:
        """(tag type, UTF-16 start) of the annotations overlapping [start, end) (code points)."""
        spans = self._index.overlapping(self._map.to_utf16(start), self._map.to_utf16(end))
        return [(s.tag_type_id, s.start) for s in spans]

    def step_suggestion(self, forward: bool = True):
        """Tab / Shift+Tab: consider the next suggestion, shown outlined and scrolled to."""
        here = self._map.to_code_point(self.textCursor().position())
        item = self.suggestions.step(forward, here)
        if item is not None:
            self.select_span(item.start, item.end)
            self.ensureCursorVisible()
        self.viewport().update()
        return item
