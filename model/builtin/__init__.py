"""Built-in scenarios: `default` (national OIPs and pilot zones), `foreign_oip` (the same
with a hypothetical foreign-built OIP), `history` (the default from 2017Q4, elements
appearing at their dates) and `synthetic:N`.

`resolve_builtin` turns a SCENARIO argument of the command line (INTERFACES.md) into a
scenario when it names a built-in, and returns None otherwise (then it is a file path).
"""
from __future__ import annotations

from types import MappingProxyType

from model.builtin.default import default_scenario
from model.builtin.foreign_oip import foreign_oip_scenario
from model.builtin.history import history_scenario
from model.builtin.synthetic import MAX_FIRMS, MIN_FIRMS, synthetic_scenario
from model.errors import InputError
from model.scenario import Scenario

__all__ = ["BUILTIN_NAMES", "default_scenario", "foreign_oip_scenario", "history_scenario",
           "resolve_builtin",
           "synthetic_scenario"]

BUILTIN_NAMES = MappingProxyType({
    "default": "China's national AI OIPs and pilot zones with their firms (real names where "
               "public sources confirm them, synthetic SMEs)",
    "foreign_oip": "the default with a HYPOTHETICAL foreign-built OIP (a what-if: compare "
                   "foreign_access_parity 0 and 1 on it)",
    "history": "the default from 2017Q4 through the real calendar: platforms and pilot zones "
               "appear in the quarters they were designated and approved, the policy turns "
               "of 2020-2022 as schedules",
    "synthetic:N": f"a generated ecosystem of N firms ({MIN_FIRMS} to {MAX_FIRMS:,}), seeded "
                   "by --seed, for stress tests and benchmarks",
})

_PREFIX = "synthetic:"
_SIZE_FIX = f"write synthetic:N with N a whole number from {MIN_FIRMS} to {MAX_FIRMS:,}, " \
    "e.g. synthetic:10000"


def resolve_builtin(spec: str, seed: int = 0) -> Scenario | None:
    """The built-in scenario that `spec` names, or None when it names none (a file path)."""
    text = str(spec).strip()
    if text.lower() == "default":
        return default_scenario()
    if text.lower() == "foreign_oip":
        return foreign_oip_scenario()
    if text.lower() == "history":
        return history_scenario()
    if text.lower() == "synthetic" or text.lower().startswith(_PREFIX):
        return synthetic_scenario(_size(text), seed)
    return None


def _size(text: str) -> int:
    number = text[len(_PREFIX):].strip().replace("_", "").replace(",", "")
    if not number:
        raise InputError(f"{text!r} does not say how many firms to generate", fix=_SIZE_FIX)
    if not (number.isascii() and number.isdigit()):
        raise InputError(f"{text!r}: {number!r} is not a whole number of firms", fix=_SIZE_FIX)
    return int(number)
