"""Writes tests/data/schemas/v{k}.loupe: one small project per released schema version k, as that
version of Loupe wrote it, for test_migration_history.py to upgrade.

A fixture is built by applying only the first k migrations of db/migrations.py (released ones are
never edited, so they still make exactly the released schema) and filling every table that version
has, in plain SQL of that version's columns: articles in English with emoji, in Arabic and mixed,
annotations of every tag kind with notes and grades, entities, sources with reliability, settings;
from v2 a colleague's layers with their annotations and review decisions; from v4 aliases and
rejected suggestions. It is checkpointed and closed, so the committed file has no -wal beside it.

Committed fixtures are not rewritten (a fixture must stay what its release wrote) unless --force.
When a migration is released, run this to add the fixture of the version before it; if that
version added tables, add a filler for them below first (`FILLERS`), or its new tables stay empty:

    .venv/bin/python -m tests.reliability.make_schema_fixtures [--force] [VERSION ...]
"""

from __future__ import annotations

import argparse
import hashlib
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path

from sqlite_utils.migrations import Migrations

from db import migrations
from db.connection import open_db

FIXTURES = Path(__file__).resolve().parent.parent / "data" / "schemas"
CONTEXT = 32  # code points of prefix and suffix, as Loupe slices them
STAMP = "2025-01-06T08:15:00.000Z"

ENGLISH = (
    "Rebels of Hayat Tahrir al-Sham took Hama 🇸🇾 at dawn. Abu Mohammad al-Jolani said Homs is "
    'next; witnesses 🐈 doubt it.\nA second line with "quotes", commas, and =SUM(1) in it.\n'
)
ARABIC = (
    "قال أبو محمد الجولاني إن قوات هيئة تحرير الشام دخلت حماة فجراً.\n"
    "وأكد شهود عيان أن حمص هي التالية.\n"
)
MIXED = "Damascus 🇸🇾 — دمشق — waits. A Kornet team 👩‍👩‍👧 was seen near Homs.\n"

# (id, title, source id, url, published, text)
DOCUMENTS = (
    (1, "Hama falls at dawn", 1, "https://wire.example/hama", "2024-12-05", ENGLISH),
    (2, "حماة: شهود عيان", 2, "", "2024-12-06", ARABIC),
    (3, "=Damascus waits", None, "-http://x.example", "", MIXED),
)
# (id, tag type id, name); tag types 1-3 come with m001, 4 is added by the analyst.
ENTITIES = (
    (1, 1, "Hayat Tahrir al-Sham"),
    (2, 1, "Abu Mohammad al-Jolani"),
    (3, 2, "Hama"),
    (4, 2, "Homs"),  # no mention left: entities stay when their last tag goes
    (5, 2, "Damascus"),
    (6, 4, "9M133 Kornet"),
)
# (id, document, needle, occurrence, tag type, entity, credibility, reliability, note, annotator)
ANNOTATIONS = (
    ("a1", 1, "Hayat Tahrir al-Sham", 0, 1, 1, None, None, "", "k.ng"),
    ("a2", 1, "Hama 🇸🇾", 0, 2, 3, None, None, "flag follows\nsecond line", "k.ng"),
    ("a3", 1, "Abu Mohammad al-Jolani", 0, 1, 2, 2, "B", "graded actor", "k.ng"),
    ("a4", 1, "Homs is next", 0, 3, None, 3, "B", '=HYPERLINK("x")', "k.ng"),
    ("a5", 1, "witnesses 🐈 doubt it", 0, 3, None, 6, None, "", "r.haddad"),
    ("a6", 1, "al-Jolani said Homs", 0, 3, None, 4, "C", "overlaps a3", "r.haddad"),
    ("a7", 2, "أبو محمد الجولاني", 0, 1, 2, None, None, "الاسم الحركي", "r.haddad"),
    ("a8", 2, "حماة", 0, 2, 3, None, None, "", "r.haddad"),
    ("a9", 2, "حمص هي التالية", 0, 3, None, 2, "A", "", "k.ng"),
    ("a10", 3, "Damascus 🇸🇾", 0, 2, 5, None, None, "", "k.ng"),
    ("a11", 3, "دمشق", 0, 2, 5, None, None, "'quoted note", "k.ng"),
    ("a12", 3, "Kornet", 0, 4, 6, None, None, "team 👩‍👩‍👧", "k.ng"),
)


