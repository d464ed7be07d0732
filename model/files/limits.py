"""Reading a scenario file safely: size limit first, then the bytes, never a traceback."""
from __future__ import annotations

import os
import stat
from pathlib import Path

from model.errors import InputError

# Far above any real scenario (the 100,000-firm stress test is about 30 MB as JSON), far
# below what would exhaust a laptop's memory. Tests lower it through `max_bytes`.
MAX_BYTES = 512 * 2**20
# Beyond the size, each format has limits checked before (or while) its content is walked,
# so that a small hostile file cannot make an import spin or fill memory. Each is far above
# what the 100,000-firm stress test needs (docs/scenario-format.md, "Limits").
MAX_UNPACKED = 4 * MAX_BYTES  # a workbook (a zip) unpacked: a zip bomb goes far beyond
MAX_ROWS = 5_000_000  # data rows of one sheet or CSV file (Excel itself holds 1,048,576)
MAX_COLUMNS = 1_000  # named columns in the header of one sheet or CSV file
MAX_VALUE_CHARS = 2**20  # characters of one CSV field, GraphML attribute or data value
MAX_XML_ELEMENTS = 20_000_000  # elements of a GraphML file (100,000 firms: about 1.7 million)


def file_label(path: str | os.PathLike) -> str:
    """How messages name the file: as the user gave it."""
    return os.fspath(path)


def _size_text(size: int) -> str:
    for unit, scale in (("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if size >= scale:
            return f"{size / scale:.1f} {unit}"
    return f"{size} bytes"


def check_readable(path: str | os.PathLike, max_bytes: int = MAX_BYTES) -> int:
    """The file's size, after refusing a missing file, a folder, a device or a file too big."""
    label = file_label(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise InputError("the file does not exist", file=label,
                         fix="check the name and the folder") from None
    except OSError as exc:
        raise InputError(f"cannot open the file: {exc.strerror or exc}", file=label,
                         fix="check that the file exists and that you may read it") from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError("this is a folder, not a file", file=label,
                         fix="give the path of a scenario file inside it")
    if not stat.S_ISREG(info.st_mode):
        raise InputError("this is not a regular file", file=label,
                         fix="give the path of a scenario file")
    if info.st_size > max_bytes:
        raise InputError(f"the file is too large ({_size_text(info.st_size)}; the limit is "
                         f"{_size_text(max_bytes)})", file=label,
                         fix="check that this is really a scenario file")
    return info.st_size


def read_limited(path: str | os.PathLike, max_bytes: int = MAX_BYTES) -> bytes:
    """The file's bytes; refuses before reading anything if it is over `max_bytes`."""
    check_readable(path, max_bytes)
    label = file_label(path)
    try:
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)  # the file may have grown since stat
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror or exc}", file=label,
                         fix="check that you may read it") from None
    if len(data) > max_bytes:
        raise InputError(f"the file is too large (over {_size_text(max_bytes)})", file=label,
                         fix="check that this is really a scenario file")
    return data


def suffix_of(path: str | os.PathLike) -> str:
    return Path(path).suffix.lower()
