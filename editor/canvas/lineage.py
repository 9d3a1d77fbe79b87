"""Upstream and downstream of nodes: what feeds them and what they feed.

"Select upstream" and "Select downstream" in the canvas menu use these, so
that a chain can be copied, moved or deleted in one gesture. A walk over the
graph's own adjacency (no copy): it answers on graphs of any size at once.
"""

from __future__ import annotations

from collections.abc import Iterable

from core.model.graph import Graph


def upstream(graph: Graph, node_ids: Iterable[str]) -> set[str]:
    """Every node with a path into one of ``node_ids`` (those excluded unless
    one feeds another)."""
    return _walk(graph, node_ids, forward=False)


def downstream(graph: Graph, node_ids: Iterable[str]) -> set[str]:
    """Every node reached by a path out of one of ``node_ids`` (those excluded
    unless one feeds another)."""
    return _walk(graph, node_ids, forward=True)


def _walk(graph: Graph, node_ids: Iterable[str], forward: bool) -> set[str]:
    stack = [n for n in node_ids if n in graph.nodes]
    seen: set[str] = set()
    while stack:
        node_id = stack.pop()
        edges = graph.outgoing(node_id) if forward else graph.incoming(node_id)
        for edge in edges:
            nxt = edge.target if forward else edge.source
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return seen
