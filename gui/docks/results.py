"""The results dock: the outcome in words and colour, the metric curves (live), the final
tables and the tornado chart. It shows what a run produced; it computes nothing.

It also says what its results are (issue 23): always "illustrative, not a forecast"; "out
of date" once the scenario changed after them (`mark_stale`, until the next run); nothing
once another scenario was opened (`clear_results`)."""
from __future__ import annotations

from html import escape

from PySide6.QtCore import QEvent, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (QComboBox, QFileDialog, QFrame, QHBoxLayout, QLabel, QListWidget,
                               QListWidgetItem, QPushButton, QScrollArea, QSplitter, QStackedWidget,
                               QTabWidget, QVBoxLayout, QWidget)

from gui.colours import OUTCOME_COLOURS
from gui.docks import honest
from gui.docks.honest import (NO_RESULTS, NO_THRESHOLDS, NO_THRESHOLDS_COMPARISON,
                              NO_THRESHOLDS_RUN)
from gui.docks.difference import DifferencePlots, ShowChooser
from gui.docks.plots import DEFAULT_METRICS, MetricPlots
from gui.docks.tables import ResultTables
from gui.docks.tornado import TornadoChart
from gui.runs.jobs import COMPARISON
from model.engine import METRIC_KEYS, METRICS, OUTCOMES
from model.engine.explanation import explain_outcome
from model.shares import share_words
from model.thresholds import BAND_SETS, DEFAULT_BAND_SET

IMAGE_FILTER = "PNG image (*.png);;SVG drawing (*.svg)"
OUTCOME_LINES = 6.05  # the outcome lines show six lines (a comparison of three), then scroll
PLOTS_MIN_HEIGHT = 230  # two rows of plots that can still be read
ROOM_OUTCOME_LINES = 2.05  # in a room: the curves take the height, the words scroll


def outcome_html(sentence: str) -> str:
    """The model's sentence with its leading outcome in the outcome's colour."""
    outcome = next((o for o in OUTCOMES if sentence.startswith(o)), "")
    colour = OUTCOME_COLOURS.get(outcome, "#333")
    return (f"<b style='color:{colour}'>{outcome.upper()}</b>"
            f"{escape(sentence[len(outcome):])}")


def shares_html(shares: dict[str, float], prefix: str) -> str:
    words = share_words({o: shares.get(o, 0) for o in OUTCOMES})
    parts = [f"<b style='color:{OUTCOME_COLOURS[o]}'>■ {o} {words[o]}</b>" for o in OUTCOMES]
    return f"{prefix} " + " &nbsp; ".join(parts)


