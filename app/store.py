"""The one writer. Every change goes through here, in one transaction, and a signal is emitted only
after COMMIT, so a view never shows something the database does not hold.

Views read through the store too (it is cheap: each read is one indexed query), which keeps
`widgets/` free of SQL.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import contextmanager
from functools import partial

from PySide6.QtCore import QObject, Signal
from sqlite_utils import Database

from app.articles import text_sha256
from app.formats import csv_export
from app.interchange import ForeignFile, Progress
from app.model import Annotation, Document, DocumentSummary, EntityCount, GradeCount, TagType
from app.review_import import ImportPlan, LocalDocumentRef
from app.store_drafts import DraftStoreMixin
from app.store_entities import EntityStoreMixin
from app.store_search import SearchStoreMixin
from app.store_sources import SourceStoreMixin
from app.store_steps import CreatedRows, StepRecordMixin
from app.store_summary import SummaryStoreMixin
from db import repository as repo


class Store(
    EntityStoreMixin, SourceStoreMixin, SummaryStoreMixin, DraftStoreMixin, StepRecordMixin,
    SearchStoreMixin, QObject,
):  # fmt: skip
    # Past tense: each is emitted after COMMIT.
    annotations_added = Signal(list)  # list[Annotation]
    annotations_removed = Signal(list)  # list[Annotation]
    annotation_updated = Signal(object, object)  # old, new
    documents_changed = Signal()
    document_updated = Signal(object)  # Document
    tag_types_changed = Signal()
    layers_changed = Signal()  # a colleague's layer was imported, removed, shown or hidden
    review_changed = Signal(str)  # decisions in this layer changed
    entities_changed = Signal()  # renamed, merged, split, deleted, aliases edited: views reload
    aliases_added = Signal(list)  # list[AliasEntry]: new names for suggestions to look for
    # A name may have changed owner or gone (rename, merge, split, delete, alias removed, import):
    # what suggestions found must follow. Not sent for a name only added (aliases_added says it).
    owners_changed = Signal()
    # Mentions may count under other entities or names now (rename, merge, split, delete,
    # import): the count panel regroups. Not sent when an undo only forgets names it made.
    mentions_regrouped = Signal()
    suggestions_changed = Signal(int)  # a suggestion in this document was rejected or restored
    sources_changed = Signal()  # a source was renamed or rated: grades borrowing it changed

    def __init__(self, db: Database, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self._tag_types: list[TagType] | None = None
        # Names offered by the tag popup, per tag type. It grows by what this store writes; an
        # edit that takes entities away (a registry edit, an undo) clears it.
        self._entity_names: dict[int, list[str]] = {}

    @contextmanager
    def _transaction(self):
        with repo.write_transaction(self.db):  # BEGIN IMMEDIATE: see db/connection.py
            yield self.db

    # ------------------------------------------------------------ reads

    def tag_types(self) -> list[TagType]:
        if self._tag_types is None:
            self._tag_types = repo.list_tag_types(self.db)
        return list(self._tag_types)

    def tag_type(self, tag_type_id: int) -> TagType | None:
        return next((t for t in self.tag_types() if t.id == tag_type_id), None)

    def document(self, document_id: int) -> Document | None:
        return repo.get_document(self.db, document_id)

    def document_summaries(self) -> list[DocumentSummary]:
        return repo.list_document_summaries(self.db)

    def find_document_by_text(self, text: str) -> DocumentSummary | None:
        return repo.find_document_by_hash(self.db, text_sha256(text))

    def annotations(self, document_id: int) -> list[Annotation]:
        return repo.annotations_for_document(self.db, document_id)

    def spans(self, document_id: int) -> list[tuple[str, int, int, int]]:
        """(id, start, end, tag_type_id) in paint order: all a view needs to open a document."""
        return repo.annotation_spans(self.db, document_id)

    def annotation(self, annotation_id: str) -> Annotation | None:
        return repo.get_annotation(self.db, annotation_id)

    def entity_names(self, tag_type_id: int) -> list[str]:
        if tag_type_id not in self._entity_names:
            self._entity_names[tag_type_id] = repo.entity_names(self.db, tag_type_id)
        return list(self._entity_names[tag_type_id])

    def _remember_entities(self, annotations) -> None:
        for a in annotations:
            names = self._entity_names.get(a.tag_type_id)
            if names is not None and a.entity and a.entity not in names:
                names.append(a.entity)
                names.sort(key=str.casefold)

    def entity_counts(
        self, document_id: int | None = None, tag_type_id: int | None = None
    ) -> list[EntityCount]:
        return repo.entity_counts(self.db, document_id, tag_type_id)

    def grade_counts(self, document_id: int | None = None) -> list[GradeCount]:
        return repo.grade_counts(self.db, document_id)

    def mentions(self, document_id: int | None, tag_type_id: int, entity: str):
        return repo.mentions(self.db, document_id, tag_type_id, entity)

    def sources(self) -> list[str]:
        return repo.list_sources(self.db)

    def annotation_count_of_type(self, tag_type_id: int) -> int:
        return repo.count_annotations_of_type(self.db, tag_type_id)

    def setting(self, key: str, default: str = "") -> str:
        return repo.get_setting(self.db, key, default)

    # ------------------------------------------------------------ annotations

    # An undoable step passes `made` (its `CreatedRows`: recorded at its first run, put back
    # by its redo) and its undo passes them as `forget`, so undo removes exactly what it created.

    def add_annotations(
        self, annotations: Sequence[Annotation], made: CreatedRows | None = None
    ) -> None:
        self._aliases()  # known before the insert names any new entity
        with self._transaction() as db:
            write = partial(repo.insert_annotations, db, annotations)
            _, aliases, created = self._write_step(db, made, write, annotations)
        self._step_written(made, created)
        self._remember_entities(annotations)
        self.annotations_added.emit(list(annotations))
        if aliases:
            self.aliases_added.emit(aliases)

    def remove_annotations(
        self, annotations: Sequence[Annotation], forget: CreatedRows | None = None
    ) -> None:
        with self._transaction() as db:
            repo.delete_annotations(db, [a.id for a in annotations])
            registry_changed = self._take_away(db, forget)
        self.annotations_removed.emit(list(annotations))
        if registry_changed:
            self._names_forgotten()

    def update_annotation(
        self, old: Annotation, new: Annotation, made: CreatedRows | None = None,
        forget: CreatedRows | None = None,
    ) -> None:  # fmt: skip
        self._aliases()
        with self._transaction() as db:
            write = partial(repo.update_annotation, db, new)
            _, aliases, created = self._write_step(db, made, write, [new])
            registry_changed = self._take_away(db, forget)
        self._step_written(made, created)
        self._remember_entities([new])
        self.annotation_updated.emit(old, new)
        if registry_changed:
            self._names_forgotten()
        if aliases:
            self.aliases_added.emit(aliases)

    # ------------------------------------------------------------ documents

    def add_documents(
        self, documents: Sequence[Document], made: CreatedRows | None = None
    ) -> list[Document]:
        with self._transaction() as db:
            added, _, created = self._write_step(
                db, made, lambda: [repo.insert_document(db, d) for d in documents],
                sources=[d.source for d in documents],
            )  # fmt: skip
        self._step_written(made, created)
        self.documents_changed.emit()
        return added

    def remove_documents(
        self, document_ids: Sequence[int], forget: CreatedRows | None = None
    ) -> None:
        with self._transaction() as db:
            for doc_id in document_ids:
                repo.delete_document(db, doc_id)
            self._take_away(db, forget)
        self.documents_changed.emit()

    def update_document(
        self, doc: Document, made: CreatedRows | None = None, forget: CreatedRows | None = None
    ) -> None:
        with self._transaction() as db:
            write = partial(repo.update_document_properties, db, doc)
            _, _, created = self._write_step(db, made, write, sources=[doc.source])
            self._take_away(db, forget)
        self._step_written(made, created)
        self.document_updated.emit(doc)
        self.documents_changed.emit()

    # ------------------------------------------------------------ tag types

    def _tag_types_written(self) -> None:
        self._tag_types = None
        self._entity_names.clear()
        # A removed type takes its entities and their names with it (undo brings them back).
        self._alias_index = self._names_by_id = None
        self.tag_types_changed.emit()

    def add_tag_type(self, tag: TagType) -> TagType:
        with self._transaction() as db:
            added = repo.insert_tag_type(db, tag)
        self._tag_types_written()
        return added

    def update_tag_type(self, tag: TagType) -> None:
        with self._transaction() as db:
            repo.update_tag_type(db, tag)
        self._tag_types_written()

    def remove_tag_type(self, tag_type_id: int) -> repo.TagTypeSnapshot:
        with self._transaction() as db:
            snap = repo.delete_tag_type(db, tag_type_id)
        self._tag_types_written()
        self.annotations_removed.emit(list(snap.annotations))
        return snap

    def restore_tag_type(self, snap: repo.TagTypeSnapshot) -> None:
        with self._transaction() as db:
            repo.restore_tag_type(db, snap)
        self._tag_types_written()
        self.annotations_added.emit(list(snap.annotations))

    def export_csv(self, path: str, document_id: int | None = None) -> int:
        """Cells are neutralised in SQL, so a million rows stay a C loop (see csv_export)."""
        guard = csv_export.GUARD_LEADING, csv_export.GUARD_SKIPPED
        rows = repo.export_rows(self.db, document_id, *guard)
        return csv_export.write_csv_file(rows, path, guarded=True)

    # ------------------------------------------------------------ colleagues' layers

    def layers(self):
        return repo.list_layers(self.db)

    def layer_annotations(self, layer: str, document_id: int | None = None):
        return repo.layer_annotations(self.db, layer, document_id)

    def layer_orphans(self, layer: str):
        return repo.orphans(self.db, layer)

    def own_decisions(self, layer: str) -> dict[str, str]:
        return repo.own_decisions(self.db, layer)

    def local_documents(self) -> list[LocalDocumentRef]:
        return [LocalDocumentRef(*row) for row in repo.document_refs(self.db)]

    def document_text(self, document_id: int) -> str:
        doc = self.document(document_id)
        return doc.text if doc else ""

    def read_colleague_file(self, path, progress: Progress | None = None) -> ForeignFile:
        """Parse and check a colleague's file completely; ImportProblem names what is wrong."""
        from pathlib import Path

        from app.formats import registry

        return registry.read_colleague_file(
            Path(path), read_project=repo.read_project, progress=progress
        )

    def apply_import(
        self, plan: ImportPlan, progress: Progress | None = None, made: CreatedRows | None = None
    ) -> list[Document]:
        """The whole import in one transaction; documents the file carried come with it.
        `progress` may raise (ImportCancelled) to roll it all back."""
        with self._transaction() as db:
            write = partial(
                repo.import_layer, db, plan.layer, plan.new_documents, plan.rows, progress
            )
            sources = [d.source for d in plan.new_documents]
            added, _, created = self._write_step(db, made, write, sources=sources)
        self._step_written(made, created)
        if added:
            self.documents_changed.emit()
        self.layers_changed.emit()
        return added

    def remove_import(
        self, layer: str, document_ids: Sequence[int], forget: CreatedRows | None = None
    ) -> None:
        with self._transaction() as db:
            repo.delete_layer(db, layer)
            for doc_id in document_ids:
                repo.delete_document(db, doc_id)
            self._take_away(db, forget)
        if document_ids:
            self.documents_changed.emit()
        self.layers_changed.emit()

    def export_w3c(self, path: str, document_id: int | None = None, creator: str = "") -> int:
        """The analyst's own tags as W3C Web Annotation JSON-LD, articles embedded, written whole
        or not at all. Returns the number of annotations."""
        from app.formats import w3c

        ids = [document_id] if document_id is not None else [
            s.id for s in self.document_summaries()
        ]  # fmt: skip
        documents = [self.document(i) for i in ids]
        annotations = [a for i in ids for a in self.annotations(i)]
        types = {t.id: t for t in self.tag_types()}
        return w3c.write_file(path, documents, annotations, types, creator=creator)

    def export_agreement_csv(self, path: str, layer: str) -> int:
        from app.agreement import to_csv_rows
        from app.review import layer_agreement

        docs = []
        for doc_id in sorted({t.document_id for t in self.layer_annotations(layer) if t.placed}):
            doc = self.document(doc_id)
            docs.append((f"{doc.id}: {doc.title}", doc.text, self.annotations(doc_id),
                         self.layer_annotations(layer, doc_id)))  # fmt: skip
        types = {t.id: t for t in self.tag_types()}
        return csv_export.write_table_file(to_csv_rows(layer_agreement(docs, types)), path)

    def set_layer_visible(self, layer: str, visible: bool) -> None:
        with self._transaction() as db:
            repo.set_layer_visible(db, layer, visible)
        self.layers_changed.emit()

    def decide(
        self,
        layer: str,
        theirs: Sequence[tuple[str, str]],
        own: Sequence[tuple[str, str]],
        add: Sequence[Annotation] = (),
        remove: Sequence[Annotation] = (),
        made: CreatedRows | None = None,
        forget: CreatedRows | None = None,
    ) -> None:
        """One review decision: the analyst's tags change and the verdicts are stored together."""
        self._aliases()
        with self._transaction() as db:
            repo.delete_annotations(db, [a.id for a in remove])
            write = partial(repo.insert_annotations, db, add)
            _, aliases, created = self._write_step(db, made, write, add)
            registry_changed = self._take_away(db, forget)
            repo.set_decisions(db, layer, theirs)
            repo.set_own_decisions(db, layer, own)
        self._step_written(made, created)
        self._remember_entities(add)
        if remove:
            self.annotations_removed.emit(list(remove))
        if add:
            self.annotations_added.emit(list(add))
        if registry_changed:
            self._names_forgotten()
        if aliases:
            self.aliases_added.emit(aliases)
        self.review_changed.emit(layer)

    # ------------------------------------------------------------ settings

    def set_setting(self, key: str, value: str) -> None:
        with self._transaction() as db:
            repo.set_setting(db, key, value)

    def remember_setting(self, key: str, value: str) -> bool:
        """A convenience nobody asked for (the document open last), written when the disk allows.
        It follows an action that was saved and shown already, so its failure must not make that
        action look failed; False says it was not written."""
        import logging
        import sqlite3

        try:
            self.set_setting(key, value)
        except sqlite3.Error as exc:
            logging.getLogger(__name__).warning("setting %s not saved: %s", key, exc)
            return False
        return True
