"""A program called as a module of another (Synalinks' nested programs): a
Subgraph node whose definition is the called program.

``use = await inner_program(x)`` (or ``([a, b])`` for several Inputs) adds one
node fed in the order of the inner program's inputs; its value is a list with
one entry per output of the inner program (``use[0]``...), as Synalinks
returns it. Calling one program twice gives two nodes using one definition.
"""

from __future__ import annotations

from typing import Any

from core.importer import values as v
from core.importer.module_calls import ImportedNode
from core.model.names import identifier_problem, unique_name

SUBGRAPH_PORT = "#"
"""Output ports of a Subgraph node while reading: ``#0``, ``#1``... (the graph's
ports are the inner Outputs' ids, known once the definition is assembled)."""


class ProgramCalls:
    """Mixin for the script reader."""

    nodes: list[ImportedNode]
    used_names: set[str]
    subgraph_programs: dict[int, v.Program]

    def report(self, line: int, message: str, severity: str = "error") -> None:  # pragma: no cover
        raise NotImplementedError

    def add_node(self, node: ImportedNode) -> v.NodeOutput:  # pragma: no cover
        raise NotImplementedError

    def apply_program(self, program: v.Program, argument: Any, line: int, hint: Any) -> Any:
        items = argument.items if isinstance(argument, v.Sequence) else [argument]
        if not all(isinstance(i, v.NodeOutput) for i in items):
            self.report(
                line, f"program {program.name} is called on something the importer cannot follow"
            )
            return None
        if len(items) != len(program.inputs):
            self.report(
                line,
                f"program {program.name} takes {len(program.inputs)} input(s) and is given "
                f"{len(items)}; pass one value per Input, in its inputs=[...] order",
            )
            return None
        wanted = hint if isinstance(hint, str) and not identifier_problem(hint) else None
        name = wanted or program.name or "subgraph"
        if name in self.used_names:
            name = unique_name(name, self.used_names)
        self.used_names.add(name)
        node = ImportedNode("Subgraph", name, {}, line, [(i.index, i.port) for i in items])
        index = self.add_node(node).index
        self.subgraph_programs[index] = program
        if program.single_output:
            return v.NodeOutput(index, f"{SUBGRAPH_PORT}0")
        return v.Sequence(
            [v.NodeOutput(index, f"{SUBGRAPH_PORT}{k}") for k in range(len(program.outputs))]
        )
