"""Makes the user guide's screenshots: the real application, rendered offscreen at 1920x1080.

    python docs/make_screenshots.py [--out docs/images]

Each picture is one step of the workshop walk-through in docs/USER_GUIDE.md. The runs are
the application's own (small ensembles, so the whole script takes about a minute).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SIZE = (1920, 1080)


def offscreen_screen() -> None:
    """An offscreen screen of SIZE (the platform's default is 800x800), so that maximised
    and full-screen windows look as they do on a 1920x1080 laptop."""
    config = Path(tempfile.mkdtemp()) / "screen.json"
    width, height = SIZE
    config.write_text(json.dumps({"screens": [{"name": "screen", "x": 0, "y": 0,
                                               "width": width, "height": height,
                                               "logicalDpi": 96, "dpr": 1}]}))
    os.environ.setdefault("QT_QPA_PLATFORM", f"offscreen:configfile={config}")

WIDTH = 1280  # the saved pictures: readable in the guide, small in the repository


def wait(app, seconds: float, until=None) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not (until and until()):
        app.processEvents()
        time.sleep(0.01)


def save(widget, path: Path) -> None:
    from PySide6.QtCore import Qt

    image = widget.grab().toImage()
    image.scaledToWidth(WIDTH, Qt.TransformationMode.SmoothTransformation).save(str(path))
    print(f"wrote {path}")


def run_and_wait(app, window, action: str) -> None:
    window.actions[action].trigger()
    wait(app, 120, until=lambda: not window.runs.busy())
    wait(app, 0.5)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "images")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    offscreen_screen()
    from PySide6.QtCore import QSettings

    from gui.app import application, create_window
    from gui.start import compare_benign_adverse

    app = application()
    folder = Path(tempfile.mkdtemp())
    settings = QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)
    window, _ = create_window(None, data_dir=folder, settings=settings)
    window.show_first()  # maximised, framed, with the start page of a first start
    view = window.editor.view
    settled = lambda: window.start_page.isVisible() and "start" in view.reserves and \
        view.framed() and not view.labels.timer.isActive()  # noqa: E731
    wait(app, 30, until=settled)
    wait(app, 0.5)
    save(window, args.out / "01-start-page.png")
    window.start_page.hide()
    wait(app, 0.3)
    save(window, args.out / "02-built-in-scenario.png")

    window.simulation.runbar.runs.setValue(200)
    run_and_wait(app, window, "actionRun")
    save(window, args.out / "03-ensemble.png")

    window.actions["actionReplay"].setChecked(True)
    replay = window.simulation.replay
    replay.slider.setValue(replay.slider.maximum())
    wait(app, 0.5)
    save(window, args.out / "04-replay.png")
    window.actions["actionReplay"].setChecked(False)

    compare_benign_adverse(window)
    wait(app, 120, until=lambda: not window.runs.busy())
    wait(app, 0.5)
    save(window, args.out / "05-comparison.png")

    window.actions["actionWorkshop"].setChecked(True)
    wait(app, 30, until=lambda: window.isFullScreen() and view.width() > window.width() / 2)
    wait(app, 1.0)
    save(window, args.out / "06-workshop-mode.png")
    window.actions["actionWorkshop"].setChecked(False)

    explorer = window.simulation.open_explore()
    explorer.resize(*SIZE)
    wait(app, 0.5)
    save(explorer, args.out / "07-explore.png")
    explorer.close()
    window.editor.stack.setClean()
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
