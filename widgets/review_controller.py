"""Wires reviewing into the window: the import flow, the review dock, the Layers menu, and what
the article overlays (a colleague's visible layers as dashed outlines; in review mode, every
comparison in its agreement colour)."""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMenu, QMessageBox

from app import review
from app.grading import effective_grade
from widgets import file_dialogs
from widgets.colleague_import import COLLEAGUE_SUFFIXES, ColleagueImporter
from widgets.review_panel import ReviewPanel


class ReviewController(QObject):
    def __init__(self, window) -> None:
        super().__init__(window)
        self._w = window
        self.importer = ColleagueImporter(window.store, window.undo_stack, window)
        self.panel = ReviewPanel(window.store, window.undo_stack, window)
        self.dock = QDockWidget("Review", window)
        self.dock.setObjectName("Review")
        self.dock.setWidget(self.panel)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
        window.tabifyDockWidget(window._docks["counts"], self.dock)
        window._docks["counts"].raise_()
        self.layers_menu = QMenu("&Layers", window)
        self._connect_signals()
        self.rebuild_layers_menu()

    def _connect_signals(self) -> None:
        w, s = self._w, self._w.store
        self.importer.imported.connect(self._on_importer_imported)
        self.importer.failed.connect(self._on_importer_failed)
        self.panel.item_selected.connect(self._on_panel_item_selected)
        self.panel.review_mode_changed.connect(self._on_panel_review_mode_changed)
        self.panel.export_requested.connect(self.export_figures)
        self.panel.orphans_requested.connect(self._on_panel_orphans_requested)
        s.layers_changed.connect(self.rebuild_layers_menu)
        s.layers_changed.connect(self.update_overlay)
        s.review_changed.connect(self.update_overlay)
        w.view.document_changed.connect(self._on_view_document_changed)

    def is_colleague_file(self, path: str) -> bool:
        return Path(path).suffix.lower() in COLLEAGUE_SUFFIXES

    def review_file(self, path: str | None = None) -> None:
        path = path or file_dialogs.colleague_path(self._w)
        if path:
            self.importer.import_path(path)

    # ------------------------------------------------------------ layers and overlay

    def rebuild_layers_menu(self) -> None:
        self.layers_menu.clear()
        layers = self._w.store.layers()
        if not layers:
            self.layers_menu.addAction("No colleague's layers yet").setEnabled(False)
        for layer in layers:
            action = QAction(f"{layer.name}  ({layer.source_file})", self.layers_menu)
            action.setCheckable(True)
            action.setChecked(layer.visible)
            action.toggled.connect(lambda on, n=layer.name: self._w.store.set_layer_visible(n, on))
            self.layers_menu.addAction(action)

    def update_overlay(self) -> None:
        view, doc = self._w.view, self._w.view.document_id
        if doc is None:
            return
        if self.panel.mode.isChecked():
            self.panel.refresh()  # emits review_mode_changed → _paint_review
            return
        names = {t.id: t for t in self._w.store.tag_types()}
        rating = self._w.store.document_source(doc)[1]
        items = []
        for layer in self._w.store.layers():
            if not layer.visible:
                continue
            for t in self._w.store.layer_annotations(layer.name, doc):
                if t.placed and t.decision != review.REJECTED:
                    tag = names.get(t.tag_type_id)
                    tip = _tip(layer.name, tag.name if tag else "?", t, rating)
                    items.append((f"{layer.name}/{t.id}", t.start, t.end,
                                  tag.color if tag else "gray", True, tip))  # fmt: skip
        view.set_overlay(items)

    def _paint_review(self) -> None:
        items = []
        for i, item in enumerate(self.panel.items):
            color = review.KIND_COLORS[item.kind]
            label = review.KIND_LABELS[item.kind]
            tip = f"<p style='margin:2px 0'><b style='color:{color}'>{label}</b>"
            if item.decision:
                tip += f" — {item.decision.replace('_', ' ')}"
            items.append((f"review/{i}", item.pair.start, item.pair.end, color,
                          bool(item.decision), tip + "</p>"))  # fmt: skip
        self._w.view.set_overlay(items)

    # ------------------------------------------------------------ slots

    def _on_view_document_changed(self, doc_id) -> None:
        self.panel.set_document(doc_id)
        self.update_overlay()

    def _on_panel_review_mode_changed(self, on: bool) -> None:
        # N means "edit note" outside review and "next difference" inside it.
        note = self._w.actions["edit_note"]
        note.setShortcut(QKeySequence() if on else QKeySequence("N"))
        if on:
            self._paint_review()
        else:
            self.update_overlay()

    def _on_panel_item_selected(self, item) -> None:
        if item is None:
            return
        view = self._w.view
        if item.mine is not None:
            view.select_annotation(item.mine.id, reveal=True)
        else:
            view.select_span(item.pair.start, item.pair.end)
            view.centerCursor()

    def _on_importer_imported(self, plan) -> None:
        orphans = plan.orphans()
        text = plan.report()
        if orphans:
            listed = "\n".join(f"• “{a.quote[:60]}”" for a in orphans[:15])
            more = f"\n… and {len(orphans) - 15} more" if len(orphans) > 15 else ""
            text += f"\n\nOrphans (kept with their quotes, not placed):\n{listed}{more}"
        self._w.notify("Colleague's file imported", text)
        index = self.panel.layer_combo.findData(plan.layer.name)
        self.panel.layer_combo.setCurrentIndex(index)
        self.dock.raise_()

    def _on_panel_orphans_requested(self, orphans: list) -> None:
        listed = "\n".join(f"• “{a.quote[:80]}”  ({a.id})" for a in orphans[:40])
        more = f"\n… and {len(orphans) - 40} more" if len(orphans) > 40 else ""
        text = f"Kept with their quotes, not placed on any text:\n\n{listed}{more}"
        self._w.notify(f"Orphans of {self.panel.layer}", text)

    def _on_importer_failed(self, message: str) -> None:
        self._w.notify("Review colleague's file", message, QMessageBox.Icon.Warning)

    def export_figures(self) -> None:
        if self.panel.layer is None:
            return
        path = file_dialogs.csv_path(self._w, f"agreement {self.panel.layer}")
        if path:
            n = self._w.store.export_agreement_csv(path, self.panel.layer)
            self._w.show_status(f"Exported agreement figures ({n} rows) to {path}")


def _tip(layer: str, type_name: str, t, source_rating: str | None = None) -> str:
    what = html.escape(t.entity or effective_grade(t.grade, source_rating)[0].compact)
    state = "" if t.anchor == "anchored" else f" · {t.anchor} ({t.score:.0f})"
    return (
        f"<p style='margin:2px 0'><i>{html.escape(layer)}</i>: <b>{html.escape(type_name)}</b>"
        f" {what}{state}</p>"
    )
