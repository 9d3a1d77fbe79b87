"""Editing what training taught a module (its instructions and few-shot examples).

The edit replaces the node's whole trained state with a copy that differs only
in the prompt, so undo gives back exactly what was there (candidates, history
and the other optimizer bookkeeping included).
"""

from __future__ import annotations

from typing import Any

from core.commands.base import Command
from core.model.graph import Graph
from core.nodes.learnt import with_learnt_prompt


class SetLearntPrompt(Command):
    """Set a trained node's instructions and examples (one undo step)."""

    def __init__(self, node_id: str, instructions: str, examples: list[tuple[Any, Any]]) -> None:
        self.node_id = node_id
        self.instructions = instructions
        self.examples = [tuple(pair) for pair in examples]
        self.previous: dict[str, Any] = {}
        self.text = "Edit learnt prompt"

    def redo(self, graph: Graph) -> None:
        node = graph.node(self.node_id)
        updated = with_learnt_prompt(node.variables, self.instructions, self.examples)
        self.previous = graph.set_variables(self.node_id, updated)

    def undo(self, graph: Graph) -> None:
        graph.set_variables(self.node_id, self.previous)
