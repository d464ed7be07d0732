"""Errors that reach users: each names the file, the place and the fix, on one short line.

Every refusal renders as one line of at most `MAX_LINE` characters (with the CLI's
`error: ` prefix): line breaks and other control characters are escaped, a long id or
value is shortened in its middle by `elide`, and when the whole line is still too long the
longest of its parts (file, place, message, fix) are shortened first.
"""
from __future__ import annotations

from dataclasses import dataclass

MAX_LINE = 300  # characters in one refusal on stderr, `ERROR_PREFIX` included
ERROR_PREFIX = "error: "
ELIDED_KEEP = 40  # characters a quoted id or value keeps by default (head and tail)

# Line breaks and other control characters, escaped as Python writes them ("\n", "\x1b"):
# a message stays one line, and a file cannot send escape sequences to the terminal.
_CONTROL = {code: repr(chr(code))[1:-1] for code in (*range(0x20), *range(0x7f, 0xa0),
                                                     0x2028, 0x2029)}


def elide(text: object, keep: int = ELIDED_KEEP) -> str:
    """`text` with its middle left out when it is longer than `keep` characters, e.g.
    "abcdefghijklmnopqrstuvwxy…(1,048,536 characters)…wxyz"; control characters escaped."""
    text = str(text).translate(_CONTROL)
    if len(text) <= keep:
        return text
    marker = f"…({len(text):,} characters)…"  # an upper bound of the final marker's length
    room = max(keep - len(marker), 8)
    head, tail = room - room // 3, room // 3
    return f"{text[:head]}…({len(text) - head - tail:,} characters)…{text[len(text) - tail:]}"


def first_line(text: object) -> str:
    """The first non-blank line of a library's message (openpyxl, xml, csv, json)."""
    lines = [line.strip() for line in str(text).splitlines() if line.strip()]
    return lines[0] if lines else ""


def fit_line(parts: list[str], fix: str = "", limit: int = MAX_LINE) -> str:
    """`parts` joined by ": ", then " (fix)", escaped and fitted into `limit` characters:
    the longest parts are shortened (in their middle) until the line fits."""
    parts = [str(p).translate(_CONTROL) for p in parts if p]
    fix = str(fix or "").translate(_CONTROL)
    pieces = parts + ([fix] if fix else [])
    overhead = 2 * (len(parts) - 1) + (3 if fix else 0)
    budgets = _shares([len(p) for p in pieces], max(limit - overhead, 8 * len(pieces)))
    pieces = [elide(p, b) for p, b in zip(pieces, budgets)]
    head = ": ".join(pieces[:len(parts)])
    return f"{head} ({pieces[-1]})" if fix else head


def _shares(lengths: list[int], total: int) -> list[int]:
    """Water-filling: short parts keep their length, long ones share what is left."""
    budgets = list(lengths)
    left, open_ = total, sorted(range(len(lengths)), key=lengths.__getitem__)
    while open_:
        share = left // len(open_)
        index = open_.pop(0)
        budgets[index] = min(lengths[index], share)
        left -= budgets[index]
    return budgets


@dataclass(frozen=True)
class Problem:
    """One broken rule, with where it is and what to do about it."""

    rule: str  # a stable code, e.g. "platform-operator"
    place: str  # e.g. "node 'oip-baidu'" or "edge 3 (a -> b, uses)"
    message: str
    fix: str = ""
    field: str = ""  # the column at fault, when one is

    def __str__(self) -> str:
        return self.line()

    def line(self, file: str | None = None) -> str:
        """The problem on one line of at most `MAX_LINE` characters, after the file."""
        return fit_line([file or "", self.place, self.message], self.fix)


class InputError(Exception):
    """Wrong input from a user or a file: the CLI exits 2 with this one line."""

    def __init__(self, message: str, *, file: str | None = None, place: str | None = None,
                 fix: str = "", problems: tuple[Problem, ...] = ()):
        self.message = message
        self.file = file
        self.place = place
        self.fix = fix
        self.problems = tuple(problems)
        super().__init__(self.line())

    def __reduce__(self):  # keeps file, place, fix and problems across processes
        return (_restore_error, (type(self), self.args, dict(self.__dict__)))

    def line(self) -> str:
        """One line, at most `MAX_LINE` characters once the CLI puts `ERROR_PREFIX` first."""
        return fit_line([self.file or "", self.place or "", self.message], self.fix,
                        MAX_LINE - len(ERROR_PREFIX))

    def in_file(self, file: str) -> InputError:
        """The same error, now naming the file it came from."""
        return InputError(self.message, file=self.file or file, place=self.place, fix=self.fix,
                          problems=self.problems)


class ValidationError(InputError):
    """A network or scenario that breaks one or more rules of MODEL.md section 2."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...], *, file: str | None = None):
        problems = tuple(problems)
        first = problems[0]
        more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
        super().__init__(f"{first.message}{more}", file=file, place=first.place, fix=first.fix,
                         problems=problems)

    def in_file(self, file: str) -> ValidationError:
        return ValidationError(self.problems, file=self.file or file)


def _restore_error(cls, args, state):
    """An unpickled InputError (or subclass), without calling its __init__ again."""
    error = cls.__new__(cls)
    error.args = args
    error.__dict__.update(state)
    return error
