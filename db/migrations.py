"""Schema history. The pending migrations run in one transaction with their records (sqlite-utils
`Migrations`; see `apply`), and bump `PRAGMA user_version` so a newer database is recognised
without reading any table. Append new migrations at the end; never edit a released one.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

# 'LOUP' — marks the file as Loupe's in the SQLite header, so another program's database is refused.
APPLICATION_ID = 0x4C4F5550

DEFAULT_TAG_TYPES = (
    # Okabe–Ito colours: distinguishable with every common colour-vision deficiency.
    ("Actor", "entity", "#0072B2", "1"),
    ("Location", "entity", "#009E73", "2"),
    ("Credibility", "credibility", "#E69F00", "3"),
)

migrations = Migrations("loupe")


@migrations()
def m001_initial_schema(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE sources (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            reliability TEXT CHECK (reliability IN ('A','B','C','D','E','F'))
        );
        CREATE TABLE documents (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL,
            source_id INTEGER REFERENCES sources(id),
            url TEXT NOT NULL DEFAULT '',
            published TEXT NOT NULL DEFAULT '',
            text TEXT NOT NULL,
            text_length INTEGER NOT NULL,  -- code points; length(text) would read every article
            text_sha256 TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL
        );
        CREATE TABLE tag_types (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE,
            kind TEXT NOT NULL CHECK (kind IN ('entity','credibility')),
            color TEXT NOT NULL,
            shortcut TEXT NOT NULL DEFAULT '',
            position INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE entities (
            id INTEGER PRIMARY KEY,
            tag_type_id INTEGER NOT NULL REFERENCES tag_types(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            UNIQUE (tag_type_id, name)
        );
        CREATE TABLE annotations (
            id TEXT PRIMARY KEY,
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            quote TEXT NOT NULL,
            prefix TEXT NOT NULL DEFAULT '',
            suffix TEXT NOT NULL DEFAULT '',
            tag_type_id INTEGER NOT NULL REFERENCES tag_types(id) ON DELETE CASCADE,
            entity_id INTEGER REFERENCES entities(id),
            credibility INTEGER CHECK (credibility BETWEEN 1 AND 6),
            reliability TEXT CHECK (reliability IN ('A','B','C','D','E','F')),
            note TEXT NOT NULL DEFAULT '',
            annotator TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            CHECK (start >= 0 AND "end" > start)
        );
        -- Opening a document reads its spans in paint order from this index alone.
        CREATE INDEX annotations_by_document
            ON annotations (document_id, start, "end" DESC, tag_type_id, id);
        -- Covering indexes: each count-panel refresh is one GROUP BY answered from an index.
        CREATE INDEX annotations_counts_by_document
            ON annotations (document_id, tag_type_id, entity_id, reliability, credibility);
        CREATE INDEX annotations_counts_all
            ON annotations (tag_type_id, entity_id, reliability, credibility);
        CREATE INDEX annotations_by_entity ON annotations (entity_id);
        """
    )
    db["tag_types"].insert_all(
        [
            {"name": n, "kind": k, "color": c, "shortcut": s, "position": i}
            for i, (n, k, c, s) in enumerate(DEFAULT_TAG_TYPES)
        ]
    )


def _one_of(column: str, *values: str) -> str:
    """`column IN (...)` written as equalities. Inside a CHECK, an IN list of more than two
    constants makes SQLite fill a temporary index with the list for every row written (EXPLAIN
    shows OpenEphemeral in each INSERT): three such checks made a 100,000-row import 0.5 s slower.
    NULL passes either way, as it does for IN."""
    return "(" + " OR ".join(f"{column} = '{v}'" for v in values) + ")"


@migrations()
def m002_colleague_layers(db: Database) -> None:
    """A colleague's annotations live apart from the analyst's own: counts, exports and undo of
    one's own work never mix them in, and a whole import can be dropped as one layer."""
    reliability = _one_of("reliability", "A", "B", "C", "D", "E", "F")
    anchor = _one_of("anchor", "anchored", "moved", "review", "orphan")
    decision = _one_of("decision", "", "accepted", "rejected", "kept_mine")
    db.executescript(
        f"""
        CREATE TABLE layers (
            name TEXT PRIMARY KEY,
            source_file TEXT NOT NULL,
            format TEXT NOT NULL,
            imported_at TEXT NOT NULL,
            visible INTEGER NOT NULL DEFAULT 1
        );
        CREATE TABLE layer_annotations (
            layer TEXT NOT NULL REFERENCES layers(name) ON DELETE CASCADE,
            id TEXT NOT NULL,
            document_id INTEGER REFERENCES documents(id) ON DELETE CASCADE,
            start INTEGER,
            "end" INTEGER,
            quote TEXT NOT NULL,
            prefix TEXT NOT NULL DEFAULT '',
            suffix TEXT NOT NULL DEFAULT '',
            tag_type_id INTEGER NOT NULL REFERENCES tag_types(id) ON DELETE CASCADE,
            entity TEXT NOT NULL DEFAULT '',
            credibility INTEGER CHECK (credibility BETWEEN 1 AND 6),
            reliability TEXT CHECK {reliability},
            note TEXT NOT NULL DEFAULT '',
            annotator TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL DEFAULT '',
            updated_at TEXT NOT NULL DEFAULT '',
            anchor TEXT NOT NULL CHECK {anchor},
            score REAL NOT NULL DEFAULT 100,
            decision TEXT NOT NULL DEFAULT '' CHECK {decision},
            PRIMARY KEY (layer, id),
            CHECK ((anchor = 'orphan' AND start IS NULL AND "end" IS NULL)
                OR (anchor != 'orphan' AND document_id IS NOT NULL
                    AND start >= 0 AND "end" > start))
        );
        CREATE INDEX layer_annotations_by_document
            ON layer_annotations (document_id, layer, start);
        -- A reviewer's verdict on one of the analyst's own tags that the colleague lacks.
        CREATE TABLE reviewed_own (
            layer TEXT NOT NULL REFERENCES layers(name) ON DELETE CASCADE,
            annotation_id TEXT NOT NULL,
            decision TEXT NOT NULL CHECK (decision IN ('kept_mine', 'accepted')),
            PRIMARY KEY (layer, annotation_id)
        );
        """
    )


