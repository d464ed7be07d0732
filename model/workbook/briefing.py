"""The briefing workbook (INTERFACES.md): results as a workbook an analyst can hand on.

    from model.workbook.briefing import export_briefing
    export_briefing("brief.xlsx", scenario=s, result=run(s, 40, 0))
    export_briefing("mc.xlsx", scenario=s, result=r, monte_carlo=monte_carlo(s, 20, 40))

Sheets in order: Summary, Comparison (when scenarios were compared), Sensitivity (when a
sensitivity or a sweep ran), Calibration (after a history matching), Robustness,
Discovery, Sensitivity indices, Futures and Futures over time (after an exploration),
Parameters, TimeSeries, Nodes, Edges, Platforms, Zones, Firms, Methodology. The exporter
only writes what it is given; it never runs the model.

The book is streamed (openpyxl write-only) and saved atomically: a failure at any point
leaves no partial file and the previous file, if any, as it was. Every table is checked
against Excel's row limit before anything is written.
"""
from __future__ import annotations

import os
from dataclasses import replace
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from zipfile import ZIP_DEFLATED, ZipFile

from openpyxl.packaging.custom import StringProperty
from openpyxl.writer.excel import ExcelWriter

from model.files import textgate
from model.files.atomic import write_atomic
from model.parameters import PARAMETERS
from model.thresholds import DEFAULT_BAND_SET
from model.thresholds import band_set as band_set_of
from model.workbook import charts, futures_charts, pages
from model.workbook.cells import check_rows, clean_text, plain
from model.workbook.comparison_sheet import COMPARISON_SHEET, build_comparison
from model.workbook.comparison_sheet import WIDTHS as COMPARISON_WIDTHS
from model.workbook.calibration_sheet import CALIBRATION_SHEET, build_calibration
from model.workbook.calibration_sheet import WIDTHS as CALIBRATION_WIDTHS
from model.workbook.context import Briefing, make_briefing
from model.workbook.export_facts import code_version, library_versions, moment_text
from model.workbook import exploration_sheets as ex
from model.workbook.methodology import METHODOLOGY_SHEET, build_methodology
from model.workbook.methodology import WIDTHS as METHODOLOGY_WIDTHS
from model.workbook.network_sheets import (EDGES_SHEET, NODES_SHEET, write_frame,
                                           write_network, write_parameters)
from model.workbook.result_sheets import (TIMESERIES_SHEET, state_rows, write_state_sheets,
                                          write_time_series)
from model.workbook.scenario_book import WORKBOOK, new_workbook
from model.workbook.sensitivity_sheet import SENSITIVITY_SHEET, build_sensitivity
from model.workbook.sensitivity_sheet import WIDTHS as SENSITIVITY_WIDTHS
from model.workbook.summary_sheet import SUMMARY_SHEET, build_summary

Progress = Callable[[int, int], None]
_PAGE = 50  # progress units of a page-like sheet (Summary, ..., Methodology) or the save
_TABLE_SHEETS = ("Parameters", TIMESERIES_SHEET, NODES_SHEET, EDGES_SHEET, "Platforms",
                 "Zones", "Firms")


def export_briefing(path: str | os.PathLike, *, scenario, result, monte_carlo=None,
                    comparison=None, sensitivity=None, sweep=None, exploration=None,
                    calibration=None, band_set: str = DEFAULT_BAND_SET,
                    progress: Progress | None = None, created: datetime | None = None,
                    notes: list[str] | None = None, command: str | None = None) -> Path:
    """Writes the briefing workbook for results already computed; returns the path written.

    scenario: the Scenario that ran (its network and parameters fill Nodes, Edges and
    Parameters; for a comparison, the baseline). result: the RunResult of the base seed
    (its final state fills Platforms, Zones, Firms). monte_carlo: a MonteCarloResult;
    comparison: a ComparisonResult; sensitivity: the table of `experiments.sensitivity`;
    sweep: the table of `experiments.sweep`; exploration: the Exploration of
    `model.exploration.experiment.explore` (result: the scenario's own run); calibration:
    the Calibration of `model.calibration.runs.calibrate` (its own sheet). band_set: us2010, us2023 or eu2004.
    progress(done, total) is called as rows are written (every few thousand rows of a
    large table, after each other sheet, after the save: done == total at the end).
    created: the date printed (default: now). notes: a list that gets the warning, if
    any, about characters a workbook cannot hold (written as U+FFFD; `model.files.textgate`).
    command: the command line that made it (printed in the provenance; the CLI passes it).
    Raises InputError for a table too large for Excel or a file that cannot be written.
    """
    briefing = make_briefing(scenario, result, monte_carlo, comparison, sensitivity, sweep,
                             band_set_of(band_set), created, exploration, command)
    if calibration is not None:
        briefing = replace(briefing, calibration=calibration)
    check_sizes(briefing)
    with textgate.collecting(WORKBOOK, notes):
        wb = new_workbook(scenario, "AI ecosystem briefing")
        tracker = _Tracker(progress, briefing)
        try:
            _write_sheets(wb, briefing, tracker)
            _properties(wb, briefing)
            written = write_atomic(path, lambda handle: _save(wb, handle), to="file",
                                   backup=False)
        finally:
            _discard(wb)
    tracker.page()
    return written


