"""Undoable edits. Every change a person makes is one :class:`Command`.

The editor wraps each in a thin ``QUndoCommand`` on one ``QUndoStack``; tests
drive them directly. ``redo`` applies, ``undo`` restores the exact previous
state (indexes included, so edge order into merges survives undo).
"""

from __future__ import annotations

from collections.abc import Sequence

from core.model.graph import Graph


class Command:
    """Base class. Subclasses record what they need in ``redo`` to undo exactly."""

    text: str = "edit"
    merge_key: str | None = None
    """Consecutive commands with the same non-None key may merge (see ``merge_with``)."""

    def redo(self, graph: Graph) -> None:
        raise NotImplementedError

    def undo(self, graph: Graph) -> None:
        raise NotImplementedError

    def merge_with(self, other: Command) -> bool:
        """Absorb ``other`` (already applied) into this command; True when merged."""
        return False


class Macro(Command):
    """Several commands as one undo step (paste, delete with edges, auto-layout...)."""

    def __init__(self, text: str, commands: Sequence[Command]) -> None:
        self.text = text
        self.commands = list(commands)

    def redo(self, graph: Graph) -> None:
        done: list[Command] = []
        try:
            for command in self.commands:
                command.redo(graph)
                done.append(command)
        except Exception:
            for command in reversed(done):  # leave the graph as it was
                command.undo(graph)
            raise

    def undo(self, graph: Graph) -> None:
        for command in reversed(self.commands):
            command.undo(graph)

    def __bool__(self) -> bool:
        return bool(self.commands)


class UndoStack:
    """A plain undo stack for the core and its tests (the editor uses QUndoStack)."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self._done: list[Command] = []
        self._undone: list[Command] = []

    def push(self, command: Command) -> None:
        command.redo(self.graph)
        self._undone.clear()
        last = self._done[-1] if self._done else None
        if last is not None and command.merge_key and last.merge_key == command.merge_key:
            if last.merge_with(command):
                return
        self._done.append(command)

    def undo(self) -> bool:
        if not self._done:
            return False
        command = self._done.pop()
        command.undo(self.graph)
        self._undone.append(command)
        return True

    def redo(self) -> bool:
        if not self._undone:
            return False
        command = self._undone.pop()
        command.redo(self.graph)
        self._done.append(command)
        return True

    @property
    def can_undo(self) -> bool:
        return bool(self._done)

    @property
    def can_redo(self) -> bool:
        return bool(self._undone)
