"""The count panel, driven through a real Store over a migrated in-memory database."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import textwrap
from dataclasses import replace

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor

from app.articles import make_document
from app.model import Grade, TagType
from app.offsets import new_annotation
from app.store import Store
from widgets.count_chart import short_label
from widgets.count_panel import CountPanel
from widgets.grade_matrix import NOT_JUDGED, TOTAL

TEXT = "Analysts read this article. " * 40
_doc_counter = itertools.count()


@pytest.fixture
def store(db):
    return Store(db)


@pytest.fixture
def types(store):
    return {t.name: t for t in store.tag_types()}


def add_doc(store) -> int:
    # Texts differ so the store's duplicate check (by hash) does not collapse them.
    (doc,) = store.add_documents([make_document(TEXT + str(next(_doc_counter)))])
    return doc.id


_offsets = itertools.count()


def tags(store, doc_id, tag_type_id, entity="", n=1, grade=Grade()):
    """Add `n` annotations in one store call and return them."""
    anns = []
    for _ in range(n):
        start = next(_offsets) % (len(TEXT) - 5)
        anns.append(
            new_annotation(TEXT, doc_id, start, start + 4, tag_type_id, entity=entity, grade=grade)
        )
    store.add_annotations(anns)
    return anns


@pytest.fixture
def make_panel(qtbot, store):
    def make(document_id=None):
        panel = CountPanel(store)
        panel.refresh_delay_ms = 0
        qtbot.addWidget(panel)
        panel.resize(360, 900)
        panel.set_document(document_id)
        panel.show()
        qtbot.waitExposed(panel)
        settle(qtbot, panel)
        return panel

    return make


def settle(qtbot, panel):
    qtbot.waitUntil(lambda: panel.refresh_count >= 1 and not panel.refresh_pending)


def refreshed(qtbot, panel, action):
    """Run `action` and wait for the refresh it schedules."""
    before = panel.refresh_count
    action()
    qtbot.waitUntil(lambda: panel.refresh_count > before and not panel.refresh_pending)


def rows(panel):
    """What the table shows, top to bottom: (entity, type, count)."""
    model = panel.table.model()
    return [tuple(model.index(r, c).data() for c in range(3)) for r in range(model.rowCount())]


def click_row(qtbot, panel, row):
    view = panel.table
    rect = view.visualRect(view.model().index(row, 0))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_document_scope_and_all_documents_scope(qtbot, store, types, make_panel):
    actor, place = types["Actor"].id, types["Location"].id
    first, second = add_doc(store), add_doc(store)
    tags(store, first, actor, "Bashar al-Assad", n=3)
    tags(store, first, place, "Damascus", n=1)
    tags(store, second, actor, "Bashar al-Assad", n=2)
    tags(store, second, actor, "Vladimir Putin", n=4)
    panel = make_panel(first)

    assert rows(panel) == [("Bashar al-Assad", "Actor", 3), ("Damascus", "Location", 1)]

    refreshed(qtbot, panel, panel.all_button.click)
    assert rows(panel) == [
        ("Bashar al-Assad", "Actor", 5),
        ("Vladimir Putin", "Actor", 4),
        ("Damascus", "Location", 1),
    ]

    refreshed(qtbot, panel, panel.document_button.click)
    refreshed(qtbot, panel, lambda: panel.set_document(second))
    assert rows(panel) == [("Vladimir Putin", "Actor", 4), ("Bashar al-Assad", "Actor", 2)]


def test_type_filter_lists_every_tag_type_and_filters_rows(qtbot, store, types, make_panel):
    doc = add_doc(store)
    tags(store, doc, types["Actor"].id, "Hezbollah", n=2)
    tags(store, doc, types["Location"].id, "Aleppo", n=5)
    panel = make_panel(doc)
    combo = panel.type_combo
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "All types",
        "Actor",
        "Location",
        "Credibility",
    ]

    refreshed(qtbot, panel, lambda: combo.setCurrentIndex(combo.findText("Location")))
    assert rows(panel) == [("Aleppo", "Location", 5)]

    refreshed(qtbot, panel, lambda: combo.setCurrentIndex(0))
    assert rows(panel) == [("Aleppo", "Location", 5), ("Hezbollah", "Actor", 2)]


def test_type_filter_follows_vocabulary_changes(qtbot, store, types, make_panel):
    doc = add_doc(store)
    panel = make_panel(doc)
    weapon = store.add_tag_type(TagType(None, "Weapon", color="#CC79A7", shortcut="4", position=9))
    assert panel.type_combo.findText("Weapon") >= 0

    tags(store, doc, weapon.id, "Kornet", n=2)
    tags(store, doc, types["Actor"].id, "Wagner", n=1)
    combo = panel.type_combo
    refreshed(qtbot, panel, lambda: combo.setCurrentIndex(combo.findText("Weapon")))
    assert rows(panel) == [("Kornet", "Weapon", 2)]

    # Renaming keeps the selection; removing the chosen type falls back to all types.
    store.update_tag_type(replace(weapon, name="Arms"))
    assert combo.currentText() == "Arms"
    refreshed(qtbot, panel, lambda: store.remove_tag_type(weapon.id))
    assert combo.currentText() == "All types"
    assert rows(panel) == [("Wagner", "Actor", 1)]


def test_count_sorts_numerically_and_defaults_to_descending(qtbot, store, types, make_panel):
    doc = add_doc(store)
    for name, n in (("Nine", 9), ("Ten", 10), ("Two", 2)):
        tags(store, doc, types["Actor"].id, name, n=n)
    panel = make_panel(doc)
    # As text, descending would be "9", "2", "10".
    assert [r[2] for r in rows(panel)] == [10, 9, 2]

    header = panel.table.horizontalHeader()
    count_x = header.sectionViewportPosition(2) + header.sectionSize(2) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(count_x, 5))
    assert [r[2] for r in rows(panel)] == [2, 9, 10]

    panel.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    assert [r[0] for r in rows(panel)] == ["Nine", "Ten", "Two"]
    # The chosen order survives a live refresh.
    refreshed(qtbot, panel, lambda: tags(store, doc, types["Actor"].id, "Abu Mohammad", n=1))
    assert [r[0] for r in rows(panel)] == ["Abu Mohammad", "Nine", "Ten", "Two"]


def test_entity_with_differently_graded_mentions_is_one_row(qtbot, store, types, make_panel):
    doc = add_doc(store)
    actor = types["Actor"].id
    tags(store, doc, actor, "Hayat Tahrir al-Sham", n=2, grade=Grade(2, "B"))
    tags(store, doc, actor, "Hayat Tahrir al-Sham", n=1, grade=Grade(5, "E"))
    tags(store, doc, actor, "Hayat Tahrir al-Sham", n=1)
    panel = make_panel(doc)
    assert rows(panel) == [("Hayat Tahrir al-Sham", "Actor", 4)]


def test_credibility_labels_and_admiralty_matrix(qtbot, store, types, make_panel):
    doc = add_doc(store)
    cred = types["Credibility"].id
    tags(store, doc, cred, n=2, grade=Grade(3, "B"))
    tags(store, doc, cred, n=1, grade=Grade(1, "A"))
    tags(store, doc, cred, n=1, grade=Grade(4))
    tags(store, doc, types["Actor"].id, "Assad", n=1, grade=Grade(3, "B"))
    tags(store, doc, types["Actor"].id, "Putin", n=3)  # ungraded: not in the matrix
    panel = make_panel(doc)

    assert ("B3", "Credibility", 2) in rows(panel)
    assert ("4", "Credibility", 1) in rows(panel)
    matrix = panel.matrix
    assert matrix.cell_text("B", 3) == "3"
    assert matrix.cell_text("A", 1) == "1"
    assert matrix.cell_text(None, 4) == "1"
    assert matrix.cell_text("C", 2) == ""  # empty cells stay blank
    assert matrix.cell_text("B", TOTAL) == "3"
    assert matrix.cell_text(TOTAL, 3) == "3"
    assert matrix.cell_text(TOTAL, TOTAL) == "5"
    assert matrix.total == 5
    assert "Usually reliable" in matrix.verticalHeaderItem(1).toolTip()
    assert "Possibly true" in matrix.horizontalHeaderItem(2).toolTip()
    assert matrix.verticalHeaderItem(6).text() == NOT_JUDGED

    refreshed(qtbot, panel, panel.all_button.click)
    other = add_doc(store)
    refreshed(qtbot, panel, lambda: tags(store, other, cred, n=4, grade=Grade(6, "F")))
    assert matrix.cell_text("F", 6) == "4"
    assert matrix.cell_text(TOTAL, TOTAL) == "9"


def test_fifty_changes_coalesce_into_one_refresh_without_a_query(
    qtbot, store, types, make_panel, monkeypatch
):
    doc = add_doc(store)
    panel = make_panel(doc)
    panel.refresh_delay_ms = 30
    queries = []
    real_entity_counts, real_grade_counts = store.entity_counts, store.source_grade_counts
    monkeypatch.setattr(
        store, "entity_counts", lambda *a: queries.append("e") or real_entity_counts(*a)
    )
    monkeypatch.setattr(
        store, "source_grade_counts", lambda *a: queries.append("g") or real_grade_counts(*a)
    )
    before = panel.refresh_count

    for i in range(50):
        tags(store, doc, types["Actor"].id, f"Militia {i % 5}", n=1)

    qtbot.waitUntil(lambda: panel.refresh_count == before + 1)
    qtbot.wait(80)  # nothing else is queued
    assert panel.refresh_count == before + 1
    assert queries == []  # the tally seeded by the first refresh absorbed all fifty
    assert sorted(rows(panel)) == [(f"Militia {i}", "Actor", 10) for i in range(5)]
    panel.all_button.click()  # a new scope asks the database once
    qtbot.waitUntil(lambda: panel.refresh_count == before + 2)
    assert sorted(queries) == ["e", "g"]


def test_chart_bars_are_the_top_counts_biggest_on_top(qtbot, store, types, make_panel):
    doc = add_doc(store)
    long_name = "Islamic Revolutionary Guard Corps Quds Force"
    for i in range(15):
        kind = types["Actor"] if i % 2 else types["Location"]
        tags(store, doc, kind.id, long_name if i == 14 else f"Entity {i:02d}", n=i + 1)
    panel = make_panel(doc)

    bars = panel.chart.bar_item
    widths = list(bars.opts["width"])
    assert len(widths) == panel.chart.top_n == 12
    assert widths == sorted((r[2] for r in rows(panel)), reverse=True)[:12]
    ys = list(bars.opts["y"])
    assert ys[0] == max(ys)  # the biggest bar is the top row
    assert bars.opts["height"] == pytest.approx(0.7)
    brush_colours = [QColor(b).name() for b in bars.opts["brushes"]]
    expected = [
        (types["Location"] if (15 - k - 1) % 2 == 0 else types["Actor"]).color.lower()
        for k in range(12)
    ]
    assert brush_colours == expected
    ticks = dict(panel.chart.plot_widget.getPlotItem().getAxis("left")._tickLevels[0])
    assert ticks[ys[0]] == short_label(long_name)
    assert ticks[ys[0]].endswith("…") and len(ticks[ys[0]]) <= 16

    # Updated in place: the same item, new widths.
    refreshed(qtbot, panel, lambda: tags(store, doc, types["Location"].id, "Entity 00", n=40))
    assert panel.chart.bar_item is bars
    assert list(bars.opts["width"])[0] == 41


def test_clicking_a_table_row_emits_entity_activated(qtbot, store, types, make_panel):
    doc = add_doc(store)
    tags(store, doc, types["Location"].id, "Idlib", n=3)
    tags(store, doc, types["Credibility"].id, n=1, grade=Grade(3, "B"))
    panel = make_panel(doc)

    with qtbot.waitSignal(panel.entity_activated) as blocker:
        click_row(qtbot, panel, 0)
    assert blocker.args == [types["Location"].id, "Idlib"]
    with qtbot.waitSignal(panel.entity_activated) as blocker:
        click_row(qtbot, panel, 1)
    assert blocker.args == [types["Credibility"].id, "B3"]

    # Keyboard: Return on the current row jumps as a click does.
    panel.table.setFocus()
    panel.table.setCurrentIndex(panel.table.model().index(0, 0))
    with qtbot.waitSignal(panel.entity_activated) as blocker:
        qtbot.keyClick(panel.table, Qt.Key.Key_Return)
    assert blocker.args == [types["Location"].id, "Idlib"]


def test_clicking_a_bar_emits_entity_activated(qtbot, store, types, make_panel):
    doc = add_doc(store)
    tags(store, doc, types["Actor"].id, "Assad", n=5)
    tags(store, doc, types["Location"].id, "Homs", n=2)
    panel = make_panel(doc)
    widget = panel.chart.plot_widget
    view_box = widget.getPlotItem().getViewBox()

    def click_bar(index, x_fraction=0.5):
        bars = panel.chart.bar_item.opts
        point = QPointF(bars["width"][index] * x_fraction, bars["y"][index])
        pos = widget.mapFromScene(view_box.mapViewToScene(point))
        qtbot.mouseClick(widget.viewport(), Qt.MouseButton.LeftButton, pos=pos)

    with qtbot.waitSignal(panel.entity_activated) as blocker:
        click_bar(1)
    assert blocker.args == [types["Location"].id, "Homs"]
    with qtbot.waitSignal(panel.entity_activated) as blocker:
        click_bar(0, x_fraction=0.1)
    assert blocker.args == [types["Actor"].id, "Assad"]


def test_removing_and_updating_annotations_updates_counts(qtbot, store, types, make_panel):
    doc = add_doc(store)
    actor = types["Actor"].id
    assad = tags(store, doc, actor, "Assad", n=3)
    panel = make_panel(doc)
    assert rows(panel) == [("Assad", "Actor", 3)]

    refreshed(qtbot, panel, lambda: store.remove_annotations(assad[:2]))  # an undo
    assert rows(panel) == [("Assad", "Actor", 1)]

    old = assad[2]
    refreshed(qtbot, panel, lambda: store.update_annotation(old, replace(old, entity="Asma")))
    assert rows(panel) == [("Asma", "Actor", 1)]

    refreshed(qtbot, panel, lambda: store.add_annotations(assad[:2]))  # a redo
    assert sorted(rows(panel)) == [("Asma", "Actor", 1), ("Assad", "Actor", 2)]


def test_a_hidden_panel_refreshes_when_shown_again(qtbot, store, types, make_panel):
    """A closed window's panel must not query a database its owner may have closed."""
    doc = add_doc(store)
    panel = make_panel(doc)
    before = panel.refresh_count
    tags(store, doc, types["Actor"].id, "Assad", n=2)
    panel.hide()
    tags(store, doc, types["Actor"].id, "Assad", n=1)
    qtbot.wait(40)
    assert panel.refresh_count == before

    panel.show()
    qtbot.waitUntil(lambda: panel.refresh_count == before + 1)
    assert rows(panel) == [("Assad", "Actor", 3)]


