"""What the benchmark scripts share: the best wall time of a few repeats."""
from __future__ import annotations

import time
from collections.abc import Callable


def best_time(action: Callable[[], object], repeat: int) -> float:
    """The shortest of `repeat` timed calls: the least disturbed by other work."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)
