"""Long work in the real window runs off the GUI thread: a progress dialog with Cancel shows after
half a second, the window's event loop keeps running meanwhile, Cancel changes nothing (checked
through a second connection to the project file), and work that is let finish is one undo step.

The slow step is injected on the worker (it waits, reporting progress, until the test lets it go
or cancels), so nothing races a sleep: the test acts from a GUI-thread timer once the dialog is on
screen.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from pathlib import Path

import pytest

from app import review_import, store_background
from app.commands import AddAnnotations
from app.formats import w3c
from app.offsets import new_annotation
from db import repository
from tests.background_helpers import Watch, press_cancel, reader_threads, wait_for
from tests.gui_helpers import make_window
from widgets import background_tasks, colleague_import, file_dialogs


@pytest.fixture
def project(tmp_path):
    from db.connection import open_db

    path = tmp_path / "project.loupe"
    database = open_db(path)
    yield path, database
    database.close()


@pytest.fixture
def window(qtbot, project, monkeypatch):
    monkeypatch.setattr(colleague_import, "ask_layer_name", lambda parent, default: default)
    monkeypatch.setattr(colleague_import, "confirm_match", lambda *a: True)
    return make_window(qtbot, project[1], sample=True)


def snapshot(path: Path) -> tuple[list[str], str]:
    """Every row, read through a second connection, and the bytes of the project's files."""
    con = sqlite3.connect(path)
    try:
        rows = list(con.iterdump())
    finally:
        con.close()
    digest = hashlib.sha256()
    for suffix in ("", "-wal"):
        file = path.with_name(path.name + suffix)
        digest.update(file.read_bytes() if file.exists() else b"")
    return rows, digest.hexdigest()


def colleague_file(w, tmp_path) -> Path:
    doc = w.current_document()
    text = doc.text
    tags = []
    for quote, type_index in (("Port Aldane", 1), ("Ilyas Marrow", 0)):
        start = text.index(quote)
        tags.append(new_annotation(text, doc.id, start, start + len(quote),
                                   w.store.tag_types()[type_index].id, entity=quote,
                                   annotator="Dana"))  # fmt: skip
    path = tmp_path / "dana.json"
    path.write_text(w3c.write_json([doc], tags, {t.id: t for t in w.store.tag_types()}), "utf-8")
    return path


def slow_anchoring(monkeypatch, go: threading.Event) -> None:
    real = review_import._placed

    def placed(foreign, layer, types, target, progress, cancelled):
        wait_for(go, progress)
        return real(foreign, layer, types, target, progress, cancelled)

    monkeypatch.setattr(review_import, "_placed", placed)


def slow_reading(monkeypatch, w, go: threading.Event) -> None:
    real = w.store.read_colleague_file

    def read(path, progress=None):
        wait_for(go, progress)
        return real(path, progress)

    monkeypatch.setattr(w.store, "read_colleague_file", read)


# ---------------------------------------------------------------- a colleague's file


def test_a_long_colleague_import_shows_progress_keeps_the_window_running_and_is_one_undo_step(
    window, qtbot, tmp_path, monkeypatch
):
    w, go = window, threading.Event()
    path = colleague_file(w, tmp_path)
    slow_anchoring(monkeypatch, go)
    depth = w.undo_stack.count()
    with Watch(w, lambda _dialog: go.set()) as watch:
        w.reviewing.review_file(str(path))
    label, value, maximum, _ = watch.seen
    assert label == "Anchoring annotations…" and 0 < value <= maximum == 100
    assert watch.acted  # the timer kept firing while the dialog was up
    assert "2 anchored" in w.last_message
    assert w.undo_stack.count() == depth + 1 and [la.name for la in w.store.layers()] == ["Dana"]
    w.undo_stack.undo()
    assert w.store.layers() == []


