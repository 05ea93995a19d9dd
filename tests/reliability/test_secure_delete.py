"""Deleted means deleted: once a tag, a note, a document or an entity is deleted and the project
checkpointed (as closing it does), its text is in none of the project's files, not in the
`.loupe`, not in its `-wal`, not in its `-shm`, while everything kept still is.

Each deleted thing carries a unique marker; the files are searched byte for byte. Two controls
prove the search sees leftovers where they exist: with `secure_delete` off, or before the
checkpoint, the deleted markers are found. Long random sessions (LOUPE_RELIABILITY_SCALE sets how
many) found what a checkpoint alone misses: rows SQLite moved while rebalancing a page leave a copy
in its unused space, which survives their deletion; closing the project (db.connection.close_db)
rebuilds it.
"""

from __future__ import annotations

import random
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtGui import QUndoStack

from app.articles import make_document
from app.commands import AddAnnotations, AddDocuments, EditAnnotation, RemoveAnnotations
from app.entity_commands import DeleteEntity, EditAliases
from app.offsets import new_annotation
from app.store import Store
from app.user_settings import UserSettings
from db.connection import close_db, open_db
from tests.reliability.scale import pick

KEPT_TEXT = (
    "Rebels held MARK-KEEP-QUOTE at dawn; the envoy MARK-EDIT-QUOTE spoke; 🇸🇾 "
    "حمص MARK-DEL-QUOTE and MARK-ENTITY-QUOTE were seen.\n"
)
# Long enough for overflow pages, which go to the free list when the document is deleted.
GONE_TEXT = "".join(f"MARK-GONE-DOC-TEXT-{i:04d} dans la ville de Homs.\n" for i in range(900))

KEPT = ("MARK-KEEP-NOTE", "MARK-KEEP-NEW-NOTE", "MARK-KEEP-TITLE", "MARK-KEEP-QUOTE")
GONE = (
    "MARK-GONE-TAG-NOTE",  # a deleted tag's note
    "MARK-GONE-OLD-NOTE",  # a note replaced by an edit
    "MARK-GONE-ENTITY-NAME",  # a deleted entity, its alias and its mention's note
    "MARK-GONE-ALIAS",
    "MARK-GONE-MENTION-NOTE",
    "MARK-GONE-DOC-TITLE",  # a deleted document: title, text, its tag's note
    "MARK-GONE-DOC-TEXT-0450",
    "MARK-GONE-DOC-TAG-NOTE",
)


def tag(store: Store, doc, needle: str, tag_name: str, **fields):
    tag_type = next(t for t in store.tag_types() if t.name == tag_name)
    start = doc.text.index(needle)
    return new_annotation(doc.text, doc.id, start, start + len(needle), tag_type.id, **fields)


def tag_and_delete(store: Store, stack: QUndoStack) -> None:
    """What an analyst does, command by command on the undo stack, as the window does it."""
    add = AddDocuments(store, [make_document(KEPT_TEXT, title="MARK-KEEP-TITLE")])
    stack.push(add)
    kept = add.added[0]
    keep = tag(store, kept, "MARK-KEEP-QUOTE", "Location", entity="Dawn", note="MARK-KEEP-NOTE")
    gone = tag(store, kept, "MARK-DEL-QUOTE", "Credibility", note="MARK-GONE-TAG-NOTE")
    edited = tag(store, kept, "MARK-EDIT-QUOTE", "Actor", note="MARK-GONE-OLD-NOTE")
    mention = tag(store, kept, "MARK-ENTITY-QUOTE", "Actor", entity="MARK-GONE-ENTITY-NAME",
                  note="MARK-GONE-MENTION-NOTE")  # fmt: skip
    for ann in (keep, gone, edited, mention):
        stack.push(AddAnnotations(store, [ann]))
    stack.push(RemoveAnnotations(store, [gone]))
    new_note = EditAnnotation(
        store, edited, edited.__class__(**{**_fields(edited), "note": "MARK-KEEP-NEW-NOTE"}), "Note"
    )
    stack.push(new_note)
    entity_id = store.entity_id(mention.tag_type_id, "MARK-GONE-ENTITY-NAME")
    stack.push(EditAliases(store, entity_id, "MARK-GONE-ALIAS", add=True))
    stack.push(DeleteEntity(store, entity_id))

    # A document and its tag, then both undone: how the window takes a document away again.
    add_gone = AddDocuments(store, [make_document(GONE_TEXT, title="MARK-GONE-DOC-TITLE")])
    stack.push(add_gone)
    gone_doc = add_gone.added[0]
    stack.push(AddAnnotations(store, [tag(store, gone_doc, "MARK-GONE-DOC-TEXT-0001", "Actor",
                                          note="MARK-GONE-DOC-TAG-NOTE")]))  # fmt: skip
    stack.undo()
    stack.undo()
    assert store.document(gone_doc.id) is None and store.annotation(gone.id) is None


