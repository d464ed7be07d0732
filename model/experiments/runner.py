"""Many independent runs through a `concurrent.futures.Executor`, streamed back run by run.

A job is (variant, seed); a variant is a compiled scenario plus parameter changes. Jobs are
sent in batches (to amortise pickling). With our own process pool the compiled scenarios go
to each worker once, through the pool's initializer; with any other executor (a Dask
cluster's, or one the caller owns) they travel with each batch.

    executor=None         run here, synchronously (tests, tiny experiments)
    executor="processes"  a pool of local worker processes (the default of the CLI)
    executor=<Executor>   e.g. distributed.Client(address).get_executor()
"""
from __future__ import annotations

import math
import multiprocessing
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, ProcessPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np

from model.engine.outcome import classify
from model.engine.run import Cancelled, Prepared, run_metrics
from model.errors import InputError

PROCESSES = "processes"
MAX_BATCH = 50
POLL_SECONDS = 0.1
WORKER_NICENESS = 5  # added to the workers' nice value (lower priority)

_WORKER_SCENARIOS: dict[int, tuple[Prepared, ...]] = {}  # per worker process, set once


@dataclass(frozen=True)
class Variant:
    """Which compiled scenario (index into the experiment's list) with which changes."""

    scenario: int
    changes: Mapping[str, float]


@dataclass(frozen=True)
class RunOutput:
    variant: int
    seed: int
    metrics: np.ndarray  # (steps + 1, metrics)
    outcome: str


def lower_priority() -> None:
    """Worker processes yield to interactive work (the window, a terminal): with every
    core busy running, an equal share would make the window stutter. An idle machine gives
    them the same time either way. (No-op where os.nice does not exist, as on Windows.)"""
    if hasattr(os, "nice"):
        try:
            os.nice(WORKER_NICENESS)
        except OSError:  # not permitted here: run at the normal priority
            pass


def _install(token: int, scenarios: tuple[Prepared, ...]) -> None:
    lower_priority()
    _WORKER_SCENARIOS[token] = scenarios


def _run_batch(token, scenarios, variants, jobs, steps):
    """Worker side: run each (variant, seed) of the batch; scenarios None = installed."""
    scenarios = scenarios if scenarios is not None else _WORKER_SCENARIOS[token]
    prepared = {}
    out = []
    for v, seed in jobs:
        if v not in prepared:
            spec = variants[v]
            prepared[v] = scenarios[spec.scenario].with_parameters(spec.changes)
        table = run_metrics(prepared[v], seed, steps)
        out.append(RunOutput(v, seed, table, classify(table[0], table[-1],
                                                      prepared[v].coefficients)))
    return out


def batch_size(n_jobs: int, workers: int) -> int:
    return max(1, min(MAX_BATCH, math.ceil(n_jobs / (4 * max(1, workers)))))


def iter_runs(scenarios: Sequence[Prepared], variants: Sequence[Variant], seeds: Sequence[int],
              steps: int, *, executor=None, workers: int | None = None,
              progress: Callable[[int, int], None] | None = None,
              cancel: Callable[[], bool] | None = None) -> Iterator[RunOutput]:
    """Every variant on every seed, yielded as runs complete (order not guaranteed)."""
    lean = tuple(s.lean() for s in scenarios)
    variants = tuple(variants)
    for v in variants:  # bad changes fail here, before any process starts
        lean[v.scenario].with_parameters(v.changes)
    jobs = [(v, int(s)) for v in range(len(variants)) for s in seeds]
    total = len(jobs)
    if executor is None:
        yield from _run_here(lean, variants, jobs, steps, progress, cancel)
        return
    if executor == PROCESSES:
        workers = workers or default_workers()
        token = id(lean)
        context = multiprocessing.get_context("spawn")
        pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_install,
                                   initargs=(token, lean))
        finished = False
        try:
            yield from _stream(pool, token, None, variants, jobs, steps, workers, total,
                               progress, cancel)
            finished = True
        finally:  # on cancel or error, do not wait for batches still running
            pool.shutdown(wait=finished, cancel_futures=True)
        return
    if not isinstance(executor, Executor) and not hasattr(executor, "submit"):
        raise InputError(f"{executor!r} is not an executor",
                         fix="pass None, 'processes' or a concurrent.futures.Executor")
    yield from _stream(executor, 0, lean, variants, jobs, steps, workers or default_workers(),
                       total, progress, cancel)


def _run_here(lean, variants, jobs, steps, progress, cancel):
    for done, job in enumerate(jobs, start=1):
        if cancel is not None and cancel():
            raise Cancelled(f"stopped after {done - 1} of {len(jobs)} runs")
        yield from _run_batch(0, lean, variants, [job], steps)
        if progress is not None:
            progress(done, len(jobs))


def _stream(executor, token, payload, variants, jobs, steps, workers, total, progress, cancel):
    size = batch_size(total, workers)
    pending = {executor.submit(_run_batch, token, payload, variants, jobs[i:i + size], steps)
               for i in range(0, total, size)}
    done_runs = 0
    try:
        while pending:
            if cancel is not None and cancel():
                raise Cancelled(f"stopped after {done_runs} of {total} runs")
            finished, pending = wait(pending, timeout=POLL_SECONDS, return_when=FIRST_COMPLETED)
            for future in finished:
                for output in future.result():
                    done_runs += 1
                    yield output
                    if progress is not None:
                        progress(done_runs, total)
    finally:
        for future in pending:
            future.cancel()


def warm_up() -> None:
    """Pays ahead what the first process pool would pay while the caller waits: importing
    the spawn machinery and starting multiprocessing's resource tracker (a process of its
    own on POSIX). The desktop app calls it in the background after start-up."""
    import multiprocessing.synchronize  # noqa: F401 - imported for its side effect

    if os.name == "posix":
        import multiprocessing.popen_spawn_posix  # noqa: F401
        from multiprocessing import resource_tracker

        resource_tracker.ensure_running()


def default_workers() -> int:
    return max(1, os.cpu_count() or 1)


@contextmanager
def open_executor(scheduler: str | None = None, timeout: float = 10.0):
    """PROCESSES when no scheduler is named, else the Dask cluster's executor (the client is
    closed on exit). InputError when the address cannot be reached."""
    if not scheduler:
        yield PROCESSES
        return
    try:
        from distributed import Client
    except ImportError:
        raise InputError("--scheduler needs the `distributed` package",
                         fix="install dask[distributed] or run without --scheduler") from None
    try:
        client = Client(scheduler, timeout=timeout)
    except (OSError, TimeoutError, ValueError) as error:
        raise InputError(f"cannot reach the Dask scheduler at {scheduler!r}: {error}",
                         fix="check the address (tcp://HOST:PORT) and that the scheduler runs"
                         ) from None
    try:
        yield client.get_executor()
    finally:
        client.close()
