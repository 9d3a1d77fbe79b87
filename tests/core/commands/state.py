"""Exact snapshots of a graph, to prove that undo restores the previous state."""

from __future__ import annotations

import copy

from core.files import dumps_graph
from core.model import Graph


def exact_state(graph: Graph) -> tuple:
    """Everything a graph holds, order included, positions unrounded.

    ``dumps_graph`` rounds positions to a tenth (what files store); this does
    not, so a drag of a few hundredths that undo forgot would still show.
    Parameters are copied: nodes are live objects that later edits change.
    """
    return (
        graph.meta.model_dump(),
        [(name, spec.model_dump()) for name, spec in graph.data_models.items()],
        [
            (k, n.id, n.type, n.name, copy.deepcopy(n.params), n.position)
            for k, n in graph.nodes.items()
        ],
        [(k, e) for k, e in graph.edges.items()],
        sorted((name, tuple(ids)) for name, ids in graph._names.items()),
    )


def snapshot(graph: Graph) -> tuple[str, tuple]:
    """The file bytes and the exact state."""
    return dumps_graph(graph), exact_state(graph)
