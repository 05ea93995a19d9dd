"""A colleague's Loupe project altered by another program: code in the schema (triggers, views,
virtual tables, computed columns and indexes) is refused before any row is read, missing tables and
columns are named, and every wrong value is refused with its table, row and column. The file stays
byte-identical each time (`refused` checks). The reader's connection is fenced in (last tests)."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3

import pytest

import db.foreign as foreign
import db.foreign_rows as foreign_rows
from db.foreign import read_project
from tests.foreign_helpers import alter, build, refused

ALTERED = "which Loupe never creates: another program altered the file, so it is not read"

CASES = {
    # code that could run: refused before quick_check and before any row
    "trigger that would write": (
        ["CREATE TRIGGER spy AFTER INSERT ON annotations BEGIN "
         "INSERT INTO settings VALUES ('seen', new.quote); END"],
        ["the file contains triggers or views (trigger “spy”)", ALTERED],
    ),
    "Loupe's own index trigger rewritten to write": (
        ["DROP TRIGGER documents_fts_delete",
         "CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents BEGIN "
         "DELETE FROM annotations; END"],
        ["(trigger “documents_fts_delete”)", ALTERED],
    ),
    "Loupe's searchable view rewritten to read another table": (
        ["DROP VIEW documents_searchable",
         "CREATE VIEW documents_searchable AS SELECT id, title, quote AS text FROM annotations"],
        ["view “documents_searchable”", ALTERED],
    ),
    "Loupe's full-text table swapped for another module": (
        ["DROP TABLE documents_fts",
         "CREATE VIRTUAL TABLE documents_fts USING fts5(title, text)"],
        ["virtual table “documents_fts”", ALTERED],
    ),
    "trigger named to mislead": (
        ['CREATE TRIGGER "spy\u202egpj.exe" AFTER DELETE ON documents BEGIN SELECT 1; END'],
        ["(trigger “spy?gpj.exe”)"],
    ),
    "view calling a denied function": (
        ["CREATE VIEW leak AS SELECT load_extension('evil') AS x"],
        ["the file contains triggers or views (view “leak”)", ALTERED],
    ),
    "index on an unknown function": (
        ["CREATE INDEX odd ON documents (evil(title))"], ["index “odd” is computed", ALTERED]
    ),
    "partial index": (
        ["CREATE INDEX some ON documents (title) WHERE url != ''"], ["index “some” is computed"]
    ),
    "computed column": (
        ["ALTER TABLE documents ADD COLUMN loud TEXT GENERATED ALWAYS AS (upper(title)) VIRTUAL"],
        ["table documents has computed columns (loud)", ALTERED],
    ),
    "computed column in a table Loupe does not read": (
        ["CREATE TABLE extra (a, b AS (evil(a)) STORED)"], ["table extra has computed columns (b)"]
    ),
    "virtual table": (["CREATE VIRTUAL TABLE search USING fts5(body)"], ["virtual table “search”"]),
    # structure
    "missing column": (
        ["ALTER TABLE annotations DROP COLUMN note"],
        ["colleague.db: table annotations is missing columns: note"],
    ),
    "missing table": (["DROP TABLE entities"], ["the file is missing tables: entities"]),
    # values
    "binary title": (
        ["UPDATE documents SET title = X'00FF' WHERE id = 1"],
        ["colleague.db, table documents, id 1, column title: must be text, but is binary data"],
    ),
    "text offset": (
        ["UPDATE annotations SET start = 'ten'"],
        ["table annotations, id ", ", column start: must be a whole number, but is text"],
    ),
    "blob end": (
        ["""UPDATE annotations SET "end" = X'01'"""], ["column end: must be a whole number, but is"]
    ),
    "decimal source id": (
        ["UPDATE documents SET source_id = 1.5"], ["column source_id: must be a whole number, but"]
    ),
    "bad UTF-8": (
        ["UPDATE documents SET title = CAST(X'C328' AS TEXT) WHERE id = 2"],
        ["table documents, id 2, column title: is not valid UTF-8 text"],
    ),
    "NUL in a note": (
        ["UPDATE annotations SET note = 'a' || char(0) || 'b'"], ["column note: contains a NUL"]
    ),
    "altered text": (
        ["UPDATE documents SET text = text || 'x' WHERE id = 1"],
        ["table documents, id 1, column text_sha256: is not the SHA-256 of the text"],
    ),
    "altered quote": (["UPDATE annotations SET quote = 'x' || quote"], ["column quote: is not"]),
    "altered prefix": (["UPDATE annotations SET prefix = 'x' || prefix"], ["column prefix"]),
    "altered suffix": (["UPDATE annotations SET suffix = suffix || 'x'"], ["column suffix"]),
    "span outside the text": (
        ['UPDATE annotations SET start = 10000, "end" = 10004'],
        ["the span 10000–10004 is not inside the text"],
    ),
    "negative start": (["UPDATE annotations SET start = -1"], ["is not inside the text"]),
    "missing document": (
        ["UPDATE annotations SET document_id = 99"],
        ["column document_id: refers to document 99, which the file does not have"],
    ),
    "missing tag type": (["UPDATE annotations SET tag_type_id = 77"], ["refers to tag type 77"]),
    "missing source": (["UPDATE documents SET source_id = 55"], ["refers to source 55"]),
    "entity of another type": (
        ["UPDATE annotations SET entity_id = (SELECT id FROM entities WHERE name = 'Hama')"
         " WHERE quote = 'أبو محمد'"],
        ["column entity_id: refers to entity", "of another tag type"],
    ),
    "credibility out of range": (["UPDATE annotations SET credibility = 9"], ["is 9, not 1–6"]),
    "reliability out of range": (
        ["UPDATE annotations SET reliability = 'Z' WHERE reliability IS NOT NULL"],
        ["column reliability: is “Z”, not one of A–F"],
    ),
    "unknown tag kind": (
        ["UPDATE tag_types SET kind = 'weapon' WHERE name = 'Actor'"],
        ["table tag_types, row 1, column kind: is “weapon”"],
    ),
    "empty annotation id": (
        ["UPDATE annotations SET id = '' WHERE rowid = 1"],
        ["table annotations, row 1, column id: is empty"],
    ),
    "NULL annotation id": (
        ["UPDATE annotations SET id = NULL WHERE rowid = 1"],
        ["table annotations, row ", "column id: must be text, but is empty (NULL)"],
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", CASES)
def test_an_altered_project_is_refused(tmp_path, case):
    statements, fragments = CASES[case]
    path, _, _ = build(tmp_path)
    alter(path, *statements)
    refused(path, *fragments)


def test_a_trigger_disguised_as_a_table(tmp_path):
    path, _, _ = build(tmp_path)
    alter(
        path,
        "CREATE TRIGGER spy AFTER INSERT ON documents BEGIN DELETE FROM annotations; END",
        "PRAGMA writable_schema = ON",
        "UPDATE sqlite_master SET type = 'table' WHERE name = 'spy'",
    )
    refused(path, "the file is damaged or altered (SQLite says: malformed database schema (spy)")


def test_duplicates_the_schema_would_prevent_are_refused_too():
    """UNIQUE can be edited out of a schema; the row checks do not rely on the schema."""
    conn = sqlite3.connect(":memory:")
    for table, columns in foreign_rows.COLUMNS.items():
        quoted = ", ".join(f'"{c}"' for c in columns)
        conn.execute(f"CREATE TABLE {table} ({quoted})")
    conn.execute("INSERT INTO tag_types VALUES (1, 'Actor', 'entity')")
    sha = hashlib.sha256(b"Homs").hexdigest()
    conn.execute("INSERT INTO documents VALUES (1, 'a', NULL, '', '', 'Homs', ?)", [sha])
    ann = "INSERT INTO annotations VALUES ('x', 1, 0, 4, 'Homs', '', '', 1, NULL, NULL, NULL"
    ann += ", '', 'k.ng', '', '')"
    conn.execute(ann)
    assert foreign_rows.read_rows(conn, "a.db").creator == "k.ng"
    conn.execute(ann)
    with pytest.raises(foreign_rows.ForeignProjectError, match="id x, column id: is used twice"):
        foreign_rows.read_rows(conn, "a.db")
    conn.execute("INSERT INTO documents VALUES (2, 'b', NULL, '', '', 'Homs', ?)", [sha])
    with pytest.raises(foreign_rows.ForeignProjectError, match="id 2, column text: has the same"):
        foreign_rows.read_rows(conn, "a.db")


def test_extra_plain_tables_are_ignored(tmp_path):
    path, _, made = build(tmp_path)
    alter(path, "CREATE TABLE scratch (a TEXT CHECK (evil(a)), b DEFAULT (evil(1)))")
    assert len(read_project(path).annotations) == len(made)


# ---------------------------------------------------------------- the fence around SQLite


@pytest.fixture
def fenced(tmp_path):
    path, _, _ = build(tmp_path)
    copy = tmp_path / "copy.db"
    shutil.copyfile(path, copy)
    conn = foreign._open_readonly(copy)
    yield conn
    conn.close()


@pytest.mark.parametrize(
    "sql",
    [
        "DELETE FROM annotations",
        "INSERT INTO settings VALUES ('a', 'b')",
        "CREATE TABLE t (a)",
        "ATTACH ':memory:' AS other",
        "PRAGMA user_version = 7",
        "PRAGMA journal_mode = DELETE",
        "PRAGMA trusted_schema = ON",
        "SELECT value FROM settings",  # a table Loupe does not read
        "SELECT load_extension('evil')",
        "SELECT upper(title) FROM documents",  # functions beyond count()
        "SELECT readfile('/etc/passwd')",
    ],
)
def test_the_connection_allows_only_the_readers_statements(fenced, sql):
    with pytest.raises(sqlite3.DatabaseError):
        fenced.execute(sql).fetchall()


def test_the_fence_is_up_and_the_readers_statements_pass(fenced):
    fenced.set_authorizer(None)  # to look at the settings the authorizer hides
    settings = [
        fenced.execute(f"PRAGMA {p}").fetchone()[0] for p in ("trusted_schema", "query_only")
    ]
    assert settings == [0, 1]
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        fenced.execute("PRAGMA query_only = OFF")
        fenced.execute("DELETE FROM settings")
    fenced.set_authorizer(foreign._authorize)
    assert fenced.execute("SELECT count(*) FROM annotations NOT INDEXED").fetchone() == (5,)
    assert fenced.execute("PRAGMA quick_check(3)").fetchall() == [("ok",)]
    assert fenced.execute('SELECT "end", quote FROM annotations NOT INDEXED').fetchall()
    assert len(fenced.execute('PRAGMA table_xinfo("documents")').fetchall()) == 10  # m006: author
    with pytest.raises(sqlite3.DatabaseError):  # "vtable constructor failed"
        fenced.execute("SELECT count(*) FROM documents_fts")  # Loupe's index: let in, never read