def span(doc_id: int, needle: str, occurrence: int = 0) -> tuple[int, int, str, str, str]:
    """(start, end, quote, prefix, suffix) in code points, as Loupe cuts them."""
    text = next(d[5] for d in DOCUMENTS if d[0] == doc_id)
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(needle, start + 1)
    end = start + len(needle)
    return start, end, needle, text[max(0, start - CONTEXT) : start], text[end : end + CONTEXT]


def fill_v1(conn: sqlite3.Connection) -> None:
    conn.executemany(
        "INSERT INTO sources (id, name, reliability) VALUES (?, ?, ?)",
        [(1, "Wire", "A"), (2, "قناة تلغرام", "E"), (3, "Blog 🐈", None)],
    )
    conn.executemany(
        "INSERT INTO documents (id, title, source_id, url, published, text, text_length,"
        " text_sha256, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (i, title, source, url, published, text, len(text),
             hashlib.sha256(text.encode()).hexdigest(), STAMP)
            for i, title, source, url, published, text in DOCUMENTS
        ],
    )  # fmt: skip
    conn.execute(
        "INSERT INTO tag_types (id, name, kind, color, shortcut, position)"
        " VALUES (4, 'Weapon', 'entity', '#CC79A7', '4', 3)"
    )
    conn.executemany("INSERT INTO entities (id, tag_type_id, name) VALUES (?, ?, ?)", ENTITIES)
    rows = []
    for ann_id, doc, needle, nth, tag, entity, cred, rel, note, who in ANNOTATIONS:
        start, end, quote, prefix, suffix = span(doc, needle, nth)
        rows.append((ann_id, doc, start, end, quote, prefix, suffix, tag, entity, cred, rel,
                     note, who, STAMP, STAMP))  # fmt: skip
    conn.executemany(
        'INSERT INTO annotations (id, document_id, start, "end", quote, prefix, suffix,'
        " tag_type_id, entity_id, credibility, reliability, note, annotator, created_at,"
        " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    conn.executemany(
        "INSERT INTO settings (key, value) VALUES (?, ?)",
        [("sample_offered", "yes"), ("last_document", "2")],
    )


def fill_v2(conn: sqlite3.Connection) -> None:
    conn.executemany(
        "INSERT INTO layers (name, source_file, format, imported_at, visible) VALUES (?,?,?,?,?)",
        [
            ("k.ng.json", "/home/r/Downloads/k.ng.json", "w3c", STAMP, 1),
            ("team brat", "/home/r/team.zip", "brat", STAMP, 0),
        ],
    )
    layer_rows = []
    for layer, ann_id, doc, needle, tag, entity, cred, rel, anchor, score, decision in (
        ("k.ng.json", "c1", 1, "Hayat Tahrir al-Sham", 1, "HTS", None, None, "anchored", 100.0, ""),
        ("k.ng.json", "c2", 1, "Homs is next", 3, "", 2, "A", "moved", 87.5, "accepted"),
        ("k.ng.json", "c3", 2, "حماة", 2, "Hama", None, None, "review", 61.25, "rejected"),
        ("k.ng.json", "c4", None, "a lost passage", 1, "Someone", None, None, "orphan", 0.0, ""),
        ("team brat", "c1", 3, "Kornet", 4, "Kornet", None, None, "anchored", 100.0, "kept_mine"),
    ):
        if doc is None:
            start = end = None
            quote, prefix, suffix = needle, "before ", " after"
        else:
            start, end, quote, prefix, suffix = span(doc, needle)
        layer_rows.append((layer, ann_id, doc, start, end, quote, prefix, suffix, tag, entity,
                           cred, rel, f"note of {ann_id} 🐈", "k.ng", STAMP, STAMP, anchor, score,
                           decision))  # fmt: skip
    marks = ", ".join("?" * len(layer_rows[0]))
    conn.executemany(f"INSERT INTO layer_annotations VALUES ({marks})", layer_rows)
    conn.executemany(
        "INSERT INTO reviewed_own (layer, annotation_id, decision) VALUES (?, ?, ?)",
        [("k.ng.json", "a4", "kept_mine"), ("team brat", "a12", "accepted")],
    )


