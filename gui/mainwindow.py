"""The main window: the canvas in the centre, docks around it, menus, toolbar, status bar."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QStringListModel, Qt, QTimer
from PySide6.QtWidgets import (QCompleter, QDockWidget, QFrame, QLabel, QLineEdit, QMainWindow,
                               QMessageBox, QScrollArea, QWidget)

from gui.actions import build_actions, build_menus, build_toolbar
from gui.collection import collect_in_gui_thread
from gui.docks.history import history_view
from gui.docks.inspector import InspectorPanel
from gui.docks.levers import LeversPanel
from gui.docks.palette import PalettePanel
from gui.docks.results import ResultsPanel
from gui.docks.scroll import ContentScrollArea
from gui.document.editor import CONNECT, SELECT, Editor
from gui.files import AUTOSAVE_MS, OPENABLE, FileController
from gui.runs.controller import RunController
from gui import start
from gui.settings import app_settings, default_data_dir
from model.document import Document

APP_TITLE = "AI Ecosystem Planner"
STATUS_MS = 6000


RESULTS_SHARE = 0.40  # of the window's height for the results on a first start


def scrolling(widget: QWidget) -> QScrollArea:
    """The widget in a scroll area: a tall panel (eight levers with their timelines) then
    never claims more of the window's height than it is given, nor less width."""
    area = ContentScrollArea()
    area.setWidget(widget)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    return area


