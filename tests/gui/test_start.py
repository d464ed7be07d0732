"""Ways in: the built-in scenario and examples from the File menu, the start page, the guide."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QPushButton

from gui.start import SHOW_AT_START
from model.builtin.examples import EXAMPLES


def test_after_file_new_the_built_in_scenario_can_be_reopened(window):
    window.actions["actionNew"].trigger()
    assert len(window.doc) == 0
    window.actions["actionOpenBuiltin"].trigger()
    assert len(window.doc) > 400
    assert window.files.path is None  # a fresh copy: saving asks where
    assert "built-in" in window.windowTitle()


def test_every_example_opens_from_the_file_menu(window, qtbot):
    menu = window.findChild(type(window.file_menu), "menuExamples")
    titles = [a.text() for a in menu.actions()]
    assert titles == [e.title for e in EXAMPLES.values()]
    window.actions["actionNew"].trigger()
    window.findChild(type(window.actions["actionNew"]), "actionExample_act_now_or_later").trigger()
    assert window.variants.names() == ["enforce_now", "enforce_in_8q"]
    schedules = window.variants.project().variant("enforce_in_8q").schedules
    assert "antitrust_enforcement" in str(schedules)
    window.findChild(type(window.actions["actionNew"]), "actionExample_explore_builtin").trigger()
    assert window.simulation.explorer is not None and window.simulation.explorer.isVisible()
    window.simulation.explorer.close()


def test_opening_an_example_offers_to_save_unsaved_work(window, dialogs):
    window.editor.stack.resetClean()  # unsaved changes
    dialogs.answer("warning", QMessageBox.StandardButton.Cancel)
    window.actions["actionOpenBuiltin"].trigger()
    assert dialogs.kinds() == ["warning"]
    assert len(window.doc) < 400  # cancelled: the small scenario stays


def test_the_start_page_shows_on_a_first_start_until_unticked(make_window, qtbot):
    window = make_window()
    window.show_first()
    panel = window.start_page
    qtbot.waitUntil(panel.isVisible, timeout=30_000)
    buttons = {b.objectName() for b in panel.findChildren(QPushButton)}
    assert buttons == {"startBuiltin", "startCompare", "startGuide"}
    panel.again.setChecked(False)
    qtbot.keyClick(panel, Qt.Key.Key_Escape)
    assert not panel.isVisible()
    again = make_window()
    again.show_first()
    qtbot.wait(50)
    assert not again.start_page.isVisible()
    assert again.settings.value(SHOW_AT_START) in (False, "false")
    again.actions["actionStartPage"].trigger()
    assert again.start_page.isVisible()


def test_the_start_page_opens_the_built_in_scenario(window, qtbot):
    window.show_start_page()
    qtbot.mouseClick(window.start_page.findChild(QPushButton, "startBuiltin"),
                     Qt.MouseButton.LeftButton)
    assert len(window.doc) > 400 and not window.start_page.isVisible()


def test_the_start_page_runs_benign_against_adverse(window, qtbot):
    window.show_start_page()
    qtbot.mouseClick(window.start_page.findChild(QPushButton, "startCompare"),
                     Qt.MouseButton.LeftButton)
    assert window.runs.busy()
    qtbot.waitUntil(lambda: not window.runs.busy(), timeout=60000)
    labels = window.runs.session.comparison.labels
    assert len(labels) == 3 and "Benign" in labels[1] and "Adverse" in labels[2]


def test_the_user_guide_opens_from_help_and_shows_the_walk_through(window, qtbot):
    window.actions["actionUserGuide"].trigger()
    guide = window.guide
    assert guide.isVisible()
    text = guide.browser.toPlainText()
    assert "workshop" in text.lower() and "built-in scenario" in text.lower()
    guide.close()
