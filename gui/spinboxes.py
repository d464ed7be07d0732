"""Spin boxes that leave the window's shortcuts to the window.

A spin box's line edit claims Ctrl+E (end of line, on X11) and other Emacs keys before the
window sees them: Ctrl+E did nothing while a number field had focus. In these boxes a
shortcut of one of the window's actions wins over every key but editing's. Every spin box
of the GUI is one of these (tests/gui/test_spin_shortcuts.py walks the window for others),
so a box made later (the inspector's fields of a selected node, the levers rebuilt) needs
nothing done: an event filter installed on the boxes found at start missed those, and an
application-wide one runs Python for every event of every object.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDoubleSpinBox, QSpinBox

# Keys a number field keeps even when an action has them: editing a number needs these.
EDITING_KEYS = (QKeySequence.StandardKey.Undo, QKeySequence.StandardKey.Redo,
                QKeySequence.StandardKey.Cut, QKeySequence.StandardKey.Copy,
                QKeySequence.StandardKey.Paste, QKeySequence.StandardKey.SelectAll,
                QKeySequence.StandardKey.Delete)


def window_actions(widget) -> list:
    """The actions of the widget's window (the main window keeps them in a dict)."""
    window = widget.window()
    actions = getattr(window, "actions", None)
    if isinstance(actions, dict):
        return list(actions.values())
    return list(window.actions()) if callable(actions) else []


def window_wins(widget, event) -> bool:
    """True (and the event ignored, so the window's shortcut runs) when a key pressed in
    a spin box is an enabled window action's shortcut and not an editing key."""
    if event.type() != QEvent.Type.ShortcutOverride:
        return False
    pressed = QKeySequence(event.keyCombination())
    if any(pressed in QKeySequence.keyBindings(k) for k in EDITING_KEYS):
        return False
    if any(pressed in a.shortcuts() and a.isEnabled() for a in window_actions(widget)):
        event.ignore()
        return True
    return False


class SpinBox(QSpinBox):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.lineEdit().installEventFilter(self)  # the key goes to the box's line edit

    def event(self, event) -> bool:
        return window_wins(self, event) or super().event(event)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        return window_wins(self, event) or super().eventFilter(watched, event)


class DoubleSpinBox(QDoubleSpinBox):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.lineEdit().installEventFilter(self)

    def event(self, event) -> bool:
        return window_wins(self, event) or super().event(event)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        return window_wins(self, event) or super().eventFilter(watched, event)