@migrations()
def m003_layer_rows_keyed_by_document(db: Database) -> None:
    """An import writes a whole layer at once. Keyed by (layer, id), each of a colleague's random
    ids went to a random place in that index: 0.15 s of writing 100,000 rows. Every parser already
    refuses a repeated id, so a row is now found by its document, layer and start (then id)
    through the one index, which an import fills in order."""
    reliability = _one_of("reliability", "A", "B", "C", "D", "E", "F")
    anchor = _one_of("anchor", "anchored", "moved", "review", "orphan")
    decision = _one_of("decision", "", "accepted", "rejected", "kept_mine")
    columns = ", ".join(f'"{c}"' for c in _LAYER_COLUMNS_V2)
    # Statement by statement: `executescript` would first COMMIT, so a crash between the DROP
    # and the RENAME could lose the table; here the whole step is the one transaction.
    statements = f"""
        CREATE TABLE layer_annotations_v3 (
            layer TEXT NOT NULL REFERENCES layers(name) ON DELETE CASCADE,
            id TEXT NOT NULL,
            document_id INTEGER REFERENCES documents(id) ON DELETE CASCADE,
            start INTEGER,
            "end" INTEGER,
            quote TEXT NOT NULL,
            prefix TEXT NOT NULL DEFAULT '',
            suffix TEXT NOT NULL DEFAULT '',
            tag_type_id INTEGER NOT NULL REFERENCES tag_types(id) ON DELETE CASCADE,
            entity TEXT NOT NULL DEFAULT '',
            credibility INTEGER CHECK (credibility BETWEEN 1 AND 6),
            reliability TEXT CHECK {reliability},
            note TEXT NOT NULL DEFAULT '',
            annotator TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL DEFAULT '',
            updated_at TEXT NOT NULL DEFAULT '',
            anchor TEXT NOT NULL CHECK {anchor},
            score REAL NOT NULL DEFAULT 100,
            decision TEXT NOT NULL DEFAULT '' CHECK {decision},
            CHECK ((anchor = 'orphan' AND start IS NULL AND "end" IS NULL)
                OR (anchor != 'orphan' AND document_id IS NOT NULL
                    AND start >= 0 AND "end" > start))
        );
        INSERT INTO layer_annotations_v3 ({columns})
            SELECT {columns} FROM layer_annotations ORDER BY document_id, layer, start;
        DROP TABLE layer_annotations;
        ALTER TABLE layer_annotations_v3 RENAME TO layer_annotations;
        CREATE INDEX layer_annotations_by_document
            ON layer_annotations (document_id, layer, start)
        """
    for statement in statements.split(";"):
        db.execute(statement)


@migrations()
def m004_entity_aliases_and_rejected_suggestions(db: Database) -> None:
    """Aliases: the other names an entity goes by ("HTS" for "Hayat Tahrir al-Sham"), collected
    from tagged quotes and edited by the analyst; the quotes already tagged become its first
    aliases. Rejected suggestions are remembered per document and span, so a "no" stays said.
    Statement by statement, inside the migration's transaction (see m003)."""
    statements = """
        CREATE TABLE entity_aliases (
            entity_id INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
            alias TEXT NOT NULL CHECK (length(alias) > 0),
            PRIMARY KEY (entity_id, alias)
        ) WITHOUT ROWID;
        INSERT INTO entity_aliases (entity_id, alias)
            SELECT DISTINCT a.entity_id, a.quote FROM annotations a
            JOIN entities e ON e.id = a.entity_id WHERE a.quote != e.name;
        CREATE TABLE rejected_suggestions (
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            entity_id INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
            PRIMARY KEY (document_id, start, "end", entity_id)
        ) WITHOUT ROWID
        """
    for statement in statements.split(";"):
        db.execute(statement)


