"""Pinning a node's output by hand, as an undoable command.

A pinned node does not run: a run hands its pinned value on as if the node had
produced it, so what lies downstream can be iterated on without calling any
model upstream. Whether a value fits is :mod:`core.validation.pins`'s answer.
"""

from __future__ import annotations

from typing import Any

from core.commands.base import Command
from core.model.graph import Graph
from core.validation.pins import pin_problem, pinnable_ports, value_problem

__all__ = ["PinOutput", "pin_problem", "pinnable_ports", "value_problem"]


class PinOutput(Command):
    """Pin ``outputs`` on a node (None unpins it); undo puts back what was there."""

    def __init__(self, node_id: str, outputs: dict[str, Any] | None, name: str = "") -> None:
        self.node_id = node_id
        self.outputs = outputs
        self.previous: dict[str, Any] | None = None
        label = f" of {name}" if name else ""
        self.text = f"Pin output{label}" if outputs is not None else f"Unpin output{label}"

    def redo(self, graph: Graph) -> None:
        self.previous = graph.set_pinned(self.node_id, self.outputs)

    def undo(self, graph: Graph) -> None:
        graph.set_pinned(self.node_id, self.previous)
