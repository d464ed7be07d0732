"""Many independent runs through a `concurrent.futures.Executor`, streamed back run by run.

A job is (variant, seed); a variant is a compiled scenario plus parameter changes. A task
is a batch: runs stepped together by the engine (`model.engine.run_batch`), of variants of
one scenario that change the same parameters (a Monte Carlo's seeds of one variant, or the
sampled futures of an exploration, each with its own values), as many as fit a memory
budget and leave every worker a few tasks (`plan_batches`). With our own process pool the compiled scenarios go to each
worker once, through the pool's initializer; with any other executor (a Dask cluster's,
or one the caller owns) they travel with each task.

    executor=None         run here, synchronously (tests, tiny experiments)
    executor="processes"  a pool of local worker processes (the default of the CLI)
    executor=<Executor>   e.g. distributed.Client(address).get_executor()
"""
from __future__ import annotations

import math
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, ProcessPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np

from model.engine.memory import keep_freed_memory
from model.experiments import early
from model.experiments.early import start_resource_tracker
from model.engine.run import Cancelled, Prepared, bytes_per_run, growth_key, run_batch
from model.errors import InputError
from model.stopping import deferred

PROCESSES = "processes"
MAX_BATCH = 256  # runs per task: past this, a batch runs no faster per run (benchmarks)
TASKS_PER_WORKER = 4  # smaller tasks than that: progress moves, workers share the load
# Each worker's first task holds 1/QUICK_START of a task's runs: the first runs come back
# (and progress moves) in a fraction of a second instead of after a whole batch.
QUICK_START = 8
MEMORY_BUDGET = 1_000_000_000  # bytes of engine state per worker's batch, by default
POLL_SECONDS = 0.1
JOIN_SECONDS = 5.0  # at most this long for an ended worker to go
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
    metrics: np.ndarray  # (steps + 1, metrics); (2, metrics) with ends_only: step 0, the end
    outcome: str


@dataclass(frozen=True)
class Batch:
    """The runs of one task: (variant, seed) each, variants of one scenario that change the
    same parameters (their values may differ run by run)."""

    items: tuple[tuple[int, int], ...]

    @property
    def runs(self) -> int:
        return len(self.items)


@dataclass(frozen=True)
class BatchOutput:
    batch: Batch
    tables: np.ndarray  # (runs, steps + 1, metrics)
    outcomes: tuple[str, ...]

    def runs(self) -> Iterator[RunOutput]:
        for (variant, seed), table, outcome in zip(self.batch.items, self.tables,
                                                   self.outcomes):
            yield RunOutput(variant, seed, table, outcome)


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
    ignore_interrupts()
    watch_parent()
    lower_priority()
    keep_freed_memory()
    _WORKER_SCENARIOS[token] = scenarios


def ignore_interrupts() -> None:
    """A worker leaves Ctrl-C to the process that started it, which ends the workers: a
    terminal sends SIGINT to every process of the job, and each worker would otherwise
    print its own KeyboardInterrupt traceback."""
    if hasattr(signal, "SIGINT"):
        signal.signal(signal.SIGINT, signal.SIG_IGN)


ORPHANED_STATUS = 3  # a worker's exit status when its parent ended without a word


def watch_parent() -> None:
    """In a worker process: end this process as soon as its parent ends, however it ends
    (kill -9 included, when nothing tells the workers). A thread blocks on the parent's
    sentinel (a pipe's far end on POSIX, the parent's handle on Windows), which becomes
    ready when the parent exits: no polling, and no process outlives its parent."""
    parent = multiprocessing.parent_process()
    if parent is None or parent.sentinel is None:
        return
    from multiprocessing.connection import wait as wait_ready

    def watch() -> None:
        wait_ready([parent.sentinel])
        os._exit(ORPHANED_STATUS)  # no cleanup is owed to a parent that is gone

    threading.Thread(target=watch, name="parent-watchdog", daemon=True).start()


