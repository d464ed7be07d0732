"""Values built on first read, for the fields of frozen dataclasses.

A run's result holds what every output may ask for, but most outputs read only part of
it: a summary of a million-firm run reads neither its firm table nor the sha256 of its
network's tables. Such a field is declared `BuiltWhenRead()` and may be given a `Later`
(a function and its arguments), which is called the first time the field is read and
replaced by its value. Reading, comparing, copying and pickling the dataclass see the
value, never the Later: the owner's `__getstate__` calls `built_state`.
"""
from __future__ import annotations


class Later:
    """A value to build when it is first read: `function(*args)`."""

    __slots__ = ("function", "args")

    def __init__(self, function, *args):
        self.function, self.args = function, args

    def __call__(self):
        return self.function(*self.args)


class BuiltWhenRead:
    """A dataclass field (without default) whose value may be given as a `Later`."""

    def __set_name__(self, owner, name):
        self.name, self.slot = name, "_" + name
        owner._built_when_read = (*getattr(owner, "_built_when_read", ()), name)

    def __get__(self, obj, owner=None):
        if obj is None:  # the dataclass asking for a default: there is none
            raise AttributeError(self.name)
        value = obj.__dict__[self.slot]
        if isinstance(value, Later):
            value = value()
            obj.__dict__[self.slot] = value
        return value

    def __set__(self, obj, value):
        obj.__dict__[self.slot] = value


def built_state(obj) -> dict:
    """`obj.__dict__` with every BuiltWhenRead field built (what pickles)."""
    state = dict(obj.__dict__)
    for name in type(obj)._built_when_read:
        state["_" + name] = getattr(obj, name)
    return state
