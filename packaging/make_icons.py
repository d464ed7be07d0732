"""Draws the application icon and writes it in each platform's format.

    python packaging/make_icons.py

Writes resources/app/icon.png (512 px, Linux and the window icon), icon.ico (Windows,
16-256 px) and icon.icns (macOS). The icon is drawn, not copied: a platform hexagon at the
centre of an ecosystem of firms and zones.
"""
from __future__ import annotations

import math
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QPointF, Qt  # noqa: E402
from PySide6.QtGui import QBrush, QColor, QGuiApplication, QImage, QPainter, QPen, QPolygonF  # noqa: E402

OUT = Path(__file__).resolve().parents[1] / "resources" / "app"
NAVY, TEAL, AMBER, WHITE = QColor("#1F4E79"), QColor("#2A9D8F"), QColor("#E9A23B"), QColor("white")


def draw(size: int) -> QImage:
    image = QImage(size, size, QImage.Format_ARGB32)
    image.fill(Qt.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.Antialiasing)
    s = size / 100.0
    p.setPen(Qt.NoPen)
    p.setBrush(QBrush(NAVY))
    p.drawRoundedRect(4 * s, 4 * s, 92 * s, 92 * s, 18 * s, 18 * s)
    centre = QPointF(50 * s, 50 * s)
    satellites = [QPointF(50 * s + 31 * s * math.cos(a), 50 * s + 31 * s * math.sin(a))
                  for a in (math.radians(d) for d in range(-90, 270, 60))]
    p.setPen(QPen(WHITE, max(1.0, 3.2 * s)))
    for point in satellites:
        p.drawLine(centre, point)
    p.setPen(Qt.NoPen)
    for i, point in enumerate(satellites):
        p.setBrush(QBrush(AMBER if i % 3 == 0 else TEAL))
        p.drawEllipse(point, 9 * s, 9 * s)
    hexagon = QPolygonF([QPointF(50 * s + 17 * s * math.cos(math.radians(a)),
                                 50 * s + 17 * s * math.sin(math.radians(a)))
                         for a in range(30, 390, 60)])
    p.setBrush(QBrush(WHITE))
    p.drawPolygon(hexagon)
    p.setBrush(QBrush(NAVY))
    p.drawEllipse(centre, 6 * s, 6 * s)
    p.end()
    return image


def main() -> int:
    QGuiApplication(sys.argv[:1])
    OUT.mkdir(parents=True, exist_ok=True)
    big = draw(1024)
    for name, size, fmt in (("icon.png", 512, "PNG"), ("icon.ico", 256, "ICO"),
                            ("icon.icns", 1024, "ICNS")):
        image = big.scaled(size, size, Qt.KeepAspectRatio, Qt.SmoothTransformation)
        if not image.save(str(OUT / name), fmt):
            print(f"could not write {name}", file=sys.stderr)
            return 1
        print(f"wrote {OUT / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