@contextmanager
def interrupts_ignored(then_raise: bool = True):
    """Ctrl-C ignored for the block, in the main thread (elsewhere Python receives no
    signals: a no-op). Processes started inside inherit the ignoring from their first
    instruction, so a worker cannot be interrupted before its initializer takes over (a
    Ctrl-C in those milliseconds is lost, not half-handled); and ending the workers is
    not cut short by a second Ctrl-C. SIGTERM and SIGHUP are deferred rather than
    ignored (`model.stopping.deferred`: raised after the block when `then_raise`), so
    that the workers keep their default action and `terminate` still ends them."""
    if threading.current_thread() is not threading.main_thread() or \
            not hasattr(signal, "SIGINT"):
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        with deferred(then_raise):
            yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _run_batches(token, scenarios, variants, batches, steps, cancel=None, ends_only=False):
    """Worker side: run each batch; scenarios None = installed in this worker. Scenarios
    sent with the tasks of a token are kept from its first task on (their step-0
    templates are built once per worker). `ends_only`: tables of step 0 and the end."""
    if scenarios is None:
        scenarios = _WORKER_SCENARIOS[token]
    elif token:
        scenarios = _WORKER_SCENARIOS.setdefault(token, scenarios)
    prepared = {}
    out = []
    for batch in batches:
        specs = [variants[v] for v, _ in batch.items]
        common, values = split_changes([spec.changes for spec in specs])
        key = (specs[0].scenario, tuple(sorted(common.items())))
        if key not in prepared:
            prepared[key] = scenarios[specs[0].scenario].with_parameters(common)
        seeds = [seed for _, seed in batch.items]
        tables, outcomes = run_batch(prepared[key], seeds[0], len(seeds), steps, cancel,
                                     seeds=seeds, values=values, ends_only=ends_only)
        out.append(BatchOutput(batch, tables, tuple(outcomes)))
    return out


def check_variants(scenarios: Sequence[Prepared], variants: Sequence[Variant]) -> None:
    """The InputError that `with_parameters` would raise for the first variant with a bad
    change, if any. Checked column by column (one key's values of many variants at once):
    an exploration's thousands of futures would otherwise build a parameter set each."""
    groups: dict[tuple, list[Variant]] = {}
    for v in variants:
        scenarios[v.scenario]  # noqa: B018 - an IndexError as with_parameters would give
        groups.setdefault(tuple(v.changes), []).append(v)
    for keys, members in groups.items():
        if not _columns_valid(keys, members):
            for v in variants:  # the slow path finds the first bad one and its message
                scenarios[v.scenario].with_parameters(v.changes)


def _columns_valid(keys: tuple[str, ...], members: Sequence[Variant]) -> bool:
    """Whether every value of these variants (changing `keys`, in that order) is a number
    within its parameter's range (whole where it must be): what Parameter.check accepts."""
    from model.parameters import parameter

    specs = [parameter(key) for key in keys]  # an unknown key: its InputError
    rows = [tuple(v.changes.values()) for v in members]
    kinds = {type(x) for row in rows for x in row}
    if not kinds <= {float, int, np.float64}:  # text, bools, numpy ints: the slow path
        return False
    table = np.array(rows, dtype=float).reshape(len(rows), len(keys))
    for j, spec in enumerate(specs):
        column = table[:, j]
        with np.errstate(invalid="ignore"):
            ok = np.isfinite(column) & (column >= spec.low) & (column <= spec.high)
        if spec.integer:
            ok &= column == np.trunc(column)
        if not ok.all():
            return False
    return True


def split_changes(changes: Sequence[Mapping[str, float]]
                  ) -> tuple[dict[str, float], dict[str, np.ndarray]]:
    """The changes every run shares, and the values of those that differ (one per run)."""
    keys = set().union(*changes) if changes else set()
    common, values = {}, {}
    for key in sorted(keys):
        row = [c[key] for c in changes]  # variants of one batch change the same keys
        if all(v == row[0] for v in row):
            common[key] = row[0]
        else:
            values[key] = np.array(row, dtype=float)
    return common, values


