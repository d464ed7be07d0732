"""One run in a child process, its metric rows streamed back as they come.

A long run in a thread of the GUI's process competes with the event loop for the
interpreter lock (every repaint waits); in its own process it competes for nothing. The
child gets the scenario once, sends its metric rows at most every `ROWS_INTERVAL` seconds
and the RunResult at the end, in pieces (`_send_result`). Cancelling (polled every `POLL_SECONDS`) kills the
child: no run state is worth waiting for.

    stream = run_in_process(scenario, steps=40, seed=0, record_states=True, cancel=...)
    for first_step, rows in stream: ...       # rows: (k, len(METRIC_KEYS)) arrays
    result = stream.value                     # after the loop: the RunResult

Errors in the child come back as the same exception when it pickles (InputError does),
else as a RuntimeError with its text; a child that dies (killed, out of memory) is a
RuntimeError naming its exit code.
"""
from __future__ import annotations

import multiprocessing
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import replace

import numpy as np
import pandas as pd

from model.engine.metrics import METRIC_KEYS
from model.engine.results import StateHistory
from model.engine.run import Cancelled, check_run_args, simulate
from model.experiments.runner import lower_priority, start_resource_tracker, watch_parent

ROWS_INTERVAL = 0.05  # seconds between two batches of rows sent by the child
POLL_SECONDS = 0.05  # how often the parent looks at the pipe and the cancel flag
JOIN_SECONDS = 5.0


def _child(conn, scenario, steps: int, seed: int, record_states: bool) -> None:
    """Child side: run, send ("rows", first, array) batches, then ("done", result)."""
    watch_parent()  # a parent killed outright leaves no run computing for nobody
    lower_priority()  # the window that waits for the rows comes first
    try:
        generator = simulate(scenario, steps, seed, record_states=record_states)
        pending, first, last_sent = [], 0, time.monotonic()
        while True:
            try:
                record = next(generator)
            except StopIteration as stop:
                result = stop.value
                break
            pending.append([record.metrics[k] for k in METRIC_KEYS])
            if time.monotonic() - last_sent >= ROWS_INTERVAL:
                conn.send(("rows", first, np.array(pending, float)))
                first, pending, last_sent = record.step + 1, [], time.monotonic()
        if pending:
            conn.send(("rows", first, np.array(pending, float)))
        _send_result(conn, result)
    except BaseException as error:  # noqa: BLE001 - everything goes back to the parent
        try:
            conn.send(("error", error))
        except Exception:  # noqa: BLE001 - the exception itself does not pickle
            text = "".join(traceback.format_exception_only(type(error), error)).strip()
            conn.send(("error", RuntimeError(text)))
    finally:
        conn.close()


TABLES = ("metrics", "platforms", "zones", "firms")


def _send_result(conn, result) -> None:
    """The result in pieces (a column, a state field), then ("done", the rest): unpickling
    holds the receiver's interpreter lock, and 100,000 firms' text columns in one message
    would hold it for a tenth of a second, while its window waits."""
    for name in TABLES:
        for column, values in getattr(result, name).items():
            conn.send(("column", name, column, values))
    states = result.states
    if states is not None:
        conn.send(("ids", states.ids, states.edge_ends))
        for group, fields in (("node", states.fields), ("edge", states.edge_fields)):
            for key, values in fields.items():
                conn.send(("field", group, key, values))
    bare = {name: None for name in TABLES}
    conn.send(("done", replace(result, states=None, **bare), states is not None))


class _Assembly:
    """The parent's side of `_send_result`."""

    def __init__(self):
        self.columns = {name: {} for name in TABLES}
        self.ids = self.edge_ends = None
        self.fields = {"node": {}, "edge": {}}

    def add(self, kind, payload) -> None:
        if kind == "column":
            name, column, values = payload
            self.columns[name][column] = values
        elif kind == "ids":
            self.ids, self.edge_ends = payload
        else:
            group, key, values = payload
            self.fields[group][key] = values

    def result(self, bare, has_states: bool):
        tables = {name: pd.DataFrame(columns) for name, columns in self.columns.items()}
        states = StateHistory(self.ids, self.fields["node"], self.edge_ends,
                              self.fields["edge"]) if has_states else None
        return replace(bare, states=states, **tables)


class ProcessRun(Iterator[tuple[int, np.ndarray]]):
    """Iterates (first step, rows) from the child; `.value` holds the RunResult at the end."""

    def __init__(self, scenario, steps: int, seed: int, record_states: bool,
                 cancel: Callable[[], bool] | None):
        steps, seed = check_run_args(steps, seed)  # refused here, not in the child
        context = multiprocessing.get_context("spawn")
        start_resource_tracker()
        self._conn, child_end = context.Pipe(duplex=False)
        self._process = context.Process(target=_child, name="ai-ecosystem-run", daemon=True,
                                        args=(child_end, scenario, steps, seed, record_states))
        self._cancel = cancel
        self._assembly = _Assembly()
        self.value = None
        self._process.start()
        child_end.close()  # the child holds the only writer: EOF when it ends

    def __next__(self) -> tuple[int, np.ndarray]:
        while self.value is None:
            if self._cancel is not None and self._cancel():
                self.close()
                raise Cancelled("run stopped")
            if not self._conn.poll(POLL_SECONDS):
                continue
            try:
                kind, *payload = self._conn.recv()
            except EOFError:
                self.close()
                raise RuntimeError(f"the run's process ended unexpectedly (exit code "
                                   f"{self._process.exitcode})") from None
            if kind == "rows":
                return payload[0], payload[1]
            if kind == "error":
                self.close()
                raise payload[0]
            if kind == "done":
                self.value = self._assembly.result(*payload)
                self.close()
            else:
                self._assembly.add(kind, payload)
        raise StopIteration

    def close(self) -> None:
        """Ends the child (killed if still running) and releases the pipe."""
        if self._process.is_alive():
            self._process.kill()
        self._process.join(JOIN_SECONDS)
        self._conn.close()


def run_in_process(scenario, steps: int, seed: int = 0, *, record_states: bool = False,
                   cancel: Callable[[], bool] | None = None) -> ProcessRun:
    return ProcessRun(scenario, steps, seed, record_states, cancel)
