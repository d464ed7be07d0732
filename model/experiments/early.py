"""A process pool started before the command line has imported what it needs.

Starting a worker (an interpreter, numpy, the engine) takes about as long as the command's
own imports and scenario loading; done one after the other they add up, on two cores they
can overlap. `prestart` spawns the local workers at once, from a module that imports
nothing heavy; the experiment that runs next claims the pool (`claim`) and sends its
compiled scenarios with its tasks (each worker keeps the first copy it gets). A pool
nobody claims is ended by `release`, which the entry point calls on its way out.
"""
from __future__ import annotations

import os
import signal
import threading

_POOL: list = []  # [(pool, workers)] while a started pool waits for its experiment


def prestart(workers: int | None = None) -> None:
    """Spawn `workers` (default: the cores) spawn-context worker processes now."""
    if _POOL:
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    workers = workers or max(1, os.cpu_count() or 1)
    context = multiprocessing.get_context("spawn")
    start_resource_tracker()
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_install)
    main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN) if main_thread else None
    try:  # the workers inherit the ignoring until their initializer takes over
        for _ in range(workers):  # a pool spawns a worker per task while none is idle
            pool.submit(_ready)
    finally:
        if main_thread:
            signal.signal(signal.SIGINT, previous)
    _POOL.append((pool, workers))


def claim(workers: int):
    """The started pool if it has `workers` workers (it is then the caller's), else None."""
    if not _POOL or _POOL[0][1] != workers:
        return None
    return _POOL.pop()[0]


def release() -> None:
    """End a started pool that no experiment claimed, without waiting for its workers."""
    if not _POOL:
        return
    pool, _ = _POOL.pop()
    from model.experiments.runner import _end_workers

    _end_workers(pool)


def start_resource_tracker() -> None:
    """Starts multiprocessing's resource tracker (POSIX) deaf to SIGHUP. It ignores
    SIGINT and SIGTERM itself, but a closed terminal's SIGHUP to the whole job would end
    it, and the pool's cleanup would then start a new one that prints a traceback for
    every semaphore it never saw. SIGHUP is blocked in this thread while the tracker
    starts: it inherits the block, and keeps it."""
    if os.name != "posix":
        return
    from multiprocessing import resource_tracker

    hangup = {signal.SIGHUP}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, hangup)
    try:
        resource_tracker.ensure_running()
    finally:
        if signal.SIGHUP not in previous:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, hangup)


def _install() -> None:
    """Worker side: what every pool worker does first (runner._install), the scenarios
    coming later with the tasks."""
    from model.experiments.runner import _install as install

    install(0, ())


def _ready() -> None:
    """A task that only makes the pool spawn a worker."""
