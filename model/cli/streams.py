"""Output that survives a closed pipe: `run ... --out f.xlsx | head -1` ends the printing,
not the work. Once a stream's reader has gone, writes to it are dropped (the command goes
on and writes its --out file) and its file descriptor is pointed at the null device, so
that the interpreter's last flush at exit cannot fail either."""
from __future__ import annotations

import io
import os
import sys
from contextlib import contextmanager


class PipeSafe(io.TextIOBase):
    """A text stream that drops what it cannot write once its pipe has closed."""

    def __init__(self, stream):
        super().__init__()
        self.stream = stream
        self.gone = False

    def write(self, text: str) -> int:
        if not self.gone:
            self._guarded(self.stream.write, text)
        return len(text)

    def flush(self) -> None:
        if not self.gone:
            self._guarded(self.stream.flush)

    def isatty(self) -> bool:
        return not self.gone and self.stream.isatty()

    def fileno(self) -> int:
        return self.stream.fileno()

    @property
    def buffer(self):
        """The binary stream underneath (`presets --json` writes UTF-8 bytes to it)."""
        return self.stream.buffer

    @property
    def encoding(self):
        return getattr(self.stream, "encoding", "utf-8")

    def _guarded(self, call, *args) -> None:
        try:
            call(*args)
        except OSError:  # a closed pipe (EPIPE), a hung-up terminal (EIO)
            self.gone = True
            _to_null(self.stream)


def _to_null(stream) -> None:
    """The stream's descriptor now writes to the null device (what is buffered goes
    there too, so no later flush raises)."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, stream.fileno())
        os.close(null)
    except (OSError, ValueError, io.UnsupportedOperation):
        pass  # not a real file (a test's capture): its writes are dropped by PipeSafe


@contextmanager
def pipe_safe():
    """stdout and stderr as PipeSafe streams for the block."""
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = PipeSafe(sys.stdout), PipeSafe(sys.stderr)
    try:
        yield
    finally:
        for stream in (sys.stdout, sys.stderr):
            stream.flush()
        sys.stdout, sys.stderr = saved
