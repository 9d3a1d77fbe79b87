"""Automatic layout: layered, left to right, from the graph's structure.

Layers are longest-path depths (an Input on the left, every node one column
right of its deepest parent); within a column, nodes are ordered by the mean
row of their parents (a few barycentre sweeps), which keeps parallel branches
side by side and edges mostly straight. Used by auto-layout in the editor and
by the Python importer.
"""

from __future__ import annotations

from core.model.graph import Graph

COLUMN_GAP = 320.0
ROW_GAP = 190.0


def layered_layout(
    graph: Graph,
    node_ids: list[str] | None = None,
    origin: tuple[float, float] = (0.0, 0.0),
    column_gap: float = COLUMN_GAP,
    row_gap: float = ROW_GAP,
) -> dict[str, tuple[float, float]]:
    """New positions for ``node_ids`` (all nodes by default)."""
    import networkx as nx  # on first use: keeps editor start-up fast

    chosen = list(graph.nodes) if node_ids is None else [n for n in node_ids if n in graph.nodes]
    wanted = set(chosen)
    dg = nx.DiGraph()
    dg.add_nodes_from(chosen)
    dg.add_edges_from(
        (e.source, e.target)
        for e in graph.edges.values()
        if e.source in wanted and e.target in wanted and e.source != e.target
    )
    # Break cycles (an invalid graph can still be laid out) by dropping back edges.
    while not nx.is_directed_acyclic_graph(dg):
        cycle = nx.find_cycle(dg)
        dg.remove_edge(*cycle[-1][:2])

    graph_order = {node_id: i for i, node_id in enumerate(graph.nodes)}
    depth: dict[str, int] = {}
    for node_id in nx.lexicographical_topological_sort(dg, key=graph_order.__getitem__):
        depth[node_id] = max((depth[p] + 1 for p in dg.predecessors(node_id)), default=0)
    columns: dict[int, list[str]] = {}
    for node_id in sorted(depth, key=graph_order.__getitem__):
        columns.setdefault(depth[node_id], []).append(node_id)

    row: dict[str, float] = {}
    for column in columns.values():
        for i, node_id in enumerate(column):
            row[node_id] = float(i)
    for _sweep in range(4):
        for index in sorted(columns):
            column = columns[index]
            column.sort(
                key=lambda n: (_mean([row[p] for p in dg.predecessors(n)], row[n]), graph_order[n])
            )
            for i, node_id in enumerate(column):
                row[node_id] = float(i)
        for index in sorted(columns, reverse=True):
            column = columns[index]
            column.sort(
                key=lambda n: (_mean([row[s] for s in dg.successors(n)], row[n]), graph_order[n])
            )
            for i, node_id in enumerate(column):
                row[node_id] = float(i)

    tallest = max((len(c) for c in columns.values()), default=1)
    positions: dict[str, tuple[float, float]] = {}
    for index, column in columns.items():
        top = (tallest - len(column)) * row_gap / 2.0
        for i, node_id in enumerate(column):
            positions[node_id] = (origin[0] + index * column_gap, origin[1] + top + i * row_gap)
    return positions


def _mean(values: list[float], fallback: float) -> float:
    return sum(values) / len(values) if values else fallback
