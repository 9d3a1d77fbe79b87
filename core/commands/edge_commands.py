"""Commands and rules for wiring: connect (with the reason a connection is refused),
and reordering the inputs of a merge."""

from __future__ import annotations

from core.commands.base import Command, Macro
from core.commands.node_commands import RemoveEdges
from core.model.graph import Edge, Graph, new_id
from core.registry.registry import Registry, UnknownNodeType


class AddEdge(Command):
    def __init__(self, edge: Edge, index: int | None = None) -> None:
        self.edge = edge
        self.index = index
        self.text = "Connect"

    def redo(self, graph: Graph) -> None:
        graph.add_edge(self.edge, self.index)

    def undo(self, graph: Graph) -> None:
        graph.remove_edge(self.edge.id)


class ReorderInputs(Command):
    """Change the order of the edges into a merge (the order it combines them)."""

    def __init__(self, edge_ids: list[str]) -> None:
        self.edge_ids = list(edge_ids)
        self.previous: list[str] = []
        self.text = "Reorder inputs"

    def redo(self, graph: Graph) -> None:
        self.previous = graph.reorder_edges(self.edge_ids)

    def undo(self, graph: Graph) -> None:
        graph.reorder_edges(self.previous)


def connection_problem(
    graph: Graph,
    registry: Registry,
    source: str,
    source_port: str,
    target: str,
    target_port: str,
) -> str | None:
    """Why an edge from ``source.source_port`` to ``target.target_port`` is refused.

    None means it may be made. An occupied single input is not a problem: the
    new edge replaces the old one (see :func:`connect_command`).
    """
    if source not in graph.nodes or target not in graph.nodes:
        return "that node no longer exists"
    if source == target:
        return "a node cannot feed itself"
    src, dst = graph.nodes[source], graph.nodes[target]
    try:
        src_type, dst_type = registry.get(src.type), registry.get(dst.type)
        src_params, dst_params = src_type.parse_params(src), dst_type.parse_params(dst)
    except (UnknownNodeType, ValueError) as exc:
        return f"fix the node first: {exc}"
    out_port = next((p for p in src_type.output_ports(src_params) if p.name == source_port), None)
    in_port = next((p for p in dst_type.input_ports(dst_params) if p.name == target_port), None)
    if out_port is None:
        return f"{src.name} has no output {source_port!r}"
    if in_port is None:
        if not dst_type.input_ports(dst_params):
            return f"{dst.name} is an {dst_type.title}: it takes no inputs"
        return f"{dst.name} has no input {target_port!r}"
    if graph.find_edge(source, source_port, target, target_port):
        return "these ports are already connected"
    if out_port.role == "branch":
        if not dst_type.uses_language_model:
            return (
                f"a Branch label must feed a module (Generator, Chain of Thought, Decision or "
                f"Branch), not a {dst_type.title}"
            )
        if graph.outgoing(source, source_port):
            return (
                f"label {out_port.display!r} already feeds a module; each label feeds exactly one"
            )
    if _reaches(graph, target, source):
        return f"this would make a cycle: {dst.name} already leads to {src.name}"
    return None


def connect_command(
    graph: Graph,
    registry: Registry,
    source: str,
    source_port: str,
    target: str,
    target_port: str,
) -> Command:
    """The command that makes the connection, replacing the edge on a single input.

    Raises ValueError with the reason when the connection is refused.
    """
    problem = connection_problem(graph, registry, source, source_port, target, target_port)
    if problem:
        raise ValueError(problem)
    dst = graph.nodes[target]
    dst_type = registry.get(dst.type)
    port = next(
        p for p in dst_type.input_ports(dst_type.parse_params(dst)) if p.name == target_port
    )
    edge = Edge(new_id(), source, source_port, target, target_port)
    existing = [] if port.multiple else [e.id for e in graph.incoming(target, target_port)]
    if existing:
        return Macro("Reconnect", [RemoveEdges(existing), AddEdge(edge)])
    return AddEdge(edge)


def _reaches(graph: Graph, start: str, goal: str) -> bool:
    """Whether a path leads from ``start`` to ``goal`` (a walk over the graph's
    own adjacency: called on every hover while wiring, so no graph copy)."""
    seen = {start}
    stack = [start]
    while stack:
        node_id = stack.pop()
        if node_id == goal:
            return True
        for edge in graph.outgoing(node_id):
            if edge.target not in seen:
                seen.add(edge.target)
                stack.append(edge.target)
    return False
