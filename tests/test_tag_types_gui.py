"""Managing tag types through the real window: add, rename, recolour, rebind the key, remove (asking
first when annotations use it) and undo, seen in the toolbar, the Tag menu, the article and the
count panel."""

from __future__ import annotations

import pytest
import shiboken6
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor

from app.articles import make_document
from app.commands import AddDocuments
from app.model import CREDIBILITY_KIND, ENTITY_KIND
from db.repository import annotations_for_document, get_annotation, list_tag_types
from tests.gui_helpers import KEY_1, KEY_2, count_rows, make_window, select_code_points
from widgets import prompts, tag_type_dialog
from widgets.tag_type_dialog import PALETTE, TagTypeDialog

TEXT = (
    "Colonel Dana Reyes said the bridge over the Sorrel River held.\n\n"
    "The Aldane Observatory counted 40 deaths; Reyes called the reports fabrications.\n"
)
CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def window(qtbot, db, monkeypatch):
    monkeypatch.setattr(prompts, "ask_entity", lambda parent, tag, names, default, *a, **k: (
        default, ""))  # fmt: skip
    w = make_window(qtbot, db)
    w.undo_stack.push(AddDocuments(w.store, [make_document(TEXT, source="Wire")]))
    w.refresh_documents()
    w.open_document(w.store.document_summaries()[-1].id)
    yield w
    if shiboken6.isValid(w):  # gone before its database closes: no refresh timer outlives it
        w.close()
        shiboken6.delete(w)


@pytest.fixture
def dialog(window):
    return TagTypeDialog(window.store, window.undo_stack, window)


def _tag(window, qtbot, word: str, key, nth: int = 0) -> None:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(word, start + 1)
    select_code_points(window.view, start, start + len(word))
    qtbot.keyClick(window.view, key)


def _by_name(window, name: str):
    return next(t for t in window.store.tag_types() if t.name == name)


def _pixel_under(view, cp: int) -> QColor:
    """Colour of the lane line painted under the character at code point `cp`."""
    cursor = view.textCursor()
    cursor.setPosition(len(view.text[:cp].encode("utf-16-le")) // 2 + 1)
    rect = view.cursorRect(cursor)
    return view.viewport().grab().toImage().pixelColor(QPoint(rect.left() - 2, rect.bottom() - 1))


def _icon_colour(action) -> str:
    return action.icon().pixmap(14, 14).toImage().pixelColor(7, 7).name()


def _menu_texts(window) -> list[str]:
    return [a.text() for a in window.actions["tag_menu"].actions() if a.text()]


def _entities(db, tag_type_id: int):
    return db.execute(
        "SELECT id, name FROM entities WHERE tag_type_id = ? ORDER BY id", [tag_type_id]
    ).fetchall()


def test_default_types(window, dialog):
    types = window.store.tag_types()
    assert [(t.name, t.kind, t.shortcut) for t in types] == [
        ("Actor", ENTITY_KIND, "1"),
        ("Location", ENTITY_KIND, "2"),
        ("Credibility", CREDIBILITY_KIND, "3"),
    ]
    assert len({t.color.upper() for t in types}) == 3
    assert {t.color.upper() for t in types} <= {c.upper() for c in PALETTE}
    assert [a.text() for a in window.tag_bar.actions() if a.text()] == [
        "&1  Actor", "&2  Location", "&3  Credibility",
    ]  # fmt: skip
    assert _menu_texts(window) == [
        "&1  Actor", "&2  Location", "&3  Credibility", "&Accept all suggestions in this document",
        "&Manage tag types…",
    ]  # fmt: skip
    assert [dialog.list.item(i).text().split("   ")[0] for i in range(dialog.list.count())] == [
        "Actor", "Location", "Credibility",
    ]  # fmt: skip


def test_added_type_gets_free_colour_and_key_and_tags_with_key_4(window, dialog, qtbot):
    before = window.store.tag_types()
    dialog.add_type("  Weapon ")
    weapon = _by_name(window, "Weapon")
    assert weapon.kind == ENTITY_KIND and weapon.shortcut == "4"
    assert weapon.color.upper() in {c.upper() for c in PALETTE}
    assert weapon.color.upper() not in {t.color.upper() for t in before}
    assert weapon.position > max(t.position for t in before)

    action = window.tag_actions[weapon.id]
    assert action in window.tag_bar.actions()
    assert action.text() == "&4  Weapon" and action.shortcut().toString() == "4"
    assert _icon_colour(action) == QColor(weapon.color).name()
    assert "&4  Weapon" in _menu_texts(window)
    assert any(dialog.list.item(i).text().startswith("Weapon") for i in range(dialog.list.count()))
    assert window.counts.type_combo.findText("Weapon") >= 0

    _tag(window, qtbot, "bridge", Qt.Key.Key_4)
    (ann,) = annotations_for_document(window.store.db, window.view.document_id)
    assert (ann.tag_type_id, ann.quote, ann.entity) == (weapon.id, "bridge", "bridge")
    qtbot.waitUntil(lambda: count_rows(window.counts) == [("bridge", "Weapon", 1)])

    # Undo the tag, then the type: the key 4 and the action are gone.
    qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL)
    qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL)
    assert window.store.tag_types() == before
    assert weapon.id not in window.tag_actions and "&4  Weapon" not in _menu_texts(window)
    _tag(window, qtbot, "bridge", Qt.Key.Key_4)
    assert annotations_for_document(window.store.db, window.view.document_id) == []


