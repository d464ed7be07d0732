"""The simulation engine (MODEL.md sections 4-6): arrays in, metrics and final states out.

    from model.engine import run, simulate
    result = run(scenario, steps=40, seed=0)       # RunResult
    for record in simulate(scenario, steps=40):    # StepRecord per step; returns RunResult
        ...
    tables, outcomes = run_batch(prepared, seed=0, runs=64, steps=40)  # runs stepped together
"""
from __future__ import annotations

from model.engine.metrics import METRIC, METRIC_KEYS, METRICS, Metric
from model.engine.outcome import ADVERSE, BENIGN, MIXED, OUTCOMES, classify
from model.engine.results import STATE_FIELDS, Provenance, RunResult, StateHistory
from model.engine.run import (DEFAULT_STEPS, MAX_STEPS, Cancelled, Engine, Prepared,
                              StepRecord, batch_metrics, batch_results, prepare, run,
                              run_batch, run_ends, run_metrics, simulate)
from model.engine.snapshot import CompiledNetwork, compile_network

__all__ = [
    "ADVERSE", "BENIGN", "MIXED", "OUTCOMES", "METRIC", "METRICS", "METRIC_KEYS",
    "DEFAULT_STEPS", "MAX_STEPS", "STATE_FIELDS", "Cancelled", "CompiledNetwork", "Engine",
    "Metric", "Prepared", "Provenance", "RunResult", "StateHistory", "StepRecord", "classify",
    "batch_metrics", "batch_results", "compile_network", "prepare", "run", "run_batch",
    "run_ends", "run_metrics", "simulate",
]