@pytest.mark.parametrize("step", ["reading", "anchoring"])
def test_cancel_during_a_colleague_import_leaves_the_project_file_as_it_was(
    window, project, qtbot, tmp_path, monkeypatch, step
):
    w, go = window, threading.Event()
    path = colleague_file(w, tmp_path)
    slow_reading(monkeypatch, w, go) if step == "reading" else slow_anchoring(monkeypatch, go)
    before, depth = snapshot(project[0]), w.undo_stack.count()
    with Watch(w, press_cancel(qtbot)) as watch:
        w.reviewing.review_file(str(path))
    go.set()
    assert watch.seen is not None
    assert w.last_message == "Import cancelled; nothing was changed."
    assert snapshot(project[0]) == before
    assert w.undo_stack.count() == depth and w.store.layers() == []


def test_a_colleague_file_that_fails_on_the_worker_says_why(window, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"type": "AnnotationCollection", "items": [', "utf-8")
    window.reviewing.review_file(str(path))
    assert "broken.json" in window.last_message and "Traceback" not in window.last_message
    assert window.store.layers() == []


# ---------------------------------------------------------------- opening articles


@pytest.mark.parametrize("cancel", [False, True])
def test_opening_several_articles_shows_progress_and_cancel_adds_none(
    window, project, qtbot, tmp_path, monkeypatch, cancel
):
    w, go = window, threading.Event()
    paths = []
    for n in range(3):
        paths.append(tmp_path / f"report-{n}.txt")
        paths[-1].write_text(f"Report number {n} from the northern district.\n", "utf-8")
    real = background_tasks.read_article

    def slow_read(path, progress=None):
        wait_for(go)
        return real(path, progress)

    monkeypatch.setattr(background_tasks, "read_article", slow_read)
    monkeypatch.setattr(file_dialogs, "article_paths", lambda parent: [str(p) for p in paths])
    before, depth = snapshot(project[0]), w.undo_stack.count()

    def act(dialog):
        if cancel:
            press_cancel(qtbot)(dialog)
        go.set()  # the article being read finishes; the next is not begun once cancelled

    with Watch(w, act) as watch:
        w.actions["open"].trigger()
    assert watch.seen[0] == "Reading report-0.txt (1 of 3)…"
    titles = {s.title for s in w.store.document_summaries()}
    if cancel:
        assert w.last_message == "Opening cancelled; no article was added."
        assert snapshot(project[0]) == before and w.undo_stack.count() == depth
    else:
        assert {"Report number 0 from the northern district.", "Report number 2 from the "
                "northern district."} <= titles  # fmt: skip
        assert w.undo_stack.count() == depth + 1


def test_a_long_pdf_shows_its_pages_and_cancel_stops_between_two(
    window, project, qtbot, tmp_path, monkeypatch
):
    """One big PDF: the bar moves page by page, and Cancel stops at the next page, not at the
    end of the file; nothing is added."""
    import app.article_pdf as article_pdf
    from tests.article_files import write_pdf

    w, go, read = window, threading.Event(), []
    pdf = write_pdf(tmp_path / "long.pdf", [f"Page {n} of the long report." for n in range(40)])
    real = article_pdf._page_text

    def page_text(document, page):
        read.append(page)
        if page == 10:
            wait_for(go)  # the analyst looks at the bar here, and cancels
        return real(document, page)

    monkeypatch.setattr(article_pdf, "_page_text", page_text)
    monkeypatch.setattr(file_dialogs, "article_paths", lambda parent: [str(pdf)])
    before, depth = snapshot(project[0]), w.undo_stack.count()

    def act(dialog):
        press_cancel(qtbot)(dialog)
        go.set()

    with Watch(w, act) as watch:
        w.actions["open"].trigger()
    label, value, maximum, _tick = watch.seen
    assert label == "Reading long.pdf (1 of 1)…" and maximum == 1000
    assert 10 * 1000 // 40 <= value < 1000  # pages already read moved the bar
    assert read == list(range(11))  # stopped after the page it was on
    assert w.last_message == "Opening cancelled; no article was added."
    assert snapshot(project[0]) == before and w.undo_stack.count() == depth


# ---------------------------------------------------------------- exports


def tag_some(w) -> None:
    doc = w.current_document()
    quotes = ("Port Aldane", "Ilyas Marrow", "Greywater")
    tags = []
    for quote in quotes:
        start = doc.text.index(quote)
        tags.append(new_annotation(doc.text, doc.id, start, start + len(quote),
                                   w.store.tag_types()[0].id, entity=quote))  # fmt: skip
    w.undo_stack.push(AddAnnotations(w.store, tags))


@pytest.mark.parametrize("kind", ["csv", "w3c"])
def test_cancelled_export_leaves_the_earlier_file_and_no_temporary_file(
    window, qtbot, tmp_path, monkeypatch, kind
):
    w, go = window, threading.Event()
    tag_some(w)
    out = tmp_path / "out"
    out.mkdir()
    target = out / f"export.{kind}"
    target.write_text("the earlier export", "utf-8")
    if kind == "csv":
        monkeypatch.setattr(store_background, "CHUNK_ROWS", 1)
        real = repository.export_rows

        def slow_rows(*args):
            rows = real(*args)
            yield next(rows)
            wait_for(go)  # the cancel is pressed while the rest is still to come
            yield from rows

        monkeypatch.setattr(repository, "export_rows", slow_rows)
        monkeypatch.setattr(file_dialogs, "csv_path", lambda parent, s: str(target))
        action = lambda: w.export_csv(whole_project=True)  # noqa: E731
    else:
        real = repository.get_document

        def slow_document(db, doc_id):
            wait_for(go)
            return real(db, doc_id)

        monkeypatch.setattr(repository, "get_document", slow_document)
        monkeypatch.setattr(file_dialogs, "json_path", lambda parent, s: str(target))
        action = w.export_w3c

    def cancel(dialog):
        press_cancel(qtbot)(dialog)
        go.set()

    with Watch(w, cancel) as watch:
        action()
    assert watch.seen is not None
    assert w.last_message == f"Export cancelled; nothing was written to {target}."
    assert target.read_text("utf-8") == "the earlier export"
    assert sorted(p.name for p in out.iterdir()) == [target.name]


def test_export_reads_the_project_through_its_own_connection_on_the_worker(
    window, tmp_path, monkeypatch
):
    w = window
    tag_some(w)
    threads = reader_threads(monkeypatch)
    target = tmp_path / "all.csv"
    monkeypatch.setattr(file_dialogs, "csv_path", lambda parent, s: str(target))
    w.export_csv(whole_project=True)
    text = target.read_text("utf-8-sig")
    assert all(q in text for q in ("Port Aldane", "Ilyas Marrow", "Greywater"))
    assert w.last_message == f"Exported 3 annotations to {target}"
    assert threads and threads[0] is not threading.main_thread()


def test_an_export_that_cannot_be_written_says_so(window, tmp_path, monkeypatch):
    target = tmp_path / "missing-folder" / "all.csv"
    monkeypatch.setattr(file_dialogs, "csv_path", lambda parent, s: str(target))
    window.export_csv(whole_project=True)
    assert window.last_message.startswith(f"Could not write {target}: ")
    assert not target.parent.exists()


# ---------------------------------------------------------------- entity lists


@pytest.mark.parametrize("cancel", [False, True])
def test_a_long_entity_import_can_be_cancelled_and_otherwise_is_one_undo_step(
    window, project, qtbot, tmp_path, monkeypatch, cancel
):
    from app.formats import entity_csv
    from widgets import entity_exchange

    w, go = window, threading.Event()
    actor = w.store.tag_types()[0].name
    path = tmp_path / "team.csv"
    entity_csv.write_file(path, [(actor, f"Commander {n}", [f"Cdr {n}"]) for n in range(50)])
    real = entity_csv.parse

    def slow_parse(data, name):
        wait_for(go)
        return real(data, name)

    monkeypatch.setattr(entity_csv, "parse", slow_parse)
    before, depth = snapshot(project[0]), w.undo_stack.count()

    def act(dialog):
        if cancel:
            press_cancel(qtbot)(dialog)
        go.set()

    with Watch(w, act) as watch:
        plan = entity_exchange.import_entities(w, str(path))
    assert watch.seen[0] == "Reading team.csv…"
    if cancel:
        assert plan is None and w.last_message == "Entity import cancelled; nothing was changed."
        assert snapshot(project[0]) == before and w.undo_stack.count() == depth
    else:
        assert plan is not None and w.undo_stack.count() == depth + 1
        assert "Commander 49" in {e.name for e in w.store.entities()}
