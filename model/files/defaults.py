"""Which values a file left out, so that what was filled in can be reported.

A reader records every value the format expects but the file did not give (an empty cell
in a number column, a missing column, a node lacking a field its kind uses), which then
took its default. Sections a file may leave out by design (no schedules, parameters at
their defaults) are not recorded. The CLI prints `Defaults.note()` on stderr; the GUI shows
how many values and where.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from model.errors import MAX_LINE, elide, fit_line

MAX_LISTED = 200  # places kept for the GUI's details; the count is always exact
NOTE_PREFIX = "note: "
PLACE_KEEP = 100  # characters of one place in the note


@dataclass(frozen=True)
class Defaulted:
    """One absent value that took its default."""

    place: str  # as errors name it, e.g. "sheet Nodes, row 4, column talent"
    key: str  # the field or parameter

    def __str__(self) -> str:
        return self.place


@dataclass(frozen=True)
class Defaults:
    """What one file left out: how many values and (the first `MAX_LISTED`) where."""

    file: str
    count: int = 0
    listed: tuple[Defaulted, ...] = ()

    def __bool__(self) -> bool:
        return self.count > 0

    def summary(self) -> str:
        return f"{self.count:,} value{'s' * (self.count != 1)} absent in {self.file} " \
               "took defaults"

    def note(self) -> str:
        """One line of at most MAX_LINE characters: the count and the first places."""
        head = fit_line([NOTE_PREFIX + self.summary()], limit=MAX_LINE // 2)
        line, shown = head, []
        for place in self.listed:
            shown.append(elide(place, PLACE_KEEP))
            rest = self.count - len(shown)
            candidate = f"{head}: {'; '.join(shown)}" + (f" and {rest:,} more" if rest else "")
            if len(candidate) > MAX_LINE:
                break
            line = candidate
        return line


class DefaultsLog:
    """Collects absent values while a file is read."""

    def __init__(self, file: str = ""):
        self.file, self.count, self.listed = file, 0, []

    def add(self, place: str, key: str) -> None:
        self.count += 1
        if len(self.listed) < MAX_LISTED:
            self.listed.append(Defaulted(place, key))

    def add_filled(self, filled: Iterable, node_place: Callable[[int, str], str],
                   edge_place: Callable[[int, str], str]) -> None:
        """Cells the validation filled in (`validation.Filled`), placed by the reader,
        in the order of the file (row by row)."""
        cells = sorted((int(row), table, field) for table, field, rows in filled
                       for row in rows[:MAX_LISTED])
        cells.sort(key=lambda cell: cell[1] != "nodes")  # nodes first, stable by row
        for row, table, field in cells:
            place = node_place if table == "nodes" else edge_place
            if len(self.listed) < MAX_LISTED:
                self.listed.append(Defaulted(place(row, field), field))
        self.count += sum(len(rows) for _, _, rows in filled)

    def result(self) -> Defaults:
        return Defaults(self.file, self.count, tuple(self.listed))
