"""Mermaid ``graph LR`` text for a graph (the seed lesson draws programs this way)."""

from __future__ import annotations

from core.model.graph import Graph
from core.nodes.language import branch_port_index
from core.registry.registry import Registry

SHAPES = {
    "Input": ("([", "])"),
    "Output": ("[/", "/]"),
    "Decision": ("{", "}"),
    "Branch": ("{", "}"),
    "Concat": ("((", "))"),
    "And": ("((", "))"),
    "Or": ("((", "))"),
    "Xor": ("((", "))"),
}
DEFAULT_SHAPE = ("[", "]")

RESERVED_IDS = frozenset(
    {
        "end",
        "graph",
        "subgraph",
        "flowchart",
        "style",
        "class",
        "classdef",
        "click",
        "linkstyle",
        "call",
        "href",
        "direction",
        "default",
    }
)


def export_mermaid(graph: Graph, registry: Registry) -> str:
    """A Mermaid flowchart of ``graph``: one node a line (name and type), then one
    edge a line, Branch edges labelled with their label. Works on invalid graphs
    too (it draws what is there)."""
    ids = _node_ids(graph)
    lines = ["graph LR"]
    for node in graph.nodes.values():
        title = registry.get(node.type).title if node.type in registry else node.type
        left, right = SHAPES.get(node.type, DEFAULT_SHAPE)
        lines.append(
            f'    {ids[node.id]}{left}"{escape(node.name)}<br/><i>{escape(title)}</i>"{right}'
        )
    for edge in graph.edges.values():
        if edge.source not in ids or edge.target not in ids:
            continue
        label = _edge_label(graph, edge.source, edge.source_port)
        arrow = f' -->|"{escape(label)}"| ' if label else " --> "
        lines.append(f"    {ids[edge.source]}{arrow}{ids[edge.target]}")
    return "\n".join(lines) + "\n"


def _node_ids(graph: Graph) -> dict[str, str]:
    """Node names where Mermaid takes them as ids, ``n<index>`` otherwise."""
    ids: dict[str, str] = {}
    used: set[str] = set()
    for index, node in enumerate(graph.nodes.values()):
        name = node.name
        ok = name.isascii() and name.isidentifier() and name.lower() not in RESERVED_IDS
        candidate = name if ok and name not in used else f"n{index}"
        while candidate in used:
            candidate += "_"
        used.add(candidate)
        ids[node.id] = candidate
    return ids


def _edge_label(graph: Graph, source_id: str, port: str) -> str:
    node = graph.nodes[source_id]
    index = branch_port_index(port)
    if node.type != "Branch" or index is None:
        return ""
    labels = node.params.get("labels") or []
    return str(labels[index]) if index < len(labels) else port


def escape(text: str) -> str:
    """Mermaid entity codes for the characters that would end or restyle a label."""
    out = []
    for char in text:
        if char in '"#<>&|[](){}`\\':
            out.append(f"#{ord(char)};")
        elif char in "\r\n\t":
            out.append(" ")
        else:
            out.append(char)
    return "".join(out)
