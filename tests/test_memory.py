"""Engine processes keep freed memory for reuse (model/engine/memory.py)."""
import platform
import subprocess
import sys

import pytest


def _libc_is_glibc() -> bool:
    return sys.platform.startswith("linux") and platform.libc_ver()[0] == "glibc"


@pytest.mark.skipif(not _libc_is_glibc(), reason="mallopt thresholds exist in glibc only")
def test_a_command_raises_the_malloc_thresholds_once():
    code = ("from model.engine.memory import keep_freed_memory as k; "
            "print(k(), k())")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == ["True", "True"]


def test_elsewhere_it_is_a_harmless_no_op(monkeypatch):
    from model.engine import memory

    monkeypatch.setattr(memory, "_done", [])
    monkeypatch.setattr(memory.sys, "platform", "darwin")
    assert memory.keep_freed_memory() is False
    assert memory.keep_freed_memory() is False  # remembered, not retried
