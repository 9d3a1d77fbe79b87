"""Adopting a training checkpoint: its trainable variables written into the graph.

One undo step for every module the checkpoint holds: each node's
``trainable_variables`` group is replaced by the checkpoint's slice (other
groups are kept), and undo gives back each node's exact previous state.
"""

from __future__ import annotations

import copy
from typing import Any

from core.commands.base import Command
from core.model.graph import Graph
from core.training.checkpoints import GROUP, node_variables


class AdoptCheckpoint(Command):
    """Write a checkpoint's state tree into the nodes it belongs to."""

    def __init__(self, state: dict[str, Any], label: str = "checkpoint") -> None:
        self.state = copy.deepcopy(state)
        self.previous: dict[str, dict[str, Any]] = {}
        self.text = f"Adopt {label}"

    def redo(self, graph: Graph) -> None:
        self.previous = {}
        for node_id, paths in node_variables(graph, self.state).items():
            updated = copy.deepcopy(graph.node(node_id).variables or {})
            updated[GROUP] = paths
            self.previous[node_id] = graph.set_variables(node_id, updated)

    def undo(self, graph: Graph) -> None:
        for node_id, variables in self.previous.items():
            graph.set_variables(node_id, variables)