def batch_size(n_jobs: int, workers: int, run_bytes: int = 0,
               budget: int = MEMORY_BUDGET, tasks_per_worker: int = TASKS_PER_WORKER) -> int:
    """Runs per task: as many as fit `budget` bytes of state (at least one), at most
    MAX_BATCH, and few enough that each worker gets about `tasks_per_worker` tasks."""
    by_memory = max(1, budget // max(1, run_bytes))
    by_share = math.ceil(n_jobs / (max(1, tasks_per_worker) * max(1, workers)))
    return max(1, min(MAX_BATCH, by_memory, by_share))


def plan_batches(variants: Sequence[Variant], seeds: Sequence[int], size: int,
                 first: Sequence[int] = (), key: Callable[[Variant], float] | None = None
                 ) -> list[Batch]:
    """Every (variant, seed) in batches of at most `size` runs: runs of variants of one
    scenario that change the same parameters share batches, variant by variant, seed by
    seed (a Monte Carlo's batch is one variant's consecutive seeds; an exploration's holds
    many futures). `first`: the sizes of the first batches (smaller ones, that end soon).
    `key`: the variants of a group are taken in its order (stable), e.g. by how many
    firm slots their runs will need: a batch's blocks are as wide as its busiest run's,
    so runs of like size share batches. A run's numbers do not depend on its batch."""
    groups: dict[tuple, list[int]] = {}
    for v, variant in enumerate(variants):
        groups.setdefault((variant.scenario, tuple(sorted(variant.changes))), []).append(v)
    seeds = [int(s) for s in seeds]
    batches = []
    heads = list(first)
    for members in groups.values():
        if key is not None:
            members = sorted(members, key=lambda v: key(variants[v]))
        items = [(v, s) for v in members for s in seeds]
        start = 0
        while start < len(items):
            end = start + (heads.pop(0) if heads else size)
            batches.append(Batch(tuple(items[start:end])))
            start = end
    return batches


def quick_start_sizes(size: int, workers: int) -> tuple[int, ...]:
    """The sizes of each worker's first, smaller batch (none when batches are small)."""
    small = size // QUICK_START
    return (small,) * workers if small >= 1 else ()


def iter_runs(scenarios: Sequence[Prepared], variants: Sequence[Variant], seeds: Sequence[int],
              steps: int, *, executor=None, workers: int | None = None,
              progress: Callable[[int, int], None] | None = None,
              cancel: Callable[[], bool] | None = None,
              memory_budget: int = MEMORY_BUDGET,
              tasks_per_worker: int = TASKS_PER_WORKER,
              quick_start: bool = True, ends_only: bool = False) -> Iterator[RunOutput]:
    """Every variant on every seed, yielded as batches complete (order not guaranteed).
    `memory_budget`: bytes of engine state one batch may hold; `tasks_per_worker`: how
    many tasks each worker should get (more: smoother progress; fewer: less overhead);
    `quick_start`: each worker's first batch is small, so that progress moves early (off
    when only the whole result matters, as in live mode); `ends_only`: each run's metrics
    are those of step 0 and of the end alone (no metric computed, nor sent back, for the
    steps between)."""
    lean = tuple(s.lean() for s in scenarios)
    variants = tuple(variants)
    check_variants(lean, variants)  # bad changes fail here, before any process starts
    total = len(variants) * len(seeds)
    if not total:
        return
    run_bytes = max(bytes_per_run(s.net, steps) for s in lean)
    in_process = executor is None
    workers = 1 if in_process else (workers or default_workers())
    size = batch_size(total, workers, run_bytes, memory_budget, tasks_per_worker)
    first = quick_start_sizes(size, workers) if quick_start else ()
    batches = plan_batches(variants, seeds, size, first,
                           lambda v: growth_key(lean[v.scenario], v.changes))
    if in_process:
        yield from _run_here(lean, variants, batches, steps, total, progress, cancel,
                             ends_only)
        return
    if executor == PROCESSES:
        token = id(lean)
        pool = early.claim(workers)  # started while the command was importing, if it was
        payload = lean if pool is not None else None  # its workers get them with the tasks
        if pool is None:
            context = multiprocessing.get_context("spawn")
            start_resource_tracker()
            pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_install,
                                       initargs=(token, lean))
        finished = False
        try:
            yield from _stream(pool, token, payload, variants, batches, steps, total,
                               progress, cancel, cancel_pending=False, ends_only=ends_only)
            finished = True
        finally:  # on cancel or error, do not wait for batches still running
            _shut_down(pool, finished)
        return
    if not isinstance(executor, Executor) and not hasattr(executor, "submit"):
        raise InputError(f"{executor!r} is not an executor",
                         fix="pass None, 'processes' or a concurrent.futures.Executor")
    yield from _stream(executor, 0, lean, variants, batches, steps, total, progress, cancel,
                       ends_only=ends_only)


def _shut_down(pool: ProcessPoolExecutor, finished: bool) -> None:
    """After the last batch, a normal shutdown; on Stop, Ctrl-C or an error, the workers
    are ended at once (a batch in progress is not worth waiting for). They are ended
    before the shutdown: a pool told to shut down replaces a worker that exits (CPython
    3.11), a pool whose workers died is broken and starts none."""
    if finished:
        pool.shutdown(wait=True)
        return
    with interrupts_ignored(then_raise=False):  # already stopping
        _end_workers(pool)


