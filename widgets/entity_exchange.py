"""File ▸ Export entities… and Import entities…: the registry as a CSV a team passes around
(format: docs/formats.md, "Entity list CSV").

Import reads and checks the whole file against the project first (`app.formats.entity_csv`,
`app.entity_import`); only a file that fits entirely is written, as one undoable step, so a
refused file leaves the project exactly as it was and the message names the row to fix.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from app.entity_commands import ImportEntities
from app.entity_import import EntityImportPlan, plan_entity_import
from app.formats import entity_csv
from app.interchange import MAX_FILE_BYTES, ImportProblem
from app.progress import Cancelled, ProgressTracker
from widgets import background, file_dialogs
from widgets.entities_edits import readable

log = logging.getLogger(__name__)


def export_entities(window, path: str | None = None) -> int | None:
    """Every entity of every entity tag type, in the tag types' order, then by name."""
    path = path or file_dialogs.entity_list_path(window, save=True)
    if not path:
        return None
    store = window.store
    types = {t.id: t for t in store.tag_types() if t.asks_for_entity}
    entities = sorted(
        (e for e in store.entities() if e.tag_type_id in types),
        key=lambda e: (types[e.tag_type_id].position, e.tag_type_id, e.name.casefold()),
    )
    rows = [(types[e.tag_type_id].name, e.name, e.aliases) for e in entities]
    try:
        n = entity_csv.write_file(path, rows)
    except OSError as exc:
        window.notify("Export entities", f"Could not write {path}: {exc.strerror or exc}.",
                      QMessageBox.Icon.Warning)  # fmt: skip
        return None
    window.show_status(f"Exported {n} entities to {path}")
    return n


def import_entities(window, path: str | None = None) -> EntityImportPlan | None:
    """The plan that was applied, or None when nothing was (refused, cancelled, nothing new)."""
    path = path or file_dialogs.entity_list_path(window, save=False)
    if not path:
        return None
    name = Path(path).name
    store = window.store
    try:
        if Path(path).stat().st_size > MAX_FILE_BYTES:
            raise ImportProblem(name, "", f"the file is over {MAX_FILE_BYTES // 2**20} MiB")
        types, known = store.tag_types(), store.entities()  # here: the worker has no connection
        plan = background.run(
            window, f"Reading {name}…", lambda tracker: _plan(path, name, types, known, tracker),
            title="Import entities",
        )  # fmt: skip
    except Cancelled:
        window.show_status("Entity import cancelled; nothing was changed.")
        return None
    except OSError as exc:
        _refuse(window, f"Could not read {path}: {exc.strerror or exc}.")
        return None
    except ImportProblem as exc:
        _refuse(window, f"{exc}.\n\nNothing was imported; fix that row and import the file again.")
        return None
    if plan.empty:
        window.notify("Import entities", f"{name}: {plan.summary()}.")
        return None
    try:
        window.undo_stack.push(ImportEntities(store, plan, name))
    except Exception as exc:  # EntityError: the registry changed under the plan
        if not isinstance(exc, ValueError):
            log.exception("entity import failed")
        _refuse(window, f"{readable(exc)}\n\nNothing was imported.")
        return None
    window.show_status(f"Imported {name}: {plan.summary()}. Edit ▸ Undo takes it back.")
    return plan


def _plan(path: str, name: str, types, known, tracker: ProgressTracker) -> EntityImportPlan:
    """On the worker (20,000 entities take ~0.7 s to read and check)."""
    records = entity_csv.parse(Path(path).read_bytes(), name)
    tracker.stage(f"Checking {len(records):,} entities…")
    return plan_entity_import(records, types, known, name)


def _refuse(window, text: str) -> None:
    window.notify("Import entities", text, QMessageBox.Icon.Warning)
