"""Kill at every SQL statement: of a tagging session, and of opening a project of every older
schema version (backup, pragmas and each migration). The database is always a state the code
meant to leave, the one before the step or the one after it, never a mix.

The child counts statements with `sqlite3.Connection.set_trace_callback` and SIGKILLs itself
just before statement K runs (and, while opening a project, also between two pages of the backup
copy). A reference run of the same script records every statement and the canonical state
(every row of every table, and the schema) after each operation; since each operation must be
one transaction, a kill before statement K must leave the state after as many operations as
COMMITs ran before K: exactly, with entities and aliases too.
"""

from __future__ import annotations

import json
import random
import shutil
import sqlite3

import pytest
from sqlite_utils.migrations import Migrations

from db import migrations
from db.connection import open_db
from tests.reliability.crash_state import canonical_state, state_difference
from tests.reliability.driver_process import DriverServer
from tests.reliability.scale import pick
from tests.reliability.session_driver import TEXTS, prepare_project

SCRIPT = ("add_many,add,rename,retag,regrade,note,delete,undo,redo,import,undo,redo,add,undo,"
          "undo,add_many")  # fmt: skip  # every kind of step, and undo/redo of each kind of command
SESSION_KILLS = pick(ci=40, large=10**6)  # kill points; every statement at `large`
MIGRATION_KILLS = pick(ci=10, large=10**6)  # per schema version opened
BOUNDARIES = ("COMMIT", "ROLLBACK")  # a kill at BEGIN equals one after the COMMIT before


def kill_points(log: list[str], budget: int, seed: int, *, each_shape: bool) -> list[int]:
    """Every statement when the budget allows. Otherwise every COMMIT, with `each_shape` the
    first statement of each kind (its first four words), and a seeded sample of the rest up to
    the budget."""
    everything = range(1, len(log) + 1)
    if budget >= len(log):
        return list(everything)
    must = {k for k, s in zip(everything, log, strict=True) if s.startswith(BOUNDARIES)}
    if each_shape:
        shapes: dict[str, int] = {}
        for k, statement in zip(everything, log, strict=True):
            shapes.setdefault(" ".join(statement.split()[:4]), k)
        must |= set(shapes.values())
    rest = sorted(set(everything) - must)
    extra = random.Random(seed).sample(rest, max(0, min(len(rest), budget - len(must))))
    return sorted(must | set(extra))


@pytest.fixture
def server(tmp_path):
    server = DriverServer(tmp_path / "driver-stderr.txt")
    yield server
    server.close()


def run_to_end(server, argv) -> list[dict]:
    run = server.start(argv)
    code = run.finish(kill=False)
    assert code == 0, f"the reference run failed: {server.stderr()}"
    return run.records


# ---------------------------------------------------------------- the tagging session


def test_killing_a_session_at_any_statement_leaves_the_state_of_a_whole_operation(server, tmp_path):
    template, colleague = tmp_path / "template.loupe", tmp_path / "colleague.json"
    prepare_project(template, colleague)
    ops = SCRIPT.count(",") + 1
    argv = ["--colleague", colleague, "--seed", 5, "--kinds", SCRIPT, "--ops", ops]
    reference = tmp_path / "reference.loupe"
    shutil.copyfile(template, reference)
    records = run_to_end(server, [reference, *argv, "--log-statements",
                                  "--states-to", tmp_path / "states.jsonl"])  # fmt: skip
    log = records[-1]["log"]
    states = [json.loads(line) for line in (tmp_path / "states.jsonl").open(encoding="utf-8")]
    acks = [r for r in records if r.get("phase") == "ack"]
    assert len(acks) == ops and len(states) == ops + 1
    assert {r["kind"] for r in acks} >= {"add", "rename", "retag", "regrade", "note", "delete",
                                         "undo", "redo", "import"}  # fmt: skip
    commits = [k for k, s in enumerate(log, 1) if s.startswith("COMMIT")]
    ends = [0] + [r["statements"] for r in acks]
    per_op = [sum(a < c <= b for c in commits) for a, b in zip(ends, ends[1:], strict=False)]
    assert per_op == [1] * ops, f"each operation must be one transaction: COMMITs per op {per_op}"

    chosen = kill_points(log, SESSION_KILLS, seed=5, each_shape=True)
    for k in chosen:
        path = tmp_path / "killed.loupe"
        for suffix in ("", "-wal", "-shm"):
            (tmp_path / f"killed.loupe{suffix}").unlink(missing_ok=True)
        shutil.copyfile(template, path)
        run = server.start([path, *argv, "--kill-at-statement", k])
        assert run.finish(kill=False) == -9, f"statement {k} was never reached"
        done = sum(c < k for c in commits)
        db = open_db(path)
        try:
            assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            state = canonical_state(db.conn)
            assert state == states[done], (
                f"killed before statement {k} ({log[k - 1][:60]!r}), after {done} operations: "
                + state_difference(states[done], state)
            )
        finally:
            db.close()
    print(f"\nsession: {len(chosen)} of {len(log)} statements killed at, {ops} operations")


