"""kill -9 in the middle of a large save: the target is the old file or the complete new
one, the backup is kept, and the next save clears the temporary file the killed one left."""
from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from model.files import atomic, load_file, write_bytes_atomic

ROOT = Path(__file__).resolve().parents[1]
SIZES = {".json": 100_000, ".xlsx": 20_000}  # firms: a save that takes a while to write


def convert(source: str, target: Path, *, seed: int = 0) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(ROOT / "main.py"), "convert", source,
                             str(target), "--seed", str(seed)], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def temps(folder: Path, target: Path) -> list[str]:
    pattern = atomic.temp_pattern(target)
    return [n for n in os.listdir(folder) if pattern.fullmatch(n)]


def kill_while_writing(source: str, target: Path) -> bool:
    """Starts the save, kills it with SIGKILL once its temporary file exists; False when
    the save finished before the file was seen."""
    process = convert(source, target, seed=1)
    try:
        while process.poll() is None:
            if temps(target.parent, target):
                process.send_signal(signal.SIGKILL)
                process.wait(30)
                return True
            time.sleep(0.001)
        return False
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(30)
        process.stderr.close()


def finish(process: subprocess.Popen) -> None:
    _, err = process.communicate(timeout=600)
    assert process.returncode == 0, err.decode()


@pytest.mark.parametrize("suffix", SIZES)
def test_kill_9_during_a_large_save_keeps_old_or_new_and_the_backup(tmp_path, suffix):
    target = tmp_path / f"eco{suffix}"
    finish(convert("synthetic:10", target))  # becomes the backup
    oldest = target.read_bytes()
    finish(convert("default", target))  # the file the killed save replaces
    old = target.read_bytes()
    large = f"synthetic:{SIZES[suffix]}"
    for _ in range(3):  # a save may outrun the polling: try again
        if kill_while_writing(large, target):
            break
    else:
        pytest.fail("the save always finished before its temporary file was seen")
    backup = atomic.backup_path(target).read_bytes()
    if target.read_bytes() == old:
        assert backup in (oldest, old)  # killed before or after keeping the backup
    else:  # killed after the rename: the new file is complete
        counts = load_file(target).current.network.counts()
        assert sum(counts[k] for k in ("leader", "sme", "foreign")) == SIZES[suffix]
        assert backup == old
    left = temps(tmp_path, target)
    assert left, "the killed save left no temporary file: nothing to clear"
    time.sleep(atomic.STALE_GRACE_SECONDS + 0.1)
    finish(convert("default", target))
    assert temps(tmp_path, target) == []
    assert atomic.backup_path(target).exists()
    load_file(target)


def test_a_temporary_file_in_use_is_not_removed(tmp_path):
    target = tmp_path / "s.json"
    busy = tmp_path / ".s.json.abcd1234.tmp.json"  # as another process's running save
    stale = tmp_path / ".s.json.zzzz9999.tmp.json"
    foreign = [tmp_path / ".s.json.abcd1234.tmp.xlsx", tmp_path / ".other.json.abcd1234.tmp.json",
               tmp_path / "s.json.abcd1234.tmp.json"]
    for path in (busy, stale, *foreign):
        path.write_bytes(b"partial")
    with open(busy, "rb") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        assert atomic.remove_stale_temps(target, grace=0) == [stale]
    assert busy.exists() and all(p.exists() for p in foreign)


def test_a_young_temporary_file_is_not_removed(tmp_path):
    target = tmp_path / "s.json"
    young = tmp_path / ".s.json.abcd1234.tmp.json"
    young.write_bytes(b"partial")  # unlocked, but just made: it may be locked in a moment
    write_bytes_atomic(target, b"new")
    assert young.exists()
    assert atomic.remove_stale_temps(target, grace=0) == [young]


def test_two_saves_at_once_leave_both_files_whole(tmp_path):
    target = tmp_path / "s.json"
    code = ("import sys; from model.files import write_bytes_atomic\n"
            "for i in range(40): write_bytes_atomic(sys.argv[1], sys.argv[2].encode() * 200_000)")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    writers = [subprocess.Popen([sys.executable, "-c", code, str(target), mark], env=env,
                                stderr=subprocess.PIPE) for mark in ("a", "b")]
    for writer in writers:
        finish(writer)
    assert target.read_bytes() in (b"a" * 200_000, b"b" * 200_000)
    assert temps(tmp_path, target) == []
