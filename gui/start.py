"""Ways in: File > Open Built-in Scenario and Examples, and the start page of a first start.

The start page sits over the canvas with the three things a workshop begins with: the
built-in scenario, the benign against adverse comparison, and the user guide. It shows on a
first start (and until its box is unticked) and from Help > Start Page.
"""
from __future__ import annotations

from functools import partial

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (QCheckBox, QFrame, QHBoxLayout, QLabel, QMenu, QPushButton,
                               QToolButton, QVBoxLayout)

from gui.actions import make_action

from model.builtin.examples import EXAMPLES

SHOW_AT_START = "start/showAtStart"
COMPARED_PRESETS = ("benign", "adverse")
MAP_BESIDE_PX = 240  # the map is fitted beside the card only if this much of it stays
START_RUNS = 100  # enough runs for bands that mean something, a few seconds on a laptop


def open_example(window, key: str) -> bool:
    """Replaces the document by an example (after offering to save), as an unsaved project."""
    example = EXAMPLES[key]
    if not window.files.maybe_save():
        return False
    window.files.load(example.build(), None)
    window.show_status(f"Opened the example: {example.title}")
    if example.explore:
        window.simulation.open_explore()
    return True


def compare_benign_adverse(window) -> bool:
    """Runs the current scenario against the benign and adverse presets on the same seeds."""
    from gui.variants import comparison_choices

    choices = comparison_choices(window.variants)
    current = window.variants.names()[window.variants.active()]
    chosen = [c for c in choices if c[1] == "variant" and c[2] == current]
    chosen += [c for c in choices if c[1] == "preset" and c[2] in COMPARED_PRESETS]
    steps, runs, seed = window.simulation.runbar.values()
    return window.simulation.compare(chosen, steps, max(runs, START_RUNS), seed)


def install(window) -> None:
    """Adds the built-in and example actions to File and the guide and start page to Help."""
    actions = window.actions
    builtin = make_action(window, "actionOpenBuiltin", "Open &Built-in Scenario",
                      partial(open_example, window, "builtin"), "Ctrl+Shift+B",
                      "Open China's national AI ecosystem as the tool ships it")
    window.file_menu.insertAction(window.recent_menu.menuAction(), builtin)
    examples = QMenu("E&xamples", window.file_menu)
    examples.setObjectName("menuExamples")
    window.file_menu.insertMenu(window.recent_menu.menuAction(), examples)
    for key, example in EXAMPLES.items():
        action = make_action(window, f"actionExample_{key}", example.title,
                         partial(open_example, window, key), None, example.summary)
        examples.addAction(action)
    guide = make_action(window, "actionUserGuide", "&User Guide", window.open_user_guide,
                    "F1", "A workshop walk-through, from the built-in scenario to the briefing")
    start = make_action(window, "actionStartPage", "&Start Page", window.show_start_page, None,
                    "The three ways to begin")
    first = window.help_menu.actions()[0] if window.help_menu.actions() else None
    window.help_menu.insertAction(first, guide)
    window.help_menu.insertAction(first, start)
    window.help_menu.insertSeparator(first)
    actions.update({a.objectName(): a for a in (builtin, guide, start)})


class StartPanel(QFrame):
    """A card over the canvas with three big buttons; closes on any of them or on ×."""

    def __init__(self, window):
        super().__init__(window.editor.view)
        self.main_window = window
        self.setObjectName("startPanel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.addLayout(self._header())
        intro = QLabel("Draw an AI innovation ecosystem, set the policy levers, run what "
                       "could happen, compare and export a briefing. Three ways to begin:")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        for name, text, slot in (
                ("startBuiltin", "Open the built-in scenario\nChina's national AI platforms "
                                 "and pilot zones", self._builtin),
                ("startCompare", "Compare benign and adverse futures\nthe same ecosystem "
                                 "under the brief's two paths", self._compare),
                ("startGuide", "Read the user guide\na workshop from start to briefing",
                 self._guide)):
            button = QPushButton(text)
            button.setObjectName(name)
            button.setMinimumHeight(56)
            button.clicked.connect(slot)
            layout.addWidget(button)
        self.again = QCheckBox("Show this page at start")
        self.again.setObjectName("startShowAgain")
        self.again.setChecked(_wanted(window.settings))
        self.again.toggled.connect(self._remember)
        layout.addWidget(self.again)
        self.setFixedWidth(420)
        self.adjustSize()
        self.hide()
        view = window.editor.view  # placed again while the window settles (maximising
        view.installEventFilter(self)  # comes after the first show) and labels move
        view.labels.placed.connect(self._follow)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Resize and watched is self.parentWidget():
            self._follow()
        return False

    def _follow(self) -> None:
        if self.isVisible():
            self._place()

    def _header(self) -> QHBoxLayout:
        row = QHBoxLayout()
        title = QLabel("<b style='font-size:15pt'>Welcome to the AI Ecosystem Planner</b>")
        title.setWordWrap(True)
        close = QToolButton()
        close.setObjectName("startClose")
        close.setText("\u00d7")
        close.setToolTip("Close the start page (Esc)")
        close.setAutoRaise(True)
        close.clicked.connect(self.hide)
        row.addWidget(title, 1)
        row.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        return row

    def show_centred(self) -> None:
        """On the right of a map fitted beside it (centred, it hid the west of the
        built-in map; in a corner, the east); centred on an empty canvas."""
        self.adjustSize()
        self._place()
        self.show()
        self.raise_()
        self.findChild(QPushButton, "startBuiltin").setFocus()

    def _place(self) -> None:
        from gui.canvas.corner import free_corner

        view = self.parentWidget()
        scene = view.scene() if hasattr(view, "scene") else None
        if scene is not None and getattr(scene, "nodes", None):
            beside = view.viewport().width() - self.width() - 16 >= MAP_BESIDE_PX
            view.reserve("start", "right" if beside else None, self.width() + 16)
            taken = [view.legend.geometry()] if view.legend.isVisible() else []
            rect, _cost = free_corner(view, self.width(), self.height(), taken)
            self.move(rect.topLeft())
        else:
            self.move(max(0, (view.width() - self.width()) // 2),
                      max(0, (view.height() - self.height()) // 3))
        self.show()
        self.raise_()
        self.findChild(QPushButton, "startBuiltin").setFocus()

    def hideEvent(self, event) -> None:  # noqa: N802 - Qt's name
        view = self.parentWidget()
        if hasattr(view, "reserve"):
            view.reserve("start", None)  # the map takes the whole view again
        super().hideEvent(event)

    def event(self, event) -> bool:
        """Esc closes the page (the window's Esc, Select mode, must not take it first)."""
        if event.type() == QEvent.Type.ShortcutOverride and event.key() == Qt.Key.Key_Escape:
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.hide()
            return
        super().keyPressEvent(event)

    def _remember(self, on: bool) -> None:
        self.main_window.settings.setValue(SHOW_AT_START, on)

    def _builtin(self) -> None:
        if open_example(self.main_window, "builtin"):
            self.hide()

    def _compare(self) -> None:
        self.hide()
        compare_benign_adverse(self.main_window)

    def _guide(self) -> None:
        self.hide()
        self.main_window.open_user_guide()


def _wanted(settings) -> bool:
    return settings.value(SHOW_AT_START, True) not in (False, "false")


def show_at_start(window) -> bool:
    return _wanted(window.settings)
