"""Signals to the application: it closes without asking, ends its workers (no process of
any kind is left), keeps unsaved work as the recovery file and exits with 128 + N."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from test_cli_limits import children_of, gone, wait_for_workers

HERE = Path(__file__).resolve().parent


def start_window(tmp_path: Path) -> subprocess.Popen:
    """The application in a session of its own, its settings and data under tmp_path."""
    env = dict(os.environ, XDG_DATA_HOME=str(tmp_path / "data"),
               XDG_CONFIG_HOME=str(tmp_path / "config"), QT_QPA_PLATFORM="offscreen")
    return subprocess.Popen([sys.executable, str(HERE / "window_under_signal.py")],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)


@pytest.mark.skipif(os.name != "posix", reason="POSIX signals")
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT],
                         ids=["sigterm", "sighup", "ctrl-c-in-its-terminal"])
def test_a_signal_closes_the_window_and_keeps_unsaved_work(tmp_path, signum):
    process = start_window(tmp_path)
    try:
        assert process.stdout.readline().strip() == "ready"
        wait_for_workers(process, 2)
        children = children_of(process.pid)
        process.send_signal(signum)
        _out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    assert process.returncode == 128 + signum, err
    assert "Traceback" not in err, err
    assert gone(children) == []
    recovered = list((tmp_path / "data").rglob("recovery/*.json"))
    assert len(recovered) == 1
    names = [n.get("name") for v in json.loads(recovered[0].read_text())["variants"]
             for n in v["nodes"]]
    assert "Unsaved Zone" in names


@pytest.mark.skipif(os.name != "posix", reason="POSIX signals")
def test_workers_end_when_the_window_is_killed_outright(tmp_path):
    process = start_window(tmp_path)
    children = []
    try:
        assert process.stdout.readline().strip() == "ready"
        wait_for_workers(process, 2)
        children = children_of(process.pid)
        process.kill()
        process.communicate(timeout=60)
        assert gone(children, timeout=10) == []
    finally:
        for child in children:
            if child.is_running():
                child.kill()
