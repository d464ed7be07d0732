"""The Methodology sheet: what every metric means, what the model assumes, the caveat, the
concentration thresholds with their sources, and the data sources with their confidence.

Wrapped text in a wide column; row heights are set from the text's length because a
write-only sheet cannot ask Excel to fit them.
"""
from __future__ import annotations

import math
from collections import Counter

from model.engine.metrics import METRICS
from model.errors import InputError
from model.thresholds import BAND_SETS, BandSet
from model.workbook.cells import TITLE_FONT, calibri
from model.workbook.grid import LABEL_FONT, NOTE_FONT, SECTION_FONT, Grid

METHODOLOGY_SHEET = "Methodology"
WIDTHS = [30, 100, 22]
_LINE_HEIGHT = 15.0

CAVEAT = ("Every coefficient of the model is an illustrative default, not an estimate. The "
          "tool explores scenarios: it shows what could follow from the stated assumptions; "
          "it does not forecast. Read directions, rankings and orders of magnitude, not exact "
          "values, and check any figure that matters against the evidence.")

STEPS = (
    ("1. Platform quality", "Each platform's quality combines its data, algorithms and compute "
     "(their geometric mean, compute raised by the compute subsidy), scaled so that the "
     "scenario's mean quality is 1 at the start."),
    ("2. Access", "A firm's access to a platform is its dependency on it times the platform's "
     "openness (times foreign access parity for foreign firms), rationed when compute is "
     "short; an abusing operator serves itself first."),
    ("3. Capability", "Firms gain capability from access times quality (less the rent "
     "operators take from dependants), from stronger partners, from their talent and from "
     "their zone's experience and policy support; capability depreciates, and a seeded random "
     "shock varies growth."),
    ("4. Market", "In each subfield, market shares follow capability, raised for the operator "
     "of a platform with standard power; revenue is the share of a market that grows each "
     "quarter."),
    ("5. Lock-in and standard power", "Every use of a platform deepens lock-in; a platform's "
     "standard power is the adoption-weighted lock-in of the other firms of its subfield."),
    ("6. Abuse and enforcement", "Above a threshold of standard power an operator abuses it, "
     "less so under antitrust enforcement: it cuts openness, never below the openness floor; "
     "enforcement pulls openness back toward its starting level."),
    ("7. Platform growth", "Platforms gather data from their users' activity (slowed by data "
     "protection) and algorithms from their operator's capability."),
    ("8. Acquisitions", "Operators may buy promising dependants (SMEs and foreign firms in the "
     "top quarter of their subfield), more often with standard power, less under enforcement; "
     "part of the bought firm's capability goes to the operator."),
    ("9. Talent", "Firms' talent follows their revenue within their zone. Talent moves between "
     "zones toward attractiveness (amenity, revenue per worker, hub status); talent retention "
     "damps the outflow from non-hub zones; moving never creates or destroys talent."),
    ("10. Exit", "An SME or foreign firm whose market share stays marginal for several "
     "consecutive quarters exits. Leaders and operators never exit."),
    ("11. Entry", "Each zone spawns new SMEs at random, more with experience, policy support, "
     "talent and open platforms; each starts on a platform of its subfield."),
    ("12. Experience", "Pilot-zone experience spreads along exchange links (faster with "
     "replication support) and grows with the local SMEs' capability gains."),
)

_FACT_FILES = (
    ("oips.csv", "oips", "national AI Open Innovation Platforms: operator, subfield, "
     "designation date, operator's headquarters zone. The policy brief counts 23 OIPs; public "
     "sources confirm 15, three more have weaker evidence, five are missing."),
    ("zones.csv", "zones", "the 18 national AI Innovation and Development Pilot Zones: "
     "province, approval year, hub flag, cluster."),
    ("firm_shares.csv", "firm_shares", "location of AI firms (2020 data), used to spread "
     "synthetic firms and to derive zone talent (no public source gives regional AI talent)."),
    ("calibration.csv", "calibration", "national calibration figures (number of AI firms, "
     "core industry size)."),
    ("milestones.csv", "milestones", "legal milestones: New Generation AI Development Plan "
     "(2017), Personal Information Protection Law (2021), Anti-Monopoly Law amendment (2022)."),
    ("zone_layout.csv", "zone_layout", "approximate city coordinates, for the canvas only."),
)

