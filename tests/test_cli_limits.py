"""Runaway requests: bounds refused with exit 2, long requests announced, Ctrl-C stops
cleanly (exit 130, one line, no worker left, no partial --out file)."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import psutil
import pytest

from model.builtin.synthetic import MAX_FIRMS
from model.cli import main
from model.cli.progress import Progress, announce
from model.engine import MAX_STEPS
from model.experiments import limits
from model.exploration.experiment import MAX_RUNS_PER_FUTURE
from model.exploration.futures import MAX_FUTURES

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("argv, words", [
    (["run", "synthetic:10", "--runs", "10000000"], "--runs 10,000,000 is over the limit of "
                                                     f"{limits.MAX_RUNS:,}"),
    (["run", "--runs", "0"], "--runs 0 is not a whole number >= 1"),
    (["run", f"synthetic:{MAX_FIRMS + 1}"], "outside the supported range"),
    (["run", "--steps", str(MAX_STEPS + 1)], f"outside 0..{MAX_STEPS}"),
    (["sweep", "--param", "hub_bonus", "--values", ",".join(["0.5"] * 101)],
     f"over the limit of {limits.MAX_SWEEP_VALUES}"),
    (["compare", "default", "default", "--runs", "100000"], "over the limit of 5,000,000 "
                                                            "run-steps"),
    (["run", "--runs", "5000", "--steps", str(MAX_STEPS)], "run-steps"),
    (["explore", "--futures", str(MAX_FUTURES + 1)], f"over the limit of {MAX_FUTURES:,}"),
    (["explore", "--futures", "10", "--runs", str(MAX_RUNS_PER_FUTURE + 1)],
     f"over the limit of {MAX_RUNS_PER_FUTURE}"),
])
def test_requests_over_a_limit_are_refused_before_anything_runs(capsys, monkeypatch, argv,
                                                                words):
    from model.cli import run_commands
    from model.experiments import runner

    def ran(*_args, **_kwargs):
        raise AssertionError("a run started before the request was refused")

    monkeypatch.setattr(runner, "plan_batches", ran)  # every ensemble plans first
    monkeypatch.setattr(run_commands, "run", ran)  # a single run
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and err.startswith("error: ") and words in err
    assert err.endswith(")")  # the fix, in brackets


def test_help_shows_the_limits(capsys):
    for command, texts in (("run", [f"{limits.MAX_RUNS:,}", f"{MAX_FIRMS:,}", str(MAX_STEPS)]),
                           ("sweep", [f"at most {limits.MAX_SWEEP_VALUES}"]),
                           ("explore", [f"at most {MAX_FUTURES:,}"])):
        assert main([command, "--help"]) == 0
        out = " ".join(capsys.readouterr().out.split())
        for text in texts:
            assert text in out, (command, text)


def test_a_long_request_is_announced_and_a_short_one_is_not(capsys):
    args = SimpleNamespace(quiet=False)
    assert announce(args, firms=483, steps=40, runs=10, workers=2) < limits.LONG_SECONDS
    assert capsys.readouterr().err == ""
    seconds = announce(args, firms=483, steps=40, runs=1_000_000, workers=2)
    err = capsys.readouterr().err
    assert seconds > 600 and err.endswith("on 2 workers; Ctrl-C stops\n")
    assert err.startswith("1,000,000 runs x 40 steps of 483 firms: about ")
    announce(SimpleNamespace(quiet=True), firms=483, steps=40, runs=1_000_000, workers=2)
    assert capsys.readouterr().err == ""


def test_durations_read_as_a_planner_needs_them():
    assert [limits.duration_text(s) for s in (0.2, 45, 240, 7200, 5 * 86400, 1e9)] == \
        ["1 s", "45 s", "4 min", "2 h", "5 days", "32 years"]


def test_progress_of_a_long_request_shows_time_left_at_once_off_a_terminal(monkeypatch):
    import io

    from model.cli import progress

    monkeypatch.setattr(progress, "LINE_SECONDS", 1e9)  # the second update comes "soon"
    piped = io.StringIO()
    with Progress(SimpleNamespace(quiet=False), "runs", stream=piped, estimate=240) as bar:
        first = piped.getvalue()
        bar.update(10, 100)  # within LINE_SECONDS of the first line: not repeated
    assert first == "progress: starting, about 4 min left\n"
    assert piped.getvalue() == first


def children_of(pid: int) -> list[psutil.Process]:
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


def gone(processes: list[psutil.Process], timeout: float = 15) -> list[psutil.Process]:
    """The processes still alive (not zombies) after up to `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        alive = [p for p in processes if _alive(p)]
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.05)


def _alive(process: psutil.Process) -> bool:
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def workers_of(pid: int) -> list[psutil.Process]:
    """The pool's worker processes (not multiprocessing's resource tracker)."""
    out = []
    for child in children_of(pid):
        try:
            if "spawn_main" in " ".join(child.cmdline()):
                out.append(child)
        except psutil.NoSuchProcess:
            pass
    return out


def _ready(worker: psutil.Process) -> bool:
    """The worker ran its initializer: its parent-watchdog thread is up."""
    try:
        return worker.num_threads() >= 2
    except psutil.NoSuchProcess:
        return False


def wait_for_workers(process: subprocess.Popen, workers: int, timeout: float = 120) -> None:
    """Until `workers` pool workers are set up and computing (or the command ended)."""
    deadline = time.monotonic() + timeout
    while process.poll() is None and time.monotonic() < deadline:
        ready = [w for w in workers_of(process.pid) if _ready(w)]
        if len(ready) >= workers:
            return
        time.sleep(0.05)
    raise AssertionError(f"{workers} workers did not start (exit {process.poll()})")


def start_long_command(args: list[str], out: Path) -> tuple[subprocess.Popen, list[str]]:
    """The command, started in a session of its own, once it has said it is long and
    shown its first progress line (the work is under way)."""
    command = [sys.executable, str(ROOT / "main.py"), *args, "--out", str(out)]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, start_new_session=True)
    err_lines = [process.stderr.readline(), process.stderr.readline()]
    assert "Ctrl-C stops" in err_lines[0] and err_lines[1].startswith("progress:"), \
        err_lines
    return process, err_lines


MONTE_CARLO = ["run", "default", "--runs", "100000"]  # worker processes
EXPLORATION = ["explore", "default", "--futures", "5000"]  # worker processes
ONE_LONG_RUN = ["run", "synthetic:300000", "--steps", "1000"]  # in this process
STOPPED_LINE = "stopped by {}; no file was written or changed"


@pytest.mark.parametrize("request_args, signum, to_group, old_out, workers", [
    (MONTE_CARLO, signal.SIGINT, True, False, 2),
    (MONTE_CARLO, signal.SIGINT, False, True, 2),
    (ONE_LONG_RUN, signal.SIGINT, True, True, 0),
    (MONTE_CARLO, signal.SIGTERM, False, True, 2),
    (MONTE_CARLO, signal.SIGTERM, True, False, 2),
    (EXPLORATION, signal.SIGTERM, False, True, 2),
    (MONTE_CARLO, signal.SIGHUP, False, True, 2),
    (EXPLORATION, signal.SIGHUP, True, False, 2),
    (ONE_LONG_RUN, signal.SIGTERM, False, True, 0)],
    ids=["ctrl-c-on-a-terminal", "sigint-to-the-command", "one-run-in-process",
         "sigterm-to-the-command", "sigterm-to-the-group", "sigterm-to-explore",
         "sighup-to-the-command", "sighup-to-explore-and-its-group",
         "sigterm-to-one-run-in-process"])
def test_a_signal_during_a_long_request_stops_it_cleanly(tmp_path, request_args, signum,
                                                        to_group, old_out, workers):
    """As Ctrl-C: exit 128 + N, one line, no traceback, no process left of any kind
    (workers, the resource tracker), the old --out file kept (or none)."""
    out = tmp_path / "x.xlsx"
    if old_out:
        out.write_bytes(b"the previous briefing")
    process, err_lines = start_long_command(request_args, out)
    try:
        wait_for_workers(process, workers)
        children = children_of(process.pid)
        assert len(children) >= workers, "no worker processes were started"
        if to_group:  # what a terminal (or a CI runner) does: every process of the job
            os.killpg(process.pid, signum)
        else:
            process.send_signal(signum)
        stdout, rest = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    err = "".join(err_lines) + rest
    assert process.returncode == 128 + signum, err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err
    words = "Ctrl-C" if signum == signal.SIGINT else signal.Signals(signum).name
    assert rest.strip().splitlines()[-1] == STOPPED_LINE.format(words)
    assert len([line for line in rest.splitlines() if not line.startswith("progress:")
                and line.strip()]) == 1, rest
    assert gone(children) == []
    if old_out:
        assert out.read_bytes() == b"the previous briefing"
    else:
        assert not out.exists()
    assert [p.name for p in tmp_path.iterdir() if ".tmp" in p.name] == []


@pytest.mark.parametrize("request_args", [MONTE_CARLO, EXPLORATION], ids=["run", "explore"])
def test_workers_end_when_their_parent_is_killed_outright(tmp_path, request_args):
    """kill -9 tells nobody: each worker watches its parent and ends with it, and then
    multiprocessing's resource tracker (which waits for every holder of its pipe)."""
    process, _err = start_long_command(request_args, tmp_path / "x.xlsx")
    try:
        wait_for_workers(process, 2)
        children = children_of(process.pid)
        process.kill()
        process.communicate(timeout=60)
        assert gone(children, timeout=10) == []  # "a few seconds" (measured: 0.02 s)
    finally:
        for child in children_of(process.pid) + locals().get("children", []):
            if _alive(child):
                child.kill()
    assert not (tmp_path / "x.xlsx").exists()


def test_workers_leave_ctrl_c_to_the_process_that_started_them():
    """Ignored from their start (inherited) and by their initializer (for pools started
    off the main thread, where the parent cannot change its handlers)."""
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    from model.experiments import runner

    before = signal.getsignal(signal.SIGINT)
    with runner.interrupts_ignored():
        bare = ProcessPoolExecutor(1, mp_context=get_context("spawn"))
        inherited = bare.submit(signal.getsignal, signal.SIGINT)
    assert signal.getsignal(signal.SIGINT) is before
    own = ProcessPoolExecutor(1, mp_context=get_context("spawn"),
                              initializer=runner.ignore_interrupts)
    try:
        assert inherited.result(120) == signal.SIG_IGN
        assert own.submit(signal.getsignal, signal.SIGINT).result(120) == signal.SIG_IGN
    finally:
        bare.shutdown()
        own.shutdown()
