"""The `drafts` table (schema v5): what an open dialog holds, saved while the analyst types.
Rows travel as tuples in `COLUMNS` order (app.drafts.Draft.as_row / from_row), since db/ may
not import app.drafts. Callers wrap each call in its own transaction (Store.save_draft …)."""

from __future__ import annotations

from sqlite_utils import Database

COLUMNS = (
    "dialog", "target", "document_id", "annotation_id", "tag_type_id", "start", "end", "entity",
    "note", "saved_at",
)  # fmt: skip
_SELECT = "SELECT " + ", ".join(f'"{c}"' for c in COLUMNS) + " FROM drafts"


def save_draft(db: Database, row: tuple) -> None:
    names = ", ".join(f'"{c}"' for c in COLUMNS)
    updates = ", ".join(f'"{c}" = excluded."{c}"' for c in COLUMNS[2:])
    db.conn.execute(
        f"INSERT INTO drafts ({names}) VALUES ({', '.join('?' * len(COLUMNS))}) "
        f"ON CONFLICT (dialog, target) DO UPDATE SET {updates}",
        row,
    )


def delete_draft(db: Database, dialog: str, target: str) -> None:
    db.conn.execute("DELETE FROM drafts WHERE dialog = ? AND target = ?", [dialog, target])


def get_draft(db: Database, dialog: str, target: str) -> tuple | None:
    return db.conn.execute(
        f"{_SELECT} WHERE dialog = ? AND target = ?", [dialog, target]
    ).fetchone()


def list_drafts(db: Database) -> list[tuple]:
    return db.conn.execute(f"{_SELECT} ORDER BY saved_at, dialog, target").fetchall()
