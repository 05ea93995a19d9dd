"""The review workflow without a window: `loupe export-w3c`, `loupe import`, `loupe agreement`.

Same rules as app/cli.py: one line on stderr and a status on failure, nothing written then.
`import` cannot ask whether a similar article is the same one, so it refuses to guess: without
`--yes` a proposed match stops the import and is listed; with it, proposals are accepted.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from app.agreement import combine, report
from app.cli import CliError, _project, _require_document
from app.formats import registry, w3c
from app.interchange import ImportProblem
from app.review_import import (
    LocalDocumentRef,
    match_documents,
    plan_import,
    unique_layer_name,
)
from db import repository

COMMANDS = ("export-w3c", "import", "agreement")


def add_parsers(sub, common) -> None:
    p = sub.add_parser(
        "export-w3c", parents=[common], help="export annotations as W3C Web Annotation JSON-LD",
        description="Write annotations (all, or one document's, or one annotator's) as a W3C "
        "AnnotationCollection with the articles embedded; see docs/formats.md.",
    )  # fmt: skip
    p.add_argument("out", metavar="OUT.json")
    p.add_argument("--document", type=int, metavar="ID")
    p.add_argument("--annotator", metavar="NAME", help="only this annotator's annotations")
    p.add_argument("--no-text", action="store_true", help="do not embed the articles' text")
    p.set_defaults(run=_export_w3c)

    p = sub.add_parser(
        "import", parents=[common], help="import a colleague's annotation file as a layer",
        description=f"Import {registry.SUPPORTED} as a colleague's layer. Prints the four "
        "anchoring counts. A similar but not identical article is only matched with --yes.",
    )  # fmt: skip
    p.add_argument("file", metavar="FILE")
    p.add_argument("--as", dest="layer", metavar="NAME", help="layer name (default: the creator)")
    p.add_argument("--yes", action="store_true", help="accept proposed document matches")
    p.set_defaults(run=_import)

    p = sub.add_parser(
        "agreement", parents=[common], help="agreement between two annotators or layers",
        description="Compare annotator or layer A with B (a layer's name, or an annotator of "
        "the project's own tags): counts, exact/overlap P/R/F1 and Cohen's kappa per tag type.",
    )  # fmt: skip
    p.add_argument("--a", required=True, metavar="NAME")
    p.add_argument("--b", required=True, metavar="NAME")
    p.add_argument("--document", type=int, metavar="ID")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=_agreement)


def _export_w3c(args: argparse.Namespace) -> int:
    out = Path(args.out)
    if not out.parent.is_dir():
        raise CliError(f"folder {out.parent} is missing; nothing was written.")
    with _project(args) as db:
        doc = _require_document(db, args.document, args)
        ids = [doc.id] if doc else [d.id for d in repository.list_document_summaries(db)]
        documents = [repository.get_document(db, i) for i in ids]
        annotations = [
            a for i in ids for a in repository.annotations_for_document(db, i)
            if args.annotator is None or a.annotator == args.annotator
        ]  # fmt: skip
        types = {t.id: t for t in repository.list_tag_types(db)}
        used = {a.document_id for a in annotations} if args.annotator else set(ids)
        try:
            w3c.write_file(
                out, [d for d in documents if d.id in used], annotations, types,
                creator=args.annotator or "", embed_text=not args.no_text,
            )  # fmt: skip
        except OSError as exc:  # a full disk, a folder gone read-only: one line, not a traceback
            raise CliError(f"cannot write {out} ({exc.strerror or exc}); nothing written.") from exc
    print(f"{len(annotations)} annotations → {out}", file=sys.stderr)
    return 0


def _read(path: Path):
    return registry.read_colleague_file(path, read_project=repository.read_project)


def _import(args: argparse.Namespace) -> int:
    path = Path(args.file)
    if not path.exists():
        raise CliError(f"{path} does not exist.")
    with _project(args) as db:
        try:
            foreign = _read(path)
            local = [
                LocalDocumentRef(d.id, d.title, d.url, d.text_sha256)
                for d in map(lambda s: repository.get_document(db, s.id),
                             repository.list_document_summaries(db))
            ]  # fmt: skip

            def text_of(doc_id: int) -> str:
                return repository.get_document(db, doc_id).text

            matches = match_documents(foreign, local, text_of)
            proposed = [m for m in matches if m.how == "proposed"]
            if proposed and not args.yes:
                listed = "; ".join(
                    f"“{m.title}” ≈ document {m.local_id} ({m.similarity:.0f}% similar)"
                    for m in proposed
                )
                raise CliError(f"not sure these are the same articles: {listed}. Rerun with "
                               "--yes to accept; nothing was imported.")  # fmt: skip
            taken = {layer.name for layer in repository.list_layers(db)}
            name = args.layer or unique_layer_name(foreign.creator or path.stem, taken)
            if name in taken:
                raise CliError(f"a layer called “{name}” exists already; choose --as NAME.")
            plan = plan_import(foreign, matches, repository.list_tag_types(db), text_of,
                               layer_name=name)  # fmt: skip
        except ImportProblem as exc:
            raise CliError(str(exc)) from None
        with repository.write_transaction(db):
            repository.import_layer(db, plan.layer, plan.new_documents, plan.rows)
    print(plan.report())
    return 0


def _side(db, name: str, doc_ids: list[int]) -> dict[int, list]:
    """A layer by that name, else the project's own annotations by that annotator."""
    if repository.layer_exists(db, name):
        by_doc: dict[int, list] = {}
        for t in repository.layer_annotations(db, name):
            if t.placed and t.document_id in doc_ids:
                by_doc.setdefault(t.document_id, []).append(t.as_annotation())
        return by_doc
    by_doc = {}
    for doc_id in doc_ids:
        mine = [a for a in repository.annotations_for_document(db, doc_id) if a.annotator == name]
        if mine:
            by_doc[doc_id] = mine
    return by_doc


