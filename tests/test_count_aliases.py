"""The count table's entity rows expand to the spellings behind their count, in the panel's
scope, fetched when expanded and kept expanded through refreshes and sorting."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.articles import make_document
from app.model import Grade
from app.offsets import new_annotation
from app.store import Store
from tests.gui_helpers import count_rows
from widgets.count_panel import CountPanel

ONE = "Jolani spoke. al-Julani was not seen. JOLANI left. Idlib held; Hama fell.\n"
TWO = "Jolani again, in Hama.\n"


@pytest.fixture
def store(db):
    return Store(db)


@pytest.fixture
def docs(store):
    one, two = store.add_documents([make_document(ONE), make_document(TWO)])
    types = {t.name: t.id for t in store.tag_types()}

    def tag(doc, quote, entity, kind="Actor", grade=Grade()):
        text = ONE if doc is one else TWO
        start = text.index(quote)
        ann = new_annotation(text, doc.id, start, start + len(quote), types[kind], entity=entity,
                             grade=grade)  # fmt: skip
        store.add_annotations([ann])

    tag(one, "Jolani", "Abu Mohammad al-Jolani")
    tag(one, "al-Julani", "Abu Mohammad al-Jolani")
    tag(one, "JOLANI", "Abu Mohammad al-Jolani")
    tag(one, "Idlib", "Idlib", "Location")
    tag(two, "Jolani", "Abu Mohammad al-Jolani")
    tag(one, "Hama fell", "", "Credibility", Grade(2, "B"))
    return one, two, tag, types


@pytest.fixture
def panel(qtbot, store, docs):
    panel = CountPanel(store)
    panel.refresh_delay_ms = 0
    qtbot.addWidget(panel)
    panel.resize(380, 700)
    panel.set_document(docs[0].id)
    panel.show()
    qtbot.waitExposed(panel)
    qtbot.waitUntil(lambda: panel.refresh_count >= 1 and not panel.refresh_pending)
    return panel


def children(panel, row):
    model = panel.model
    parent = model.index(row, 0)
    return [(model.index(i, 0, parent).data(), model.index(i, 2, parent).data())
            for i in range(model.rowCount(parent))]  # fmt: skip


def refreshed(qtbot, panel, action):
    before = panel.refresh_count
    action()
    qtbot.waitUntil(lambda: panel.refresh_count > before and not panel.refresh_pending)


def test_an_entity_row_expands_to_its_spellings_in_this_document_or_all(qtbot, panel):
    assert count_rows(panel)[0] == ("Abu Mohammad al-Jolani", "Actor", 3)
    assert children(panel, 0) == []  # nothing asked before it is expanded
    panel.table.setFocus()
    panel.table.setCurrentIndex(panel.model.index(0, 0))
    qtbot.keyClick(panel.table, Qt.Key.Key_Right)  # the keyboard opens it as the arrow does
    assert panel.table.isExpanded(panel.model.index(0, 0))
    assert children(panel, 0) == [("“JOLANI”", 1), ("“Jolani”", 1), ("“al-Julani”", 1)]
    tip = panel.model.index(0, 0, panel.model.index(0, 0)).data(Qt.ItemDataRole.ToolTipRole)
    assert tip == "Written “JOLANI” 1 time"

    refreshed(qtbot, panel, panel.all_button.click)
    assert count_rows(panel)[0] == ("Abu Mohammad al-Jolani", "Actor", 4)
    assert panel.table.isExpanded(panel.model.index(0, 0))  # still open after the reset
    assert children(panel, 0) == [("“Jolani”", 2), ("“JOLANI”", 1), ("“al-Julani”", 1)]


def test_grades_and_unnamed_rows_do_not_expand(panel):
    model = panel.model
    labels = {model.index(r, 0).data(): model.hasChildren(model.index(r, 0))
              for r in range(model.rowCount())}  # fmt: skip
    assert labels == {"Abu Mohammad al-Jolani": True, "Idlib": True, "B2": False}


def test_expansion_follows_its_row_through_sorting_and_new_tags(qtbot, panel, docs):
    one, _two, tag, _types = docs
    model, table = panel.model, panel.table
    idlib = next(r for r in range(model.rowCount()) if model.entry(r).entity == "Idlib")
    table.expand_row(idlib)
    table.sortByColumn(0, Qt.SortOrder.AscendingOrder)  # by name: Idlib moves
    rows = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert rows == ["Abu Mohammad al-Jolani", "B2", "Idlib"]
    assert [table.isExpanded(model.index(r, 0)) for r in range(3)] == [False, False, True]
    assert children(panel, 2) == [("“Idlib”", 1)]

    refreshed(qtbot, panel, lambda: tag(one, "Hama", "Idlib", "Location"))
    assert table.isExpanded(model.index(2, 0))
    assert children(panel, 2) == [("“Hama”", 1), ("“Idlib”", 1)]


def test_clicking_a_spelling_finds_its_entity(qtbot, panel, docs):
    table, model = panel.table, panel.model
    table.expand_row(0)
    child = model.index(1, 0, model.index(0, 0))
    rect = table.visualRect(child)
    assert rect.isValid()
    with qtbot.waitSignal(panel.entity_activated) as blocker:
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert blocker.args == [docs[3]["Actor"], "Abu Mohammad al-Jolani"]
