"""The window's actions (with objectNames for tests and shortcuts), menus and toolbar."""
from __future__ import annotations

from functools import partial
from pathlib import Path

from PySide6.QtGui import QAction, QIcon, QKeySequence
from PySide6.QtWidgets import QStyle

from gui.canvas import style
from model import schema

ICONS = Path(__file__).resolve().parents[1] / "resources" / "icons"
Std = QKeySequence.StandardKey
Icon = QStyle.StandardPixmap


def make_action(window, name: str, text: str, slot=None, shortcut=None, tip: str = "",
                icon=None, checkable: bool = False) -> QAction:
    action = QAction(text, window)
    action.setObjectName(name)
    if shortcut is not None:
        shortcuts = shortcut if isinstance(shortcut, list) else [shortcut]
        action.setShortcuts([QKeySequence(s) for s in shortcuts])
    if tip:
        action.setStatusTip(tip)
        action.setToolTip(tip)
    if isinstance(icon, str):
        action.setIcon(QIcon(str(ICONS / icon)))
    elif icon is not None:
        action.setIcon(window.style().standardIcon(icon))
    action.setCheckable(checkable)
    if slot is not None:
        (action.toggled if checkable else action.triggered).connect(
            slot if checkable else (lambda _checked=False, s=slot: s()))
    window.addAction(action)
    return action


def build_actions(window) -> dict[str, QAction]:
    files, editor, view = window.files, window.editor, window.editor.view
    a = {}

    def add(name, *args, **kwargs):
        a[name] = make_action(window, name, *args, **kwargs)

    add("actionNew", "&New", files.new, Std.New, "Start an empty scenario", Icon.SP_FileIcon)
    add("actionOpen", "&Open…", files.open, Std.Open, "Open a scenario file",
        Icon.SP_DialogOpenButton)
    add("actionSave", "&Save", files.save, Std.Save, "Save the scenario",
        Icon.SP_DialogSaveButton)
    add("actionSaveAs", "Save &As…", files.save_as, Std.SaveAs, "Save under a new name")
    add("actionRevert", "&Revert", files.revert, None, "Reload the saved file")
    add("actionImportGraphml", "Import &GraphML…", files.import_graphml, None,
        "Open a GraphML network as a new scenario")
    add("actionExportGraphml", "Export G&raphML…", files.export_graphml, None,
        "Write the network as GraphML")
    add("actionExportWorkbook", "Export briefing &workbook…", window.export_workbook, None,
        "Write the briefing workbook from the results (nothing is re-run)")
    a["actionExportWorkbook"].setEnabled(False)  # until a run has results
    add("actionQuit", "&Quit", window.close, Std.Quit, "Close the application")

    undo = editor.stack.createUndoAction(window, "&Undo")
    undo.setObjectName("actionUndo")
    undo.setShortcuts(QKeySequence.keyBindings(Std.Undo))
    undo.setIcon(window.style().standardIcon(Icon.SP_ArrowBack))
    redo = editor.stack.createRedoAction(window, "&Redo")
    redo.setObjectName("actionRedo")
    redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
    redo.setIcon(window.style().standardIcon(Icon.SP_ArrowForward))
    window.addAction(undo)
    window.addAction(redo)
    a["actionUndo"], a["actionRedo"] = undo, redo

    add("actionCopy", "&Copy", editor.copy_selection, Std.Copy, "Copy the selected nodes")
    add("actionPaste", "&Paste", editor.paste, Std.Paste, "Paste nodes with new ids")
    add("actionDuplicate", "D&uplicate", editor.duplicate_selection, "Ctrl+D",
        "Duplicate the selected nodes")
    add("actionDelete", "&Delete", editor.delete_selection, [QKeySequence.StandardKey.Delete,
                                                             "Backspace"],
        "Delete the selection with its links", Icon.SP_TrashIcon)
    add("actionSelectAll", "Select &All", window.select_all, Std.SelectAll)
    add("actionFind", "&Find node…", window.focus_find, Std.Find, "Find a node by name")

    add("actionSelectMode", "&Select", partial(editor.set_mode, "select"), "Esc",
        "Select and move (Esc)", checkable=False)
    add("actionConnectMode", "&Connect", window.toggle_connect, "C",
        "Drag from node to node to link them (C)", "connect.svg", checkable=True)
    add("actionZoomIn", "Zoom &In", view.zoom_in, [Std.ZoomIn, "Ctrl+="], "Zoom in",
        "zoom-in.svg")
    add("actionZoomOut", "Zoom &Out", view.zoom_out, Std.ZoomOut, "Zoom out", "zoom-out.svg")
    add("actionZoomReset", "&Actual Size", view.reset_zoom, "Ctrl+0")
    add("actionFit", "&Fit to View", view.fit_all, "F", "Show the whole ecosystem (F)",
        "fit.svg")
    add("actionLayoutSpring", "&Spring Layout", partial(editor.apply_layout, "spring"), None,
        "Arrange by links (force-directed); one undo step")
    add("actionLayoutZones", "Layout &Grouped by Zone", partial(editor.apply_layout, "zones"),
        None, "Arrange each zone with its firms and platforms; one undo step", "layout.svg")
    add("actionShowRegions", "Zone &Regions", editor.scene.set_regions_visible, None,
        "Draw each zone as a region around its firms", checkable=True)
    a["actionShowRegions"].setChecked(True)
    add("actionShowLegend", "&Legend", view.legend.setVisible, None, "Show the legend",
        checkable=True)
    a["actionShowLegend"].setChecked(True)
    for etype in schema.EDGE_TYPES:
        name = f"actionShow_{etype}"
        add(name, style.EDGE_STYLES[etype].label,
            partial(editor.scene.set_edge_type_visible, etype), None,
            f"Show {etype} links", checkable=True)
        a[name].setChecked(True)
    add("actionAbout", "&About", window.about)
    return a


