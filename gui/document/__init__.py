"""Editing: undo commands that only call Document methods, and canvas gestures."""
