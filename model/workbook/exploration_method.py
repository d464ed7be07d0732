"""The Methodology sheet's section on an exploration: each method in plain words with its
source, and the uncertainties explored with their ranges and reasons."""
from __future__ import annotations

from model.parameters import PARAMETERS, WORLDS

SOURCES = {
    "futures": "McKay, Beckman and Conover (1979), Technometrics 21(2); scipy.stats.qmc.",
    "prim": "Friedman and Fisher (1999), Statistics and Computing 9; Bryant and Lempert "
            "(2010), Technological Forecasting and Social Change 77; EMA Workbench, Kwakkel "
            "(2017), Environmental Modelling and Software 96.",
    "sobol": "Sobol' (2001), Mathematics and Computers in Simulation 55; Saltelli (2002), "
             "Computer Physics Communications 145; Saltelli et al. (2010), CPC 181; SALib, "
             "Herman and Usher (2017), JOSS 2(9).",
    "morris": "Morris (1991), Technometrics 33(2); Campolongo, Cariboni and Saltelli (2007), "
              "Environmental Modelling and Software 22; SALib, Herman and Usher (2017).",
    "robustness": "Savage (1951), JASA 46 (regret); Lempert, Popper and Bankes (2003), "
                  "Shaping the Next One Hundred Years, RAND MR-1626.",
}


def exploration_section(grid, row: int, x, text, heading) -> int:
    """`text(grid, row, name, text, extra)` and `heading(grid, row, title, columns)`: the
    Methodology sheet's own writers."""
    row = heading(grid, row, "Exploration: which policy holds whatever we got wrong",
                  ("Step", "What it does", "Source"))
    policies = ", ".join(x.policies)
    runs = "one run" if x.runs_per_future == 1 else \
        f"{x.runs_per_future} runs (end metrics averaged, the most frequent outcome kept)"
    row = text(grid, row, "Futures", f"Every coefficient is uncertain. A future is one draw "
               f"of the {len(x.space)} uncertain coefficients from their ranges (below): "
               f"{len(x.futures):,} futures, drawn by Latin hypercube sampling, which spreads "
               "the draws evenly over each range (seeded: the same seed, the same futures).",
               SOURCES["futures"])
    row = text(grid, row, "Ranges", f"The futures were drawn from the {x.ranges} ranges: "
               + (x.ranges_note or "the registry's plausible range of each coefficient") +
               ". Calibrated ranges are those of the coefficient sets that history matching "
               "kept against the observed patterns (Calibration in docs/ODD.md); plausible "
               "ranges are the registry's, each with its reason.", "")
    row = text(grid, row, "Policies", f"Each future ran under each policy ({policies}), "
               f"{runs} on the same seeds, so that the policies differ only by their levers "
               "(Robustness sheet: their values and schedules). Futures sheet: one row per "
               "future and policy. Futures over time: per policy and quarter, the mean, "
               "median (p50), 5th and 95th percentiles of every metric over the futures "
               "(each future the mean of its seeds' runs), drawn on the Summary"
               + _kept(x) + ".", "")
    row = text(grid, row, "Scenario discovery (PRIM)", "Among the futures of one policy, PRIM "
               f"looks for a box of uncertain values where the {x.outcome} outcome "
               "concentrates. It starts from the whole space and peels off, one side at a "
               "time, the 5 % of futures whose removal raises the share of the outcome most, "
               "then widens the box again where that helps. Coverage: the share of all "
               f"{x.outcome} futures inside the box; density: the share of the box's futures "
               f"that are {x.outcome}. The box shown is the widest one at least 80 % dense. A "
               "restriction's quasi-p-value (a binomial test against the box without it) says "
               "whether it matters.", SOURCES["prim"])
    if x.sensitivity_design is not None:
        method = x.sensitivity_design.method
        words = ("Sobol indices split the variance of each end metric among the factors: S1 "
                 "is the share a factor explains alone, ST its share with all its "
                 "interactions (ST near 0: the factor does not matter). They come from "
                 "Saltelli's design of N x (factors + 2) runs; the intervals are 95 % "
                 "bootstrap intervals." if method == "sobol" else
                 "Morris elementary effects move one factor at a time along random "
                 "trajectories: mu*, the mean absolute change of the metric, ranks the "
                 "factors; sigma, large when the effect depends on the other factors. The "
                 "intervals are 95 % bootstrap intervals of mu*.")
        row = text(grid, row, f"Global sensitivity ({method.capitalize()})", words +
                   " The factors are the uncertainties and the levers, each over its range, "
                   "on the scenario as given.", SOURCES[method])
    row = text(grid, row, "Robustness and regret", "Per policy, the share of futures ending "
               "benign, mixed and adverse; policies are ranked by the share not adverse. "
               "Regret: in each future, how far the policy's end value of a metric is from "
               "the best policy's value in that future (0 when it is the best); the mean and "
               "the largest regret over the futures.", SOURCES["robustness"])
    row = heading(grid, row + 1, "Uncertainties explored", ("Coefficient (key)",
                                                           "Range explored, and why",
                                                           "Default"))
    for u in x.space:
        p = PARAMETERS[u.key]
        given = "" if p.plausible == (u.low, u.high) else " (range set for this exploration)"
        reason = p.plausible_reason or "a lever or coefficient explored on request"
        row = text(grid, row, f"{p.label} ({u.key})", f"{u.low:g} to {u.high:g}{given}: "
                   f"{reason}", f"{p.default:g}")
    if x.world:
        row = text(grid, row, "World assumption", world_text(x), "")
    if x.fixed:
        fixed = "; ".join(f"{k} = {v:g}" for k, v in x.fixed.items())
        row = text(grid, row, "Held fixed", fixed, "")
    return row


def world_text(x) -> str:
    """The world assumption held in every future, with the keys it fixes."""
    world = WORLDS[x.world]
    held = "; ".join(f"{k} = {x.fixed[k]:g}" for k in world.values)
    return (f"{world.title} ({world.key}): {world.description} Its coefficients are held in "
            f"every future, not sampled: {held}.")


def _kept(x) -> str:
    kept = getattr(x, "step_bands_futures", 0)
    if not kept or kept >= len(x.futures):
        return ""
    return (f"; computed from the first {kept:,} of the {len(x.futures):,} futures "
            "sampled (a memory bound; the rows of a Latin hypercube come in random order)")
