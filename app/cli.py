"""Loupe without a window: add articles, tag spans, count entities and export CSV from a shell.

`main.py` hands these subcommands over before anything imports PySide6, so they run on machines
with no display and in scripts, and start in a fraction of the GUI's time. Expected failures print
one line on stderr and return a status (1: bad input, 2: the project cannot be opened or a usage
error); nothing is written when a command fails.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from app.articles import ArticleError, read_article
from app.formats.csv_export import GUARD_LEADING, GUARD_SKIPPED, write_csv_file
from app.model import CREDIBILITY_KIND, Grade
from app.offsets import SpanError, check_span, new_annotation
from app.user_settings import UserSettings, default_config_path, default_db_path, os_user_name
from db import repository
from db.connection import DatabaseOpenError, explain, open_db, write_transaction

COMMANDS = (
    "add", "tag", "counts", "export-csv", "export-w3c", "import", "agreement", "suggest",
    "entities",
)  # fmt: skip


class CliError(Exception):
    """An expected failure: the message is one line for the person at the terminal."""

    def __init__(self, message: str, status: int = 1) -> None:
        super().__init__(message)
        self.status = status


def main(argv: list[str]) -> int:
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # argparse has printed usage (status 2) or --help (status 0)
        return exc.code if isinstance(exc.code, int) else 2
    try:
        return args.run(args)
    except CliError as exc:
        print(f"loupe {args.command}: {exc}", file=sys.stderr)
        return exc.status
    except sqlite3.Error as exc:  # e.g. the project stayed locked by another Loupe past the timeout
        plain = explain(exc)  # plain words: "the disk is full; free some space, then try again"
        if plain == str(exc):  # none for this one: say where it came from
            plain = f"the project database reported an error ({exc}); try again"
        print(f"loupe {args.command}: nothing was changed: {plain}.", file=sys.stderr)
        return 1


# ---------------------------------------------------------------- the project file


def _db_path(args: argparse.Namespace) -> Path:
    return Path(args.db) if args.db else default_db_path()


@contextmanager
def _project(args: argparse.Namespace, *, create: bool = False) -> Iterator:
    """Only `add` may create a project: a typo in --db for the other commands would otherwise
    leave an empty project behind and report a confusing 'no such document'."""
    path = _db_path(args)
    try:
        if create and not args.db:
            path.parent.mkdir(parents=True, exist_ok=True)
        if not path.parent.is_dir():
            raise CliError(f"folder {path.parent} is missing; create it or use another --db.", 2)
        if not create and (not path.exists() or path.stat().st_size == 0):
            raise CliError(f"no Loupe project at {path}; `loupe add FILE --db PATH` makes one.", 2)
        db = open_db(path)
    except DatabaseOpenError as exc:
        raise CliError(str(exc), 2) from None
    except (sqlite3.Error, OSError) as exc:
        raise CliError(f"{path} cannot be opened ({exc}); nothing was changed.", 2) from None
    try:
        yield db
    finally:
        db.close()


def _require_document(db, document_id: int | None, args: argparse.Namespace):
    doc = None if document_id is None else repository.get_document(db, document_id)
    if document_id is not None and doc is None:
        n = repository.count_documents(db)
        raise CliError(
            f"there is no document {document_id} in {_db_path(args)} ({n} document(s) there); "
            "`loupe add FILE` prints each new document's id."
        )
    return doc


# ---------------------------------------------------------------- add


def _add(args: argparse.Namespace) -> int:
    # Every file is read and decoded before the project is touched: one bad file adds nothing.
    try:
        docs = [(name, read_article(name)) for name in args.files]
    except ArticleError as exc:
        raise CliError(f"{exc} Nothing was added.") from None
    lines, notices = [], []
    with _project(args, create=True) as db, write_transaction(db):
        added: dict[str, tuple[int, str]] = {}  # the same text twice in one command
        for name, doc in docs:
            known = added.get(doc.text_sha256)
            if known is None and (found := repository.find_document_by_hash(db, doc.text_sha256)):
                known = (found.id, found.title)
            if known:
                what = f"already in this project as document {known[0]} (“{known[1]}”)"
                notices.append(f"{name}: {what}; not added again")
                lines.append(f"{known[0]}\t{known[1]}")
                continue
            new = repository.insert_document(db, doc)
            added[doc.text_sha256] = (new.id, new.title)
            lines.append(f"{new.id}\t{new.title}")
    # Printed after COMMIT, so an id on stdout always names a stored document.
    if notices:
        print("\n".join(notices), file=sys.stderr)
    print("\n".join(lines))
    return 0


# ---------------------------------------------------------------- tag


def _tag(args: argparse.Namespace) -> int:
    try:
        grade = Grade.parse(args.credibility, args.reliability)
    except ValueError as exc:
        raise CliError(f"{exc}.") from None
    with _project(args) as db:
        doc = _require_document(db, args.document_id, args)
        tag = repository.find_tag_type(db, args.type)
        if tag is None:
            known = ", ".join(t.name for t in repository.list_tag_types(db))
            raise CliError(f"unknown tag type “{args.type}”; this project has: {known}.")
        try:
            check_span(doc.text, args.start, args.end)
        except SpanError as exc:
            raise CliError(f"document {doc.id}: {exc}.") from None
        entity = _entity(args, tag, grade, doc.text[args.start : args.end])
        ann = new_annotation(
            doc.text,
            doc.id,
            args.start,
            args.end,
            tag.id,
            entity=entity,
            grade=grade,
            note=args.note,
            annotator=(args.annotator or "").strip() or _default_annotator(),
        )
        with write_transaction(db):
            insert_teaching_aliases(db, [ann])
    print(ann.id)
    return 0


def insert_teaching_aliases(db, annotations) -> None:
    """Inside the caller's transaction: the tags, and the names they teach the registry, by the
    window's own rule (`app/alias_collect.py`)."""
    from app.alias_collect import alias_index, names_taught  # the matcher's C extension, lazily

    repository.insert_annotations(db, annotations)
    index = alias_index(repository.entities.all_aliases(db))
    _taught, rows = names_taught(
        annotations, index, lambda t, name: repository.entities.find_entity(db, t, name)
    )
    repository.entities.add_alias_rows(db, rows)


