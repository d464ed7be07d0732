"""A large single run's passes over its edges and firms on two threads.

An ensemble's runs already fill the cores (one process per core); a single run of a large
ecosystem would use one. numpy releases the GIL inside its loops over large arrays
(ufuncs, take, bincount), so two threads over the two halves of an array run about 1.7
times as fast on two cores (benchmarks/bench_engine.py --whole shows the figure).

Only what keeps its bits is split: element-by-element passes and gathers from small
tables, over halves whose boundary is a multiple of ALIGN elements (numpy's vector loops
then treat every element of a half as they would in the whole array; tests compare
threaded and serial runs bit for bit), and independent sums run side by side. A sum over
groups (bincount) is never split: its partial sums would add in another order.
"""
from __future__ import annotations

import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import cache

THREAD_SLOTS = 250_000  # from this many slots a single run's long passes take two threads
ALIGN = 512  # halves start on a multiple of this many elements

_lock = threading.Lock()
_pool: list[ThreadPoolExecutor] = []


def enabled(st) -> bool:
    """Whether a state's passes are split: one run (a batch's processes fill the cores
    already), on a machine of two or more cores, with at least THREAD_SLOTS firm slots."""
    return st.runs == 1 and st.n >= THREAD_SLOTS and cores() > 1


@cache
def cores() -> int:
    """The cores this process may run on (its affinity where the system has one; asked
    once: `enabled` is asked a dozen times a step)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # macOS and Windows: no affinity call
        return os.cpu_count() or 1


def _helper() -> ThreadPoolExecutor:
    with _lock:
        if not _pool:
            _pool.append(ThreadPoolExecutor(1, thread_name_prefix="engine-half"))
        return _pool[0]


def halves(length: int) -> tuple[slice, slice]:
    """The two parts of range(length), the first ending on a multiple of ALIGN."""
    middle = (length // 2) // ALIGN * ALIGN
    return slice(0, middle), slice(middle, length)


def over(work: Callable[[slice], None], length: int, split: bool) -> None:
    """work(part) for the parts of range(length): the whole array on this thread, or (with
    `split`) its two halves at once, the first on a helper thread. `work` writes only the
    elements of its part."""
    if not split or length < 2 * ALIGN:
        work(slice(0, length))
        return
    first, second = halves(length)
    pending = _helper().submit(work, first)
    try:
        work(second)
    finally:
        pending.result()  # an error of either half is raised here, after both ended


def both(first: Callable[[], object], second: Callable[[], object], split: bool
         ) -> tuple[object, object]:
    """(first(), second()): one after the other, or (with `split`) side by side."""
    if not split:
        return first(), second()
    pending = _helper().submit(first)
    try:
        out = second()
    finally:
        result = pending.result()
    return result, out
