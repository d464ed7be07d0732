"""Progress of a long command on stderr: a bar with the time left on a terminal, a line
every few seconds elsewhere (a log, a pipe) when the request was announced as long."""
from __future__ import annotations

import sys
import time

from model.experiments.limits import LONG_SECONDS, duration_text, estimate_seconds

LINE_SECONDS = 5.0  # off a terminal: one progress line at most this often


def announce(args, *, firms: int, steps: int, runs: int, workers: int | None,
             stream=None) -> float | None:
    """Says before it starts that a request will take long (and how to stop it); returns
    the estimate in seconds (None when the workers are unknown, as on a cluster)."""
    if workers is None:
        return None
    seconds = estimate_seconds(firms, steps, runs, workers)
    if seconds > LONG_SECONDS and not args.quiet:
        stream = stream or sys.stderr
        where = f"{workers} worker{'s' * (workers != 1)}"
        print(f"{runs:,} run{'s' * (runs != 1)} x {steps} steps of {firms:,} firms: about "
              f"{duration_text(seconds)} on {where}; Ctrl-C stops", file=stream, flush=True)
    return seconds


class Progress:
    """A one-line progress bar with the time left, on stderr. On a terminal it is shown
    unless --quiet; elsewhere only for a request announced as long (`estimate` over
    LONG_SECONDS), as a plain line every LINE_SECONDS. The time left comes from the
    estimate until the first results arrive, then from the measured pace."""

    def __init__(self, args, unit: str, stream=None, estimate: float | None = None):
        self.stream = stream or sys.stderr
        self.unit = unit
        terminal = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.long = estimate is not None and estimate > LONG_SECONDS
        self.enabled = not args.quiet and (terminal or self.long)
        self.terminal = terminal
        self.estimate = estimate
        self.started = time.monotonic()
        self.last_line = -LINE_SECONDS
        self.shown = False

    def __enter__(self):
        self.started = time.monotonic()
        if self.enabled and self.long:
            self.update(0, 1)  # the time left shows at once, before the first result
        return self

    def time_left(self, done: int, total: int) -> float | None:
        elapsed = time.monotonic() - self.started
        if done > 0:
            return elapsed * (total - done) / done
        if self.estimate is not None:
            return max(0.0, self.estimate - elapsed)
        return None

    def update(self, done: int, total: int) -> None:
        if not self.enabled or total <= 0:
            return
        left = self.time_left(done, total)
        tail = f", about {duration_text(left)} left" if left is not None and done < total \
            else ""
        counted = "" if done == 0 and total == 1 else f" {done:,}/{total:,} {self.unit}"
        if self.terminal:
            width = 30
            filled = int(width * done / total)
            self.stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}]{counted}{tail}"
                              "\x1b[K")
        else:
            now = time.monotonic()
            if now - self.last_line < LINE_SECONDS and done < total:
                return
            self.last_line = now
            self.stream.write(f"progress:{counted or ' starting'}{tail}\n")
        self.stream.flush()
        self.shown = True

    def __exit__(self, *exc):
        if self.shown and self.terminal:
            self.stream.write("\n")
            self.stream.flush()
        return False