def _entity(args: argparse.Namespace, tag, grade: Grade, quote: str) -> str:
    """Entity tags name who or what (never graded: a grade would split one entity's count into
    several rows); credibility tags grade a claim and name nothing."""
    if tag.kind == CREDIBILITY_KIND:
        if args.entity is not None:
            raise CliError(f"“{tag.name}” grades a claim; --entity is for entity types.")
        if grade.credibility is None:
            raise CliError(
                f"“{tag.name}” tags need --credibility 1–6 (and optionally --reliability A–F)."
            )
        return ""
    if grade != Grade():
        raise CliError(
            f"--credibility and --reliability grade claims; “{tag.name}” is an entity type. "
            "Tag the claim with a credibility type instead."
        )
    if args.entity is None:
        return " ".join(quote.split())  # a name, not text: a quote across a line break is one name
    if not args.entity.strip():
        raise CliError("--entity is empty; give a name or leave the option out to use the quote.")
    return args.entity


def _default_annotator() -> str:
    return str(UserSettings.load(default_config_path()).annotator or "").strip() or os_user_name()


# ---------------------------------------------------------------- counts


def _counts(args: argparse.Namespace) -> int:
    with _project(args) as db:
        _require_document(db, args.document, args)
        counts = repository.entity_counts(db, args.document)
    if args.json:
        rows = [{"type": c.type_name, "entity": c.entity, "count": c.count} for c in counts]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    if not counts:
        print("no annotations yet", file=sys.stderr)
        return 0
    table = [("type", "entity", "count")] + [
        (" ".join(c.type_name.split()), " ".join(c.entity.split()), str(c.count)) for c in counts
    ]
    widths = [max(_width(row[i]) for row in table) for i in range(3)]
    for type_name, entity, n in table:
        print(f"{_pad(type_name, widths[0])}  {_pad(entity, widths[1])}  {n.rjust(widths[2])}")
    return 0


def _width(text: str) -> int:
    """Terminal columns: CJK and emoji take two, combining marks (Arabic harakat) none."""
    return sum(
        0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        for ch in text
    )


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


