"""An article pasted as one paragraph (one text block of thousands of lines) paints its tags where
they are, and a paint visits only the lines on screen (it used to take 3.9 s with 4,000 tags)."""

from __future__ import annotations

from PySide6.QtGui import QColor

from app.articles import make_document
from app.commands import AddAnnotations
from app.offsets import new_annotation
from tests.gui_helpers import make_window, point_of

SENTENCE = "Hama fell at dawn and the rebels of the northern front said Homs is next. "


def test_tags_in_one_long_paragraph_paint_on_the_visible_lines_only(qtbot, db):
    w = make_window(qtbot, db)
    text = SENTENCE * 3000
    doc = w.import_documents([make_document(text, title="one paragraph")], [])[0]
    actor = w.store.tag_types()[0]
    starts = [i for i in range(len(text)) if text.startswith("Homs", i)]
    w.undo_stack.push(AddAnnotations(w.store, [
        new_annotation(text, doc.id, s, s + 4, actor.id, entity="Homs") for s in starts
    ]))  # fmt: skip
    bar = w.view.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)
    qtbot.wait(50)

    block = w.view.document().firstBlock()
    assert block.layout().lineCount() > 500  # one block, laid out in many lines
    viewport = w.view.viewport()
    origin = w.view.blockBoundingGeometry(block).translated(w.view.contentOffset()).topLeft()
    lines = w.view._visible_lines(block, origin, viewport.rect())
    line_height = lines[0].height()
    assert 0 < len(lines) <= viewport.height() / line_height + 2
    first_top = origin.y() + lines[0].y()
    assert first_top <= 0 < first_top + line_height  # the partly visible top line is included

    image = viewport.grab().toImage()
    tagged = [s for s in starts if viewport.rect().contains(point_of(w.view, s))]
    assert len(tagged) > 5
    plain = QColor(image.pixel(point_of(w.view, tagged[0] - 8)))  # inside "said", untagged
    for start in (tagged[0], tagged[-1]):  # the first and the last tag on screen
        painted = QColor(image.pixel(point_of(w.view, start)))
        assert painted != plain and painted.blue() > painted.red(), (start, painted.name())
