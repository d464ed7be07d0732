"""The calendar of a run: step 0 is a quarter (the scenario's start), step t is t quarters
later (MODEL.md section 8).

    start = Quarter.parse("2024Q1")
    (start + 8).label          # '2026Q1'
    quarter_labels(start, 40)  # ['2024Q1', ..., '2034Q1']: steps 0..40
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from model.errors import InputError

FIRST_YEAR, LAST_YEAR = 1900, 2999  # quarters outside these years are refused
# The built-in scenario's figures describe the ecosystem at the end of 2023 (DATA.md: "more
# than 4,400 AI firms in China at the end of 2023"), so its step 0 is the first quarter of
# 2024, the default start of MODEL.md section 8.
DEFAULT_START_LABEL = "2024Q1"
_PATTERN = re.compile(r"^\s*(\d{4})\s*-?\s*[Qq]\s*([1-4])\s*$")


@dataclass(frozen=True, order=True)
class Quarter:
    """A calendar quarter, as a count of quarters since year 0 (comparable, addable)."""

    index: int

    @classmethod
    def of(cls, year: int, quarter: int) -> Quarter:
        if not (FIRST_YEAR <= year <= LAST_YEAR and 1 <= quarter <= 4):
            raise InputError(f"{year}Q{quarter} is not a quarter this tool uses",
                             fix=f"give a year from {FIRST_YEAR} to {LAST_YEAR} and a "
                                 "quarter 1 to 4, as in 2026Q3")
        return cls(4 * year + quarter - 1)

    @classmethod
    def parse(cls, text: object) -> Quarter:
        """'2026Q3' (also '2026q3', '2026-Q3'); InputError naming the expected form."""
        match = _PATTERN.match(text) if isinstance(text, str) else None
        if match is None:
            raise InputError(f"{str(text)[:40]!r} is not a quarter",
                             fix="write a quarter as YEAR then Q and 1 to 4, e.g. 2026Q3")
        return cls.of(int(match[1]), int(match[2]))

    @property
    def year(self) -> int:
        return self.index // 4

    @property
    def quarter(self) -> int:
        return self.index % 4 + 1

    @property
    def label(self) -> str:
        return f"{self.year}Q{self.quarter}"

    @property
    def in_range(self) -> bool:
        """Within the years the readers accept (FIRST_YEAR to LAST_YEAR)."""
        return FIRST_YEAR <= self.year <= LAST_YEAR

    def __add__(self, steps: int) -> Quarter:
        """Unchecked, for labels (a plot's axis may run past the range); a quarter that goes
        into a scenario or a run is made by `plus`."""
        return Quarter(self.index + int(steps))

    def plus(self, steps: int, what: str = "") -> Quarter:
        """`steps` quarters on (back, when negative), refused outside the years the readers
        accept: a quarter this tool writes can always be read back. `what` names the
        option or field the steps came from, e.g. "--schedule antitrust_enforcement: "."""
        quarter = Quarter(self.index + int(steps))
        if not quarter.in_range:
            edge = LAST_LABEL if steps > 0 else FIRST_LABEL
            raise InputError(f"{what}step {int(steps):,} from {self.label} is "
                             f"{'after' if steps > 0 else 'before'} {edge}, the "
                             f"{'last' if steps > 0 else 'first'} quarter this tool uses",
                             fix=f"give a quarter from {FIRST_LABEL} to {LAST_LABEL}, or a "
                                 "step that stays within them")
        return quarter

    def __sub__(self, other: Quarter) -> int:
        """Quarters from `other` to this one (a step count)."""
        return self.index - other.index

    def __str__(self) -> str:
        return self.label


DEFAULT_START = Quarter.parse(DEFAULT_START_LABEL)
FIRST_LABEL, LAST_LABEL = f"{FIRST_YEAR}Q1", f"{LAST_YEAR}Q4"


def run_end(start: Quarter, steps: int, origin: str = "", option: str = "--steps"
            ) -> Quarter:
    """The quarter of a run's last step, refused when it is past LAST_YEAR (its quarters
    would be written where no reader takes them back). `origin` names where the start
    came from, e.g. "--start 2999Q3" (default: the scenario's start); `option` where the
    steps did (the window's run bar says "Steps")."""
    end = start + int(steps)
    if not end.in_range:
        origin = origin or f"the scenario's start, {start.label},"
        room = max(0, LAST_QUARTER - start)
        raise InputError(f"{option} {int(steps):,} from {origin} ends in {end.label}, after "
                         f"{LAST_LABEL}, the last quarter this tool uses",
                         fix=f"give {option} {room:,} or fewer, or an earlier start quarter")
    return end


LAST_QUARTER = Quarter.of(LAST_YEAR, 4)


def quarter_labels(start: Quarter, steps: int) -> list[str]:
    """The quarter of each step 0..steps."""
    return [(start + t).label for t in range(steps + 1)]


def step_or_quarter(text: str, start: Quarter) -> int:
    """A step number ('8') or a quarter ('2026Q3', counted from `start`) as a step."""
    text = text.strip()
    if re.fullmatch(r"[+-]?\d+", text):
        return int(text)
    return Quarter.parse(text) - start