def sheet_names(briefing: Briefing) -> list[str]:
    names = [SUMMARY_SHEET]
    if briefing.comparison is not None:
        names.append(COMPARISON_SHEET)
    if briefing.has_analysis:
        names.append(SENSITIVITY_SHEET)
    if briefing.calibration is not None:
        names.append(CALIBRATION_SHEET)
    return names + _exploration_sheets(briefing) + [*_TABLE_SHEETS, METHODOLOGY_SHEET]


def _exploration_sheets(briefing: Briefing) -> list[str]:
    x = briefing.exploration
    if x is None:
        return []
    indices = [ex.INDICES_SHEET] if x.sensitivity is not None else []
    bands = [futures_charts.BANDS_SHEET] if futures_charts.has_bands(x) else []
    return [ex.ROBUSTNESS_SHEET, ex.DISCOVERY_SHEET, *indices, ex.FUTURES_SHEET, *bands]


def check_sizes(briefing: Briefing) -> None:
    """Refuses, before any work, a table that one Excel sheet cannot hold."""
    network = briefing.scenario.network
    sizes = {NODES_SHEET: len(network.nodes), EDGES_SHEET: len(network.edges),
             TIMESERIES_SHEET: len(briefing.series.frame), **state_rows(briefing.result)}
    if briefing.exploration is not None:
        sizes[ex.FUTURES_SHEET] = len(briefing.exploration.rows)
        if futures_charts.has_bands(briefing.exploration):
            sizes[futures_charts.BANDS_SHEET] = len(briefing.exploration.step_bands)
    for sheet, rows in sizes.items():
        check_rows(rows, sheet)


class _Tracker:
    """progress(done, total) counted in rows, so that the bar moves within a large sheet:
    every table row is one, each page-like sheet and the save count as `_PAGE`."""

    def __init__(self, callback: Progress | None, b: Briefing):
        network = b.scenario.network
        tables = len(PARAMETERS) + len(b.series.frame) + len(network.nodes) + \
            len(network.edges) + sum(state_rows(b.result).values())
        tables += 0 if b.exploration is None else len(b.exploration.rows)
        tables += len(b.exploration.step_bands) if futures_charts.has_bands(b.exploration) \
            else 0
        pages = len(sheet_names(b)) - len(_TABLE_SHEETS) + 1 - (b.exploration is not None)
        self.callback, self.done, self.total = callback, 0, tables + pages * _PAGE

    def rows(self, n: int) -> None:
        self.done = min(self.total, self.done + n)
        if self.callback is not None:
            self.callback(self.done, self.total)

    def page(self) -> None:
        self.rows(_PAGE)


def _write_sheets(wb, b: Briefing, tracker: _Tracker) -> None:
    comparison_grid, block = build_comparison(b) if b.comparison is not None else (None, None)
    layout = build_summary(b, block)
    grid, widths = layout.grid, layout.widths
    sources = {SUMMARY_SHEET: grid.value,
               TIMESERIES_SHEET: _frame_lookup(b.series.frame, b.series.first_row)}
    if comparison_grid is not None:  # the Summary's charts draw from the Comparison sheet
        sources[COMPARISON_SHEET] = comparison_grid.value
    if futures_charts.has_bands(b.exploration):  # or from the exploration's bands
        sources[futures_charts.BANDS_SHEET] = _frame_lookup(
            futures_charts.bands_frame(b.exploration), futures_charts.FIRST_ROW)
    ws = wb.create_sheet(SUMMARY_SHEET)
    _summary_print(ws, layout)
    _write_grid(ws, grid, widths, sources)
    tracker.page()
    if comparison_grid is not None:
        _free_sheet(wb, COMPARISON_SHEET, comparison_grid, COMPARISON_WIDTHS, sources,
                    last_row=block.printed_rows)
        tracker.page()
    if b.has_analysis:
        _free_sheet(wb, SENSITIVITY_SHEET, build_sensitivity(b), SENSITIVITY_WIDTHS, sources)
        tracker.page()
    if b.calibration is not None:
        _free_sheet(wb, CALIBRATION_SHEET, build_calibration(b.calibration), CALIBRATION_WIDTHS,
                    sources)
        tracker.page()
    options = {"prepare": _printable, "on_rows": tracker.rows}
    if b.exploration is not None:
        _write_exploration(wb, b.exploration, tracker, options, sources)
    write_parameters(wb, b.scenario, **options)
    write_time_series(wb, b.series, **options)
    write_network(wb, b.scenario.network, **options)
    write_state_sheets(wb, b.result, **options)
    _free_sheet(wb, METHODOLOGY_SHEET, build_methodology(b), METHODOLOGY_WIDTHS)
    tracker.page()


