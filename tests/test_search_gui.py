"""Search all documents (Ctrl+Shift+F) as the analyst uses it: type, read ranked results with the
match in bold, press Enter or click, and land on the match in the article; results follow
documents being added, renamed and undone away."""

from __future__ import annotations

import pytest
import shiboken6
from PySide6.QtCore import Qt

from app.articles import make_document
from app.commands import AddDocuments, EditDocument
from tests.gui_helpers import make_window

FILLER = "".join(
    f"Paragraph {i}: officials met while the harbour stayed quiet.\n\n" for i in range(150)
)
COAST = (
    "Dispatch from the coast\n\n" + FILLER + "Then Ḥamā fell, and the convoy turned back to Hama.\n"
)
GENEVA = "Talks in Geneva\n\nThe envoy said Hama was calm; الرقة was not.\n"
LINTZ = "Lintz report\n\nFamilies left Lintz for Greywater.\n"
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def window(qtbot, db):
    w = make_window(qtbot, db)
    docs = [make_document(COAST, source="Coast Wire", published="2024-03-02"),
            make_document(GENEVA, source="Reuters"), make_document(LINTZ)]  # fmt: skip
    w.undo_stack.push(AddDocuments(w.store, docs))
    w.refresh_documents()
    yield w
    w.close()
    shiboken6.delete(w)


def search(window, qtbot, typed: str):
    qtbot.keyClick(window, Qt.Key.Key_F, CTRL_SHIFT)
    panel = window.searching.panel
    assert panel.query.hasFocus()
    if typed.isascii():
        qtbot.keyClicks(panel.query, typed)
    else:
        panel.query.insert(typed)  # as an input method would (QTest types ASCII only)
    qtbot.waitUntil(lambda: panel._searched == typed)  # after the typing pause
    return panel


def test_ctrl_shift_f_finds_documents_ranked_with_the_match_in_bold(window, qtbot):
    panel = search(window, qtbot, "hama")
    assert window.searching.dock.isVisible()
    assert [h.title for h in panel.hits()] == ["Talks in Geneva", "Dispatch from the coast"]
    assert panel.count_label.text() == "2 documents match."
    html = panel.model.item(1).text()
    assert (
        "<b>Ḥamā</b>" in html
        and "<b>Hama</b>" in html
        and "Coast Wire · \u20662024-03-02\u2069" in html
    )


def test_enter_opens_the_document_with_the_match_selected_and_scrolled_into_view(window, qtbot):
    panel = search(window, qtbot, "hama")
    qtbot.keyClick(panel.query, Qt.Key.Key_Down)
    qtbot.keyClick(panel.results, Qt.Key.Key_Down)  # the second result: the long dispatch
    qtbot.keyClick(panel.results, Qt.Key.Key_Return)
    view = window.view
    assert view.text == COAST
    assert view.selected_span() == (COAST.index("Ḥamā"), COAST.index("Ḥamā") + 4)
    assert view.verticalScrollBar().value() > 0
    assert view.cursorRect().intersects(view.viewport().rect())  # the match is on screen
    assert window.documents.selected_title() == "Dispatch from the coast"
    qtbot.keyClick(panel.results, Qt.Key.Key_Return)  # again: the next match in the document
    start = COAST.index("Hama.")
    assert view.selected_span() == (start, start + 4)
    assert window.last_message == "Match 2 of 2 in this document"


def test_clicking_a_result_opens_it_at_the_match(window, qtbot):
    panel = search(window, qtbot, "الرقة")
    (hit,) = panel.hits()
    rect = panel.results.visualRect(panel.model.index(0, 0))
    qtbot.mouseClick(panel.results.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    start = GENEVA.index("الرقة")
    assert window.view.document_id == hit.document_id
    assert window.view.selected_span() == (start, start + len("الرقة"))


def test_typing_operators_or_an_open_quote_never_shows_an_error(window, qtbot):
    panel = search(window, qtbot, '"Lintz for -Grey:( NEAR')
    assert panel.count_label.text() == "No document matches."
    panel.query.clear()
    qtbot.keyClicks(panel.query, '"left Lintz')
    qtbot.waitUntil(lambda: panel._searched == '"left Lintz')
    assert [h.title for h in panel.hits()] == ["Lintz report"]


def test_results_follow_documents_added_renamed_and_undone(window, qtbot):
    panel = search(window, qtbot, "greywater")
    (lintz,) = panel.hits()
    window.undo_stack.push(
        AddDocuments(window.store, [make_document("Convoy holds at Greywater.\n", title="Convoy")])
    )
    qtbot.waitUntil(lambda: len(panel.hits()) == 2)
    doc = window.store.document(lintz.document_id)
    from dataclasses import replace

    window.undo_stack.push(
        EditDocument(window.store, doc, replace(doc, title="Exodus to Greywater"))
    )
    qtbot.waitUntil(lambda: "Exodus to Greywater" in [h.title for h in panel.hits()])
    assert panel.hits()[0].title == "Exodus to Greywater"  # now in its title too: ranked first
    window.undo_stack.undo()
    window.undo_stack.undo()
    qtbot.waitUntil(lambda: [h.title for h in panel.hits()] == ["Lintz report"])
