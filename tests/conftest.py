"""Settings shared by every test."""
from __future__ import annotations

import os
import sys
from pathlib import Path

from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

# GUI tests need no display; set before anything imports Qt.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

settings.register_profile("project", deadline=None, max_examples=40,
                          suppress_health_check=[HealthCheck.too_slow])
# CI replays the same examples every time, so a landing never hangs on a lucky draw;
# runs elsewhere keep exploring new ones (and a failure found there becomes a test).
settings.register_profile("ci", parent=settings.get_profile("project"), derandomize=True)
settings.load_profile("ci" if os.environ.get("CI") else "project")
