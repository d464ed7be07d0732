"""The pinned Qt binding must not leak references to None (PySide6 6.12 on Python 3.11 does,
and the interpreter aborts after a few thousand calls; see docs/decisions.md)."""
from __future__ import annotations

import sys

from PySide6.QtCore import QPointF


def test_void_methods_keep_none_refcount():
    point = QPointF()
    before = sys.getrefcount(None)
    for i in range(2000):
        point.setX(float(i))
    assert sys.getrefcount(None) - before > -50