def test_placeholder_when_there_is_nothing_to_count(qtbot, store, types, make_panel):
    panel = make_panel(None)
    assert panel.stack.currentWidget() is panel.placeholder
    assert "No document open" in panel.placeholder.text()

    refreshed(qtbot, panel, panel.all_button.click)
    assert panel.placeholder.text() == "No tags yet — select text and press 1, 2 or 3"
    assert panel.chart_section.isHidden()

    doc = add_doc(store)
    refreshed(qtbot, panel, panel.document_button.click)
    refreshed(qtbot, panel, lambda: panel.set_document(doc))
    assert panel.placeholder.text() == (
        "No tags in this document yet — select text and press 1, 2 or 3"
    )

    anns = []
    refreshed(qtbot, panel, lambda: anns.extend(tags(store, doc, types["Actor"].id, "Assad")))
    assert panel.stack.currentWidget() is panel.table
    assert not panel.chart_section.isHidden()

    refreshed(qtbot, panel, lambda: store.remove_annotations(anns))
    assert panel.stack.currentWidget() is panel.placeholder


def test_constructing_the_panel_does_not_import_pyqtgraph():
    """Cold start: pyqtgraph loads on the first refresh, not when the window is built."""
    script = textwrap.dedent(
        """
        import sys
        from PySide6.QtWidgets import QApplication
        app = QApplication([])
        from app.store import Store
        from db.connection import open_db
        from widgets.count_panel import CountPanel
        panel = CountPanel(Store(open_db(None)))
        assert "pyqtgraph" not in sys.modules, "imported at construction"
        panel.refresh()
        assert "pyqtgraph" in sys.modules and panel.chart.is_built
        print("ok")
        """
    )
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": root}
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=root, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_undoing_the_tag_that_named_an_entity_drops_its_row_without_a_recount(
    qtbot, store, types, make_panel, monkeypatch
):
    """The undo takes the entity (and the alias its quote taught) away again; counts follow the
    removed tag through the tally, with no query: a recount of a million tags per Ctrl+Z cost
    ~100 ms. A rename still regroups with one recount."""
    from PySide6.QtGui import QUndoStack

    from app.commands import AddAnnotations
    from app.entity_commands import RenameEntity

    doc = add_doc(store)
    tags(store, doc, types["Actor"].id, "Militia 1", n=2)
    panel = make_panel(doc)
    panel.refresh_delay_ms = 30
    settle(qtbot, panel)
    queries = []
    real = store.entity_counts
    monkeypatch.setattr(store, "entity_counts", lambda *a: queries.append(1) or real(*a))
    text = store.document(doc).text
    stack = QUndoStack()
    new = new_annotation(text, doc, 0, 5, types["Actor"].id, entity="Brand New Front")
    stack.push(AddAnnotations(store, [new]))
    settle(qtbot, panel)
    assert ("Brand New Front", "Actor", 1) in rows(panel)
    stack.undo()
    settle(qtbot, panel)
    assert store.entity_id(types["Actor"].id, "Brand New Front") is None  # taken away
    assert rows(panel) == [("Militia 1", "Actor", 2)] and queries == []
    stack.push(RenameEntity(store, store.entity_id(types["Actor"].id, "Militia 1"), "Front"))
    settle(qtbot, panel)
    assert rows(panel) == [("Front", "Actor", 2)] and queries == [1]
