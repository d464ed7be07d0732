"""The plots' quarter axis: labels never run into each other, whatever the font size."""
from __future__ import annotations

import pytest
from PySide6.QtGui import QFont

from gui.docks.plots import QuarterAxis


@pytest.mark.parametrize("points", [9, 15, 22])
def test_quarter_labels_have_room_at_every_font_size(qapp, points):
    axis = QuarterAxis()
    font = QFont()
    font.setPointSize(points)
    axis.setStyle(tickFont=font)
    width = 600
    major = axis.tickSpacing(0, 40, width)[0][0]
    labels = 40 / major + 1
    assert labels * axis.label_pixels() <= width + axis.label_pixels()
    assert major % 4 == 0 or major >= 10  # whole years of the run
