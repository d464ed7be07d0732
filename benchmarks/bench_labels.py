"""The built-in scenario at first sight: its zoom, the labels shown, how much they overlap,
and how long a label placement takes (a maximised window on a 1920x1080 screen, offscreen).

    python benchmarks/bench_labels.py [--repeat 20] [--workshop]

--workshop measures the same in workshop mode (full screen, the room's label sizes), with
the map's share of the screen and each kind's label height in pixels. It also names the
labels hidden at a zoom that shows their kind, and those on a leader line.

Prints figures only (no assertions).
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "docs"))


def overlap_share(rects) -> float:
    total = sum(r.width() * r.height() for r in rects)
    common = sum(a.intersected(b).width() * a.intersected(b).height()
                 for a, b in combinations(rects, 2) if a.intersects(b))
    return common / total if total else 0.0


def label_pixels(scene, zoom: float) -> dict[str, float]:
    """The smallest label line height on screen of each kind (font height x scale x zoom)."""
    from PySide6.QtGui import QFontMetricsF

    found: dict[str, float] = {}
    for item in scene.nodes.values():
        px = QFontMetricsF(item.font).height() * item.label_scale * zoom
        found[item.kind] = min(found.get(item.kind, px), px)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--workshop", action="store_true", help="in workshop mode")
    args = parser.parse_args()
    import make_screenshots  # its 1920x1080 offscreen screen

    make_screenshots.offscreen_screen()
    from PySide6.QtCore import QSettings

    from gui.app import application, create_window

    app = application()
    folder = Path(tempfile.mkdtemp())
    settings = QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)
    window, _ = create_window(None, data_dir=folder, settings=settings)
    window.show_first()
    make_screenshots.wait(app, 1.5)
    if args.workshop:
        window.start_page.hide()
        window.actions["actionWorkshop"].trigger()
        make_screenshots.wait(app, 1.5)
    view, scene = window.editor.view, window.editor.scene
    view.labels.place_now()
    zoom = view.zoom()
    shown = {i: i.label_rect.translated(i.pos()) for i in scene.nodes.values()
             if i.label_visible(zoom)}
    start = time.perf_counter()
    for _ in range(args.repeat):
        view.labels.place_now()
    each = (time.perf_counter() - start) / args.repeat
    size = view.viewport().size()
    print(f"canvas {size.width()}x{size.height()} px, zoom {zoom:.1%}")
    print(f"labels shown: {dict(Counter(i.kind for i in shown))} "
          f"of {dict(Counter(i.kind for i in scene.nodes.values()))}")
    hidden = sorted(f"{i.label} ({i.kind})" for i in scene.nodes.values()
                    if i not in shown and zoom >= i.kind_style.label_zoom)
    print(f"hidden at a zoom that shows their kind: {', '.join(hidden) or 'none'}")
    pushed = sorted(i.label for i in shown if i.leader_line() is not None)
    print(f"on a leader line: {', '.join(pushed) or 'none'}")
    print(f"overlapping label area: {overlap_share(list(shown.values())):.2%}")
    print(f"one placement: {each * 1000:.1f} ms")
    screen = window.screen().geometry()
    share = size.width() * size.height() / (screen.width() * screen.height())
    print(f"map: {share:.0%} of the screen")
    print("label height on screen (px): " + ", ".join(
        f"{kind} {px:.1f}" for kind, px in label_pixels(scene, zoom).items()))
    window.editor.stack.setClean()
    window.close()


if __name__ == "__main__":
    main()
