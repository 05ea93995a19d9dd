"""After a crash: say on start which dialogs held unconfirmed typing, and reopen them on request.

A draft is also offered whenever its dialog is opened again (N or E on the annotation, or the
same passage tagged with the same type): it opens prefilled and says it was recovered. The
message on start exists because an analyst may not remember which note was open when Loupe died;
it lists every draft with its full text, so nothing depends on finding the right annotation.
The message is window-modal but non-blocking, like every notice of the window.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from app.drafts import NOTE, Draft
from widgets.drafts import local_time


def describe(store, draft: Draft) -> str:
    doc = store.document(draft.key.document_id)
    tag = store.tag_type(draft.key.tag_type_id)
    quote = doc.text[draft.key.start : draft.key.end] if doc else ""
    where = f" in “{doc.title}”" if doc else ""
    return f"{draft.describe(quote, tag.name if tag else '?')}{where}"


def offer_recovered_drafts(window) -> QMessageBox | None:
    """Show the drafts a crash left in this project, if any; "Reopen" opens each dialog in turn,
    prefilled; "Later" leaves them to be offered again when their dialog is next opened."""
    window.recovery_message = None
    found = window.store.drafts()
    if not found:
        return None
    lines = [f"• {describe(window.store, d)}, typed at {local_time(d.saved_at)}" for d in found]
    details = "\n\n".join(
        f"{describe(window.store, d)}:\n{(d.entity + ' — ') if d.entity else ''}{d.note}"
        for d in found
    )
    box = QMessageBox(
        QMessageBox.Icon.Information,
        "Recovered typing",
        "Loupe stopped while these dialogs were open; what you had typed was kept:\n\n"
        + "\n".join(lines)
        + "\n\nReopen them now, or later: each is offered again when you open that dialog.",
        QMessageBox.StandardButton.NoButton,
        window,
    )
    box.setDetailedText(details)
    reopen = box.addButton("Reopen now", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("Later", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(reopen)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    window.last_message = box.text()
    reopen.clicked.connect(lambda: reopen_drafts(window, found))
    box.open()
    window.recovery_message = box
    return box


def reopen_drafts(window, found: list[Draft]) -> None:
    """Each draft's dialog, in the order typed, on its document and passage."""
    for draft in found:
        key = draft.key
        if window.store.draft(key) is None:
            continue  # settled meanwhile
        if window.view.document_id != key.document_id:
            window.open_document(key.document_id)
        if key.annotation_id is None:
            tag = window.store.tag_type(key.tag_type_id)
            if tag is not None:
                window.view.select_span(key.start, key.end)
                window.editor.tag_span(tag, key.document_id, key.start, key.end)
            continue
        ann = window.store.annotation(key.annotation_id)
        if ann is None:
            continue
        window.view.select_annotation(ann.id, reveal=True)
        if key.dialog == NOTE:
            window.editor.edit_note(ann)
        elif key.tag_type_id == ann.tag_type_id:
            window.editor.change_details(ann)
        else:
            window.editor.change_type(ann, key.tag_type_id)