def build_menus(window, a: dict[str, QAction]) -> None:
    bar = window.menuBar()
    file_menu = window.file_menu = bar.addMenu("&File")
    for name in ("actionNew", "actionOpen"):
        file_menu.addAction(a[name])
    window.recent_menu = file_menu.addMenu("Open &Recent")
    window.recent_menu.setObjectName("menuRecent")
    for name in ("actionSave", "actionSaveAs", "actionRevert", None, "actionImportGraphml",
                 "actionExportGraphml", "actionExportWorkbook", None, "actionQuit"):
        file_menu.addSeparator() if name is None else file_menu.addAction(a[name])

    edit = bar.addMenu("&Edit")
    for name in ("actionUndo", "actionRedo", None, "actionCopy", "actionPaste",
                 "actionDuplicate", "actionDelete", None, "actionSelectAll", "actionFind"):
        edit.addSeparator() if name is None else edit.addAction(a[name])

    canvas = bar.addMenu("&Canvas")
    for name in ("actionSelectMode", "actionConnectMode", None, "actionLayoutSpring",
                 "actionLayoutZones"):
        canvas.addSeparator() if name is None else canvas.addAction(a[name])
    add_menu = canvas.addMenu("&Add Node")
    for kind in schema.NODE_KINDS:
        action = add_menu.addAction(style.kind_icon(kind), schema.KIND_LABELS[kind])
        action.setObjectName(f"actionAdd_{kind}")
        action.triggered.connect(partial(window.editor.set_mode, f"add:{kind}"))

    view = bar.addMenu("&View")
    for name in ("actionZoomIn", "actionZoomOut", "actionZoomReset", "actionFit", None,
                 "actionShowRegions", "actionShowLegend"):
        view.addSeparator() if name is None else view.addAction(a[name])
    links = view.addMenu("Show &Links")
    for etype in schema.EDGE_TYPES:
        links.addAction(a[f"actionShow_{etype}"])
    window.docks_menu = bar.addMenu("&Window")
    window.help_menu = bar.addMenu("&Help")
    window.help_menu.addAction(a["actionAbout"])


def build_toolbar(window, a: dict[str, QAction]):
    bar = window.addToolBar("Main")
    bar.setObjectName("mainToolBar")
    for name in ("actionNew", "actionOpen", "actionSave", None, "actionUndo", "actionRedo",
                 None, "actionConnectMode", "actionDelete", None, "actionZoomIn",
                 "actionZoomOut", "actionFit", "actionLayoutZones"):
        bar.addSeparator() if name is None else bar.addAction(a[name])
    return bar