# ---------------------------------------------------------------- opening older schemas


def plan_up_to(version: int) -> Migrations:
    """The schema as released at `version`: the first `version` migrations only."""
    plan = Migrations(migrations.migrations.name)
    plan._migrations = list(migrations.migrations._migrations[:version])
    return plan


def build_project_at(version: int, path) -> None:
    """A project at an older schema version, with rows in every table that version has."""
    db = open_db(path, plan=plan_up_to(version))
    tables = set(db.table_names())
    day = "2024-05-01T00:00:00.000Z"
    rows = {
        "settings": [{"key": "last_document", "value": "2"}],
        "sources": [{"id": 1, "name": "Reuters", "reliability": "B"}],
        "documents": [
            {"id": i, "title": f"Article {i}", "source_id": 1, "text": text,
             "text_length": len(text), "text_sha256": f"{i:064x}", "created_at": day}
            for i, text in enumerate(TEXTS[:2], 1)
        ],
        "entities": [{"id": 1, "tag_type_id": 1, "name": "Abu Mohammad al-Jolani"}],
        "annotations": [
            {"id": "a1", "document_id": 1, "start": 40, "end": 62, "quote": TEXTS[0][40:62],
             "tag_type_id": 1, "entity_id": 1, "note": "he spoke 🎤"},
            {"id": "a2", "document_id": 2, "start": 72, "end": 80, "quote": TEXTS[1][72:80],
             "tag_type_id": 1, "entity_id": 1},
            {"id": "a3", "document_id": 1, "start": 0, "end": 16, "quote": TEXTS[0][:16],
             "tag_type_id": 3, "credibility": 2, "reliability": "C", "note": "one\nsource"},
        ],
        "layers": [{"name": "Colleague", "source_file": "c.json", "format": "w3c",
                    "imported_at": day}],
        "layer_annotations": [
            {"layer": "Colleague", "id": "c1", "document_id": 1, "start": 40, "end": 62,
             "quote": TEXTS[0][40:62], "tag_type_id": 1, "entity": "al-Jolani",
             "anchor": "anchored", "decision": "accepted"},
            {"layer": "Colleague", "id": "c2", "quote": "gone", "tag_type_id": 2,
             "entity": "Aleppo", "anchor": "orphan"},
        ],
        "reviewed_own": [{"layer": "Colleague", "annotation_id": "a2", "decision": "kept_mine"}],
        "entity_aliases": [{"entity_id": 1, "alias": "الجولاني"}],
        "rejected_suggestions": [{"document_id": 1, "start": 0, "end": 6, "entity_id": 1}],
    }  # fmt: skip
    with db.atomic():
        for table, table_rows in rows.items():
            if table in tables:
                for row in table_rows:  # one by one: a column a row lacks keeps its default
                    stamps = (
                        {"created_at": day, "updated_at": day} if table == "annotations" else {}
                    )
                    db[table].insert({**stamps, **row})
    db.close()


def raw_state(path) -> dict:
    """The state as it lies on disk, read without Loupe's opening (which would migrate it)."""
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        return canonical_state(conn)
    finally:
        conn.close()


@pytest.mark.parametrize("version", range(migrations.schema_version()))
def test_killing_the_opening_of_an_older_project_leaves_it_old_or_fully_migrated(
    server, tmp_path, version
):
    original = tmp_path / f"v{version}.loupe"
    if version:
        build_project_at(version, original)
        old = raw_state(original)
    else:  # version 0: a new project being created; "old" is an empty database
        empty = sqlite3.connect(":memory:")
        old = canonical_state(empty)
        empty.close()
    reference = tmp_path / "reference.loupe"
    if version:
        shutil.copyfile(original, reference)
    log = run_to_end(server, [reference, "--open-only", "--log-statements"])[-1]["log"]
    new = raw_state(reference)
    assert new["user_version"] == migrations.schema_version()

    chosen = kill_points(log, MIGRATION_KILLS, seed=version, each_shape=False)
    for k in chosen:
        for leftover in tmp_path.glob("killed.loupe*"):
            leftover.unlink()
        path = tmp_path / "killed.loupe"
        if version:
            shutil.copyfile(original, path)
        run = server.start([path, "--open-only", "--kill-at-statement", k])
        assert run.finish(kill=False) == -9, f"statement {k} was never reached"
        where = f"v{version}, killed before {k}: {log[k - 1][:70]!r}"
        if path.exists() and path.stat().st_size:
            state = raw_state(path)
            assert state in (old, new), f"{where}: " + state_difference(
                old if state["user_version"] == old["user_version"] else new, state
            )
        else:
            assert not version, f"{where}: the project file is gone or empty"
        open_db(path).close()  # opening again completes the migration
        assert raw_state(path) == new, where
        if version:  # after a backup a kill cut short, or none, the one kept is whole and old
            assert raw_state(tmp_path / f"killed.loupe.v{version}.bak") == old, where
    print(f"\nv{version}: {len(chosen)} of {len(log)} statements killed at")