def _agreement(args: argparse.Namespace) -> int:
    with _project(args) as db:
        doc = _require_document(db, args.document, args)
        ids = [doc.id] if doc else [d.id for d in repository.list_document_summaries(db)]
        a, b = _side(db, args.a, ids), _side(db, args.b, ids)
        layers = ", ".join(layer.name for layer in repository.list_layers(db)) or "none"
        for name, side in ((args.a, a), (args.b, b)):
            if not side:
                raise CliError(
                    f"“{name}” is neither a layer nor an annotator with annotations "
                    f"here (layers: {layers}; annotator names are case-sensitive)."
                )
        types = {t.id: t for t in repository.list_tag_types(db)}
        per_doc = {
            i: report(a.get(i, []), b.get(i, []), repository.get_document(db, i).text, types)
            for i in sorted(set(a) | set(b))
        }
    overall = combine(list(per_doc.values()))
    if args.json:
        out = {"a": args.a, "b": args.b, "overall": overall.to_dict(),
               "documents": {str(i): r.to_dict() for i, r in per_doc.items()}}  # fmt: skip
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    print(f"{args.a} (A) vs {args.b} (B), {len(per_doc)} document(s)")
    print(f"{'type':<16}{'agree':>7}{'confl':>7}{'only A':>8}{'only B':>8}"
          f"{'exact F1':>10}{'overlap F1':>12}{'kappa':>8}")  # fmt: skip
    for t in [*overall.by_type, overall.overall]:

        def f(x):  # noqa: E306
            return "—" if x is None else f"{x:.3f}"

        print(f"{t.name[:15]:<16}{t.agree:>7}{t.conflict:>7}{t.only_a:>8}{t.only_b:>8}"
              f"{f(t.exact.f1):>10}{f(t.overlap.f1):>12}{f(t.kappa.kappa):>8}")  # fmt: skip
    return 0