_ASSUMED = ("Not in the fact sheet, assumed by the tool: China Mobile's headquarters zone "
            "(Beijing); each zone's cluster, by province (used only to draw exchange links); "
            "the firm shares of the 13 zones without a published figure (the remaining 26.5 % "
            "split equally); regional AI talent, derived from the firm shares (national total "
            "400 thousand, illustrative). Synthetic firms (named like 'SME Hefei-07') are "
            "invented; platform, firm and zone stocks are illustrative values.")


def build_methodology(briefing) -> Grid:
    grid = Grid()
    grid.put(1, 1, "Methodology", font=TITLE_FONT)
    grid.put(2, 1, "How the figures of this workbook are made, what they assume, and where "
                   "the data come from.", font=NOTE_FONT)
    row = _about(grid, 4, briefing)
    row = _metrics(grid, row + 1)
    row = _steps(grid, row + 1)
    row = _outcome(grid, row + 1, briefing.provenance.parameters)
    row = _thresholds(grid, row + 1, briefing.bands)
    if briefing.exploration is not None:
        from model.workbook.exploration_method import exploration_section

        row = exploration_section(grid, row + 1, briefing.exploration, _text, _heading)
    if briefing.calibration is not None:
        from model.workbook.calibration_sheet import calibration_section

        row = calibration_section(grid, row + 1, briefing.calibration, _text, _heading)
    _sources(grid, row + 1, briefing.scenario)
    return grid


def _text(grid: Grid, row: int, name: str, text: str, extra: str = "") -> int:
    grid.put(row, 1, name, font=LABEL_FONT, wrap=True)
    grid.put(row, 2, text, wrap=True)
    if extra:
        grid.put(row, 3, extra, wrap=True)
    lines = max(_lines(text, WIDTHS[1]), _lines(name, WIDTHS[0]), _lines(extra, WIDTHS[2]))
    if lines > 1:
        grid.heights[row] = lines * _LINE_HEIGHT
    return row + 1


def _lines(text: str, width: float) -> int:
    """Lines the text wraps to in a column of this width (a generous estimate)."""
    per_line = max(1.0, width * (1.1 if width >= 60 else 0.85))  # narrow: words wrap early
    return sum(max(1, math.ceil(len(part) / per_line)) for part in str(text).split("\n"))


def _heading(grid: Grid, row: int, title: str, columns: tuple[str, ...] = ()) -> int:
    grid.put(row, 1, title, font=SECTION_FONT)
    for i, name in enumerate(columns):
        grid.put(row + 1, 1 + i, name, font=calibri(bold=True, color="595959"))
    return row + 1 + bool(columns)


def _about(grid: Grid, row: int, b) -> int:
    row = _heading(grid, row, "About this workbook")
    row = _text(grid, row, "Caveat", CAVEAT)
    if b.runs > 1:
        runs = (f"Monte Carlo: {b.runs:,} runs on seeds {b.seeds_text}. Per quarter, the mean "
                "and the 5th, 50th and 95th percentiles over the runs (p5, p50, p95); p5 to "
                "p95 holds nine runs in ten. The Platforms, Zones and Firms sheets show the "
                f"final state of the run with seed {b.result.provenance.seed}.")
    else:
        runs = (f"One run with seed {b.seeds_text}. Another seed gives other random draws "
                "(entry, acquisitions, growth shocks); a Monte Carlo shows their spread.")
    row = _text(grid, row, "Runs", runs)
    p = b.provenance
    row = _text(grid, row, "Time", f"{b.steps} steps of one quarter each, {p.quarter(0)} to "
                                   f"{p.quarter(b.steps)}; step 0 is the starting state. "
                                   "TimeSeries gives each step's quarter beside its number.")
    schedules = "; ".join(f"{k}: {text}" for k, text in p.schedules.items())
    row = _text(grid, row, "Policies over time",
                "Some parameters change during the run, on these schedules (QUARTER:VALUE "
                "from that quarter on; QUARTER~VALUE a linear ramp from the previous change "
                f"to VALUE at QUARTER): {schedules}. The engine reads each value at the start "
                "of its quarter; the charts mark the quarters with thin grey bars, and the "
                "Parameters sheet lists the changes beside the constant values."
                if schedules else "Every parameter keeps its value through the run "
                                  "(no schedule).")
    if b.scenario.notes:
        row = _text(grid, row, "Scenario notes", b.scenario.notes)
    return _text(grid, row, "Sheets", "Summary: the one-page brief. Comparison and "
                 "Sensitivity: present when scenarios were compared or a sensitivity ran. "
                 "Robustness, Discovery, Sensitivity indices, Futures and Futures over time: "
                 "present after an exploration. "
                 "Parameters: every lever and coefficient, and the schedules of those that "
                 "change during the run. TimeSeries: every metric per "
                 "quarter. TimeSeries and the Futures sheets are headed twice: each column's "
                 "label and unit, then its key (the table's header, what formulas and tools "
                 "read). Nodes and Edges: the network (import reads them back). Platforms, "
                 "Zones, Firms: the final state. Methodology: this sheet.")