def test_second_added_type_takes_the_next_key_and_colour(window, dialog):
    dialog.add_type("Weapon")
    dialog.add_type("Unit", CREDIBILITY_KIND)
    weapon, unit = _by_name(window, "Weapon"), _by_name(window, "Unit")
    assert (weapon.shortcut, unit.shortcut) == ("4", "5")
    assert unit.kind == CREDIBILITY_KIND
    colours = [t.color.upper() for t in window.store.tag_types()]
    assert len(set(colours)) == len(colours) == 5


def test_name_problem_rejects_empty_and_duplicates_case_insensitively(window, dialog):
    actor = _by_name(window, "Actor")
    assert dialog.name_problem("   ")
    assert "already" in dialog.name_problem("location")
    assert dialog.name_problem("  LOCATION ")
    assert dialog.name_problem("Location", exclude=actor.id)  # another type's name
    assert dialog.name_problem("actor", exclude=actor.id) == ""  # re-casing its own name is fine
    assert dialog.name_problem("Person") == ""


def test_rename_shows_everywhere_and_undoes(window, dialog, qtbot):
    _tag(window, qtbot, "Reyes", KEY_1)
    actor = _by_name(window, "Actor")
    dialog.rename(actor, " Person ")
    assert window.store.tag_type(actor.id).name == "Person"
    assert window.tag_actions[actor.id].text() == "&1  Person"
    assert "&1  Person" in _menu_texts(window)
    qtbot.waitUntil(lambda: count_rows(window.counts) == [("Reyes", "Person", 1)])
    qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL)
    assert window.store.tag_type(actor.id) == actor
    qtbot.waitUntil(lambda: count_rows(window.counts) == [("Reyes", "Actor", 1)])


def test_recolour_repaints_the_article_toolbar_and_counts(window, dialog, qtbot):
    _tag(window, qtbot, "Reyes", KEY_1)
    qtbot.keyClick(window.view, Qt.Key.Key_Escape)
    actor = _by_name(window, "Actor")
    spot = TEXT.index("Reyes") + 2
    assert _pixel_under(window.view, spot).name() == QColor(actor.color).name()

    dialog.recolour(actor, "#cc79a7")
    assert window.store.tag_type(actor.id).color == "#cc79a7"
    assert window.view._colors[actor.id].name() == "#cc79a7"
    assert _pixel_under(window.view, spot).name() == "#cc79a7"
    assert _icon_colour(window.tag_actions[actor.id]) == "#cc79a7"
    qtbot.waitUntil(lambda: count_rows(window.counts) == [("Reyes", "Actor", 1)])
    model = window.counts.model
    deco = model.data(model.index(0, 1), Qt.ItemDataRole.DecorationRole)
    assert QColor(deco).name() == "#cc79a7"

    qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL)
    assert _pixel_under(window.view, spot).name() == QColor(actor.color).name()


