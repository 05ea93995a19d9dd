"""`loupe suggest DOCUMENT_ID [--accept-all]`: the window's suggestions, headless.

Lists every unannotated mention of a known name or alias in one document (as the article view
underlines them), minus the ones the analyst rejected there; `--accept-all` tags them all in one
transaction, as the window's "Accept all suggestions in this document" does.
"""

from __future__ import annotations

import argparse
import json

from app.alias_match import AliasEntry, AliasMatcher, prepare, suggestions
from app.cli import (
    CliError,
    _default_annotator,
    _project,
    _require_document,
    insert_teaching_aliases,
)
from app.offsets import new_annotation
from db import repository

COMMANDS = ("suggest",)


def add_parsers(sub, common) -> None:
    p = sub.add_parser(
        "suggest", parents=[common], help="known names not yet tagged in a document",
        description="List every mention of a known entity name or alias that is not tagged yet "
        "in one document (offsets in code points), skipping suggestions rejected in the window. "
        "With --accept-all, tag them all (one transaction) and print the new annotations' ids.",
    )  # fmt: skip
    p.add_argument("document_id", type=int, metavar="DOCUMENT_ID")
    p.add_argument("--accept-all", action="store_true", help="tag every suggestion")
    p.add_argument("--annotator", metavar="NAME", help="default: your settings, or login name")
    p.add_argument("--json", action="store_true", help="JSON list of suggestions")
    p.set_defaults(run=_suggest)


def find(db, document) -> list:
    """The suggestions for one document, as the window computes them."""
    entries = [AliasEntry(e, t, a) for e, t, a in repository.entities.all_aliases(db)]
    found = AliasMatcher(entries).find(prepare(document.text))
    annotated = [(s, e, t) for _id, s, e, t in repository.annotation_spans(db, document.id)]
    return suggestions(found, annotated, repository.entities.rejected_suggestions(db, document.id))


def _suggest(args: argparse.Namespace) -> int:
    with _project(args) as db:
        doc = _require_document(db, args.document_id, args)
        if doc is None:
            raise CliError("a DOCUMENT_ID is needed.", 2)
        found = find(db, doc)
        names = {e.id: e.name for e in repository.entities.list_entities(db)}
        types = {t.id: t.name for t in repository.list_tag_types(db)}
        if args.accept_all:
            who = (args.annotator or "").strip() or _default_annotator()
            made = [
                new_annotation(
                    doc.text,
                    doc.id,
                    o.start,
                    o.end,
                    o.tag_type_id,
                    entity=names[o.entity_id],
                    annotator=who,
                )  # fmt: skip
                for o in found
            ]
            with repository.write_transaction(db):
                insert_teaching_aliases(db, made)
            for ann in made:
                print(ann.id)
            return 0
    rows = [
        {"start": o.start, "end": o.end, "quote": doc.text[o.start : o.end],
         "type": types.get(o.tag_type_id, "?"), "entity": names.get(o.entity_id, "?")}
        for o in found
    ]  # fmt: skip
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        for r in rows:
            quote = " ".join(r["quote"].split())
            print(f"{r['start']}\t{r['end']}\t{r['type']}\t{r['entity']}\t{quote}")
    return 0
