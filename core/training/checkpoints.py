"""A checkpoint's state tree given back to the graph's nodes, and what changed between two.

Synalinks names each trainable variable after its module (``generator_solve``
for the module ``solve``), the same paths a saved program's ``variables``
holds: a path goes to the node whose name it is, or ends with ``_<name>``
(the longest such name), as a saved program is read
(:mod:`core.files.synalinks_program`). The diff compares what a person reads
in the inspector: each module's instructions (a unified text diff) and its
few-shot examples (added, removed).
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field
from typing import Any

from core.model.graph import Graph
from core.nodes.learnt import learnt_prompt

GROUP = "trainable_variables"


def owner_of(path: str, names: list[str]) -> str | None:
    """The module name a state-tree path belongs to (``names`` longest first)."""
    if path in names:
        return path
    return next((n for n in names if path.endswith(f"_{n}")), None)


def node_variables(graph: Graph, state: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """``{node_id: {path: value}}``: each node's slice of a checkpoint's trainable tree."""
    by_name = {node.name: node.id for node in graph.nodes.values()}
    names = sorted(by_name, key=len, reverse=True)
    slices: dict[str, dict[str, Any]] = {}
    for path, value in (state.get(GROUP) or {}).items():
        owner = owner_of(path, names)
        if owner is not None:
            slices.setdefault(by_name[owner], {})[path] = value
    return slices


def unplaced_paths(graph: Graph, state: dict[str, Any]) -> list[str]:
    """Paths of the tree that belong to no node of ``graph`` (renamed or removed since)."""
    names = sorted((n.name for n in graph.nodes.values()), key=len, reverse=True)
    return [p for p in (state.get(GROUP) or {}) if owner_of(p, names) is None]


def module_prompts(state: dict[str, Any]) -> dict[str, Any]:
    """Each module's learnt prompt in a tree, by state-tree path."""
    return {
        path: learnt_prompt({GROUP: {path: value}})
        for path, value in (state.get(GROUP) or {}).items()
    }


@dataclass
class ModuleDiff:
    """What changed in one module between two checkpoints."""

    module: str
    instructions_diff: list[str] = field(default_factory=list)
    examples_added: list[tuple[Any, Any]] = field(default_factory=list)
    examples_removed: list[tuple[Any, Any]] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.instructions_diff or self.examples_added or self.examples_removed)

    def to_json(self) -> dict[str, Any]:
        return {
            "module": self.module,
            "instructions_diff": self.instructions_diff,
            "examples_added": [list(p) for p in self.examples_added],
            "examples_removed": [list(p) for p in self.examples_removed],
        }

    def describe(self) -> str:
        lines = [f"{self.module}:"]
        lines += ["  " + line for line in self.instructions_diff]
        lines += [
            f"  + example {json.dumps(list(p), ensure_ascii=False)}" for p in self.examples_added
        ]
        lines += [
            f"  - example {json.dumps(list(p), ensure_ascii=False)}" for p in self.examples_removed
        ]
        if not self.changed:
            lines.append("  (unchanged)")
        return "\n".join(lines)


def _key(pair: tuple[Any, Any]) -> str:
    return json.dumps(list(pair), sort_keys=True, ensure_ascii=False, default=str)


def diff_states(before: dict[str, Any], after: dict[str, Any]) -> list[ModuleDiff]:
    """Per module (state-tree path), the instructions' text diff and the examples
    added and removed from ``before`` to ``after``."""
    old, new = module_prompts(before), module_prompts(after)
    diffs = []
    for path in list(dict.fromkeys([*old, *new])):
        a, b = old.get(path), new.get(path)
        a_text = a.instructions if a else ""
        b_text = b.instructions if b else ""
        text = list(
            difflib.unified_diff(
                a_text.splitlines(),
                b_text.splitlines(),
                fromfile="before",
                tofile="after",
                lineterm="",
            )
        )
        a_examples = {_key(p): p for p in (a.examples if a else ())}
        b_examples = {_key(p): p for p in (b.examples if b else ())}
        diffs.append(
            ModuleDiff(
                module=path,
                instructions_diff=text,
                examples_added=[p for k, p in b_examples.items() if k not in a_examples],
                examples_removed=[p for k, p in a_examples.items() if k not in b_examples],
            )
        )
    return diffs


def graph_state(graph: Graph) -> dict[str, Any]:
    """The graph's own trainable tree now (what adopting a checkpoint would replace)."""
    tree: dict[str, Any] = {}
    for node in graph.nodes.values():
        paths = node.variables.get(GROUP) if isinstance(node.variables, dict) else None
        if isinstance(paths, dict):
            tree.update(paths)
    return {GROUP: tree}
