"""Facts about the export itself (issue 26): the command that made it, the versions of the
tool, the code and the libraries, and the time with its zone. Printed on the Summary and
stored as document properties, so that a reader can make the same workbook again."""
from __future__ import annotations

import platform
import subprocess
from datetime import datetime
from importlib import metadata
from pathlib import Path

LIBRARIES = ("numpy", "pandas", "scipy", "networkx", "openpyxl", "SALib")


def library_versions() -> str:
    """'Python 3.11.4, numpy 1.26.4, ...' (a library not installed is left out)."""
    parts = [f"Python {platform.python_version()}"]
    for name in LIBRARIES:
        try:
            parts.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            continue
    return ", ".join(parts)


def code_version() -> str:
    """`git describe` of the source tree when it is a git checkout, else the package
    version (an installed copy has no history)."""
    import model

    root = Path(model.__file__).resolve().parent.parent
    try:
        done = subprocess.run(["git", "describe", "--always", "--dirty", "--tags"], cwd=root,
                              capture_output=True, text=True, timeout=5, check=False)
    except (OSError, subprocess.SubprocessError):
        done = None
    described = done.stdout.strip() if done is not None and done.returncode == 0 else ""
    version = getattr(model, "__version__", "")
    return f"git {described} (package {version})" if described else f"package {version}"


def moment_text(moment: datetime) -> str:
    """'2026-12-07 15:24 UTC+01:00': a naive time is taken as local time."""
    aware = moment if moment.tzinfo is not None else moment.astimezone()
    offset = aware.strftime("%z")
    zone = f"UTC{offset[:3]}:{offset[3:]}" if offset else "UTC"
    return f"{aware:%Y-%m-%d %H:%M} {zone}"
