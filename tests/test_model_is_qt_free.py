"""The model never imports Qt: checked statically and by importing it with Qt blocked."""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QT_MODULES = ("PySide6", "PyQt5", "PyQt6", "PySide2", "shiboken6", "pyqtgraph", "qtpy")


def test_no_qt_import_statement_in_model():
    offenders = []
    for path in sorted((ROOT / "model").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.relative_to(ROOT)}:{node.lineno} {n}" for n in names
                          if n.split(".")[0] in QT_MODULES]
    assert offenders == []


BLOCKER = """
import importlib.abc, pkgutil, sys
BLOCKED = %r
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ImportError("model imported " + name)
sys.meta_path.insert(0, Block())
import model
for info in pkgutil.walk_packages(model.__path__, "model."):
    __import__(info.name)
from model.builtin import default_scenario
from model.document import Document
Document(default_scenario()).to_scenario()
print("clean")
""" % (QT_MODULES,)


def test_model_imports_and_works_with_qt_blocked():
    done = subprocess.run([sys.executable, "-c", BLOCKER], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().endswith("clean")
