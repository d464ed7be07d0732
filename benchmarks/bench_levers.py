"""How every policy lever moves the end metrics of the default scenario. Prints figures.

    python benchmarks/bench_levers.py                 # 100 runs per setting, Sobol N = 256
    python benchmarks/bench_levers.py --runs 50 --sobol-n 0     # no Sobol table
    python benchmarks/bench_levers.py --world tipping           # under a world assumption
    python benchmarks/bench_levers.py --scenario foreign_oip    # with a foreign-built OIP

For each lever: the settings 0, 0.25, 0.5, 0.75 and 1 (the other levers at their defaults),
each on the same seeds (common random numbers). Per end metric: the paired effect of 1
against 0 with its standard error, and the share of that effect carried by each quarter
step. A lever acts on a metric when the effect is at least 5 paired standard errors, the
steps all go one way, and each step carries at least 10 % of the effect. The Sobol table
gives the total indices of the levers against the uncertain coefficients for end HHI and
dependency, with their 95 % intervals: reported, never tuned.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

SETTINGS = (0.0, 0.25, 0.5, 0.75, 1.0)
MIN_Z, MIN_STEP_SHARE = 5.0, 0.10
METRICS = ("hhi_mean", "cr4_mean", "active_smes", "dependency_index", "abuse_mean",
           "acquisitions_cum", "openness_mean", "talent_gini", "brain_drain_index",
           "experience_reach", "foreign_share", "active_foreign", "sme_capability_mean",
           "entries_cum", "adoption_mean", "cases_cum", "data_advantage_mean",
           "entries_nonhub_cum",
           "sme_capability_nonhub")


def end_values(scenario, runs: int, steps: int, workers: int) -> dict[float, np.ndarray]:
    """Per lever and setting: (runs, metrics) end values on seeds 0..runs-1."""
    from model.engine.metrics import METRIC_KEYS
    from model.experiments import PROCESSES
    from model.experiments.analyses import compare
    from model.parameters import LEVERS

    labelled = {"base": scenario}
    for lever in LEVERS:
        for value in SETTINGS:
            labelled[f"{lever}={value}"] = scenario.with_parameters(**{lever: value})
    labelled["no migration"] = scenario.with_parameters(migration_rate=0.0)
    result = compare(labelled, runs=runs, steps=steps, executor=PROCESSES, workers=workers)
    columns = [METRIC_KEYS.index(m) for m in METRICS if m in METRIC_KEYS]
    return {label: r.runs[:, -1, columns] for label, r in result.results.items()}


def lever_rows(ends: dict, metrics: list[str]) -> list[dict]:
    """One row per (lever, metric): effect, standard error, z, monotone, step shares."""
    from model.parameters import LEVERS

    rows = []
    for lever in LEVERS:
        at = [ends[f"{lever}={v}"] for v in SETTINGS]
        for j, metric in enumerate(metrics):
            diff = at[-1][:, j] - at[0][:, j]
            effect = float(diff.mean())
            se = float(diff.std(ddof=1) / np.sqrt(len(diff))) if len(diff) > 1 else 0.0
            means = [float(a[:, j].mean()) for a in at]
            steps = np.diff(means)
            shares = steps / effect if effect else np.zeros(len(steps))
            monotone = bool(np.all(steps * np.sign(effect) >= 0)) and effect != 0
            z = abs(effect) / se if se > 0 else (np.inf if effect else 0.0)
            acts = z >= MIN_Z and monotone and bool(np.all(shares >= MIN_STEP_SHARE))
            rows.append({"lever": lever, "metric": metric, "at0": means[0], "at1": means[-1],
                         "effect": effect, "se": se, "z": z, "monotone": monotone,
                         "shares": shares, "acts": acts})
    return rows


def print_lever_table(rows: list[dict]) -> dict[str, bool]:
    """The table, and per lever whether it acts on some metric."""
    from model.parameters import LEVERS

    print(f"{'lever':24} {'metric':20} {'at 0':>10} {'at 1':>10} {'effect':>10} {'z':>7} "
          f"{'mono':>4}  step shares (0-.25 .25-.5 .5-.75 .75-1)  acts")
    verdict = {}
    for lever in LEVERS:
        mine = [r for r in rows if r["lever"] == lever]
        verdict[lever] = any(r["acts"] for r in mine)
        shown = sorted(mine, key=lambda r: (not r["acts"], -min(r["z"], 1e9)))[:4]
        for r in shown:
            shares = " ".join(f"{s:5.0%}" for s in r["shares"])
            print(f"{lever:24} {r['metric']:20} {r['at0']:10.4g} {r['at1']:10.4g} "
                  f"{r['effect']:10.4g} {min(r['z'], 999):7.1f} {'yes' if r['monotone'] else 'no':>4}"
                  f"  {shares:38}  {'YES' if r['acts'] else '-'}")
        print()
    return verdict


def migration_feedback(ends: dict, metrics: list[str]) -> None:
    """Migration off against its default: the paired effect on the non-hub zones' entry
    and SME capability (talent that leaves a zone takes entry and growth with it)."""
    for key in ("entries_nonhub_cum", "sme_capability_nonhub"):
        j = metrics.index(key)
        diff = ends["no migration"][:, j] - ends["base"][:, j]
        se = diff.std(ddof=1) / np.sqrt(len(diff))
        z = abs(diff.mean()) / se if se > 0 else 0.0
        print(f"migration_rate 0 against its default, {key}: {ends['base'][:, j].mean():.4g} -> "
              f"{ends['no migration'][:, j].mean():.4g}, z {z:.1f} (target: 5 or more)")


def dependency_cut(rows: list[dict]) -> tuple[str, float]:
    """The lever that lowers end dependency most, and by how much (a share of its value at
    the lever's less favourable end)."""
    best, cut = "", 0.0
    for r in rows:
        if r["metric"] != "dependency_index":
            continue
        high = max(r["at0"], r["at1"])
        share = abs(r["effect"]) / high if high else 0.0
        if share > cut:
            best, cut = r["lever"], share
    return best, cut


def sobol_table(scenario, n: int, workers: int, steps: int) -> None:
    """Total Sobol indices of levers and uncertain coefficients for end HHI and dependency."""
    from model.experiments import PROCESSES
    from model.exploration.experiment import explore
    from model.parameters import LEVERS, UNCERTAIN

    factors = len(UNCERTAIN) + len(LEVERS)  # the design's: uncertainties and the levers
    started = time.perf_counter()
    result = explore(scenario, futures=2, method="sobol", sensitivity_runs=n * (factors + 2),
                     executor=PROCESSES, workers=workers, steps=steps)
    table = result.sensitivity
    design = result.sensitivity_design
    print(f"Sobol: N = {design.base}, {len(design.names)} factors, {len(design.samples)} runs, "
          f"{time.perf_counter() - started:.0f} s")
    for metric in ("hhi_mean", "dependency_index"):
        rows = table[table["metric"] == metric].sort_values("ST", ascending=False)
        print(f"\n{metric}: rank factor (lever*) ST +- 95 % half-width, S1")
        for rank, (_, r) in enumerate(rows.head(8).iterrows(), start=1):
            mark = "*" if r["factor"] in LEVERS else " "
            print(f"  {rank:2} {r['factor'] + mark:28} {r['ST']:6.3f} +- {r['ST_conf']:5.3f}"
                  f"   S1 {r['S1']:6.3f}")
        top = rows.head(2).to_dict("records")
        if len(top) == 2:
            apart = top[0]["ST"] - top[0]["ST_conf"] > top[1]["ST"] + top[1]["ST_conf"]
            print(f"  ranks 1 and 2 {'do not overlap' if apart else 'OVERLAP'}")
        levers = rows[rows["factor"].isin(LEVERS)]
        print("  levers: " + ", ".join(f"{r.factor} {r.ST:.3f}" for r in levers.itertuples()))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--steps", type=int, default=40)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--sobol-n", type=int, default=256, help="Sobol base samples; 0: none")
    parser.add_argument("--world", default=None, help="a world assumption to apply first")
    parser.add_argument("--scenario", default="default",
                        help="a built-in scenario, e.g. foreign_oip (the hypothetical "
                             "foreign-built platform)")
    args = parser.parse_args(argv)

    from model.builtin import resolve_builtin
    from model.engine.metrics import METRIC_KEYS

    scenario = resolve_builtin(args.scenario)
    if scenario is None:
        parser.error(f"{args.scenario!r} is not a built-in scenario")
    if args.world:
        scenario = scenario.with_preset(args.world)
    metrics = [m for m in METRICS if m in METRIC_KEYS]
    started = time.perf_counter()
    ends = end_values(scenario, args.runs, args.steps, args.workers)
    print(f"{args.runs} runs per setting, {args.steps} steps, "
          f"{time.perf_counter() - started:.0f} s\n")
    rows = lever_rows(ends, metrics)
    verdict = print_lever_table(rows)
    lever, cut = dependency_cut(rows)
    acting = [k for k, v in verdict.items() if v]
    print(f"levers that act: {len(acting)} of {len(verdict)}"
          + (f" (not: {', '.join(k for k, v in verdict.items() if not v)})"
             if len(acting) < len(verdict) else ""))
    print(f"largest cut of end dependency: {lever} {cut:.0%} (target: some lever 25 % or more)")
    migration_feedback(ends, metrics)
    if args.sobol_n > 0:
        print()
        sobol_table(scenario, args.sobol_n, args.workers, args.steps)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