@migrations()
def m005_dialog_drafts(db: Database) -> None:
    """What the analyst types into an open note or tag dialog, saved while typing (db/drafts.py),
    so a crash loses at most a second of it. One row per dialog and what it edits; the row goes
    with its document, annotation or tag type, so no deleted text lingers in a draft."""
    db.execute(
        """
        CREATE TABLE drafts (
            dialog TEXT NOT NULL CHECK (dialog IN ('note', 'entity', 'grade')),
            target TEXT NOT NULL,
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            annotation_id TEXT REFERENCES annotations(id) ON DELETE CASCADE,
            tag_type_id INTEGER NOT NULL REFERENCES tag_types(id) ON DELETE CASCADE,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            entity TEXT NOT NULL DEFAULT '',
            note TEXT NOT NULL DEFAULT '',
            saved_at TEXT NOT NULL,
            PRIMARY KEY (dialog, target)
        ) WITHOUT ROWID
        """
    )


# Arabic tatweel and the harakat of everyday vowelling (tanween, fatha, damma, kasra, shadda,
# sukun: U+064B–U+0652; dagger alef U+0670): the unicode61 tokenizer treats these marks as
# separators, so a vowelled word was indexed in pieces and "الْحَمْد" not found by "الحمد". The
# index reads the text without them (the view below); db/search.py maps places back. Each is
# one replace() over every text the view reads (snippets of 200 results: ~2 ms a mark), so the
# rarer Quranic and hamza marks (U+0653–U+065F) are left out. Frozen with m006.
M006_UNINDEXED = "\u0640" + "".join(map(chr, range(0x064B, 0x0653))) + "\u0670"


def _without_unindexed(column: str) -> str:
    for mark in M006_UNINDEXED:
        column = f"replace({column}, char({ord(mark)}), '')"
    return column


@migrations()
def m006_document_author_and_full_text_search(db: Database) -> None:
    """An article's author (saved web pages and Word files name one), and a full-text index of
    titles and texts for search across the project. The index is external-content FTS5: it holds
    tokens, not a second copy of every article, and triggers keep it in step inside the writing
    transaction, so an undo or a crash can never leave it disagreeing with the documents.
    `unicode61 remove_diacritics 2` lets "Hama" find "Ḥamā" and Arabic be searched by word; its
    content is a view of the documents without Arabic vowel marks (`M006_UNINDEXED`), so a
    vowelled word is one token. Built-in replace() only: nothing untrusted runs in a trigger."""
    title, text = _without_unindexed("title"), _without_unindexed("text")

    def old_new(row: str) -> str:
        """The values a row is indexed with, as the view gives them."""
        bare = (_without_unindexed(f"{row}.{column}") for column in ("title", "text"))
        return ", ".join((f"{row}.id", *bare))

    statements = (
        "ALTER TABLE documents ADD COLUMN author TEXT NOT NULL DEFAULT ''",
        f"CREATE VIEW documents_searchable AS SELECT id, {title} AS title, {text} AS text"
        " FROM documents",
        """CREATE VIRTUAL TABLE documents_fts USING fts5(
            title, text, content='documents_searchable', content_rowid='id',
            tokenize='unicode61 remove_diacritics 2')""",
        f"""CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN
            INSERT INTO documents_fts (rowid, title, text) VALUES ({old_new("new")});
        END""",
        f"""CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents BEGIN
            INSERT INTO documents_fts (documents_fts, rowid, title, text)
            VALUES ('delete', {old_new("old")});
        END""",
        f"""CREATE TRIGGER documents_fts_update AFTER UPDATE OF title, text ON documents BEGIN
            INSERT INTO documents_fts (documents_fts, rowid, title, text)
            VALUES ('delete', {old_new("old")});
            INSERT INTO documents_fts (rowid, title, text) VALUES ({old_new("new")});
        END""",
        "INSERT INTO documents_fts (documents_fts) VALUES ('rebuild')",
        "CREATE INDEX documents_by_published ON documents (published)",
    )
    for statement in statements:  # one by one: executescript would COMMIT first (see m003)
        db.execute(statement)


_LAYER_COLUMNS_V2 = (
    "layer", "id", "document_id", "start", "end", "quote", "prefix", "suffix", "tag_type_id",
    "entity", "credibility", "reliability", "note", "annotator", "created_at", "updated_at",
    "anchor", "score", "decision",
)  # fmt: skip  # as m002 made them; a later change of app.model must not change this step


def schema_version() -> int:
    """The version this code writes: one per migration."""
    return len(migrations._migrations)


def apply(db: Database, plan: Migrations = migrations) -> None:
    """Apply pending migrations, keeping user_version equal to the number applied.

    All of them in one transaction, with Loupe's mark and the migrations table: a crash while
    opening leaves the project as it was or fully upgraded. Step by step, a kill left it at a
    version in between, and one between creating the migrations table and its unique index
    left that index missing for good (tests/reliability/test_kill_at_statement.py)."""
    with db.atomic():
        db.conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        plan.ensure_migrations_table(db)
        for step in plan.pending(db):
            step.fn(db)
            plan._record_applied(db, step.name)
            applied = len(plan.applied(db))
            db.conn.execute(f"PRAGMA user_version = {applied}")
