"""Errors that reach users: each names the file, the place and the fix."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One broken rule, with where it is and what to do about it."""

    rule: str  # a stable code, e.g. "platform-operator"
    place: str  # e.g. "node 'oip-baidu'" or "edge 3 (a -> b, uses)"
    message: str
    fix: str = ""
    field: str = ""  # the column at fault, when one is

    def __str__(self) -> str:
        text = f"{self.place}: {self.message}"
        return f"{text} ({self.fix})" if self.fix else text


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
        parts = [p for p in (self.file, self.place) if p]
        head = ": ".join(parts + [self.message])
        return f"{head} ({self.fix})" if self.fix else head

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
