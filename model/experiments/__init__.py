"""Experiments on many runs (MODEL.md section 7): Monte Carlo, scenario comparison,
sensitivity (tornado), a two-parameter grid (heat map) and a sweep, all on common random
numbers and through a `concurrent.futures.Executor` (see `model.experiments.runner`)."""
from __future__ import annotations

from model.experiments.analyses import (END_METRICS, ComparisonResult, MonteCarloResult,
                                        compare, grid, grid_pivot, monte_carlo, outcome_shares,
                                        sensitivity, sensitivity_range, summarise, sweep)
from model.experiments.runner import (PROCESSES, RunOutput, Variant, default_workers,
                                      iter_runs, open_executor)

__all__ = [
    "END_METRICS", "PROCESSES", "ComparisonResult", "MonteCarloResult", "RunOutput", "Variant",
    "compare", "default_workers", "grid", "grid_pivot", "iter_runs", "monte_carlo",
    "open_executor", "outcome_shares", "sensitivity", "sensitivity_range", "summarise", "sweep",
]