def _end_workers(pool: ProcessPoolExecutor) -> None:
    workers = list(dict(getattr(pool, "_processes", None) or {}).values())  # one read
    manager = getattr(pool, "_executor_manager_thread", None)  # shutdown forgets it
    for process in workers:
        process.terminate()
    pool.shutdown(wait=False, cancel_futures=True)
    for process in workers:
        process.join(JOIN_SECONDS)
    if manager is not None:
        manager.join(JOIN_SECONDS)
        _forget_wakeup(manager)


def _forget_wakeup(manager) -> None:
    """CPython 3.11 wakes every pool's manager thread at exit, through a pipe that the
    manager closes as it ends, unlocked: a manager still ending then (a loaded machine)
    gives "Exception ignored ... Bad file descriptor" with a traceback after a clean stop.
    A manager that has ended needs no waking; one still ending is woken through a guard
    that ignores a pipe already closed."""
    from concurrent.futures import process as pool_module

    wakeups = getattr(pool_module, "_threads_wakeups", None)
    if wakeups is None or manager not in wakeups:
        return
    if not manager.is_alive():
        wakeups.pop(manager, None)
    else:
        wakeups[manager] = _GuardedWakeup(wakeups[manager])


class _GuardedWakeup:
    """A pool manager's wakeup whose pipe may close under it (see `_forget_wakeup`)."""

    def __init__(self, wakeup):
        self._wakeup = wakeup

    def wakeup(self) -> None:
        try:
            self._wakeup.wakeup()
        except OSError:  # the manager closed it while ending: it needs no waking
            pass


def _run_here(lean, variants, batches, steps, total, progress, cancel, ends_only=False):
    """In this process: each batch checks `cancel` between its steps."""
    done = 0
    for batch in batches:
        if cancel is not None and cancel():
            raise Cancelled(f"stopped after {done} of {total} runs")
        try:
            outputs = _run_batches(0, lean, variants, [batch], steps, cancel, ends_only)
        except Cancelled:
            raise Cancelled(f"stopped after {done} of {total} runs") from None
        for output in outputs:
            for run_output in output.runs():
                done += 1
                yield run_output
        if progress is not None:
            progress(done, total)


def _stream(executor, token, payload, variants, batches, steps, total, progress, cancel,
            cancel_pending: bool = True, ends_only: bool = False):
    """Yields the runs as their batches end. `cancel_pending` False: the pending batches
    are left to our own pool's shutdown, which cancels them in its manager thread. (In
    CPython 3.11 a future cancelled here while that thread marks a pool whose workers were
    ended as broken makes it raise InvalidStateError: a thread traceback after a clean
    stop.)"""
    with interrupts_ignored():  # a process pool starts its workers as tasks are submitted
        pending = {executor.submit(_run_batches, token, payload, _own(variants, batch),
                                   [batch], steps, None, ends_only) for batch in batches}
    done_runs = 0
    try:
        while pending:
            if cancel is not None and cancel():
                raise Cancelled(f"stopped after {done_runs} of {total} runs")
            finished, pending = wait(pending, timeout=POLL_SECONDS, return_when=FIRST_COMPLETED)
            for future in finished:
                for output in future.result():
                    for run_output in output.runs():
                        done_runs += 1
                        yield run_output
                    if progress is not None:
                        progress(done_runs, total)
    finally:
        for future in pending if cancel_pending else ():
            future.cancel()


def _own(variants: Sequence[Variant], batch: Batch) -> dict[int, Variant]:
    """The variants a batch runs, by index: what its task sends (an exploration's
    thousands of futures would otherwise travel with every task)."""
    return {v: variants[v] for v in dict.fromkeys(v for v, _ in batch.items)}


def warm_up() -> None:
    """Pays ahead what the first process pool would pay while the caller waits: importing
    the spawn machinery and starting multiprocessing's resource tracker (a process of its
    own on POSIX). The desktop app calls it in the background after start-up."""
    import multiprocessing.synchronize  # noqa: F401 - imported for its side effect

    if os.name == "posix":
        import multiprocessing.popen_spawn_posix  # noqa: F401
    start_resource_tracker()


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
