"""HHI band sets: lines and band names as the guidelines state them."""
from __future__ import annotations

import pytest

from model.errors import InputError
from model.thresholds import BAND_SETS, DEFAULT_BAND_SET, band_set


@pytest.mark.parametrize("key, hhi, label", [
    ("us2010", 1499, "unconcentrated"), ("us2010", 1500, "moderately concentrated"),
    ("us2010", 2500, "highly concentrated"), ("us2010", 10000, "highly concentrated"),
    ("us2023", 1799, "not highly concentrated"), ("us2023", 1800, "highly concentrated"),
    ("eu2004", 999, "concerns unlikely"), ("eu2004", 2100,
                                           "concerns unlikely only if the rise is under 150"),
])
def test_bands(key, hhi, label):
    assert band_set(key).band_of(hhi) == label


def test_lines_and_default():
    assert DEFAULT_BAND_SET == "us2010"
    assert BAND_SETS["us2010"].lines == (1500, 2500)
    assert BAND_SETS["us2023"].lines == (1800,)
    assert all(s.source for s in BAND_SETS.values())
    with pytest.raises(InputError, match="us2010"):
        band_set("uk")
