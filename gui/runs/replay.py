"""Replay of the base-seed run on the canvas: a time slider, a play button and the state to
show. Entering replay colours and sizes the nodes by that state at the chosen step, and the
`uses` links by their lock-in; leaving restores the normal look. The plots show the same
step as a vertical cursor. Without a history to replay, the bar says why."""
from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QComboBox, QLabel, QSlider, QStyle, QToolBar

from gui.canvas.corner import covers_hub, free_corner
from gui.canvas.replay import FIELDS, LOCKED_IN_LABEL, ColourScale, ReplayStyler
from model.calendar import DEFAULT_START

PLAY_MS = 150
MAP_BESIDE_PX = 240  # the legend moves off the map only if this much map stays beside it
TOGGLE_TIP = "Colour the canvas by the run's states, step by step (Ctrl+R)"
# Why there is nothing to replay, in the bar itself
NOTHING_YET = "no run to replay yet"
WHILE_RUNNING = "Replay is off while the scenario runs"
IN_COMPARISON = ("Replay is off during a comparison: it replays one run; run the scenario "
                 "alone to replay")
TOO_LARGE = "Replay is off: this run's history was too large to keep in memory"


class ReplayBar(QToolBar):
    step_changed = Signal(object)  # int while replaying, None when left

    def __init__(self, window):
        super().__init__("Replay", window)
        self.setObjectName("replayToolBar")
        self.main_window = window
        self.scene = window.editor.scene
        self.styler: ReplayStyler | None = None
        self.start = DEFAULT_START  # the quarter of step 0 of the run replayed
        self._fitting = False
        self._fitted_for = None  # (viewport size, legend size) of the last fit beside it
        view = window.editor.view
        self.legend = ColourScale(view)
        view.installEventFilter(self)  # placed again when the map is resized,
        view.zoom_changed.connect(self._place_legend)  # zoomed or scrolled
        view.horizontalScrollBar().valueChanged.connect(self._place_legend)
        view.verticalScrollBar().valueChanged.connect(self._place_legend)
        view.labels.placed.connect(self._place_legend)  # labels moved: their rects too
        icons = window.style()
        self.toggle = QAction("Replay on canvas", self)
        self.toggle.setObjectName("actionReplay")
        self.toggle.setCheckable(True)
        self.toggle.setShortcut("Ctrl+R")
        self.toggle.setToolTip(TOGGLE_TIP)
        self.toggle.toggled.connect(self.set_active)
        self.field = QComboBox(self)
        self.field.setObjectName("replayField")
        for key, label in FIELDS.items():
            self.field.addItem(label, key)
        self.field.currentIndexChanged.connect(self._refresh)
        self.play_action = QAction(icons.standardIcon(QStyle.StandardPixmap.SP_MediaPlay),
                                   "Play", self)
        self.play_action.setObjectName("actionReplayPlay")
        self.play_action.setCheckable(True)
        self.play_action.toggled.connect(self._play)
        self.slider = QSlider(Qt.Orientation.Horizontal, self)
        self.slider.setObjectName("replaySlider")
        self.slider.setMinimumWidth(260)
        self.slider.valueChanged.connect(self._refresh)
        self.locked_only = QAction("Locked-in links only", self)
        self.locked_only.setObjectName("actionLockedInOnly")
        self.locked_only.setCheckable(True)
        self.locked_only.setToolTip(f"While replaying, hide every edge but the firms' "
                                    f"uses links locked in at least "
                                    f"{LOCKED_IN_LABEL.rsplit(' ', 1)[-1]}")
        self.locked_only.toggled.connect(self._refresh)
        self.step_label = QLabel("", self)
        self.step_label.setObjectName("replayStep")
        self.step_label.setMinimumWidth(130)
        self.timer = QTimer(self)
        self.timer.setInterval(PLAY_MS)
        self.timer.timeout.connect(self._tick)
        self.addAction(self.toggle)
        self.addWidget(self.field)
        self.addAction(self.play_action)
        self.addWidget(self.slider)
        self.addWidget(self.step_label)
        self.addAction(self.locked_only)
        self.set_states(None)

    # --- data ------------------------------------------------------------------------------------

    def set_states(self, states, why_not: str = NOTHING_YET) -> None:
        """The state history of a new result (None: nothing to replay, `why_not` says
        why, in the bar and the toggle's tooltip)."""
        self.set_active(False)
        self.styler = None
        if states is not None:
            kinds = {n: r["kind"] for n, r in self.main_window.doc.node_records().items()}
            self.styler = ReplayStyler(states, kinds)
            self.slider.setRange(0, self.styler.steps)
            self.slider.setValue(self.styler.steps)
        for widget in (self.field, self.slider):
            widget.setEnabled(self.styler is not None)
        for action in (self.toggle, self.play_action, self.locked_only):
            action.setEnabled(self.styler is not None)
        self.step_label.setText(why_not)
        self.toggle.setToolTip(TOGGLE_TIP if self.styler else why_not)
        self._refresh()  # the step shown, when there is a history

    def active(self) -> bool:
        return self.toggle.isChecked() and self.styler is not None

    # --- entering and leaving --------------------------------------------------------------------

    @Slot(bool)
    def set_active(self, on: bool) -> None:
        on = bool(on) and self.styler is not None
        if self.toggle.isChecked() != on:
            self.toggle.blockSignals(True)
            self.toggle.setChecked(on)
            self.toggle.blockSignals(False)
        if on:
            self._refresh()
            self.legend.show()
            self.legend.raise_()
            self._place_legend()
        else:
            self.play_action.setChecked(False)
            self.scene.clear_replay_styles()
            self.legend.hide()
            self._give_back_strip()
            self.step_changed.emit(None)

    def leave(self) -> None:
        self.set_active(False)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Resize and watched is self.main_window.editor.view:
            QTimer.singleShot(0, self, self._place_legend)  # after the view's own refit
        return False

    @Slot()
    def _place_legend(self, *_args) -> None:
        """In the corner of the map that covers least of it (never the kind legend's); when
        every corner would cover a hub of a framed map, the map is fitted beside or above
        it, on the side that leaves the map larger."""
        if not self.legend.isVisible():
            return
        view = self.main_window.editor.view
        taken = [view.legend.geometry()] if view.legend.isVisible() else []
        size = (self.legend.width(), self.legend.height())
        if self._fitted_for not in (None, (view.viewport().size(), size)) and \
                not self._fitting:  # a new map size (workshop mode): the side chosen for
            self._fitting = True  # the old one may not suit it, the choice is made again
            try:
                self._give_back_strip()
            finally:
                self._fitting = False
        rect, _cost = free_corner(view, *size, taken)
        tried = self._fitted_for == (view.viewport().size(), size)  # once per map size:
        side = self._best_side()  # label placement comes back here after every fit
        if covers_hub(view, rect) and view.framed() and side and not self._fitting \
                and not tried:
            self._fitted_for = (view.viewport().size(), size)
            self._fitting = True  # fit_all's zoom_changed comes back here
            try:
                view.reserve("replay", side, self._strip(side))
                rect, _cost = free_corner(view, *size, taken)
            finally:
                self._fitting = False
        self.legend.move(rect.topLeft())
        self.legend.raise_()

    def _strip(self, side: str) -> int:
        return (self.legend.width() if side == "right" else self.legend.height()) + 16

    def _best_side(self) -> str | None:
        """"right" or "bottom": the strip beside which the fitted map is larger, among
        those that leave MAP_BESIDE_PX of map; None when neither does."""
        view = self.main_window.editor.view
        others = {k: v for k, v in view.reserves.items() if k != "replay"}
        best, best_zoom = None, 0.0
        for side in ("right", "bottom"):
            area = view.free_area({**others, "replay": (side, self._strip(side))})
            if min(area.width(), area.height()) < MAP_BESIDE_PX:
                continue
            zoom, _centre = view.fit_zoom(area)
            if zoom > best_zoom * 1.02:  # the right on a tie: the legend's usual place
                best, best_zoom = side, zoom
        return best

    def roomy(self) -> bool:
        """Whether a map of MAP_BESIDE_PX fits beside or above the legend."""
        return self._best_side() is not None

    def _give_back_strip(self) -> None:
        self._fitted_for = None
        self.main_window.editor.view.reserve("replay", None)

    # --- stepping --------------------------------------------------------------------------------

    def set_step(self, step: int) -> None:
        self.slider.setValue(step)

    @Slot()
    def _refresh(self, *_args) -> None:
        if self.styler is None:
            return
        step, field = self.slider.value(), self.field.currentData()
        quarter = (self.start + step).label
        self.step_label.setText(f"{quarter} (step {step} of {self.styler.steps})")
        if not self.active():
            return
        self.scene.set_replay_styles(self.styler.styles(field, step))
        self.scene.set_replay_link_styles(self.styler.link_styles(step))
        only = self.locked_only.isChecked() and self.styler.has_links()
        self.scene.show_only_links(self.styler.locked_in(step) if only else None)
        self.legend.set_scale(FIELDS[field], self.styler.ranges(field),
                              f"— {quarter}", links=self.styler.has_links(), locked_only=only)
        self._place_legend()
        self.step_changed.emit(step)

    @Slot(bool)
    def _play(self, on: bool) -> None:
        if on:
            if not self.active():
                self.set_active(True)
            if self.slider.value() >= self.slider.maximum():
                self.slider.setValue(0)
            self.timer.start()
        else:
            self.timer.stop()

    @Slot()
    def _tick(self) -> None:
        if self.slider.value() >= self.slider.maximum():
            self.play_action.setChecked(False)
            return
        self.slider.setValue(self.slider.value() + 1)
