"""What training taught the modules, written back into the exported program.

A node's ``variables`` is its slice of Synalinks' state tree (instructions,
few-shot examples... under the paths Synalinks made), as read from a saved
program. The exported ``build_program`` puts them back after building, with
Synalinks' own ``set_state_tree``. The program's current tree is the base,
so a module added on the canvas since (which has no learnt state) keeps its
defaults instead of failing the whole program.
"""

from __future__ import annotations

from typing import Any

from core.export.literals import INDENT, py_value
from core.model.graph import Graph


def learnt_state(graph: Graph) -> dict[str, dict[str, Any]]:
    """The state-tree groups of every node's variables, merged in graph order."""
    tree: dict[str, dict[str, Any]] = {}
    for node in graph.nodes.values():
        for group, paths in node.variables.items():
            if isinstance(paths, dict):
                tree.setdefault(group, {}).update(paths)
    return tree


def restore_statements(graph: Graph) -> str:
    """The lines of ``build_program`` that give ``program`` its learnt state ("" when
    no node has any)."""
    tree = learnt_state(graph)
    if not tree:
        return ""
    return (
        f"{INDENT}# What training taught the modules (instructions, few-shot examples...);\n"
        f"{INDENT}# modules added since keep their defaults.\n"
        f"{INDENT}learnt = {py_value(tree, 1)}\n"
        f"{INDENT}state = program.get_state_tree()\n"
        f"{INDENT}for group, variables in learnt.items():\n"
        f"{INDENT * 2}state[group].update(variables)\n"
        f"{INDENT}program.set_state_tree(state)\n"
    )