def _fields(ann) -> dict:
    return {name: getattr(ann, name) for name in ann.__slots__}


def project_files(path: Path) -> dict[str, bytes]:
    names = (path.name, path.name + "-wal", path.name + "-shm")
    return {n: (path.parent / n).read_bytes() for n in names if (path.parent / n).exists()}


def found(markers, files: dict[str, bytes]) -> dict[str, list[str]]:
    """marker → the files it is in."""
    hits = {m: [n for n, data in files.items() if m.encode() in data] for m in markers}
    return {m: where for m, where in hits.items() if where}


def assert_only_kept_text_remains(path: Path) -> None:
    files = project_files(path)
    assert found(GONE, files) == {}, "deleted text is still in the project's files"
    assert set(found(KEPT, files)) == set(KEPT), "the search must see what is there"


@pytest.fixture
def project(tmp_path, qapp):
    path = tmp_path / "project.loupe"
    db = open_db(path)
    store, stack = Store(db), QUndoStack()
    yield path, db, store, stack
    stack.clear()
    db.close()


def test_after_a_checkpoint_deleted_text_is_in_no_project_file(project):
    path, db, store, stack = project
    tag_and_delete(store, stack)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert (path.parent / (path.name + "-wal")).stat().st_size == 0
    assert_only_kept_text_remains(path)  # the project still open: -wal and -shm are there


def test_without_secure_delete_or_before_the_checkpoint_the_text_would_still_be_there(project):
    """The controls: the search finds deleted text where SQLite left it."""
    path, db, store, stack = project
    db.execute("PRAGMA secure_delete = OFF")
    tag_and_delete(store, stack)
    in_wal = found(GONE, project_files(path))
    assert set(in_wal) == set(GONE) and all(path.name + "-wal" in w for w in in_wal.values())
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    left = found(GONE, project_files(path))
    assert {"MARK-GONE-TAG-NOTE", "MARK-GONE-DOC-TEXT-0450"} <= set(left)


@pytest.mark.parametrize("closing", ["open another project", "quit"])
def test_closing_the_project_in_the_app_leaves_no_deleted_text_even_if_a_script_has_it_open(
    closing, tmp_path, qtbot
):
    """Another program (a `loupe export-csv`, a second window) has the project open and idle, so
    SQLite's own checkpoint on closing does not happen: the app must checkpoint itself."""
    import main

    path = tmp_path / "project.loupe"
    open_db(path).close()
    script = sqlite3.connect(path)
    try:
        script.execute("SELECT count(*) FROM annotations").fetchone()
        session = main.ProjectSession(UserSettings(annotator="t"), tmp_path / "settings.json")
        assert session.open_project(str(path))
        qtbot.addWidget(session.window)
        tag_and_delete(session.window.store, session.window.undo_stack)
        if closing == "quit":
            session.close()  # what run_gui does once the event loop ends
        else:
            assert session.open_project(str(tmp_path / "other.loupe"))  # File ▸ Open project
            qtbot.addWidget(session.window)
        assert_only_kept_text_remains(path)
    finally:
        script.close()