def _metrics(grid: Grid, row: int) -> int:
    row = _heading(grid, row, "Metrics (TimeSeries columns)", ("Metric", "Meaning",
                                                               "Key (unit)"))
    for m in METRICS:
        row = _text(grid, row, m.label, m.meaning, f"{m.key} ({m.unit})" if m.unit else m.key)
    return row


def _steps(grid: Grid, row: int) -> int:
    row = _heading(grid, row, "The model: one quarter, in twelve steps")
    for name, text in STEPS:
        row = _text(grid, row, name, text)
    return row


def _outcome(grid: Grid, row: int, p) -> int:
    row = _heading(grid, row, "Outcome of a run")
    text = (f"adverse: at the last quarter, the HHI is above {p['outcome_hhi_high']:,.0f} or "
            f"active SMEs fell by more than {p['outcome_sme_drop']:.0%}, together with "
            f"dependency above {p['outcome_dependency']:g} or a rise of the talent Gini of "
            f"more than {p['outcome_gini_rise_adverse']:g}.\nbenign: the HHI is below "
            f"{p['outcome_hhi_low']:,.0f}, there are more active SMEs than at the start, "
            f"and the talent Gini rose by at most {p['outcome_gini_rise_benign']:g}.\n"
            "mixed: otherwise.")
    return _text(grid, row, "Rules (this run's thresholds)", text)


def _thresholds(grid: Grid, row: int, chosen: BandSet) -> int:
    row = _heading(grid, row, "Concentration thresholds (HHI, 0 to 10,000)")
    for bands in BAND_SETS.values():
        text = f"{_band_list(bands)}\nSource: {bands.source}."
        if bands.note:
            text += f" Note: {bands.note}."
        used = "used in this workbook" if bands.key == chosen.key else ""
        row = _text(grid, row, bands.title, text, used)
    return row


def _band_list(bands: BandSet) -> str:
    parts, low = [], 0.0
    for band in bands.bands:
        if band is bands.bands[-1]:
            parts.append(f"{low:,.0f} and above: {band.label}")
        else:
            parts.append(f"{low:,.0f} to {band.upper:,.0f}: {band.label}")
        low = band.upper
    return "; ".join(parts)


def _sources(grid: Grid, row: int, scenario) -> int:
    row = _heading(grid, row, "Data sources and confidence", ("File", "What it holds, "
                                                              "and its sources", "Confidence"))
    try:
        from model.builtin.facts import load_facts

        facts = load_facts()
    except InputError as error:
        return _text(grid, row, "Built-in data", f"not available: {error.message}")
    for name, stem, what in _FACT_FILES:
        table = facts[stem]
        sources = "; ".join(sorted(set(table["source"])))
        row = _text(grid, row, name, f"{what}\nSources: {sources}",
                    _counts(table["confidence"]))
    row = _text(grid, row, "Assumptions of the built-in scenario", _ASSUMED)
    counts = _counts(scenario.network.nodes["confidence"]) or "not marked"
    return _text(grid, row, "This scenario's nodes", "the confidence mark of every node of "
                 f"the scenario as run ({scenario.title}); user-drawn nodes carry their own "
                 "marks.", counts)


def _counts(values) -> str:
    counted = Counter(str(v) for v in values if str(v).strip())
    return ", ".join(f"{n} {level}" for level, n in counted.most_common())


