"""A tiny notification mechanism for the model: plain Python, no Qt.

The GUI connects Qt slots (or any callable) to these; the model never knows who listens.
"""
from __future__ import annotations

from collections.abc import Callable


class Event:
    """A list of callbacks called in order with the arguments of `emit`."""

    __slots__ = ("name", "_callbacks")

    def __init__(self, name: str):
        self.name = name
        self._callbacks: list[Callable] = []

    def connect(self, callback: Callable) -> None:
        if callback not in self._callbacks:
            self._callbacks.append(callback)

    def disconnect(self, callback: Callable) -> None:
        """Stops calling `callback`; disconnecting one that is not connected is harmless."""
        if callback in self._callbacks:
            self._callbacks.remove(callback)

    def is_connected(self, callback: Callable) -> bool:
        return callback in self._callbacks

    def emit(self, *args) -> None:
        for callback in tuple(self._callbacks):
            callback(*args)

    def __len__(self) -> int:
        return len(self._callbacks)
