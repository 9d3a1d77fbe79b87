"""Subgraph definitions and the nodes that use them: interfaces, uses, recursion.

A definition's ports are its Input nodes (in graph order) and its Output nodes
(in output order), each named by the inner node's id (so renaming an inner node
keeps the outer wiring) and labelled by its name. Each Subgraph node keeps a
copy of that interface in its parameters (``inputs``, ``outputs``) so that
every reader of node ports (cards, wiring, the schema flow) works from the node
alone; the document rewrites those copies whenever a definition's interface
changes, so they never drift from the definition, and files do not store them.

This module knows three node type names (Input, Output, Subgraph): the model
keeps the copies right without importing the registry.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from core.model import changes as ch

if TYPE_CHECKING:
    from core.model.graph import Graph, Node

INPUT_TYPE = "Input"
OUTPUT_TYPE = "Output"
SUBGRAPH_TYPE = "Subgraph"
INTERFACE_KEYS = ("inputs", "outputs")
"""The parameters of a Subgraph node that mirror its definition (never stored)."""

_SHAPE_CHANGES = (ch.NodeAdded, ch.NodeRemoved, ch.NodeRenamed, ch.NodeParamsChanged)


def ordered_outputs(graph: Graph) -> list[Node]:
    """Output nodes in program order: by ``order``, then name (deterministic)."""
    outputs = [n for n in graph.nodes.values() if n.type == OUTPUT_TYPE]
    return sorted(outputs, key=lambda n: (_order(n), n.name))


def _order(node: Node) -> int:
    """An Output's order; an invalid one (validation reports it) sorts as 0."""
    value = node.params.get("order", 0)
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def interface(definition: Graph) -> dict[str, list[dict[str, str]]]:
    """The ports of a Subgraph node using ``definition``: ``{"inputs": [{"id",
    "name"}...], "outputs": [...]}``."""
    return {
        "inputs": [
            {"id": n.id, "name": n.name} for n in definition.nodes.values() if n.type == INPUT_TYPE
        ],
        "outputs": [{"id": n.id, "name": n.name} for n in ordered_outputs(definition)],
    }


def definition_of(graph: Graph, node: Node) -> Graph | None:
    """The definition a Subgraph node uses (None: not a Subgraph node, or its
    definition is missing from the document)."""
    if node.type != SUBGRAPH_TYPE:
        return None
    ref = node.params.get("definition")
    return graph.subgraphs.get(ref) if isinstance(ref, str) else None


def iter_uses(root: Graph) -> Iterator[tuple[Graph, Node]]:
    """Every Subgraph node of the document, with the graph that holds it."""
    for graph in root.graphs():
        for node in graph.nodes.values():
            if node.type == SUBGRAPH_TYPE:
                yield graph, node


def uses_of(root: Graph, definition_id: str) -> list[tuple[Graph, Node]]:
    """The Subgraph nodes that use ``definition_id`` (document first)."""
    return [(g, n) for g, n in iter_uses(root) if n.params.get("definition") == definition_id]


def used_definitions(graph: Graph) -> list[str]:
    """Ids of the definitions ``graph``'s own Subgraph nodes use, in node order."""
    found = (n.params.get("definition") for n in graph.nodes.values() if n.type == SUBGRAPH_TYPE)
    return list(dict.fromkeys(ref for ref in found if isinstance(ref, str)))


def reachable_definitions(graph: Graph) -> list[str]:
    """Ids of every definition ``graph`` uses, directly or through others."""
    seen: dict[str, None] = {}
    stack = list(reversed(used_definitions(graph)))
    while stack:
        ref = stack.pop()
        if ref in seen or ref not in graph.subgraphs:
            continue
        seen[ref] = None
        stack.extend(reversed(used_definitions(graph.subgraphs[ref])))
    return list(seen)


def would_recurse(graph: Graph, definition_id: str) -> bool:
    """Whether a Subgraph node of ``definition_id`` placed in ``graph`` would make
    a definition use itself (directly, or through the definitions it uses)."""
    if not graph.is_definition:
        return False
    target = graph.definition_id
    if definition_id == target:
        return True
    definition = graph.subgraphs.get(definition_id)
    return definition is not None and target in reachable_definitions(definition)


def recursive_definitions(root: Graph) -> list[list[str]]:
    """Each definition that uses itself, with the chain of definition ids that
    leads back to it (``[a, b, a]``: a uses b, which uses a)."""
    found: list[list[str]] = []
    for definition_id, definition in root.subgraphs.items():
        path = _path_back(root, definition, definition_id)
        if path is not None:
            found.append([definition_id, *path])
    return found


def _path_back(root: Graph, start: Graph, target: str) -> list[str] | None:
    """The shortest chain of definitions from ``start`` that uses ``target``."""
    parents: dict[str, str | None] = {}
    frontier = [(ref, None) for ref in used_definitions(start)]
    while frontier:
        following: list[tuple[str, str | None]] = []
        for ref, parent in frontier:
            if ref in parents:
                continue
            parents[ref] = parent
            if ref == target:
                chain = [ref]
                while parents[chain[-1]] is not None:
                    chain.append(parents[chain[-1]])  # type: ignore[arg-type]
                return list(reversed(chain))
            if ref in root.subgraphs:
                following.extend((nxt, ref) for nxt in used_definitions(root.subgraphs[ref]))
        frontier = following
    return None


# ------------------------------------------------------------- keeping copies right
def refresh_use(graph: Graph, node_id: str) -> None:
    """Make a Subgraph node's ports those of its definition (no-op when they are)."""
    node = graph.nodes.get(node_id)
    if node is None or node.type != SUBGRAPH_TYPE:
        return
    definition = definition_of(graph, node)
    if definition is None:
        return
    _apply(graph, node, interface(definition))


def refresh_uses(root: Graph, definition_id: str) -> None:
    """Give every use of ``definition_id`` the definition's current ports."""
    definition = root.subgraphs.get(definition_id)
    if definition is None:
        return
    shape = interface(definition)
    definition._interface = shape
    for graph, node in uses_of(root, definition_id):
        _apply(graph, node, shape)


def after_change(definition: Graph, change: Any) -> None:
    """A definition changed: when its ports did, its uses follow; a Subgraph node
    added inside it takes its own definition's ports."""
    if isinstance(change, (ch.NodeAdded, ch.NodeParamsChanged)):
        refresh_use(definition, change.node_id)
    if not isinstance(change, _SHAPE_CHANGES):
        return
    shape = interface(definition)
    if shape != definition._interface:
        refresh_uses(definition.root, definition.definition_id)  # type: ignore[arg-type]


def _apply(graph: Graph, node: Node, shape: dict[str, Any]) -> None:
    if any(node.params.get(key) != shape[key] for key in INTERFACE_KEYS):
        graph.set_params(node.id, shape)


def without_interface(params: dict[str, Any]) -> dict[str, Any]:
    """A Subgraph node's parameters without the ports copied from its definition
    (what files and the clipboard keep)."""
    return {k: v for k, v in params.items() if k not in INTERFACE_KEYS}
