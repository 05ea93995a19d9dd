"""The document list as a model/view table with a filter bar: filter by title, source,
publication dates and tag type, sort by any column, reach it all from the keyboard, and keep the
open document selected through it all."""

from __future__ import annotations

import pytest
import shiboken6
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QDate, Qt

from app.articles import make_document
from app.commands import AddDocuments
from app.model import DocumentSummary
from tests.gui_helpers import KEY_2, make_window, select_code_points
from widgets.document_model import PUBLISHED, TAGS, TITLE, DocumentFilter, DocumentTableModel

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
DOCS = (  # title, source, published
    ("Shelling near Homs", "Coast Wire", "2024-03-02"),
    ("ceasefire talks", "Reuters", "2024-02"),
    ("Aid convoy crosses", "Kestrel Valley Telegram channel", ""),
    ("al-Jolani speaks", "Coast Wire", "2023"),
)


@pytest.fixture
def window(qtbot, db, monkeypatch):
    from widgets import prompts

    monkeypatch.setattr(prompts, "ask_entity", lambda *a, **k: ("Homs", ""))
    w = make_window(qtbot, db)
    docs = [make_document(f"{t}.\n\nReport from Homs.\n", title=t, source=s, published=p)
            for t, s, p in DOCS]  # fmt: skip
    w.undo_stack.push(AddDocuments(w.store, docs))
    w.refresh_documents()
    yield w
    w.close()
    shiboken6.delete(w)


def titles(window) -> list[str]:
    return [row[0] for row in window.documents.rows()]


def test_typing_in_the_filter_narrows_the_list_by_title_and_says_how_many(window, qtbot):
    qtbot.keyClick(window, Qt.Key.Key_D, CTRL_SHIFT)
    bar = window.documents
    assert bar.title_filter.hasFocus()
    qtbot.keyClicks(bar.title_filter, "HOMS")
    assert titles(window) == ["Shelling near Homs"]
    assert bar.shown_label.text() == "Showing 1 of 4"
    bar.title_filter.clear()
    assert len(titles(window)) == 4 and bar.shown_label.text() == "4 documents"


def test_the_source_filter_lists_every_source_and_shows_only_its_documents(window):
    combo = window.documents.source_filter
    names = [combo.itemText(i) for i in range(combo.count())]
    assert names == ["All sources", "Coast Wire", "Kestrel Valley Telegram channel", "Reuters"]
    combo.setCurrentIndex(combo.findText("Coast Wire"))
    assert titles(window) == ["al-Jolani speaks", "Shelling near Homs"]


def test_the_date_range_keeps_partial_dates_that_overlap_and_hides_undated(window, qtbot):
    bar = window.documents
    qtbot.mouseClick(bar.date_filter, Qt.MouseButton.LeftButton)
    assert bar.date_from.isEnabled()
    bar.date_from.setDate(QDate(2024, 2, 15))
    bar.date_to.setDate(QDate(2024, 12, 31))
    assert titles(window) == ["ceasefire talks", "Shelling near Homs"]  # 2024-02 overlaps
    bar.date_from.setDate(QDate(2023, 6, 1))
    bar.date_to.setDate(QDate(2023, 6, 30))
    assert titles(window) == ["al-Jolani speaks"]  # "2023" spans June; the undated stays hidden
    qtbot.mouseClick(bar.date_filter, Qt.MouseButton.LeftButton)
    assert len(titles(window)) == 4


def test_the_tag_filter_follows_tagging_and_its_undo(window, qtbot):
    bar = window.documents
    combo = bar.tag_filter
    combo.setCurrentIndex(combo.findText("Tagged Location"))
    assert titles(window) == []
    homs = next(d for d in window.store.document_summaries() if d.title == "Shelling near Homs")
    window.open_document(homs.id)
    start = window.view.text.index("Homs.")
    select_code_points(window.view, start, start + 4)
    qtbot.keyClick(window.view, KEY_2)
    qtbot.waitUntil(lambda: titles(window) == ["Shelling near Homs"])
    assert bar.selected_title() == "Shelling near Homs"
    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: titles(window) == [])


