"""Qt objects the window owns stay whole: no attribute hides a Qt method (PySide then
calls it as an override from C++, which crashed workshop mode after the Explore window),
and the look changes that reach every widget run after any window was opened."""
from __future__ import annotations

import inspect

import shiboken6
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication


# QWidget::actions() is not virtual, so C++ never calls it through Python; the window's
# dict of actions keeps its name (every test and tool reads it).
NOT_VIRTUAL_KEPT = {("MainWindow", "actions")}


def qt_methods(obj) -> set[str]:
    """The names of the Qt methods (not signals) of the object's Qt base classes."""
    names = set()
    for klass in type(obj).__mro__:
        if klass.__module__.startswith("PySide6"):
            names.update(k for k, v in vars(klass).items()
                         if not k.startswith("__") and type(v).__name__ != "Signal")
    return names


def own_attributes(obj) -> set[str]:
    """Instance attributes, and data (not functions) in the project's classes."""
    names = set(getattr(obj, "__dict__", {}))
    for klass in type(obj).__mro__:
        if klass.__module__.startswith("gui."):
            names.update(k for k, v in vars(klass).items() if not inspect.isfunction(v)
                         and not isinstance(v, (staticmethod, classmethod, property))
                         and k != "staticMetaObject")
    return names


def shadowing(objects) -> list[str]:
    found = []
    for obj in objects:
        for name in sorted(own_attributes(obj) & qt_methods(obj)):
            if (type(obj).__name__, name) not in NOT_VIRTUAL_KEPT:
                found.append(f"{type(obj).__module__}.{type(obj).__name__}.{name}")
    return sorted(set(found))


def every_object(window) -> list[QObject]:
    tops = [window, *[w for w in QApplication.topLevelWidgets() if w.parent() is window]]
    return [o for top in tops for o in (top, *top.findChildren(QObject))]


def test_no_attribute_hides_a_qt_method(make_window, qtbot):
    window = make_window()
    window.actions["actionExplore"].trigger()
    window.actions["actionUserGuide"].trigger()
    window.simulation.explorer.close()
    found = shadowing(every_object(window))
    assert found == [], ", ".join(found)


def test_workshop_mode_after_an_exploration(make_window, qtbot, app_look):
    window = make_window()
    window.actions["actionExplore"].trigger()
    explorer = window.simulation.explorer
    explorer.executor = None
    explorer.setup.futures.setValue(8)
    explorer.setup.steps.setValue(4)
    explorer.setup.method.setCurrentIndex(explorer.setup.method.findData(None))
    explorer.run_button.click()
    qtbot.waitUntil(lambda: explorer.exploration is not None, timeout=30_000)
    explorer.close()
    workshop = window.actions["actionWorkshop"]
    for _ in range(2):
        workshop.trigger()  # the application-wide font and style reach the closed window
        qtbot.waitUntil(lambda: window.workshop.on == workshop.isChecked())
    assert not window.workshop.on and shiboken6.isValid(explorer.indices)
