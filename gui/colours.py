"""The colours that carry meaning in the window, in one place: the outcome words, the series of
the plots (a run, a Monte Carlo, each compared scenario) and the explore window's outcomes.

Outcomes are Okabe-Ito hues (colour-blind safe), darkened to read as text on white (at least
4.5:1): benign bluish green, mixed grey (neither), adverse vermilion. The benign and adverse
presets, compared, take their outcome's colour; the base (the variant compared against)
is a neutral dark grey, far darker than "mixed"; every other series takes the next colour of
SERIES_COLOURS, which holds no green, red or grey: a room never reads a curve's colour as an
outcome it is not. Hue is never the only cue: each compared series has its own line style
(the base solid) and its name at the end of its line (plots' right margin).
"""
from __future__ import annotations

from collections.abc import Sequence

OUTCOME_COLOURS = {"benign": "#007A5A", "mixed": "#707070", "adverse": "#C04A00"}
# Okabe-Ito without its bluish green, vermilion and yellow (too pale on white), the ones
# farthest from the outcome colours first (orange, nearest vermilion, late), then two of
# Paul Tol's (indigo, olive-brown) for long comparisons.
SERIES_COLOURS = ("#0072B2", "#CC79A7", "#56B4E9", "#E69F00", "#332288", "#997700")
BASE_COLOUR = "#303030"  # the base of a comparison: neutral, near black (mixed is #707070)
# Line styles of a comparison's series, the base solid; the others in the order chosen.
DASHES = ("solid", "dash", "dot", "dashdot", "dashdotdot")
# presets that are an outcome's story: compared, their series wears that outcome's colour
OUTCOME_PRESETS = {"benign": "benign", "adverse": "adverse"}


def series_colours(presets: Sequence[str | None], base: int | None = None) -> list[str]:
    """One colour per series, in order; `presets[i]` is the preset that series i applies
    (None for a variant or a single run); series `base` is the base (dark grey)."""
    out, free = [], 0
    for i, preset in enumerate(presets):
        outcome = OUTCOME_PRESETS.get(preset or "")
        if i == base:
            out.append(BASE_COLOUR)
        elif outcome is not None:
            out.append(OUTCOME_COLOURS[outcome])
        else:
            out.append(SERIES_COLOURS[free % len(SERIES_COLOURS)])
            free += 1
    return out


def next_series_colour(taken: Sequence[str]) -> str:
    """The first series colour not taken yet (cycling once all are)."""
    for colour in SERIES_COLOURS:
        if colour not in taken:
            return colour
    return SERIES_COLOURS[len(taken) % len(SERIES_COLOURS)]


def series_dashes(colours: dict[str, str]) -> dict[str, str]:
    """label -> line style (a DASHES name) of each series of a comparison, by the order of
    `colours` (label -> colour): the base solid, the others dash, dot, dash-dot, ..."""
    out, k = {}, 0
    for label, colour in colours.items():
        if colour == BASE_COLOUR:
            out[label] = DASHES[0]
        else:
            out[label] = DASHES[1 + k % (len(DASHES) - 1)]
            k += 1
    return out
