"""A disk that fails under the analyst: an I/O error at each write statement of every core
operation, a full disk, and failing file writes under every export. Each time the analyst is
told in plain words, nothing is shown as saved that is not (the saved project, the highlights,
the counts and the undo history are exactly as before), no transaction is left open, and once the
disk recovers the same action works on the same window.
"""

from __future__ import annotations

import pytest

from app.articles import make_document
from app.commands import AddDocuments
from tests.reliability._c_actions import (
    ARTICLE,
    ENTITY,
    NEW_ENTITY,
    NEW_NOTE,
    OPERATIONS,
    STEPS_OF_EVERY_OPERATION,
    tag_directly,
)
from tests.reliability._c_faults import (
    EXPORT_STEPS,
    failing_file_step,
    faulty_connection,
    full_disk,
)
from tests.reliability._c_window import Analyst, close_analyst, open_analyst
from tests.reliability.scale import SCALE
from widgets import colleague_import, file_dialogs, prompts

pytestmark = pytest.mark.qt_no_exception_capture  # Loupe's own error hook must see the errors
SUCCESS_WORDS = ("Tagged", "Exported", "Imported", "anchored")
JARGON = ("override", "Traceback", "Error calling", "OperationalError", "sqlite3")


@pytest.fixture
def analyst(qtbot, monkeypatch, tmp_path):
    note = {"text": ""}
    monkeypatch.setattr(prompts, "ask_entity", lambda parent, tag, names, initial, *a, **k: (
        NEW_ENTITY if initial == "Homs" else ENTITY, note["text"]))  # fmt: skip
    monkeypatch.setattr(prompts, "ask_note", lambda *a, **k: NEW_NOTE)
    monkeypatch.setattr(colleague_import, "ask_layer_name", lambda parent, default: default)
    monkeypatch.setattr(colleague_import, "confirm_match", lambda *a: True)
    a = open_analyst(qtbot, monkeypatch, tmp_path / "project.loupe")
    a.note = note
    w = a.window
    w.undo_stack.push(AddDocuments(w.store, [make_document(ARTICLE, source="Wire")]))
    w.refresh_documents()
    w.open_document(w.store.document_summaries()[-1].id)
    yield a
    close_analyst(a)


def _refused_cleanly(a: Analyst, before, what: str, words: tuple[str, ...]) -> None:
    after = a.seen()
    changed = after.differences(before)
    assert not changed, f"{what} changed {changed}; the analyst was told {a.told}"
    assert after.shows_what_is_saved, f"{what}: the highlights are not what is saved"
    assert not a.db.conn.in_transaction, f"{what} left a transaction open"
    assert any(w in m for m in a.told for w in words), f"{what}: the analyst was told {a.told}"
    assert not any(j in m for m in a.told for j in JARGON), f"{what}: not plain words: {a.told}"
    assert not any(s in m for m in [a.status(), *a.told] for s in SUCCESS_WORDS), (
        f"{what}: a success was announced: {a.status()!r} {a.told}"
    )


def _works_now(a: Analyst, op, ctx, before) -> None:
    a.forget_messages()
    a.act(lambda: op.do(a, ctx))
    _worked(a, op, ctx, before)


SWEPT = [*OPERATIONS, *(STEPS_OF_EVERY_OPERATION if SCALE != "ci" else ())]


@pytest.mark.parametrize("name", SWEPT)
def test_an_io_error_at_any_write_is_reported_changes_nothing_and_the_retry_works(
    analyst, tmp_path, name
) -> None:
    """Statement n fails for n = 1, 2, … until the operation issues fewer than n writes: every
    write statement of the operation, its BEGIN and COMMIT included, has failed once; first with
    the transaction left open by the failure, then rolled back by SQLite as a real I/O error
    does. The same window goes on after each failure, as the analyst would."""
    op = {**OPERATIONS, **STEPS_OF_EVERY_OPERATION}[name]
    for rollback in (False, True):
        _sweep(analyst, op, op.setup(analyst, tmp_path, False), rollback)


def _sweep(a: Analyst, op, ctx, rollback: bool) -> None:
    before = a.seen()
    faulted: list[str] = []
    with faulty_connection(a.db) as conn:
        for n in range(1, 500):
            a.forget_messages()
            conn.arm(n, rollback=rollback)
            a.act(lambda: op.do(a, ctx))
            if conn.fired is None:  # fewer than n writes: this attempt met no fault
                break
            faulted.append(conn.fired)
            what = f"{op.name} with statement {n} ({conn.fired}) failing, rollback={rollback}"
            if not a.told:  # then the fault hit a write after the action, which must have worked
                after = a.seen()
                assert op.worked(before, after, a, ctx), f"{what} failed silently"
                assert after.saved != before.saved and after.shows_what_is_saved, what
                a.window.undo_stack.undo()  # and the next statement is tried on the same state
                before = a.seen()
                continue
            _refused_cleanly(a, before, what, ("disk",))
        assert any(s.upper().startswith("COMMIT") for s in faulted), faulted
        _worked(a, op, ctx, before)