def _write_exploration(wb, x, tracker: _Tracker, options: dict, sources: dict) -> None:
    _free_sheet(wb, ex.ROBUSTNESS_SHEET, ex.build_robustness(x), ex.ROBUSTNESS_WIDTHS,
                sources)
    tracker.page()
    _free_sheet(wb, ex.DISCOVERY_SHEET, ex.build_discovery(x), ex.DISCOVERY_WIDTHS, sources)
    tracker.page()
    if x.sensitivity is not None:
        _free_sheet(wb, ex.INDICES_SHEET, ex.build_indices(x), ex.INDICES_WIDTHS, sources)
        tracker.page()
    write_frame(wb, ex.FUTURES_SHEET, ex.futures_frame(x), formats=ex.futures_formats(x),
                freeze="D2", labels=True, **options)
    if futures_charts.has_bands(x):
        futures_charts.write_bands(wb, x, **options)


def _free_sheet(wb, title: str, grid, widths, sources: dict | None = None,
                last_row: int | None = None):
    """A free-layout sheet, printed fitted to the page width (`pages.free_sheet_print`);
    last_row: the print area ends there (chart data below it stays off paper)."""
    ws = wb.create_sheet(title)
    ws.freeze_panes = "A3"
    pages.free_sheet_print(ws, grid, widths, last_row=last_row)
    if sources is not None:
        sources[title] = grid.value
    _write_grid(ws, grid, widths, sources or {title: grid.value})
    return ws


def _write_grid(ws, grid, widths, sources: dict) -> None:
    """The grid, its charts carrying the values they draw (`charts.fill_caches`)."""
    lookup = lambda sheet, row, col: sources[sheet](row, col) if sheet in sources else None  # noqa: E731
    for chart in grid.charts:
        charts.fill_caches(chart, lookup)
    grid.write(ws, widths)


def _frame_lookup(frame, first: int = 2):
    """Cell (row, col) of a data sheet written by `write_frame` (its first row of values
    at `first`: 2 under one header row, 3 under a label row and the keys)."""
    def value(row: int, col: int):
        if row < first or row - first >= len(frame) or col > len(frame.columns):
            return None
        return plain(frame.iat[row - first, col - 1])
    return value


def _printable(ws, *, widths: list[float], rows: int, key_cols: int,
               header_rows: int = 1) -> None:
    """A data sheet: fitted to the page width with its header and key columns on every
    page, or marked as not for print (`pages.data_sheet_print`)."""
    pages.data_sheet_print(ws, widths, rows, key_cols, header_rows)


def _summary_print(ws, layout) -> None:
    """Landscape A4 at the layout's scale (100 %: never shrunk to fit), page breaks that
    keep each block whole, no grid lines: the Summary prints as a brief."""
    ws.sheet_view.showGridLines = False
    ws.print_options.horizontalCentered = True
    pages.set_print(ws, scale=layout.scale, area=layout.area, page_breaks=layout.breaks,
                    footer=f"{SUMMARY_SHEET}: illustrative scenario, not a forecast")


def _properties(wb, b: Briefing) -> None:
    """Provenance where Excel's File > Info shows it, and as custom properties."""
    p = b.provenance
    props = wb.properties
    props.created = props.modified = _utc(b.created)
    props.keywords = (f"AI Ecosystem Planner {p.tool_version}; seeds {b.seeds_text}; "
                      f"scenario sha256 {p.scenario_hash}")
    custom = {"tool_version": p.tool_version, "seeds": b.seeds_text, "runs": str(b.runs),
              "steps": str(b.steps), "scenario_hash": p.scenario_hash,
              "network_hash": p.network_hash, "parameter_hash": b.parameter_hash,
              "band_set": b.bands.key, "command": b.command or "application window",
              "code_version": code_version(), "libraries": library_versions(),
              "exported": moment_text(b.created)}
    for name, value in custom.items():
        wb.custom_doc_props.append(StringProperty(name=name, value=clean_text(value)[:255]))


def _save(wb, handle) -> None:
    """`Workbook.save`, but a failure closes the zip it was writing: left open, the zip
    would try to finish itself later into a file already discarded."""
    archive = ZipFile(handle, "w", ZIP_DEFLATED, allowZip64=True)
    try:
        ExcelWriter(wb, archive).save()
    except BaseException:
        try:
            archive.close()
        except Exception:  # an entry was half written: drop the archive unfinished
            archive.fp = None
        raise


def _utc(moment: datetime) -> datetime:
    """Document dates are stored in UTC; a naive date is taken as local time."""
    return moment.astimezone(timezone.utc).replace(tzinfo=None)


def _discard(wb) -> None:
    """Removes the temporary files a write-only book streams its sheets into (saving
    removes them itself; after a failure they would stay until the program exits)."""
    for ws in wb.worksheets:
        writer = getattr(ws, "_writer", None)
        if writer is None or not os.path.exists(writer.out):
            continue
        for stream in (getattr(ws, "_rows", None), writer.xf):
            try:
                if stream is not None:
                    stream.close()
            except Exception:  # a half-written stream may fail to close; it is discarded
                pass
        try:
            writer.cleanup()
        except (OSError, ValueError):
            pass