def test_columns_sort_dates_as_dates_counts_as_numbers_and_titles_as_read(window):
    docs = window.documents
    assert titles(window) == [
        "Aid convoy crosses", "al-Jolani speaks", "ceasefire talks", "Shelling near Homs",
    ]  # fmt: skip
    docs.sort_by(PUBLISHED, Qt.SortOrder.AscendingOrder)
    assert [r[2] for r in docs.rows()] == ["", "2023", "2024-02", "2024-03-02"]
    first = window.store.document_summaries()[0].id
    docs.adjust_count(first, 10)
    docs.adjust_count(window.store.document_summaries()[1].id, 9)
    docs.sort_by(TAGS, Qt.SortOrder.DescendingOrder)
    assert [r[3] for r in docs.rows()] == ["10", "9", "0", "0"]


def test_filtering_out_the_open_document_keeps_it_open_and_selects_it_again(window, qtbot):
    docs = window.documents
    homs = next(d for d in window.store.document_summaries() if d.title == "Shelling near Homs")
    window.open_document(homs.id)
    qtbot.keyClicks(docs.title_filter, "convoy")
    assert docs.selected_title() is None and window.view.document_id == homs.id
    docs.title_filter.clear()
    assert docs.selected_title() == "Shelling near Homs"


def test_arrow_keys_in_the_list_open_the_next_document(window, qtbot):
    docs = window.documents
    docs.table.setFocus()
    window.open_document(window.store.document_summaries()[2].id)  # "Aid convoy crosses", row 0
    qtbot.keyClick(docs.table, Qt.Key.Key_Down)
    assert window.view.text.startswith("al-Jolani speaks.")


# ---------------------------------------------------------------- the model against a plain filter

DATES = st.sampled_from(["", "2023", "2024", "2024-02", "2024-02-29", "2024-03-01", "2024-12"])
SUMMARIES = st.lists(
    st.tuples(st.sampled_from(["Homs", "homs raid", "Aleppo", "Ḥamā", "Zarqa", "al-Assad"]),
              st.sampled_from(["", "Reuters", "AFP"]), DATES, st.integers(0, 30)),
    max_size=25,
)  # fmt: skip


def _overlaps(published: str, lo: str, hi: str) -> bool:
    if not published:
        return False
    year, *rest = published.split("-")
    month = rest[0] if rest else None
    first = f"{year}-{month or '01'}-{rest[1] if len(rest) > 1 else '01'}"
    last = f"{year}-{month or '12'}-{rest[1] if len(rest) > 1 else '31'}"
    return (not lo or last >= lo) and (not hi or first <= hi)


@settings(max_examples=200, deadline=None)
@given(SUMMARIES, st.sampled_from(["", "homs", "A"]), st.sampled_from([None, "", "Reuters"]),
       st.sampled_from([("", ""), ("2024-02-10", "2024-03-01"), ("2024-03-02", ""),
                        ("", "2023-12-31")]),
       st.booleans())  # fmt: skip
def test_the_list_shows_exactly_the_documents_the_filter_describes(qapp, rows, text, source,
                                                                   dates, descending):  # fmt: skip
    summaries = [DocumentSummary(i, t, s, n, 100, p) for i, (t, s, p, n) in enumerate(rows)]
    model = DocumentTableModel()
    model.set_documents(summaries)
    model.set_filter(DocumentFilter(text, source, *dates))
    order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
    model.sort(TITLE, order)
    expected = [
        d for d in summaries
        if text.casefold() in d.title.casefold() and (source is None or d.source == source)
        and (dates == ("", "") or _overlaps(d.published, *dates))
    ]  # fmt: skip
    expected.sort(key=lambda d: (d.title.casefold(), d.id), reverse=descending)
    shown = [model.document_at(r) for r in range(model.rowCount())]
    assert shown == expected
    for row, doc in enumerate(shown):
        assert model.row_of(doc.id) == row
        assert model.data(model.index(row, TAGS)) == str(doc.annotation_count)