def fill_v4(conn: sqlite3.Connection) -> None:
    conn.executemany(
        "INSERT INTO entity_aliases (entity_id, alias) VALUES (?, ?)",
        [(1, "HTS"), (1, "هيئة تحرير الشام"), (2, "أبو محمد الجولاني"), (3, "حماة"),
         (5, "دمشق"), (6, "Kornet")],
    )  # fmt: skip
    start, end, *_ = span(3, "Homs")
    conn.execute("INSERT INTO rejected_suggestions VALUES (3, ?, ?, 4)", (start, end))


def fill_v5(conn: sqlite3.Connection) -> None:
    """A note dialog's draft, left behind by a crash, and a grade dialog's on a new span."""
    start, end, *_ = span(1, "Abu Mohammad al-Jolani")
    conn.execute(
        "INSERT INTO drafts VALUES ('note', 'annotation a3 type 1', 1, 'a3', 1, ?, ?, '', ?, ?)",
        (start, end, "half-typed: said Homs 🐈 is", STAMP),
    )
    start, end, *_ = span(2, "حمص هي التالية")
    conn.execute(
        "INSERT INTO drafts VALUES ('grade', ?, 2, NULL, 3, ?, ?, 'B2', 'ملاحظة', ?)",
        (f"span 2 {start} {end} type 3", start, end, STAMP),
    )


# First version each filler applies to; a version gets every filler at or below it.
FILLERS: dict[int, Callable[[sqlite3.Connection], None]] = {
    1: fill_v1, 2: fill_v2, 4: fill_v4, 5: fill_v5,
}  # fmt: skip


def first_migrations(version: int) -> Migrations:
    """The released plan cut after `version` steps, under the real set's name."""
    plan = Migrations(migrations.migrations.name)
    for step in migrations.migrations._migrations[:version]:
        plan(name=step.name)(step.fn)
    return plan


def fixture_path(version: int) -> Path:
    return FIXTURES / f"v{version}.loupe"


def build(version: int, path: Path) -> None:
    """A project file at schema `version`, filled, checkpointed and closed (no -wal left)."""
    if not 1 <= version <= migrations.schema_version():
        raise ValueError(f"no schema version {version} in db/migrations.py")
    path.unlink(missing_ok=True)
    db = open_db(path, plan=first_migrations(version))
    try:
        with db.atomic():
            for since, fill in sorted(FILLERS.items()):
                if since <= version:
                    fill(db.conn)
        db.conn.execute("VACUUM")  # small: no free pages in a committed file
        db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        db.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "versions", nargs="*", type=int, help="default: every version older than the newest"
    )
    parser.add_argument("--force", action="store_true", help="rewrite existing fixtures")
    args = parser.parse_args(argv)
    FIXTURES.mkdir(parents=True, exist_ok=True)
    # The newest version is what this code writes, and its migration may still be changing; its
    # fixture is due when the next migration is added (test_migration_history checks that).
    for version in args.versions or range(1, migrations.schema_version()):
        path = fixture_path(version)
        if path.exists() and not args.force:
            print(f"{path.name}: kept (exists; --force rewrites it)")
            continue
        if version > max(FILLERS):
            print(f"{path.name}: tables new since v{max(FILLERS)} get no rows (add a filler)")
        build(version, path)
        print(f"{path.name}: written, {path.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
