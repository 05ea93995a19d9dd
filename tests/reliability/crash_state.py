"""What the crash tests compare.

Two views of a project: `canonical_state` (every table, row for row, and the schema: two
databases are the same state exactly when these are equal) and `TaggingState` (the analyst's
annotations, the colleagues' layers and the documents, which is what the driver's
acknowledgements speak about; entities are left out because whether undo removes the entity a
tag created is a choice of the store, not a crash question).
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import asdict, dataclass, field, replace

from sqlite_utils import Database

from app.model import Annotation
from db import repository

_VOLATILE = {"_sqlite_migrations": "applied_at"}  # written from the clock; not part of the state


def _blob(value: object) -> str:
    """BLOBs (the full-text index's segments) as hex, so two states compare byte for byte."""
    if isinstance(value, bytes):
        return value.hex()
    raise TypeError(type(value).__name__)


def canonical_state(conn: sqlite3.Connection) -> dict:
    """Schema, user_version, application_id and every row of every table, in a fixed order."""
    schema = conn.execute(
        "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"
    ).fetchall()
    state: dict = {
        "user_version": conn.execute("PRAGMA user_version").fetchone()[0],
        "application_id": conn.execute("PRAGMA application_id").fetchone()[0],
        "schema": [list(row) for row in schema],
    }
    for kind, name, _table, _sql in schema:
        if kind != "table" or name.startswith("sqlite_"):
            continue
        cursor = conn.execute(f'SELECT * FROM "{name}"')
        columns = [d[0] for d in cursor.description]
        keep = [i for i, c in enumerate(columns) if c != _VOLATILE.get(name)]
        rows = (
            json.dumps([row[i] for i in keep], ensure_ascii=False, default=_blob) for row in cursor
        )
        state[name] = sorted(rows)
    return state


def state_difference(expected: dict, actual: dict) -> str:
    """The first few differences, readable in a failure message."""
    lines = []
    for key in sorted(set(expected) | set(actual)):
        want, got = expected.get(key), actual.get(key)
        if want == got:
            continue
        if isinstance(want, list) and isinstance(got, list):
            missing = [r for r in want if r not in got][:3]
            extra = [r for r in got if r not in want][:3]
            lines.append(f"{key}: missing {missing}, unexpected {extra}")
        else:
            lines.append(f"{key}: expected {str(want)[:200]}, found {str(got)[:200]}")
    return "; ".join(lines[:6])


# ---------------------------------------------------------------- what acknowledgements describe


@dataclass
class TaggingState:
    annotations: dict[str, dict] = field(default_factory=dict)  # id → annotation row
    layers: dict[str, dict] = field(default_factory=dict)  # name → layer with sorted rows
    documents: list[tuple] = field(default_factory=list)

    def after(self, record: dict) -> TaggingState:
        """This state with one acknowledged (or begun) operation applied. Rows are never
        changed in place, so copying the containers is enough."""
        state = replace(self, annotations=dict(self.annotations), layers=dict(self.layers))
        for row in record.get("put", ()):
            state.annotations[row["id"]] = row
        for aid in record.get("gone", ()):
            state.annotations.pop(aid, None)
        for layer in record.get("layers_put", ()):
            state.layers[layer["name"]] = {**layer, "rows": _sorted_rows(layer["rows"])}
        for name in record.get("layers_gone", ()):
            state.layers.pop(name, None)
        return state

    def difference(self, actual: TaggingState) -> list[str]:
        """What `actual` lacks or holds wrongly compared with this (expected) state."""
        out = []
        for aid, row in self.annotations.items():
            got = actual.annotations.get(aid)
            if got is None:
                out.append(f"annotation {aid} ({row['quote']!r}) missing")
            elif got != row:
                changed = {k: (row[k], got[k]) for k in row if row[k] != got.get(k)}
                out.append(f"annotation {aid} differs (expected, found): {changed}")
        extra = actual.annotations.keys() - self.annotations.keys()
        out += [f"annotation {aid} present, should be absent" for aid in extra]
        for name, layer in self.layers.items():
            got = actual.layers.get(name)
            if got is None:
                out.append(f"layer {name!r} missing")
            elif got != layer:
                out.append(f"layer {name!r} differs: {len(got['rows'])}/{len(layer['rows'])} rows")
        out += [
            f"layer {n!r} present, should be absent"
            for n in actual.layers.keys() - self.layers.keys()
        ]
        if actual.documents != self.documents:
            out.append("documents changed")
        return out


def _sorted_rows(rows) -> list[str]:
    return sorted(json.dumps(list(r), ensure_ascii=False) for r in rows)


def annotation_row(a: Annotation) -> dict:
    """An annotation as the acknowledgements carry it: every field, the grade in two."""
    row = asdict(a)
    grade = row.pop("grade")
    return {**row, "credibility": grade["credibility"], "reliability": grade["reliability"]}


def read_tagging_state(db: Database) -> TaggingState:
    state = TaggingState()
    for summary in repository.list_document_summaries(db):
        doc = repository.get_document(db, summary.id)
        state.documents.append((doc.id, doc.title, doc.text, doc.text_sha256))
        for a in repository.annotations_for_document(db, doc.id):
            state.annotations[a.id] = annotation_row(a)
    for layer in repository.list_layers(db):
        rows = [t.as_row() for t in repository.layer_annotations(db, layer.name)]
        state.layers[layer.name] = {**asdict(layer), "rows": _sorted_rows(rows)}
    return state


def misplaced_quotes(db: Database) -> list[str]:
    """Every stored quote must be its slice of the stored text (a colleague's only if anchored)."""
    texts = {}
    for summary in repository.list_document_summaries(db):
        texts[summary.id] = repository.get_document(db, summary.id).text
    bad = []
    for doc, text in texts.items():
        for a in repository.annotations_for_document(db, doc):
            if text[a.start : a.end] != a.quote:
                bad.append(f"annotation {a.id}: [{a.start}, {a.end}) is not {a.quote!r}")
    for layer in repository.list_layers(db):
        for t in repository.layer_annotations(db, layer.name):
            if t.anchor == "anchored" and texts[t.document_id][t.start : t.end] != t.quote:
                bad.append(f"{layer.name}'s {t.id}: [{t.start}, {t.end}) is not {t.quote!r}")
    return bad
