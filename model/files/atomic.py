"""Atomic saving: a save either completes or leaves the previous file exactly as it was.

The new content goes to a temporary file in the same folder (so the final rename stays on
one file system), is flushed to disk, the previous file is kept as `NAME.bak`, and only then
does `os.replace` put the new file in place. Any failure removes the temporary file.

A save killed outright (kill -9, a power cut) cannot remove its temporary file
(`.NAME.XXXXXXXX.tmp.SUFFIX`). The next save of the same target removes such leftovers: only
names of that target's own pattern, and only when no save is writing them. A save holds an
exclusive `flock` on its temporary file from creation to the rename (the kernel drops it
when the process dies), so a file whose lock can be taken is abandoned; one younger than
`STALE_GRACE_SECONDS` is left alone, covering the instant between creating and locking it.
Where `flock` does not exist (Windows) a leftover must be `STALE_UNLOCKED_SECONDS` old.
"""
from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from model.errors import InputError

try:
    import fcntl
except ImportError:  # Windows: leftovers are recognised by their age alone
    fcntl = None

BACKUP_SUFFIX = ".bak"
STALE_GRACE_SECONDS = 2.0  # younger temporary files stay (creating and locking take µs)
STALE_UNLOCKED_SECONDS = 24 * 3600.0  # without flock: a leftover must be this old


def backup_path(path: str | os.PathLike) -> Path:
    """Where the previous content is kept: `scenario.json` -> `scenario.json.bak`."""
    path = Path(path)
    return path.with_name(path.name + BACKUP_SUFFIX)


def write_bytes_atomic(path: str | os.PathLike, data: bytes, *, backup: bool = True) -> Path:
    return write_atomic(path, lambda handle: handle.write(data), backup=backup)


def write_atomic(path: str | os.PathLike, write_fn: Callable, *, to: str = "file",
                 backup: bool = True) -> Path:
    """Write through `write_fn` and replace `path` atomically; returns the final path.

    to="file": `write_fn(handle)` gets a binary file object open for writing.
    to="path": `write_fn(temp_path)` gets the temporary file's path (a str ending in the
    target's suffix, for writers that choose the format from it) and writes it itself.
    OSErrors become InputError naming the file; other exceptions pass through unchanged.
    In every failure the previous file is intact and no temporary file is left behind.
    """
    if to not in ("file", "path"):
        raise ValueError(f"to must be 'file' or 'path', not {to!r}")
    label = os.fspath(path)
    target = _target(path)
    remove_stale_temps(target)
    temp, lock = _make_temp(target, label)
    try:
        if to == "file":
            with open(temp, "wb") as handle:
                write_fn(handle)
                handle.flush()
                os.fsync(handle.fileno())
        else:
            write_fn(os.fspath(temp))
            _fsync_path(temp)
        _copy_mode(target, temp)
        if backup and target.exists():
            _keep_backup(target)
        os.replace(temp, target)
    except OSError as exc:
        _remove(temp)
        raise InputError(f"cannot save: {exc.strerror or exc}", file=label,
                         fix="choose a folder you may write to and check the free disk "
                             "space; the previous file is unchanged") from None
    except BaseException:
        _remove(temp)
        raise
    finally:
        os.close(lock)  # after the rename: until then a cleaner sees the save as running
    _fsync_dir(target.parent)
    return target


def _target(path: str | os.PathLike) -> Path:
    """The real file to replace (through a symlink), after checking its folder."""
    label = os.fspath(path)
    target = Path(os.path.realpath(path))
    if target.is_dir():
        raise InputError("this is a folder, not a file", file=label,
                         fix="add a file name to the path")
    if not target.parent.is_dir():
        raise InputError("the folder does not exist", file=label,
                         fix="create the folder first or choose another one")
    return target


def _make_temp(target: Path, label: str) -> tuple[Path, int]:
    """The temporary file, and a descriptor holding its lock (closed by the caller)."""
    try:
        handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.",
                                        suffix=f".tmp{target.suffix}")
    except OSError as exc:
        raise InputError(f"cannot save: {exc.strerror or exc}", file=label,
                         fix="choose a folder you may write to") from None
    if fcntl is not None:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # a file system without locks: the grace period still protects
            pass
    return Path(name), handle


def temp_pattern(target: Path) -> re.Pattern:
    """Names of this target's temporary files: `mkstemp`'s (8 characters of
    [a-z0-9_]) and the backup's hard link (32 hex digits)."""
    name = re.escape(target.name)
    return re.compile(rf"\.{name}\.(?:[a-z0-9_]{{8}}\.tmp{re.escape(target.suffix)}|"
                      rf"[0-9a-f]{{32}}\.bak\.tmp)")


def remove_stale_temps(target: str | os.PathLike, *,
                       grace: float = STALE_GRACE_SECONDS) -> list[Path]:
    """Removes temporary files that interrupted saves of `target` left (at least `grace`
    seconds old); returns them. Best effort: what cannot be checked or removed stays."""
    target = Path(target)
    pattern = temp_pattern(target)
    try:
        names = [n for n in os.listdir(target.parent) if pattern.fullmatch(n)]
    except OSError:
        return []
    removed = []
    for name in names:
        candidate = target.parent / name
        if _abandoned(candidate, grace):
            try:
                os.unlink(candidate)
            except OSError:
                continue
            removed.append(candidate)
    return removed


def _abandoned(path: Path, grace: float) -> bool:
    """Old enough, and (where locks exist) not locked by a save in progress."""
    try:
        info = os.stat(path, follow_symlinks=False)
    except OSError:
        return False
    age = time.time() - max(info.st_mtime, info.st_ctime)  # ctime: a fresh hard link
    if age < grace or not os.path.isfile(path) or os.path.islink(path):
        return False
    if fcntl is None:
        return age > STALE_UNLOCKED_SECONDS
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False  # a save is writing it
    finally:
        os.close(fd)  # closing drops the lock we may have taken
    return True


def _keep_backup(target: Path) -> None:
    """Keep the current file as NAME.bak; a hard link costs nothing, a copy is the fallback."""
    side = target.with_name(f".{target.name}.{uuid.uuid4().hex}.bak.tmp")
    try:
        try:
            os.link(target, side)
        except OSError:
            shutil.copy2(target, side)
        os.replace(side, backup_path(target))
    finally:  # when the backup already is this file (another save just kept it), the
        _remove(side)  # rename does nothing and leaves the link behind


def _copy_mode(target: Path, temp: Path) -> None:
    """mkstemp makes the file private (0600); give it the old file's or the usual mode."""
    try:
        mode = os.stat(target).st_mode & 0o7777
    except FileNotFoundError:
        mode = 0o666 & ~_umask()
    os.chmod(temp, mode)


def _umask() -> int:
    try:  # Linux shows it without changing it; os.umask would race with other threads
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    return 0o022


def _fsync_path(path: Path) -> None:
    with open(path, "r+b") as handle:
        os.fsync(handle.fileno())


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable where the OS allows it (not on Windows)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _remove(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass  # gone already, or nothing more to do: the error that brought us here matters
