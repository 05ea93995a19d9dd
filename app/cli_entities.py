"""`loupe entities`: the entity registry without a window, for scripts and for checking a shared
list made it in (File ▸ Import entities… in the window).

Same rules as app/cli.py: read only, one line on stderr and a status on failure. The counts are
the registry's own (db/entities.py), so they agree with the window's Entities panel.
"""

from __future__ import annotations

import argparse
import json
import sys

from app.cli import CliError, _pad, _project, _width
from app.model import ENTITY_KIND
from db import repository

COMMANDS = ("entities",)
ALIAS_JOIN = " | "


def add_parsers(sub, common) -> None:
    p = sub.add_parser(
        "entities", parents=[common], help="list the entity registry",
        description="List every canonical entity: tag type, name, mentions, number of documents "
        "and aliases (joined by “ | ” in the table; a list in --json).",
    )  # fmt: skip
    p.add_argument("--type", metavar="TYPE", help="one tag type only, any case (e.g. Actor)")
    p.add_argument(
        "--json", action="store_true",
        help="JSON list of {type, name, aliases, mentions, documents}",
    )  # fmt: skip
    p.set_defaults(run=_entities)


def _entities(args: argparse.Namespace) -> int:
    with _project(args) as db:
        types = repository.list_tag_types(db)
        chosen = None
        if args.type is not None:
            chosen = repository.find_tag_type(db, args.type)
            if chosen is None or chosen.kind != ENTITY_KIND:
                known = ", ".join(t.name for t in types if t.kind == ENTITY_KIND) or "none"
                what = "unknown tag type" if chosen is None else "no entities for the tag type"
                raise CliError(f"{what} “{args.type}”; this project's entity types are: {known}.")
        entities = repository.entities.list_entities(db, chosen.id if chosen else None)
    names = {t.id: t.name for t in types}
    position = {t.id: (t.position, t.id) for t in types}
    entities.sort(key=lambda e: (position.get(e.tag_type_id, (0, 0)), e.name.casefold()))
    if args.json:
        rows = [
            {"type": names.get(e.tag_type_id, ""), "name": e.name, "aliases": list(e.aliases),
             "mentions": e.mentions, "documents": len(e.documents)}
            for e in entities
        ]  # fmt: skip
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    if not entities:
        print("no entities yet" + (f" of type {chosen.name}" if chosen else ""), file=sys.stderr)
        return 0
    table = [("type", "name", "mentions", "documents", "aliases")] + [
        (_line(names.get(e.tag_type_id, "")), _line(e.name), str(e.mentions),
         str(len(e.documents)), ALIAS_JOIN.join(_line(a) for a in e.aliases))
        for e in entities
    ]  # fmt: skip
    widths = [max(_width(row[i]) for row in table) for i in range(4)]
    for type_name, name, mentions, documents, aliases in table:
        counts = f"{mentions.rjust(widths[2])}  {documents.rjust(widths[3])}"
        line = f"{_pad(type_name, widths[0])}  {_pad(name, widths[1])}  {counts}  {aliases}"
        print(line.rstrip())
    return 0


def _line(text: str) -> str:
    """A name on one line, whatever a file or a quote put in it."""
    return " ".join(text.split())