def test_set_key_moves_a_key_from_another_type_in_one_undo_step(window, dialog, qtbot):
    actor, location = _by_name(window, "Actor"), _by_name(window, "Location")
    dialog.set_key(location, "1")
    assert window.store.tag_type(location.id).shortcut == "1"
    assert window.store.tag_type(actor.id).shortcut == ""
    assert window.tag_actions[location.id].text() == "&1  Location"
    assert window.tag_actions[actor.id].text() == "Actor"
    assert window.tag_actions[actor.id].shortcut().isEmpty()
    _tag(window, qtbot, "Sorrel River", KEY_1)
    (ann,) = annotations_for_document(window.store.db, window.view.document_id)
    assert ann.tag_type_id == location.id
    _tag(window, qtbot, "Reyes", KEY_2)  # 2 is bound to nothing now
    assert len(annotations_for_document(window.store.db, window.view.document_id)) == 1

    qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL)  # the tag
    qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL)  # the key change, both types at once
    assert window.store.tag_type(actor.id) == actor
    assert window.store.tag_type(location.id) == location
    assert window.tag_actions[actor.id].text() == "&1  Actor"


def test_removing_an_unused_type_does_not_ask(window, dialog, monkeypatch):
    asked = []
    monkeypatch.setattr(tag_type_dialog, "confirm", lambda *a: asked.append(a) or False)
    dialog.add_type("Weapon")
    weapon = _by_name(window, "Weapon")
    assert dialog.remove(weapon) is True
    assert asked == []
    assert window.store.tag_type(weapon.id) is None and weapon.id not in window.tag_actions
    assert not any(dialog.list.item(i).text().startswith("Weapon")
                   for i in range(dialog.list.count()))  # fmt: skip


def test_removing_a_used_type_asks_and_undo_restores_everything(window, dialog, qtbot, monkeypatch):
    db = window.store.db
    actor = _by_name(window, "Actor")
    _tag(window, qtbot, "Reyes", KEY_1)
    _tag(window, qtbot, "Reyes", KEY_1, nth=1)
    _tag(window, qtbot, "Sorrel River", KEY_2)
    doc_id = window.view.document_id
    actor_anns = [a for a in annotations_for_document(db, doc_id) if a.tag_type_id == actor.id]
    assert len(actor_anns) == 2
    entities = _entities(db, actor.id)
    assert [name for _, name in entities] == ["Reyes"]
    qtbot.waitUntil(lambda: ("Reyes", "Actor", 2) in count_rows(window.counts))

    asked = []
    monkeypatch.setattr(tag_type_dialog, "confirm", lambda parent, title, text: asked.append(text))
    assert dialog.remove(actor) is False  # "No": nothing removed
    assert "2 annotation(s)" in asked[0] and "Actor" in asked[0]
    assert window.store.tag_type(actor.id) == actor
    assert len(annotations_for_document(db, doc_id)) == 3

    monkeypatch.setattr(tag_type_dialog, "confirm", lambda *a: True)
    assert dialog.remove(actor) is True
    assert [t.name for t in list_tag_types(db)] == ["Location", "Credibility"]
    assert [a.tag_type_id for a in annotations_for_document(db, doc_id)] == [
        _by_name(window, "Location").id
    ]
    assert _entities(db, actor.id) == []
    assert {a.tag_type_id for a in window.view.annotations()} == {_by_name(window, "Location").id}
    assert actor.id not in window.tag_actions and "&1  Actor" not in _menu_texts(window)
    qtbot.waitUntil(lambda: count_rows(window.counts) == [("Sorrel River", "Location", 1)])
    _tag(window, qtbot, "Reyes", KEY_1)  # key 1 tags nothing now
    assert len(annotations_for_document(db, doc_id)) == 1

    qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL)
    assert window.store.tag_type(actor.id) == actor
    assert _entities(db, actor.id) == entities
    for ann in actor_anns:
        assert get_annotation(db, ann.id) == ann
    assert {a.id for a in window.view.annotations()} >= {a.id for a in actor_anns}
    assert window.tag_actions[actor.id].text() == "&1  Actor"
    qtbot.waitUntil(lambda: ("Reyes", "Actor", 2) in count_rows(window.counts))
    assert window.documents.rows()[0][3] == "3"

    qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL_SHIFT)  # redo removes them again
    assert window.store.tag_type(actor.id) is None
    assert window.documents.rows()[0][3] == "1"


def test_manage_tag_types_menu_opens_the_dialog(window, monkeypatch):
    opened = []
    monkeypatch.setattr(TagTypeDialog, "exec", lambda self: opened.append(self.list.count()) or 0)
    window.actions["manage_tags"].trigger()
    assert opened == [3]
