"""Edit ▸ Preferences through the real dialog: each choice shows in the window at once and lands in
the analyst's settings.json on OK/Apply; Cancel puts back what was there."""

from __future__ import annotations

import json

import pytest
import shiboken6
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import QColorDialog, QDialogButtonBox

import main
from app.commands import AddAnnotations
from app.offsets import new_annotation
from app.user_settings import UserSettings
from widgets import theme
from widgets.preferences_dialog import PreferencesDialog

WORD = "Port Aldane"  # in the bundled sample article's first line


@pytest.fixture
def settings_file(tmp_path):
    return tmp_path / "settings.json"


@pytest.fixture
def window(qtbot, db, settings_file):
    """The real window over the sample article, saving its settings to a real file."""
    w = main.build_window(db, "case.loupe", UserSettings(annotator="tester"), lambda s: s.save(
        settings_file))  # fmt: skip
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    yield w
    theme.apply_appearance("light")  # the palette is the application's: leave it as found
    if shiboken6.isValid(w):
        w.close()
        shiboken6.delete(w)


def _open_preferences(window, qtbot) -> PreferencesDialog:
    window.actions["preferences"].trigger()
    dialog = window.findChild(PreferencesDialog)
    assert dialog is not None and dialog.isVisible()
    return dialog


def _press(dialog, which) -> None:
    dialog.buttons.button(which).click()


OK, APPLY, CANCEL = (
    QDialogButtonBox.StandardButton.Ok,
    QDialogButtonBox.StandardButton.Apply,
    QDialogButtonBox.StandardButton.Cancel,
)


def _saved(settings_file) -> dict:
    return json.loads(settings_file.read_text(encoding="utf-8"))


def _tag_word(window, tag_name: str) -> tuple[int, int]:
    doc = window.current_document()
    start = doc.text.index(WORD)
    tag = next(t for t in window.store.tag_types() if t.name == tag_name)
    ann = new_annotation(doc.text, doc.id, start, start + len(WORD), tag.id, entity=WORD)
    window.undo_stack.push(AddAnnotations(window.store, [ann]))
    return start, start + len(WORD)