class MainWindow(QMainWindow):
    def __init__(self, document: Document | None = None, path: Path | None = None, *,
                 data_dir: Path | None = None, autosave_ms: int = AUTOSAVE_MS, settings=None):
        super().__init__()
        collect_in_gui_thread()  # before any job thread can start
        self.setObjectName("mainWindow")
        self.setAcceptDrops(True)
        self.settings = settings or app_settings()
        self.data_dir = Path(data_dir) if data_dir else default_data_dir()
        self.doc = document or Document()
        self.editor = Editor(self.doc, self)
        self.setCentralWidget(self.editor.view)
        self.files = FileController(self, self.editor, self.settings, self.data_dir,
                                    autosave_ms)
        self.files.path = Path(path).resolve() if path else None
        self.runs = RunController(self)
        self.actions = build_actions(self)
        build_menus(self, self.actions)
        self.toolbar = build_toolbar(self, self.actions)
        self._add_find_box()
        self._add_docks()
        from gui.simulation import SimulationTools  # pyqtgraph is heavy: after the canvas

        self.simulation = SimulationTools(self)
        start.install(self)
        self.start_page = start.StartPanel(self)
        self.guide = None
        self._connect()
        self.zoom_label = QLabel()
        self.statusBar().addPermanentWidget(self.zoom_label)
        self.resize(1400, 900)
        self._restore_state()
        self._update_title()
        self._update_recent(self.files.recent_files())

    # --- building --------------------------------------------------------------------------------

    def _add_find_box(self) -> None:
        self.find_box = QLineEdit(self)
        self.find_box.setObjectName("findBox")
        self.find_box.setPlaceholderText("Find node by name…")
        self.find_box.setClearButtonEnabled(True)
        self.find_box.setMaximumWidth(260)
        self._names = QStringListModel(self)
        self._names_stale = True
        completer = QCompleter(self._names, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.activated.connect(self.editor.find)
        self.find_box.setCompleter(completer)
        self.find_box.textEdited.connect(self._find_edited)
        self.find_box.returnPressed.connect(self._find_entered)
        self.toolbar.addSeparator()
        self.toolbar.addWidget(self.find_box)

    def _dock(self, name: str, title: str, widget, area) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        self.docks_menu.addAction(dock.toggleViewAction())
        return dock

    def _add_docks(self) -> None:
        left, right = Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea
        bottom = Qt.DockWidgetArea.BottomDockWidgetArea
        self.palette_panel = PalettePanel(self.editor)
        self.inspector = InspectorPanel(self.editor)
        self.levers = LeversPanel(self.editor)
        self.history = history_view(self.editor.stack)
        self.results = ResultsPanel()
        self.docks = {
            "palette": self._dock("paletteDock", "Palette", self.palette_panel, left),
            "history": self._dock("historyDock", "History", self.history, left),
            "inspector": self._dock("inspectorDock", "Inspector", self.inspector, right),
            "levers": self._dock("leversDock", "Policy levers", scrolling(self.levers), right),
            "results": self._dock("resultsDock", "Results", self.results, bottom),
        }
        self.tabifyDockWidget(self.docks["inspector"], self.docks["levers"])
        self.docks["inspector"].raise_()
        self.resizeDocks([self.docks["palette"], self.docks["inspector"]], [230, 340],
                         Qt.Orientation.Horizontal)
        self.resizeDocks([self.docks["results"]], [400], Qt.Orientation.Vertical)

    def _connect(self) -> None:
        self.editor.status_message.connect(self.show_status)
        self.files.message.connect(self.show_status)
        # Bound methods, not lambdas: Qt drops them when the window goes away.
        self.files.path_changed.connect(self._update_title)
        self.files.recent_changed.connect(self._update_recent)
        self.editor.stack.cleanChanged.connect(self._update_title)
        self.editor.stack.indexChanged.connect(self._update_title)
        self.editor.mode_changed.connect(self._mode_changed)
        self.editor.view.zoom_changed.connect(self._zoom_changed)
        self.editor.listen(self.doc.meta_changed, self._update_title)
        self.editor.listen(self.doc.reset, self._update_names)
        self.editor.listen(self.doc.node_added, self._names_dirty)
        self.editor.listen(self.doc.node_changed, self._names_dirty)
        self._update_names()

    # --- slots -----------------------------------------------------------------------------------

    def show_status(self, text: str) -> None:
        self.statusBar().showMessage(text, STATUS_MS)

    def select_all(self) -> None:
        for item in self.editor.scene.nodes.values():
            item.setSelected(True)

    def focus_find(self) -> None:
        self._update_names()
        self.find_box.setFocus()
        self.find_box.selectAll()

    def toggle_connect(self, on: bool) -> None:
        if on != (self.editor.mode == CONNECT):
            self.editor.set_mode(CONNECT if on else SELECT)

    def _mode_changed(self, mode: str) -> None:
        action = self.actions["actionConnectMode"]
        action.blockSignals(True)
        action.setChecked(mode == CONNECT)
        action.blockSignals(False)

    def _names_dirty(self, *_args) -> None:
        self._names_stale = True

    def _find_edited(self, _text: str) -> None:
        if self._names_stale:
            self._update_names()

    def _find_entered(self) -> None:
        self.editor.find(self.find_box.text())

    def _zoom_changed(self, zoom: float) -> None:
        self.zoom_label.setText(f"Zoom {zoom * 100:.0f}%")

    def _update_names(self) -> None:
        names = sorted({str(self.doc.node(n)["name"]) for n in self.doc.node_ids()})
        self._names.setStringList(names)
        self._names_stale = False

    def _update_title(self, *_args) -> None:
        self.setWindowTitle(f"{self.files.display_name()}[*] — {APP_TITLE}")
        self.setWindowModified(not self.editor.stack.isClean())
        self.actions["actionRevert"].setEnabled(
            self.files.path is not None and not self.editor.stack.isClean())

    def _update_recent(self, files: list[str]) -> None:
        menu = self.recent_menu
        menu.clear()
        for index, name in enumerate(files):
            action = menu.addAction(f"&{index + 1} {Path(name).name}")
            action.setObjectName(f"actionRecent{index}")
            action.setToolTip(name)
            action.triggered.connect(lambda _c=False, p=name: self.files.open_path(Path(p)))
        menu.addSeparator()
        clear = menu.addAction("Clear list")
        clear.setEnabled(bool(files))
        clear.triggered.connect(self.files.clear_recent)

    def export_workbook(self) -> bool:
        return self.simulation.export_workbook()

    def about(self) -> None:
        QMessageBox.about(self, APP_TITLE,
                          "Plans and compares AI innovation ecosystems: platforms, zones, "
                          "firms and the policy levers that shape them.\n\nScenarios explore "
                          "what could happen; they are not forecasts.")

    # --- window state, drops, closing ------------------------------------------------------------

    def _restore_state(self) -> None:
        geometry = self.settings.value("window/geometry")
        state = self.settings.value("window/state")
        self._fresh_geometry = not (isinstance(geometry, QByteArray) and not geometry.isEmpty())
        if not self._fresh_geometry:
            self.restoreGeometry(geometry)
        self._fresh_layout = not (isinstance(state, QByteArray) and not state.isEmpty())
        if not self._fresh_layout:
            self.restoreState(state)
        legend = self.settings.value("canvas/legendExpanded")
        if legend is not None:  # the user's own choice, from an earlier session
            self.editor.view.legend.chosen = True
            self.editor.view.legend.set_expanded(legend not in (False, "false"))

    def show_first(self) -> None:
        """Shows the window: maximised on a first start (no saved geometry), framed on the
        whole ecosystem (the view keeps it framed while the window settles)."""
        if self._fresh_geometry:
            self.showMaximized()
        else:
            self.show()
        self.editor.view.fit_all()
        if start.show_at_start(self):
            QTimer.singleShot(0, self.show_start_page)

    def show_start_page(self) -> None:
        self.start_page.show_centred()

    def open_user_guide(self):
        """The guide in its own window (one, kept between openings)."""
        from gui.guide import GuideWindow

        if self.guide is None:
            self.guide = GuideWindow(self)
        self.guide.show()
        self.guide.raise_()
        return self.guide

    def showEvent(self, event) -> None:
        """On a first start (no saved layout) the docks get their size once the window has
        its own (maximised, it only knows it when shown): the results a good share of the
        height, whatever the screen."""
        super().showEvent(event)
        if getattr(self, "_fresh_layout", False):
            self._fresh_layout = False
            QTimer.singleShot(0, self._fit_docks)

    def _fit_docks(self) -> None:
        self.resizeDocks([self.docks["results"]], [int(self.height() * RESULTS_SHARE)],
                         Qt.Orientation.Vertical)

    def save_state(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        if self.editor.view.legend.chosen:
            self.settings.setValue("canvas/legendExpanded", self.editor.view.legend.expanded)
        self.settings.sync()

    def dragEnterEvent(self, event) -> None:
        if self._dropped_file(event) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event) -> None:
        path = self._dropped_file(event)
        if path is not None:
            event.acceptProposedAction()
            self.files.open_path(path)

    @staticmethod
    def _dropped_file(event) -> Path | None:
        urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
        for url in urls:
            if url.isLocalFile() and Path(url.toLocalFile()).suffix.lower() in OPENABLE:
                return Path(url.toLocalFile())
        return None

    def close_for_signal(self, signum: int) -> int:
        """A signal (or the session's end) closes the window without asking: unsaved work
        stays as the recovery file, offered at the next start. The exit status to use."""
        self.signalled = signum
        self.close()
        return 128 + int(signum)

    def closeEvent(self, event) -> None:
        signalled = getattr(self, "signalled", None) is not None
        if not signalled and not self.files.maybe_save():
            event.ignore()
            return
        self.files.timer.stop()
        if signalled:
            self.files.autosave()  # kept for recovery (nothing to keep: no file)
        else:
            self.files.remove_recovery()
        self.simulation.close()  # stops and joins every worker; restores the normal look
        self.save_state()
        self.editor.close()
        event.accept()
