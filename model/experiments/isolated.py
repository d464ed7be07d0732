"""One run in a child process, its metric rows streamed back as they come.

A long run in a thread of the GUI's process competes with the event loop for the
interpreter lock (every repaint waits); in its own process it competes for nothing. The
child gets the scenario once, sends its metric rows at most every `ROWS_INTERVAL` seconds
and the whole RunResult at the end. Cancelling (polled every `POLL_SECONDS`) kills the
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

import numpy as np

from model.engine.metrics import METRIC_KEYS
from model.engine.run import Cancelled, check_run_args, simulate
from model.experiments.runner import lower_priority

ROWS_INTERVAL = 0.05  # seconds between two batches of rows sent by the child
POLL_SECONDS = 0.05  # how often the parent looks at the pipe and the cancel flag
JOIN_SECONDS = 5.0


def _child(conn, scenario, steps: int, seed: int, record_states: bool) -> None:
    """Child side: run, send ("rows", first, array) batches, then ("done", result)."""
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
        conn.send(("done", result))
    except BaseException as error:  # noqa: BLE001 - everything goes back to the parent
        try:
            conn.send(("error", error))
        except Exception:  # noqa: BLE001 - the exception itself does not pickle
            text = "".join(traceback.format_exception_only(type(error), error)).strip()
            conn.send(("error", RuntimeError(text)))
    finally:
        conn.close()


class ProcessRun(Iterator[tuple[int, np.ndarray]]):
    """Iterates (first step, rows) from the child; `.value` holds the RunResult at the end."""

    def __init__(self, scenario, steps: int, seed: int, record_states: bool,
                 cancel: Callable[[], bool] | None):
        steps, seed = check_run_args(steps, seed)  # refused here, not in the child
        context = multiprocessing.get_context("spawn")
        self._conn, child_end = context.Pipe(duplex=False)
        self._process = context.Process(target=_child, name="ai-ecosystem-run", daemon=True,
                                        args=(child_end, scenario, steps, seed, record_states))
        self._cancel = cancel
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
            self.value = payload[0]
            self.close()
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