def _x_and_bottom(view, cp: int) -> tuple[int, int]:
    cursor = view.textCursor()
    cursor.setPosition(len(view.text[:cp].encode("utf-16-le")) // 2)
    rect = view.cursorRect(cursor)
    return rect.left(), rect.bottom()


def _lane_pixels(view, start: int, end: int) -> tuple[QColor, QColor, QColor, QColor]:
    """Colours on the highlight's lane line just inside the word's two ends, then just before
    and just past it, at the places the text layout gives for those characters now."""
    x1, bottom = _x_and_bottom(view, start)
    x2, _ = _x_and_bottom(view, end)
    image = view.viewport().grab().toImage()
    y = bottom - 1
    return tuple(image.pixelColor(QPoint(x, y)) for x in (x1 + 2, x2 - 3, x1 - 6, x2 + 8))


def test_font_family_and_size_apply_live_and_highlights_follow_the_new_layout(
    window, qtbot, settings_file
):
    start, end = _tag_word(window, "Location")
    colour = QColor(next(t.color for t in window.store.tag_types() if t.name == "Location"))
    before = window.view.font().pointSizeF()
    dialog = _open_preferences(window, qtbot)
    dialog.font_family.setCurrentFont(QFont("DejaVu Serif"))
    dialog.font_size.setValue(before + 9)
    assert window.view.font().pointSizeF() == before + 9  # previewed before OK
    qtbot.wait(50)
    inside_left, inside_right, before_it, past_it = _lane_pixels(window.view, start, end)
    assert inside_left == colour and inside_right == colour
    assert before_it != colour and past_it != colour
    _press(dialog, OK)
    saved = _saved(settings_file)
    assert saved["article_font_size"] == before + 9
    assert saved["article_font_family"] == window.view.font().family()


def test_cancel_puts_the_article_font_back(window, qtbot, settings_file):
    before = QFont(window.view.font())
    dialog = _open_preferences(window, qtbot)
    dialog.font_size.setValue(before.pointSizeF() + 6)
    assert window.view.font().pointSizeF() == before.pointSizeF() + 6
    _press(dialog, CANCEL)
    assert window.view.font().pointSizeF() == before.pointSizeF()
    assert not settings_file.exists()  # nothing was saved


def test_tag_colour_button_recolours_highlights_at_once_and_undo_restores(window, qtbot):
    start, end = _tag_word(window, "Actor")
    actor = next(t for t in window.store.tag_types() if t.name == "Actor")
    dialog = _open_preferences(window, qtbot)
    dialog.colour_buttons[actor.id].click()
    picker = dialog.findChild(QColorDialog)
    assert picker is not None and picker.isVisible()  # open(), not exec(): nothing blocks
    picker.setCurrentColor(QColor("#AA3377"))
    picker.accept()
    qtbot.wait(20)
    assert _lane_pixels(window.view, start, end)[0] == QColor("#AA3377")
    icon = window.tag_actions[actor.id].icon().pixmap(14, 14).toImage().pixelColor(7, 7)
    assert icon == QColor("#AA3377")
    window.actions["undo"].trigger()  # one undoable step, like Manage tag types
    qtbot.wait(20)
    assert _lane_pixels(window.view, start, end)[0] == QColor(actor.color)


def test_snap_to_words_is_the_same_setting_as_the_view_menu_both_ways(window, qtbot, settings_file):
    assert window.view.snap_to_words and window.actions["snap"].isChecked()
    dialog = _open_preferences(window, qtbot)
    dialog.snap.setChecked(False)
    _press(dialog, APPLY)
    assert window.view.snap_to_words is False
    assert window.actions["snap"].isChecked() is False
    assert _saved(settings_file)["snap_to_words"] is False
    window.actions["snap"].trigger()  # View ▸ Snap while the dialog is open
    assert dialog.snap.isChecked() and window.view.snap_to_words
    _press(dialog, OK)
    assert window.view.snap_to_words and _saved(settings_file)["snap_to_words"] is True


def test_annotator_name_is_shown_and_saved(window, qtbot, settings_file):
    dialog = _open_preferences(window, qtbot)
    dialog.annotator.setText("  Rana Haddad ")
    _press(dialog, OK)
    assert window.editor.annotator == "Rana Haddad"
    assert "Rana Haddad" in window._annotator_label.text()
    assert _saved(settings_file)["annotator"] == "Rana Haddad"


def _base(widget) -> QColor:
    return widget.palette().color(QPalette.ColorRole.Base)


def _wait_dark(qtbot, widget, dark: bool) -> None:
    """The application palette reaches widgets through posted events."""
    qtbot.waitUntil(lambda: (_base(widget).lightness() < 60) == dark, timeout=2000)


def test_dark_appearance_darkens_article_and_chart_and_is_saved(window, qtbot, settings_file):
    _tag_word(window, "Actor")  # the count chart is built on its first refresh
    qtbot.waitUntil(lambda: window.counts.chart.plot_widget is not None)
    dialog = _open_preferences(window, qtbot)
    dialog.appearance.setCurrentIndex(dialog.appearance.findData("dark"))
    _wait_dark(qtbot, window.view, True)
    assert window.view.palette().color(QPalette.ColorRole.Text).lightness() > 200
    chart_ground = window.counts.chart.plot_widget.backgroundBrush().color()
    assert chart_ground.lightness() < 60
    _press(dialog, OK)
    assert _saved(settings_file)["appearance"] == "dark"


def test_cancel_after_previewing_dark_goes_back_to_light(window, qtbot):
    dialog = _open_preferences(window, qtbot)
    dialog.appearance.setCurrentIndex(dialog.appearance.findData("dark"))
    _wait_dark(qtbot, window.view, True)
    _press(dialog, CANCEL)
    _wait_dark(qtbot, window.view, False)


def test_system_appearance_follows_the_os_when_it_switches(window, qtbot):
    dialog = _open_preferences(window, qtbot)
    dialog.appearance.setCurrentIndex(dialog.appearance.findData("system"))
    _press(dialog, OK)
    hints = QGuiApplication.styleHints()
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)  # what the OS does when it turns dark
    _wait_dark(qtbot, window.view, True)
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)
    _wait_dark(qtbot, window.view, False)
    theme.apply_appearance("light")  # pinned: the OS no longer decides
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    qtbot.wait(50)
    assert _base(window.view).lightness() > 200


def test_kind_colours_used_as_text_are_lightened_on_dark_and_darkened_on_light(window, qtbot):
    """The review list writes differences in their kind's colour (widgets/review_panel.py)."""
    mid_tone = QColor("#0072B2")
    theme.apply_appearance("light")
    assert theme.text_tint("#0072B2").lightness() < mid_tone.lightness()
    theme.apply_appearance("dark")
    assert theme.text_tint("#0072B2").lightness() > mid_tone.lightness()
