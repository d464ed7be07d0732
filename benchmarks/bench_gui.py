"""GUI speed: time to first paint on the default scenario, and a synthetic:2000 scene.

    QT_QPA_PLATFORM=offscreen python benchmarks/bench_gui.py [--firms 2000]

Prints figures only (no assertions). Each figure is one measurement on this machine.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtGui import QImage, QPainter  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402


def first_paint(app, data_dir: str) -> dict:
    from gui.app import create_window

    start = time.perf_counter()
    window, _error = create_window(None, data_dir=data_dir)
    built = time.perf_counter()
    window.resize(1400, 900)
    window.show()
    window.editor.view.fit_all()
    window.grab()  # forces a full paint of the window
    painted = time.perf_counter()
    counts = (len(window.doc), len(window.doc.edge_keys()))
    window.editor.stack.setClean()
    window.close()
    return {"build": built - start, "first_paint": painted - start, "counts": counts}


def synthetic_scene(app, firms: int) -> dict:
    from gui.document.editor import Editor
    from model.builtin import synthetic_scenario
    from model.document import Document
    from model.scenario import Project

    start = time.perf_counter()
    doc = Document.from_project(Project.single(synthetic_scenario(firms)))
    loaded = time.perf_counter()
    editor = Editor(doc)
    built = time.perf_counter()
    view = editor.view
    view.resize(1400, 900)
    view.show()
    view.fit_all()
    image = QImage(1400, 900, QImage.Format.Format_ARGB32_Premultiplied)
    painter = QPainter(image)
    view.render(painter)
    painter.end()
    rendered = time.perf_counter()
    view.zoom_by(8.0)
    painter = QPainter(image)
    t0 = time.perf_counter()
    view.render(painter)
    painter.end()
    zoomed = time.perf_counter() - t0
    items = editor.scene.nodes.values()
    firm = next(i for i in items if i.kind == "sme")
    zone = max((i for i in items if i.kind == "zone"), key=lambda i: len(i.edges))
    result = {"document": loaded - start, "scene": built - loaded, "render": rendered - built,
              "zoomed_render": zoomed, "drag_firm": _drag_step(firm),
              "drag_zone": _drag_step(zone), "zone_edges": len(zone.edges),
              "counts": (len(doc), len(doc.edge_keys()))}
    editor.close()
    view.close()
    return result


def _drag_step(item, steps: int = 50) -> float:
    """Mean time of one mouse-move step of a drag (the item and its edges follow)."""
    t0 = time.perf_counter()
    for _ in range(steps):
        item.setPos(item.pos().x() + 1, item.pos().y())
    return (time.perf_counter() - t0) / steps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--firms", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, folder)
        app = QApplication.instance() or QApplication([])
        paint = first_paint(app, folder)
        print(f"default scenario ({paint['counts'][0]} nodes, {paint['counts'][1]} edges): "
              f"window built in {paint['build']:.2f} s, first paint at "
              f"{paint['first_paint']:.2f} s")
        scene = synthetic_scene(app, args.firms)
        print(f"synthetic:{args.firms} ({scene['counts'][0]} nodes, {scene['counts'][1]} "
              f"edges): document {scene['document']:.2f} s, scene {scene['scene']:.2f} s, "
              f"first render {scene['render']:.2f} s, render zoomed in "
              f"{scene['zoomed_render'] * 1000:.0f} ms; one drag step: a firm "
              f"{scene['drag_firm'] * 1000:.2f} ms, the biggest zone ({scene['zone_edges']} "
              f"edges) {scene['drag_zone'] * 1000:.1f} ms")


if __name__ == "__main__":
    main()
