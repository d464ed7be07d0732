"""One gate for all text written to a file: what the format cannot hold is replaced visibly.

XML 1.0 (workbooks and GraphML) cannot hold C0 control characters other than tab, line feed
and carriage return, nor lone surrogates, not even escaped; a sheet holding one is not
well-formed (Excel "repairs" it, import refuses it). Unicode noncharacters (U+FFFE, U+FFFF,
U+FDD0..U+FDEF and the last two code points of every plane) are "not for interchange";
U+FFFE and U+FFFF are not XML at all, the rest XML 1.0 discourages, so a workbook for a
minister carries none of them. UTF-8 JSON holds every character but a lone surrogate.

Each such character becomes U+FFFD, the Unicode replacement character: every viewer shows
it (as a diamond with a question mark), it is one character (lengths and column widths
stay), and it cannot be mistaken for text the user typed, which a written escape such as
"\\u+FFFE" could. Which characters were replaced goes into the export's warning instead.

A writer opens `collecting(target)` for one export; every `clean` call inside it counts
what it replaced, and `Replacements.warning()` is the one line the CLI prints and the
window shows. (A context variable, so that the cell writers need no extra argument and two
exports in two threads keep separate counts.)
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from model.errors import InputError

REPLACEMENT = "\ufffd"
_NONCHARACTERS = "\ufdd0-\ufdef" + "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17))
XML = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff{_NONCHARACTERS}]")
JSON = re.compile("[\ud800-\udfff]")
_EXAMPLE = 24  # characters of context shown either side of the first replacement


@dataclass
class Replacements:
    """What one export replaced: how many characters, which, and an example."""

    target: str  # how the warning names the format: "a workbook", "GraphML", "JSON"
    characters: Counter = field(default_factory=Counter)
    example: str = ""
    returns: int = 0  # carriage returns written as line feeds (XML formats)
    return_example: str = ""

    def add(self, cleaned: str, found: list[str], first: int) -> None:
        if not self.characters:
            self.example = _around(cleaned, first)
        self.characters.update(found)

    def add_returns(self, text: str, count: int) -> None:
        if not self.returns:
            self.return_example = _around(text, text.index("\r"))
        self.returns += count

    @property
    def count(self) -> int:
        return sum(self.characters.values())

    def warning(self) -> str | None:
        """One line for the user, or None when nothing was replaced."""
        parts = []
        if self.characters:
            codes = ", ".join(f"U+{ord(c):04X}" for c, _ in self.characters.most_common(5))
            more = ", ..." if len(self.characters) > 5 else ""
            parts.append(f"{self.count:,} character{'s' * (self.count != 1)} that "
                         f"{self.target} cannot hold ({codes}{more}) written as "
                         f"{REPLACEMENT} (U+FFFD), e.g. in {self.example!r}")
        if self.returns:
            parts.append(f"{self.returns:,} carriage return{'s' * (self.returns != 1)} "
                         f"(U+000D) written as line feeds (a CR LF as one), as "
                         f"{self.target} keeps them, e.g. in {self.return_example!r}")
        if not parts:
            return None
        keep = "" if self.target == "JSON" else "; save as .json to keep them"
        return "; ".join(parts) + keep


def _around(text: str, at: int) -> str:
    return text[max(0, at - _EXAMPLE):at + _EXAMPLE + 1]


_CURRENT: ContextVar[Replacements | None] = ContextVar("text_replacements", default=None)


@contextmanager
def collecting(target: str, notes: list[str] | None = None) -> Iterator[Replacements]:
    """Counts the replacements of one export; the warning, if any, is appended to `notes`
    when the block ends without an error."""
    found = Replacements(target)
    token = _CURRENT.set(found)
    try:
        yield found
    finally:
        _CURRENT.reset(token)
    if notes is not None and found.warning():
        notes.append(found.warning())


def clean(text: str, rule: re.Pattern = XML) -> str:
    """`text` with every character `rule` forbids replaced by U+FFFD (counted); in XML a
    carriage return (or CR LF) becomes a line feed, as an XML reader would make it
    (counted too: the user is told, not surprised on reading the file back)."""
    first = rule.search(text)
    collector = _CURRENT.get()
    if first is not None:
        found = rule.findall(text, first.start())
        text_out = rule.sub(REPLACEMENT, text)
        if collector is not None:
            collector.add(text_out, found, first.start())
        text = text_out
    if rule is XML and "\r" in text:
        if collector is not None:
            collector.add_returns(text, text.count("\r"))
        text = _line_feeds(text)
    return text


def needs_cleaning(text: object, rule: re.Pattern = XML) -> bool:
    """Whether `clean` would change `text`."""
    return isinstance(text, str) and (rule.search(text) is not None or
                                      (rule is XML and "\r" in text))


def _line_feeds(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _quiet(text: str, rule: re.Pattern) -> str:
    """`clean` without counting (ids are counted as they are written)."""
    text = rule.sub(REPLACEMENT, text)
    return _line_feeds(text) if rule is XML else text


def clean_ids(ids: Iterable[str], what: str, rule: re.Pattern = XML) -> dict[str, str]:
    """id -> its cleaned form, for the ids (or names: `what` says which, e.g. "node id")
    that change (not counted: the writer counts
    them as it writes them); refuses two ids that would become one (the file would then
    not read back, or edges would point at the wrong node)."""
    ids = list(ids)
    changed = {i: _quiet(i, rule) for i in ids if needs_cleaning(i, rule)}
    if not changed:
        return {}
    taken = {i: i for i in ids if i not in changed}
    for original, cleaned in changed.items():
        other = taken.setdefault(cleaned, original)
        if other != original:
            raise InputError(f"the {what}s {other!r} and {original!r} would both be "
                             f"written as {cleaned!r}: the format cannot hold their "
                             "characters", fix="rename one of them, or save as .json, "
                                                "which keeps them")
    return changed