# ---------------------------------------------------------------- export-csv


def export_csv(db, path: str | Path, document_id: int | None = None) -> int:
    """The one CSV export (CLI and, later, the window): cells are neutralised in SQL, so writing
    is a C loop; the file appears whole or not at all. Returns the number of annotations."""
    rows = repository.export_rows(db, document_id, GUARD_LEADING, GUARD_SKIPPED)
    return write_csv_file(rows, path, guarded=True)


def _export(args: argparse.Namespace) -> int:
    out = Path(args.out)
    if out.is_dir():
        raise CliError(f"{out} is a folder; give a file path for the CSV.")
    if not out.parent.is_dir():
        raise CliError(f"folder {out.parent} does not exist; create it or write the CSV elsewhere.")
    db_path = _db_path(args).resolve()
    if out.resolve() in {db_path, *(db_path.with_name(db_path.name + s) for s in ("-wal", "-shm"))}:
        raise CliError(f"{out} is the project database itself; choose another file for the CSV.")
    with _project(args) as db:
        _require_document(db, args.document, args)
        try:
            n = export_csv(db, out, args.document)
        except OSError as exc:
            raise CliError(f"cannot write {out} ({exc.strerror or exc}); nothing written.") from exc
    print(f"{n} annotation{'' if n == 1 else 's'} → {out}", file=sys.stderr)
    return 0


# ---------------------------------------------------------------- argparse


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", metavar="PATH", help=f"project file (default: {default_db_path()})")
    parser = argparse.ArgumentParser(
        prog="loupe", description="Loupe's headless commands. Run `loupe` alone for the window."
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser(
        "add",
        parents=[common],
        help="add .txt/.md articles to the project",
        description="Add articles (UTF-8, or UTF-16 with BOM). Prints `ID<TAB>TITLE` per file; a "
        "text already in the project is reported on stderr and its existing id printed.",
    )
    p.add_argument("files", nargs="+", metavar="FILE")
    p.set_defaults(run=_add)

    p = sub.add_parser(
        "tag",
        parents=[common],
        help="tag a span of a document",
        description="Tag [START, END) of a document: offsets count Unicode code points (not "
        "bytes, not UTF-16 units), END exclusive. Prints the new annotation's id.",
    )
    p.add_argument("document_id", type=int, metavar="DOCUMENT_ID")
    p.add_argument("start", type=int, metavar="START")
    p.add_argument("end", type=int, metavar="END")
    p.add_argument("type", metavar="TYPE", help="tag type, any case (e.g. Actor, Credibility)")
    p.add_argument("--entity", metavar="NAME", help="canonical name (default: the quote)")
    p.add_argument("--credibility", metavar="1-6", help="Admiralty credibility of the claim")
    p.add_argument("--reliability", metavar="A-F", help="Admiralty reliability of its source")
    p.add_argument("--note", default="", metavar="TEXT")
    p.add_argument("--annotator", metavar="NAME", help="default: your settings, or login name")
    p.set_defaults(run=_tag)

    p = sub.add_parser(
        "counts",
        parents=[common],
        help="mentions per entity (and per grade)",
        description="Count annotations per tag type and entity (credibility tags per grade).",
    )
    p.add_argument("--document", type=int, metavar="ID", help="one document only")
    p.add_argument("--json", action="store_true", help="JSON list of {type, entity, count}")
    p.set_defaults(run=_counts)

    p = sub.add_parser(
        "export-csv",
        parents=[common],
        help="export annotations as CSV",
        description="Write annotations as CSV (UTF-8 with BOM; see docs/formats.md). The count "
        "is reported on stderr.",
    )
    p.add_argument("out", metavar="OUT.csv")
    p.add_argument("--document", type=int, metavar="ID", help="one document only")
    p.set_defaults(run=_export)

    from app import cli_review  # the review commands; imported here because it uses this module

    cli_review.add_parsers(sub, common)
    from app import cli_suggest

    cli_suggest.add_parsers(sub, common)
    from app import cli_entities

    cli_entities.add_parsers(sub, common)
    return parser