def random_session(store: Store, stack: QUndoStack, rng: random.Random) -> set[str]:
    """Tag, edit notes, delete, undo and redo at random; every note carries its own marker.
    Returns the markers of every note ever written."""
    words = " ".join(f"w{i}" for i in range(3000))
    add = AddDocuments(store, [make_document(words, title="doc")])
    stack.push(add)
    doc, tags, written = add.added[0], store.tag_types(), []

    def note() -> str:
        written.append(f"MARK-NOTE-{len(written) + 1:06d}-END")
        return written[-1] + " " + "n" * rng.randint(0, 400)

    for _ in range(400):
        r, live = rng.random(), store.annotations(doc.id)
        if r < 0.45 or not live:
            start = rng.randrange(0, len(words) - 20)
            end = start + rng.randint(1, 15)
            if words[start:end].strip():
                ann = new_annotation(words, doc.id, start, end, rng.choice(tags).id, note=note())
                stack.push(AddAnnotations(store, [ann]))
        elif r < 0.65:
            ann = rng.choice(live)
            stack.push(EditAnnotation(store, ann, replace(ann, note=note()), "Edit note"))
        elif r < 0.85:
            stack.push(RemoveAnnotations(store, [rng.choice(live)]))
        elif r < 0.95:
            stack.undo()
        else:
            stack.redo()
    return set(written)


@pytest.mark.parametrize("seed", range(pick(ci=2, large=100)))
def test_after_a_long_session_closing_leaves_only_the_notes_still_in_use(seed, tmp_path, qapp):
    path = tmp_path / "project.loupe"
    db = open_db(path)
    store, stack = Store(db), QUndoStack()
    written = random_session(store, stack, random.Random(seed))
    kept = {a.note.split()[0] for s in store.document_summaries() for a in store.annotations(s.id)}
    stack.clear()
    close_db(db)  # what the app does when the project closes
    files = project_files(path)
    assert found(written - kept, files) == {}, "deleted notes survive in the project file"
    assert set(found(kept, files)) == kept


# Words of the full-text index (lower case, as FTS5 stores its terms). A term is stored as the
# part it does not share with the term before it, so the markers are searched by their tails.
FTS_KEPT_WORD, FTS_GONE_WORD = "qzkeptfulltextmarker", "qzgonefulltextmarker"
FTS_KEPT_TAIL, FTS_GONE_TAIL = b"keptfulltextmarker", b"gonefulltextmarker"


def add_and_delete_indexed_documents(store: Store, stack: QUndoStack) -> None:
    stack.push(AddDocuments(store, [make_document(f"Kept: {FTS_KEPT_WORD}.\n", title="kept")]))
    for i in range(3):  # undone one by one: each deletion its own transaction, as in the app
        text = f"Gone {i}: {FTS_GONE_WORD} near Homs. " * 50 + "\n"
        stack.push(AddDocuments(store, [make_document(text, title=f"gone {i}")]))
    for _ in range(3):
        stack.undo()
    assert store.search(FTS_GONE_WORD) == (0, []) and store.search(FTS_KEPT_WORD)[0] == 1


def test_a_deleted_documents_words_leave_the_full_text_index_on_closing(tmp_path, qapp):
    path = tmp_path / "project.loupe"
    db = open_db(path)
    store, stack = Store(db), QUndoStack()
    add_and_delete_indexed_documents(store, stack)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    files = b"".join(project_files(path).values())
    assert FTS_GONE_TAIL in files  # the control: FTS5 only marked them deleted, and they linger
    stack.clear()
    close_db(db)
    files = b"".join(project_files(path).values())
    assert FTS_GONE_TAIL not in files and FTS_KEPT_TAIL in files
    reopened = open_db(path)
    try:
        assert Store(reopened).search(FTS_KEPT_WORD)[0] == 1  # the index still works
    finally:
        reopened.close()
