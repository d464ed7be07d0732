"""Concentration thresholds: the HHI band sets users choose between, with their sources.

The plots draw the chosen set's lines, the workbook names the band each HHI falls in, and
the Methodology sheet cites the sources. The outcome rules use the `outcome_hhi_*`
parameters, whose defaults are the US 2010 lines.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from model.errors import InputError


@dataclass(frozen=True)
class Band:
    upper: float  # the band holds HHI values below this (the last band: up to 10,000)
    label: str


@dataclass(frozen=True)
class BandSet:
    key: str
    title: str
    source: str
    bands: tuple[Band, ...]
    note: str = ""

    @property
    def lines(self) -> tuple[float, ...]:
        """The HHI values where one band ends and the next begins."""
        return tuple(b.upper for b in self.bands[:-1])

    def band_of(self, hhi: float) -> str:
        for band in self.bands:
            if hhi < band.upper:
                return band.label
        return self.bands[-1].label


BAND_SETS: Mapping[str, BandSet] = MappingProxyType({
    s.key: s
    for s in (
        BandSet("us2010", "US 2010 Horizontal Merger Guidelines",
                "U.S. Department of Justice and Federal Trade Commission, Horizontal Merger "
                "Guidelines (2010), section 5.3",
                (Band(1500, "unconcentrated"), Band(2500, "moderately concentrated"),
                 Band(10001, "highly concentrated"))),
        BandSet("us2023", "US 2023 Merger Guidelines",
                "U.S. Department of Justice and Federal Trade Commission, Merger Guidelines "
                "(2023), section 2.1",
                (Band(1800, "not highly concentrated"), Band(10001, "highly concentrated")),
                "a rise of more than 100 points is significant"),
        BandSet("eu2004", "EU Horizontal Merger Guidelines (2004)",
                "European Commission, Guidelines on the assessment of horizontal mergers "
                "(2004/C 31/03), paragraphs 19-21",
                (Band(1000, "concerns unlikely"), Band(2000, "concerns unlikely if the rise "
                                                      "is under 250"),
                 Band(10001, "concerns unlikely only if the rise is under 150"))),
    )
})

DEFAULT_BAND_SET = "us2010"


def band_set(key: str) -> BandSet:
    try:
        return BAND_SETS[key]
    except KeyError:
        raise InputError(f"unknown threshold set {key!r}",
                         fix=f"use one of: {', '.join(BAND_SETS)}") from None