def _worked(a: Analyst, op, ctx, before) -> None:
    after = a.seen()
    assert not a.told or op.name == "import a colleague's file", a.told  # its report is a box
    assert op.worked(before, after, a, ctx), f"{op.name} did not work once the fault cleared"
    assert after.saved != before.saved, f"{op.name} seemed to work but saved nothing"
    assert after.shows_what_is_saved, f"{op.name}: the highlights are not what is saved"
    assert not a.db.conn.in_transaction


FULL_DISK_GROWS = ["tag", "edit note", "import a colleague's file", "add an article"]


@pytest.mark.parametrize("name", FULL_DISK_GROWS)
def test_a_full_disk_refuses_what_needs_space_says_so_and_works_once_space_is_freed(
    analyst, tmp_path, monkeypatch, name
) -> None:
    a, op = analyst, OPERATIONS[name]
    a.note["text"] = "A long note. " * 800  # needs pages the full disk does not have
    monkeypatch.setattr(prompts, "ask_note", lambda *a_, **k: "A longer note. " * 800)
    ctx = op.setup(a, tmp_path, True)
    before = a.seen()
    with full_disk(a.db):
        a.forget_messages()
        a.act(lambda: op.do(a, ctx))
        _refused_cleanly(a, before, f"{name} on a full disk", ("full",))
    _works_now(a, op, ctx, before)


@pytest.mark.parametrize("name", ["delete", "undo", "redo", "edit entity"])
def test_on_a_full_disk_what_needs_no_space_either_works_or_is_refused_cleanly(
    analyst, tmp_path, name
) -> None:
    a, op = analyst, OPERATIONS[name]
    ctx = op.setup(a, tmp_path, False)
    before = a.seen()
    with full_disk(a.db):
        a.forget_messages()
        a.act(lambda: op.do(a, ctx))
        if a.told:
            _refused_cleanly(a, before, f"{name} on a full disk", ("full",))
            _works_now(a, op, ctx, before)
        else:
            after = a.seen()
            assert op.worked(before, after, a, ctx) and after.shows_what_is_saved
            assert after.saved != before.saved


EXPORTS = {  # what the analyst exports: (the menu action, the file dialog it asks, a file name)
    "CSV of this document": ("export_doc", "csv_path", "annotations.csv"),
    "CSV of all documents": ("export_all", "csv_path", "all.csv"),
    "W3C annotations": ("export_w3c", "json_path", "mine.json"),
    "entity list": ("export_entities", "entity_list_path", "entities.csv"),
}
EARLIER = b"an earlier export, which a failed one must leave as it was\n"


@pytest.mark.parametrize("step", EXPORT_STEPS)
@pytest.mark.parametrize("export", list(EXPORTS))
def test_an_export_meeting_a_full_disk_says_so_keeps_the_earlier_file_and_leaves_no_debris(
    analyst, tmp_path, monkeypatch, export, step
) -> None:
    a, (action, dialog, name) = analyst, EXPORTS[export]
    folder = tmp_path / "exports"
    folder.mkdir()
    target = folder / name
    target.write_bytes(EARLIER)
    monkeypatch.setattr(file_dialogs, dialog, lambda *args, **kwargs: str(target))
    tag_directly(a, "Homs")
    before = a.seen()
    a.forget_messages()
    with failing_file_step(step) as reached:
        a.act(a.window.actions[action].trigger)
    assert reached == [step], f"the {export} export never reached its {step} step"
    assert target.read_bytes() == EARLIER
    assert sorted(folder.iterdir()) == [target], "a temporary file was left behind"
    assert any("No space left on device" in m for m in a.told), a.told
    assert not any(s in m for m in [a.status(), *a.told] for s in SUCCESS_WORDS), a.status()
    assert not a.seen().differences(before)
    a.forget_messages()  # the disk has room again
    a.act(a.window.actions[action].trigger)
    assert a.status().startswith("Exported"), (a.status(), a.told)
    assert target.read_bytes() != EARLIER and "Homs" in target.read_text(encoding="utf-8-sig")
    assert sorted(folder.iterdir()) == [target]


@pytest.mark.parametrize("step", EXPORT_STEPS)
@pytest.mark.parametrize("command", ["export-csv", "export-w3c"])
def test_a_command_line_export_meeting_a_full_disk_says_so_in_one_line_and_keeps_the_earlier_file(
    tmp_path, capsys, command, step
) -> None:
    from app.cli import main as loupe
    from app.store import Store
    from db.connection import open_db

    project = tmp_path / "project.loupe"
    db = open_db(project)
    Store(db).add_documents([make_document(ARTICLE, source="Wire")])
    db.close()
    folder = tmp_path / "exports"
    folder.mkdir()
    target = folder / "out.file"
    target.write_bytes(EARLIER)
    with failing_file_step(step) as reached:
        status = loupe([command, "--db", str(project), str(target)])
    err = capsys.readouterr().err
    assert reached == [step] and status != 0
    assert "No space left on device" in err and "Traceback" not in err, err
    assert len(err.strip().splitlines()) == 1, err
    assert target.read_bytes() == EARLIER and sorted(folder.iterdir()) == [target]
    assert loupe([command, "--db", str(project), str(target)]) == 0  # room again
    assert target.read_bytes() != EARLIER
