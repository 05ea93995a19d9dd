"""The Entities panel in the real window: tag through the article, then rename, merge, split and
delete in the panel, and see the article, the count panel and the undo stack follow."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLineEdit

from app.articles import make_document
from app.commands import AddDocuments
from tests.gui_helpers import KEY_1, KEY_2, count_rows, make_window, select_code_points
from widgets import entities_edits, prompts
from widgets.entities_model import ALIAS, ALL, DOCS, HERE, ID, KIND, NAME

TEXT = (
    "Abu Mohammad al-Jolani spoke in Idlib. Jolani said HTS would hold Idlib.\n"
    "Hayat Tahrir al-Sham fighters entered Hama; al-Julani was not seen.\n"
)
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def window(qtbot, db, monkeypatch):
    w = make_window(qtbot, db)
    w.view.snap_to_words = False  # the tests select exact spans ("Jolani" inside "al-Jolani")
    w.undo_stack.push(AddDocuments(w.store, [make_document(TEXT, title="Idlib report")]))
    w.refresh_documents()
    w.open_document(w.store.document_summaries()[-1].id)
    w.answer = {}
    monkeypatch.setattr(prompts, "ask_entity", lambda *a, **k: (w.answer["entity"], ""))
    return w


def tag(w, qtbot, quote, entity, key=KEY_1, occurrence=1):
    """Select the quote in the article and press the tag key, as an analyst does."""
    start = -1
    for _ in range(occurrence):
        start = TEXT.index(quote, start + 1)
    w.answer["entity"] = entity
    w.view.setFocus()
    select_code_points(w.view, start, start + len(quote))
    qtbot.keyClick(w.view, key)
    qtbot.keyClick(w.view, Qt.Key.Key_Escape)


def panel_of(w, qtbot):
    w.actions["entities_panel"].trigger()  # View ▸ Go to entities (Ctrl+Shift+L)
    panel = w.entities
    qtbot.waitUntil(lambda: panel.isVisible() and panel.refresh_count > 0)
    settle(qtbot, panel)
    return panel


def settle(qtbot, panel):
    qtbot.waitUntil(lambda: not panel.refresh_pending)


def shown(panel):
    """What the panel lists: {type: [(name, here, all, docs, [aliases])]}."""
    model, found = panel.tree.model(), {}
    for g in range(model.rowCount()):
        group = model.index(g, NAME)
        rows = found.setdefault(group.data().split("  (")[0], [])
        for r in range(model.rowCount(group)):
            index = model.index(r, NAME, group)
            cells = [model.index(r, c, group).data() for c in (HERE, ALL, DOCS)]
            aliases = [model.index(a, NAME, index).data() for a in range(model.rowCount(index))]
            rows.append((index.data(), *cells, aliases))
    return {k: v for k, v in found.items() if v}


def select(panel, *names):
    """Make the named entities the selection, the first current."""
    ids = {e.name: e.id for e in panel.store.entities()}
    tree, flags = panel.tree, QItemSelectionModel.SelectionFlag
    tree.setFocus()
    tree.setCurrentIndex(panel.index_of(ids[names[0]]))
    for name in names[1:]:
        tree.selectionModel().select(panel.index_of(ids[name]), flags.Select | flags.Rows)


def names(store):
    return sorted((e.name, e.aliases) for e in store.entities())


def test_merge_in_the_panel_makes_one_counted_row_with_both_spellings(window, qtbot, monkeypatch):
    w = window
    tag(w, qtbot, "Jolani", "Jolani", occurrence=2)
    tag(w, qtbot, "al-Julani", "al-Julani")
    tag(w, qtbot, "Idlib", "Idlib", KEY_2)
    panel = panel_of(w, qtbot)
    assert shown(panel) == {
        "Actor": [("al-Julani", "1", "1", "1", []), ("Jolani", "1", "1", "1", [])],
        "Location": [("Idlib", "1", "1", "1", [])],
    }
    asked = []
    monkeypatch.setattr(entities_edits, "pick", lambda _p, _t, _l, items: asked.append(items)
                        or "Jolani")  # fmt: skip
    select(panel, "Jolani", "al-Julani")
    qtbot.keyClick(panel.tree, Qt.Key.Key_M, CTRL)
    assert asked == [["Jolani", "al-Julani"]]
    assert names(w.store) == [("Idlib", ()), ("Jolani", ("al-Julani",))]
    settle(qtbot, panel)
    assert shown(panel)["Actor"] == [("Jolani", "2", "2", "1", ["al-Julani"])]
    assert w.undo_stack.undoText() == "Merge “al-Julani” into “Jolani”"

    w._docks["counts"].raise_()
    counts = w.counts
    qtbot.waitUntil(
        lambda: count_rows(counts) == [("Jolani", "Actor", 2), ("Idlib", "Location", 1)]
    )
    counts.table.expand_row(0)
    model, row = counts.model, counts.model.index(0, 0)
    assert counts.table.isExpanded(row) and model.rowCount(row) == 2
    quotes = [(model.index(i, 0, row).data(), model.index(i, 2, row).data()) for i in range(2)]
    assert sorted(quotes) == [("“Jolani”", 1), ("“al-Julani”", 1)]
    assert counts.table.visualRect(model.index(1, 0, row)).isValid()  # on screen, not just there
    assert not model.hasChildren(model.index(1, 0)) or model.rowCount(model.index(1, 0)) == 0

    w.undo_stack.undo()
    qtbot.waitUntil(lambda: sorted(count_rows(counts)) == [
        ("Idlib", "Location", 1), ("Jolani", "Actor", 1), ("al-Julani", "Actor", 1)])  # fmt: skip
    assert names(w.store) == [("Idlib", ()), ("Jolani", ()), ("al-Julani", ())]


def test_f2_renames_in_place_and_a_taken_name_is_explained(window, qtbot):
    w = window
    tag(w, qtbot, "HTS", "HTS")
    tag(w, qtbot, "Jolani", "Jolani", occurrence=2)
    panel = panel_of(w, qtbot)
    select(panel, "HTS")
    depth = w.undo_stack.count()
    qtbot.keyClick(panel.tree, Qt.Key.Key_F2)
    assert panel.tree.state() == QAbstractItemView.State.EditingState
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit) and editor.text() == "HTS"
    editor.selectAll()
    qtbot.keyClicks(editor, "Hayat Tahrir al-Sham")
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # the delegate commits from the event loop
    qtbot.waitUntil(lambda: names(w.store) == [("Hayat Tahrir al-Sham", ("HTS",)), ("Jolani", ())])
    (hts,) = [a for a in w.store.annotations(w.view.document_id) if a.quote == "HTS"]
    assert hts.entity == "Hayat Tahrir al-Sham"
    settle(qtbot, panel)
    assert [r[0] for r in shown(panel)["Actor"]] == ["Hayat Tahrir al-Sham", "Jolani"]

    select(panel, "Jolani")
    qtbot.keyClick(panel.tree, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    editor.selectAll()
    qtbot.keyClicks(editor, "hts")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "already names “Hayat Tahrir al-Sham”" in w.last_message)
    assert w.undo_stack.count() == depth + 1  # the refused rename left nothing behind
    assert names(w.store) == [("Hayat Tahrir al-Sham", ("HTS",)), ("Jolani", ())]

    w.undo_stack.undo()
    assert names(w.store) == [("HTS", ()), ("Jolani", ())]


def test_split_an_alias_off_from_the_context_menu(window, qtbot):
    w = window
    tag(w, qtbot, "Abu Mohammad al-Jolani", "Abu Mohammad al-Jolani")
    tag(w, qtbot, "Jolani", "Abu Mohammad al-Jolani", occurrence=2)
    panel = panel_of(w, qtbot)
    jolani = w.store.entity_id(1, "Abu Mohammad al-Jolani")
    alias = panel.index_of(jolani, "Jolani")
    assert alias.isValid() and alias.data(KIND) == "alias"
    panel.tree.setCurrentIndex(alias)
    menu = entities_edits.context_menu(panel)
    texts = [a.text() for a in menu.actions()]
    assert "&Split “Jolani” off as its own entity" in texts
    next(a for a in menu.actions() if a.text().startswith("&Split")).trigger()
    assert names(w.store) == [("Abu Mohammad al-Jolani", ()), ("Jolani", ())]
    assert w.store.entity(w.store.entity_id(1, "Jolani")).mentions == 1
    settle(qtbot, panel)
    assert shown(panel)["Actor"] == [("Abu Mohammad al-Jolani", "1", "1", "1", []),
                                     ("Jolani", "1", "1", "1", [])]  # fmt: skip
    w.undo_stack.undo()
    assert names(w.store) == [("Abu Mohammad al-Jolani", ("Jolani",))]


def test_delete_asks_with_the_mentions_and_takes_the_highlights(window, qtbot, monkeypatch):
    w = window
    tag(w, qtbot, "Idlib", "Idlib", KEY_2)
    tag(w, qtbot, "Idlib", "Idlib", KEY_2, occurrence=2)
    tag(w, qtbot, "HTS", "HTS")
    panel = panel_of(w, qtbot)
    questions, answer = [], [False]
    monkeypatch.setattr(entities_edits, "confirm",
                        lambda _p, _t, text: questions.append(text) or answer[0])  # fmt: skip
    hts = next(a for a in w.view.annotations() if a.quote == "HTS")
    w.view.select_annotation(hts.id)  # the window's Delete (delete annotation) is now live
    assert w.actions["delete"].isEnabled()

    select(panel, "Idlib")
    qtbot.keyClick(panel.tree, Qt.Key.Key_Delete)
    assert questions == [
        "Delete “Idlib” (Location) and 2 mentions in 1 document? Their highlights are removed "
        "from the articles too. Edit ▸ Undo brings everything back."
    ]
    assert len(w.view.annotations()) == 3  # cancelled: nothing happened, HTS not deleted either

    answer[0] = True
    qtbot.keyClick(panel.tree, Qt.Key.Key_Delete)
    assert [a.quote for a in w.view.annotations()] == ["HTS"]
    assert names(w.store) == [("HTS", ())]
    settle(qtbot, panel)
    assert "Location" not in shown(panel)

    w.undo_stack.undo()
    assert sorted(a.quote for a in w.view.annotations()) == ["HTS", "Idlib", "Idlib"]


def test_aliases_are_added_and_removed_and_a_refusal_is_a_message(window, qtbot, monkeypatch):
    w = window
    tag(w, qtbot, "HTS", "HTS")
    tag(w, qtbot, "Jolani", "Jolani", occurrence=2)
    panel = panel_of(w, qtbot)
    typed = ["Hayat Tahrir al-Sham"]
    monkeypatch.setattr(entities_edits, "ask_text", lambda *a, **k: typed[0])
    select(panel, "HTS")
    qtbot.keyClick(panel.tree, Qt.Key.Key_Insert)
    assert names(w.store) == [("HTS", ("Hayat Tahrir al-Sham",)), ("Jolani", ())]

    depth, typed[0] = w.undo_stack.count(), "  JOLANI "
    qtbot.keyClick(panel.tree, Qt.Key.Key_Insert)
    assert w.last_message == "“JOLANI” already names “Jolani”; merge the two instead."
    assert w.undo_stack.count() == depth

    settle(qtbot, panel)
    hts = w.store.entity_id(1, "HTS")
    panel.tree.setCurrentIndex(panel.index_of(hts, "Hayat Tahrir al-Sham"))
    qtbot.keyClick(panel.tree, Qt.Key.Key_Delete)  # on an alias: removes just that name
    assert names(w.store) == [("HTS", ()), ("Jolani", ())]


def test_filter_finds_an_entity_by_an_alias_ignoring_case_and_accents(window, qtbot):
    w = window
    tag(w, qtbot, "Abu Mohammad al-Jolani", "Abu Mohammad al-Jolani")
    tag(w, qtbot, "al-Julani", "Abu Mohammad al-Jolani")
    tag(w, qtbot, "HTS", "HTS")
    panel = panel_of(w, qtbot)
    qtbot.keyClicks(panel.filter_box, "AL-JÚLANI")
    assert shown(panel) == {"Actor": [("Abu Mohammad al-Jolani", "2", "2", "1", ["al-Julani"])]}
    panel.filter_box.clear()
    assert [r[0] for r in shown(panel)["Actor"]] == ["Abu Mohammad al-Jolani", "HTS"]
    jolani = panel.index_of(w.store.entity_id(1, "Abu Mohammad al-Jolani"))
    assert not panel.tree.isExpanded(jolani)  # opened for the filter only

    panel.tree.expand(jolani)  # opened by hand: stays open through a rebuild
    before = panel.refresh_count
    tag(w, qtbot, "Idlib", "Idlib", KEY_2)
    qtbot.waitUntil(lambda: panel.refresh_count > before and not panel.refresh_pending)
    assert panel.tree.isExpanded(panel.index_of(w.store.entity_id(1, "Abu Mohammad al-Jolani")))
    assert not panel.tree.isExpanded(panel.index_of(w.store.entity_id(1, "HTS")))


def test_a_hidden_panel_does_no_work_until_shown(window, qtbot):
    w = window
    panel = panel_of(w, qtbot)
    w._docks["counts"].raise_()  # the Entities tab goes behind the counts
    qtbot.waitUntil(lambda: panel.visibleRegion().isEmpty())
    before = panel.refresh_count
    tag(w, qtbot, "HTS", "HTS")
    qtbot.wait(60)
    assert panel.refresh_count == before
    w._docks["entities"].raise_()  # as a click on its tab does
    qtbot.waitUntil(lambda: panel.refresh_count == before + 1)
    assert shown(panel) == {"Actor": [("HTS", "1", "1", "1", [])]}


def test_double_click_finds_the_mentions(window, qtbot):
    w = window
    tag(w, qtbot, "Idlib", "Idlib", KEY_2)
    tag(w, qtbot, "Idlib", "Idlib", KEY_2, occurrence=2)
    panel = panel_of(w, qtbot)
    index = panel.index_of(w.store.entity_id(2, "Idlib"))
    assert index.data(ID) and index.data(ALIAS) is None
    rect = panel.tree.visualRect(index)
    qtbot.mouseClick(panel.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(panel.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert "Idlib: mention 1 of 2" in w.last_message
    assert w.view.selected_annotation().start == TEXT.index("Idlib")


def test_opening_the_window_does_not_load_the_entities_tab_behind_the_counts(qtbot, db):
    """Qt shows every tab of a dock area when the window first appears, then hides those behind:
    the registry (1 s for 5,500 entities) must not be read for a tab nobody has opened."""
    w = make_window(qtbot, db, sample=True)
    w.show()
    qtbot.waitExposed(w)
    qtbot.wait(150)  # several times the panel's 30 ms refresh delay
    assert w.entities.refresh_count == 0
    w._docks["entities"].raise_()
    qtbot.waitUntil(lambda: w.entities.refresh_count == 1)
