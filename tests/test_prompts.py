"""The tag popups, driven from the keyboard the way an analyst uses them."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from app.model import CREDIBILITY_NAMES, RELIABILITY_NAMES, Grade, TagType
from widgets.prompts import EntityPrompt, GradePrompt

ACTOR = TagType(1, "Actor", "entity", "#0072B2", "1")


def test_entity_prompt_defaults_to_selection_and_enter_accepts(qtbot):
    prompt = EntityPrompt(None, ACTOR, ["Abu Mohammad al-Jolani", "Bashar al-Assad"], "Jolani")
    qtbot.addWidget(prompt)
    prompt.show()
    assert prompt.entity.text() == "Jolani"
    assert prompt.entity.selectedText() == "Jolani"  # typing replaces the default at once
    qtbot.keyClick(prompt.entity, Qt.Key.Key_Return)
    assert prompt.result() == QDialog.DialogCode.Accepted
    assert prompt.result_value() == ("Jolani", "")


def test_entity_prompt_autocompletes_existing_entities_of_the_type(qtbot):
    prompt = EntityPrompt(None, ACTOR, ["Abu Mohammad al-Jolani", "Bashar al-Assad"], "Jolani")
    qtbot.addWidget(prompt)
    prompt.show()
    completer = prompt.entity.completer()
    completer.setCompletionPrefix("jol")  # contains-match, case-insensitive
    assert completer.currentCompletion() == "Abu Mohammad al-Jolani"
    prompt.entity.setText(completer.currentCompletion())
    prompt.note.setText("spelling varies")
    qtbot.keyClick(prompt.note, Qt.Key.Key_Return)
    assert prompt.result_value() == ("Abu Mohammad al-Jolani", "spelling varies")


def test_entity_prompt_escape_cancels_and_empty_name_is_not_accepted(qtbot):
    prompt = EntityPrompt(None, ACTOR, [], "  ")
    qtbot.addWidget(prompt)
    prompt.show()
    qtbot.keyClick(prompt.entity, Qt.Key.Key_Return)
    assert prompt.isVisible()  # nothing to accept
    qtbot.keyClick(prompt.entity, Qt.Key.Key_Escape)
    assert prompt.result() == QDialog.DialogCode.Rejected and not prompt.isVisible()


def test_grade_prompt_keys_pick_credibility_and_reliability(qtbot):
    prompt = GradePrompt(None, Grade())
    qtbot.addWidget(prompt)
    prompt.show()
    assert prompt.grade() == Grade(3, None)  # "possibly true", source not judged
    qtbot.keyClick(prompt, Qt.Key.Key_2)
    qtbot.keyClick(prompt, Qt.Key.Key_B)
    assert prompt.grade() == Grade(2, "B") and "B2" in prompt.preview.text()
    qtbot.keyClick(prompt, Qt.Key.Key_0)
    assert prompt.grade() == Grade(2, None)
    labels = " ".join(b.text() for b in prompt.credibility.buttons() + prompt.reliability.buttons())
    for name in [*CREDIBILITY_NAMES.values(), *RELIABILITY_NAMES.values()]:
        assert name in labels
    qtbot.keyClick(prompt, Qt.Key.Key_Return)
    assert prompt.result() == QDialog.DialogCode.Accepted


def test_grade_prompt_starts_from_the_current_grade(qtbot):
    prompt = GradePrompt(None, Grade(5, "E"), "old note")
    qtbot.addWidget(prompt)
    assert prompt.result_value() == (Grade(5, "E"), "old note")
