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


def test_hovering_left_of_the_first_quarter_reads_step_0(qtbot):
    """The x padding left of step 0 is not a quarter: the readout says step 0 there."""
    import numpy as np
    from PySide6.QtCore import QPointF

    from gui.docks.plots import MetricPlots
    from model.engine import METRIC_KEYS

    plots = MetricPlots()
    qtbot.addWidget(plots)
    plots.resize(1000, 500)
    plots.show()
    qtbot.waitExposed(plots)
    plots.set_line("", np.ones((9, len(METRIC_KEYS))))
    plot = plots.plots["hhi_mean"]
    qtbot.waitUntil(lambda: plot.vb.viewRange()[0][0] < -0.1)
    pos = plot.vb.mapViewToScene(QPointF(-0.12, 1.0))
    plots.canvas.scene().sigMouseMoved.emit(pos)  # what a mouse move sends
    qtbot.waitUntil(lambda: "(step 0)" in plots.readout.text())
    assert "step -1" not in plots.readout.text()
