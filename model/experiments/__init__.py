"""Experiments on many runs (MODEL.md section 7): Monte Carlo, scenario comparison,
sensitivity (tornado), a two-parameter grid (heat map) and a sweep, all on common random
numbers and through a `concurrent.futures.Executor` (see `model.experiments.runner`).

Names are loaded on first use (PEP 562): a worker process that only runs batches imports
`runner` and the engine, not the pandas-based analyses."""
from __future__ import annotations

import importlib

_HOME = {
    **dict.fromkeys(("END_METRICS", "ComparisonResult", "MonteCarloResult", "compare", "grid",
                     "grid_pivot", "monte_carlo", "outcome_shares", "sensitivity",
                     "sensitivity_range", "summarise", "sweep", "sweep_runs",
                     "sweep_table"), "analyses"),
    **dict.fromkeys(("PROCESSES", "RunOutput", "Variant", "default_workers", "iter_runs",
                     "open_executor"), "runner"),
}
__all__ = sorted(_HOME)


def __getattr__(name: str):
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_HOME[name]}"), name)
    globals()[name] = value
    return value


def __dir__():
    return __all__