class ResultsPanel(QWidget):
    node_chosen = Signal(str)  # a table row was selected
    band_set_changed = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("resultsPanel")
        self.session = None
        self.room = False  # workshop mode (set_room)
        self.stale = False  # the scenario changed after the results shown
        self.outcome = QLabel(NO_RESULTS, self)
        self.outcome.setObjectName("outcomeLabel")
        self.outcome.setTextFormat(Qt.TextFormat.RichText)
        self.outcome.setWordWrap(True)
        self.outcome.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.outcome.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.band_sets = QComboBox(self)
        self.band_sets.setObjectName("bandSetChooser")
        for key, bands in BAND_SETS.items():
            self.band_sets.addItem(bands.title, key)
            self.band_sets.setItemData(self.band_sets.count() - 1, bands.source,
                                       Qt.ItemDataRole.ToolTipRole)
        self.band_sets.setCurrentIndex(self.band_sets.findData(DEFAULT_BAND_SET))
        # a short box (the full titles are in its list): the curves keep the width
        self.band_sets.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.band_sets.setMinimumContentsLength(14)
        self.band_sets.currentIndexChanged.connect(self._band_set_chosen)
        export = QPushButton("Export plot…", self)
        export.setObjectName("exportPlot")
        export.setToolTip("Save the curves as a PNG image or an SVG drawing")
        export.clicked.connect(self.export_plot)
        corner = QWidget(self)
        top = QHBoxLayout(corner)
        top.setContentsMargins(0, 0, 0, 2)
        self.show_choice = ShowChooser(corner)
        self.show_choice.difference_chosen.connect(self._difference_chosen)
        self.show_choice.against_chosen.connect(self._against_chosen)
        self.show_choice.hide()
        top.addWidget(self.show_choice)
        band_label = QLabel("HHI thresholds:", corner)
        top.addWidget(band_label)
        top.addWidget(self.band_sets)
        top.addWidget(export)
        self._desk_only = (band_label, self.band_sets, export)  # stepped aside in a room
        self.plots = MetricPlots(self)
        self.placeholder = QLabel("Run results appear here", self.plots)
        self.placeholder.setObjectName("resultsPlaceholder")
        self.placeholder.setEnabled(False)
        self.placeholder.adjustSize()  # its own width (a child label starts at 100 px)
        self.difference = DifferencePlots(self)
        self.curves = QStackedWidget(self)
        self.curves.addWidget(self.plots)
        self.curves.addWidget(self.difference)
        self.tables = ResultTables(self)
        self.tables.node_chosen.connect(self.node_chosen)
        self.tornado = TornadoChart(self)
        self.thresholds = self._thresholds_view()
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("resultTabs")
        self.tabs.addTab(self.curves, "Curves")
        self.tabs.addTab(self.tables, "Final state")
        self.tabs.addTab(self.tornado, "Sensitivity")
        self.tabs.addTab(self.thresholds.parentWidget().parentWidget(), "Thresholds")
        self.tabs.setCornerWidget(corner, Qt.Corner.TopRightCorner)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(self._metric_list())
        split.addWidget(self.tabs)
        split.setStretchFactor(1, 1)
        split.setSizes([190, 900])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.outcome_area = self._outcome_area()
        layout.addLayout(self._state_row())
        layout.addWidget(self.outcome_area)
        layout.addWidget(split, 1)
        self.plots.setMinimumHeight(PLOTS_MIN_HEIGHT)

    def _outcome_area(self) -> QScrollArea:
        """The outcome sentences scroll past a few lines: the curves keep their room."""
        area = QScrollArea(self)
        area.setObjectName("outcomeArea")
        area.setWidget(self.outcome)
        area.setWidgetResizable(True)
        area.setFrameShape(QFrame.Shape.NoFrame)
        area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        return area

    def _state_row(self) -> QHBoxLayout:
        """The out-of-date marker (when it applies) and the caveat, above the outcome."""
        self.stale_label = QLabel(honest.STALE_TEXT, self)
        self.stale_label.setObjectName("staleLabel")
        self.stale_label.setStyleSheet("background:#FFE8B0; color:#5A3A00; padding:1px 6px;"
                                       "font-weight:bold")
        self.stale_label.hide()
        self.caveat = QLabel(honest.CAVEAT_TEXT, self)
        self.caveat.setObjectName("caveatLabel")
        self.caveat.setStyleSheet("color:#555; font-style:italic")
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.stale_label)
        row.addStretch(1)
        row.addWidget(self.caveat)
        return row

    def _thresholds_view(self) -> QLabel:
        """The Thresholds tab: the distance to each threshold and the threshold shift."""
        label = QLabel(NO_THRESHOLDS)
        label.setObjectName("thresholdsView")
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setWordWrap(True)
        label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        area = QScrollArea(self)
        area.setObjectName("thresholdsArea")
        area.setWidget(label)
        area.setWidgetResizable(True)
        area.setFrameShape(QFrame.Shape.NoFrame)
        return label

    # --- the state of the results ---------------------------------------------------------------

    def mark_stale(self, *_args) -> None:
        """The scenario changed after the results shown (or being made): they no longer
        belong to it, until the next run."""
        self.stale = True
        self.stale_label.setVisible(self.session is not None or self.outcome.text() !=
                                    NO_RESULTS)

    def clear_results(self) -> None:
        """Another scenario was opened: the results shown were not its own."""
        self.session = None
        self.stale = False
        self.stale_label.hide()
        self.plots.clear()
        self.plots.set_cursor(None)
        self.difference.clear()
        self.show_choice.withdraw()
        self.curves.setCurrentWidget(self.plots)
        self.tables.set_result(None)
        self.tornado.set_table(None)
        self.thresholds.setText(NO_THRESHOLDS)
        self.placeholder.show()
        self.set_outcome(NO_RESULTS)

    def set_outcome(self, text: str) -> None:
        """The outcome line(s); the area takes their height, up to OUTCOME_LINES lines."""
        self.outcome.setText(text)
        QTimer.singleShot(0, self, self._fit_outcome)  # once the label knows its width

    def _fit_outcome(self) -> None:
        width = self.outcome_area.viewport().width()
        needed = self.outcome.heightForWidth(width) if width > 0 else -1
        lines = self.fontMetrics().lineSpacing()
        top = int(lines * (ROOM_OUTCOME_LINES if self.room else OUTCOME_LINES)) + 6
        self.outcome_area.setFixedHeight(max(lines + 6, min(needed + 4, top)))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_outcome()

    def changeEvent(self, event) -> None:
        """Workshop mode's larger type: the outcome area grows with it."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange and hasattr(self, "outcome_area"):
            QTimer.singleShot(0, self, self._fit_outcome)  # once the label has the new font

    def _metric_list(self) -> QListWidget:
        self.metric_list = QListWidget(self)
        self.metric_list.setObjectName("metricChooser")
        self.metric_list.setToolTip("Tick the metrics to plot")
        for metric in METRICS:
            item = QListWidgetItem(metric.label, self.metric_list)
            item.setData(Qt.ItemDataRole.UserRole, metric.key)
            item.setToolTip(metric.meaning)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if metric.key in DEFAULT_METRICS
                               else Qt.CheckState.Unchecked)
        self.metric_list.itemChanged.connect(self._metrics_chosen)
        self.metric_list.setMaximumWidth(240)
        return self.metric_list

    # --- choices ---------------------------------------------------------------------------------

    def chosen_metrics(self) -> list[str]:
        items = (self.metric_list.item(i) for i in range(self.metric_list.count()))
        return [i.data(Qt.ItemDataRole.UserRole) for i in items
                if i.checkState() == Qt.CheckState.Checked]

    def choose_metrics(self, keys) -> None:
        self.metric_list.blockSignals(True)
        for i in range(self.metric_list.count()):
            item = self.metric_list.item(i)
            item.setCheckState(Qt.CheckState.Checked if item.data(Qt.ItemDataRole.UserRole)
                               in keys else Qt.CheckState.Unchecked)
        self.metric_list.blockSignals(False)
        self._metrics_chosen()

    def _metrics_chosen(self, *_args) -> None:
        self.plots.set_metrics(self.chosen_metrics())
        self.difference.set_metrics(self.chosen_metrics())

    def _difference_chosen(self, on: bool) -> None:
        if on:
            self.difference.set_style(self.plots.line_width, self.plots.font_size)
        self.curves.setCurrentWidget(self.difference if on else self.plots)

    def _against_chosen(self, reference: str) -> None:
        """The paired differences (text and plot) against another compared scenario."""
        if self.session is not None and self.session.comparison is not None:
            self._show_comparison(self.session, reference)

    def band_set(self) -> str:
        return self.band_sets.currentData()

    def _band_set_chosen(self, *_args) -> None:
        self.plots.set_band_set(self.band_set())
        self.band_set_changed.emit(self.band_set())

    def set_room(self, on: bool) -> None:
        """Workshop mode: the threshold set and Export step aside (at the room's type the
        tab row was 1,250 px wide and the map shrank to a fifth of a comparison's screen);
        the outcome words take two lines (they scroll) and the curves the height."""
        self.room = bool(on)
        for widget in self._desk_only:
            widget.setVisible(not on)
        self.show_choice.set_room(on)
        self.plots.set_room(on)
        self._fit_outcome()

    def export_plot(self) -> bool:
        name, _ = QFileDialog.getSaveFileName(self, "Export plot", "curves.png", IMAGE_FILTER)
        if not name:
            return False
        if not name.lower().endswith((".png", ".svg")):
            name += ".png"
        with honest.caveat_on(self.curves.currentWidget().canvas):  # the caveat in every picture
            self.curves.currentWidget().export_image(name)  # shown: levels or difference
        return True

    # --- run events ------------------------------------------------------------------------------

    @Slot(str, str)
    def run_started(self, kind: str, text: str) -> None:
        self._stale_before = self.stale  # of the results shown, should the job bring none
        self.stale = False  # the run is of the scenario as it is now
        self.stale_label.hide()
        self.placeholder.hide()
        self.plots.clear()
        self.plots.set_cursor(None)
        self.set_outcome(f"<i>{text}…</i>")
        self.difference.clear()
        if kind == COMPARISON:
            self.show_choice.offer(None)
        else:
            self.show_choice.withdraw()
        self.thresholds.setText(NO_THRESHOLDS)
        self.tabs.setCurrentWidget(self.curves)

    @Slot(object)
    def add_steps(self, chunk) -> None:
        self.plots.add_rows(chunk.label, chunk.first, chunk.rows, chunk.steps)

    @Slot(object)
    def add_bands(self, update) -> None:
        self.plots.set_summary(update.label, update.summary, update.done, live=True)
        self.set_outcome(shares_html(update.outcomes, f"After {update.done} of "
                                                          f"{update.total} runs:"))

    @Slot(object)
    def run_ended(self, end) -> None:
        """A job that ended without a result of its own (stopped early, failed): the
        previous results again, saying so, or none; never the running look."""
        if end.fresh:
            return
        if end.session is None:
            self.session = None
            self.plots.clear()  # the curves of a run that did not finish: not a result
            self.placeholder.show()
            self.set_outcome(note_html(end.note, alone=True))
            self.stale_label.setVisible(self.stale)
            return
        self.plots.clear()
        self.stale = self.stale or getattr(self, "_stale_before", False)  # the earlier ones
        self.show_session(end.session)
        self.set_outcome(note_html(end.note) + self.outcome.text())

    @Slot(object)
    def show_session(self, session) -> None:
        self.session = session
        self.placeholder.hide()
        if session.comparison is not None:
            self._show_comparison(session)
        else:
            self.show_choice.withdraw()
            self._show_runs(session)
        self.tables.set_result(session.result)
        self.tornado.set_table(session.sensitivity)
        if session.sensitivity is not None:
            self.tabs.setCurrentWidget(self.tornado)
        self.stale_label.setVisible(self.stale)

    def _show_comparison(self, session, against: str | None = None) -> None:
        self.plots.clear()
        for label in session.comparison.labels:
            self.plots.set_summary(label, session.comparison.results[label].summary,
                                   session.runs, keep_line=False)
        colours = {k: v.colour for k, v in self.plots.series.items()}
        self.difference.show_comparison(session.comparison, colours, against)
        reference = self.difference.reference
        self.set_outcome(comparison_html(session.comparison, colours) + "<br>" +
                         honest.paired_html(session.comparison, reference, colours))
        self.thresholds.setText(NO_THRESHOLDS_COMPARISON)
        self.show_choice.offer(session.comparison.labels, reference)
        self.plots.set_hint(f"One colour per scenario: line = mean of {session.runs} "
                            "runs, band = 5th to 95th percentile (same seeds for all). "
                            "x axis: quarters; dashed grey: a scheduled lever moves.")

    def _show_runs(self, session) -> None:
        """A run, or a Monte Carlo (of the runs that finished, when stopped)."""
        self.plots.set_line("", session.result.metrics[list(METRIC_KEYS)].to_numpy(float))
        mc = session.monte_carlo
        self.thresholds.setText(NO_THRESHOLDS_RUN)
        if mc is None:
            self.set_outcome(honest.run_html(session.result, "Outcome: " + outcome_html(
                explain_outcome(session.result))))
        elif session.runs == 1:  # stopped before any other run ended: no band
            self.set_outcome(honest.run_html(session.result, f"{runs_prefix(session)} "
                             f"{outcome_html(explain_outcome(session.result))}"))
            self.plots.set_hint(f"Only the run of seed {session.seed} finished (the one "
                                "replayed): a band needs more runs. x axis: quarters.")
        else:
            self.plots.set_summary("", mc.summary, session.runs)
            text, table = honest.ensemble_html(mc, runs_prefix(session),
                                               "Why: " + outcome_html(explain_outcome(mc)))
            self.set_outcome(text)
            self.thresholds.setText(table)
            self.plots.set_hint(f"Solid line: mean of {runs_words(session)}; band: 5th "
                                f"to 95th percentile; dotted: the run of seed "
                                f"{session.seed} (the one replayed). x axis: quarters.")

    def show_live(self, mc, text: str) -> None:
        """Workshop live mode: the small ensemble's bands, replacing the previous ones."""
        self.placeholder.hide()
        self.plots.clear()
        self.plots.set_summary("", mc.summary, len(mc.seeds), keep_line=False)
        self.stale = False  # the live runs are of the levers as they are now
        self.stale_label.hide()
        body, table = honest.ensemble_html(mc, text, "Why: " + outcome_html(explain_outcome(mc)))
        self.set_outcome(body)
        self.thresholds.setText(table)
        self.plots.set_hint(f"Live: line = mean of {len(mc.seeds)} runs, band = 5th to 95th "
                            "percentile; it redraws when a lever moves.")


def runs_prefix(session) -> str:
    """The header's count: the runs in the result, and of how many when Stop came first."""
    if not session.stopped:
        return f"Outcomes of {session.runs} runs:"
    kept = f"Only the run of seed {session.seed} finished." if session.runs == 1 else \
        f"Outcomes of the {session.runs} that finished:"
    return f"<b>Stopped after {session.runs} of {session.planned} runs.</b> {kept}"


def runs_words(session) -> str:
    if not session.stopped:
        return f"{session.runs} runs"
    return (f"the {session.runs} runs that finished (stopped after {session.runs} of "
            f"{session.planned})")


def note_html(note: str, alone: bool = False) -> str:
    """Why the results shown are not the last job's: a line of its own, read first."""
    text = escape(note)
    return f"<b>{text}</b>" if alone else f"<span style='color:#333'>{text}</span><br>"


def comparison_html(comparison, colours: dict[str, str]) -> str:
    """One line per scenario: its colour, its name and the model's sentence."""
    rows = []
    for label in comparison.labels:
        swatch = f"<span style='color:{colours.get(label, '#333')}'>━━</span>"
        sentence = explain_outcome(comparison.results[label])
        rows.append(f"{swatch} <b>{escape(label)}</b>: {outcome_html(sentence)}")
    return "<br>".join(rows)
