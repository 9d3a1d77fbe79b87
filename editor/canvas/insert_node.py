"""Insert a node on an edge: ``a -> b`` becomes ``a -> new -> b`` in one undo step.

Which node types may sit on an edge, and through which ports, is asked of the
core (:func:`core.commands.connection_problem`) on a scratch copy of the graph
without that edge, one trial node at a time: the list the quick-add popup
offers and the command finally pushed follow exactly the rules a hand-made
wire would. The new edge into the old target takes the old edge's place in
the edge order, so a merge keeps combining its inputs in the same order.

The new card goes where the edge was clicked, but never over the card the
edge comes from; when it would crowd the card the edge goes to, that card and
everything it feeds to its right move along in the same undo step (so
inserting into a tight row never leaves cards piled up).
"""

from __future__ import annotations

from dataclasses import dataclass

from core.commands import (
    AddEdge,
    AddNode,
    Command,
    Macro,
    MoveNodes,
    RemoveEdges,
    connection_problem,
    make_node,
)
from core.model.graph import Edge, Graph, Node, new_id
from core.registry import Registry
from editor.canvas.lineage import downstream
from editor.canvas.paint_kit import CARD_WIDTH
from editor.canvas.wiring import scratch_copy

ROOM = 48.0  # the space kept on each side of an inserted card


@dataclass(frozen=True, slots=True)
class Through:
    """The ports of the inserted node the two new edges use."""

    input: str
    output: str


def insertable_types(
    graph: Graph, registry: Registry, edge_id: str
) -> tuple[dict[str, Through], dict[str, str]]:
    """``(allowed, refused)``: type name -> ports for each node type that can
    sit on ``edge_id``, and type name -> the core's reason for each that cannot."""
    edge = graph.edges[edge_id]
    scratch = scratch_copy(graph, without_edge=edge_id)
    allowed: dict[str, Through] = {}
    refused: dict[str, str] = {}
    for node_type in registry:
        trial = make_node(scratch, registry, node_type.type_name)
        scratch.add_node(trial)
        try:
            found = _through(scratch, registry, edge, trial)
        finally:
            for extra in scratch.edges_of([trial.id]):
                scratch.remove_edge(extra.id)
            scratch.remove_node(trial.id)
        if isinstance(found, Through):
            allowed[node_type.type_name] = found
        else:
            refused[node_type.type_name] = found
    return allowed, refused


def _through(scratch: Graph, registry: Registry, edge: Edge, trial: Node) -> Through | str:
    """The first pair of ``trial``'s ports the edge can pass through, or the
    core's reason why none can. Leaves the trial's first edge on ``scratch``."""
    node_type = registry.get(trial.type)
    try:
        params = node_type.parse_params(trial)
    except ValueError as exc:
        return f"a new {node_type.title} node is not valid yet: {exc}"
    reason = f"a new {node_type.title} node takes no input"
    for port in node_type.input_ports(params):
        problem = connection_problem(
            scratch, registry, edge.source, edge.source_port, trial.id, port.name
        )
        if problem:
            reason = problem
            continue
        first = Edge(new_id(), edge.source, edge.source_port, trial.id, port.name)
        scratch.add_edge(first)
        reason = f"a new {node_type.title} node has no output"
        for out in node_type.output_ports(params):
            problem = connection_problem(
                scratch, registry, trial.id, out.name, edge.target, edge.target_port
            )
            if problem is None:
                return Through(port.name, out.name)
            reason = problem
        scratch.remove_edge(first.id)
    return reason


def insert_node_command(
    graph: Graph, registry: Registry, node: Node, edge_id: str, through: Through | None = None
) -> Command:
    """One undo step replacing ``edge_id`` by ``node`` and two edges.

    ``through`` names the ports (found when None). Raises ValueError with the
    core's reason when ``node`` cannot sit on that edge.
    """
    if edge_id not in graph.edges:
        raise ValueError("that connection no longer exists")
    edge = graph.edges[edge_id]
    scratch = scratch_copy(graph, without_edge=edge_id)
    scratch.add_node(node.copy())
    if through is None:
        found = _through(scratch, registry, edge, node)
        if isinstance(found, str):
            raise ValueError(found)
        through = found
    else:
        problem = connection_problem(
            scratch, registry, edge.source, edge.source_port, node.id, through.input
        )
        if problem is None:
            scratch.add_edge(Edge(new_id(), edge.source, edge.source_port, node.id, through.input))
            problem = connection_problem(
                scratch, registry, node.id, through.output, edge.target, edge.target_port
            )
        if problem:
            raise ValueError(problem)
    slot = graph.edge_index(edge_id)
    into = Edge(new_id(), edge.source, edge.source_port, node.id, through.input)
    out = Edge(new_id(), node.id, through.output, edge.target, edge.target_port)
    steps: list[Command] = [
        RemoveEdges([edge_id]),
        AddNode(node),
        AddEdge(into, slot),
        AddEdge(out, slot + 1),
    ]
    moves = room_moves(graph, edge, node.position[0])
    if moves:
        steps.append(MoveNodes(moves))
    return Macro(f"Insert {node.name}", steps)


def insert_position(
    graph: Graph, edge_id: str, point: tuple[float, float], height: float
) -> tuple[float, float]:
    """Top-left for a card of ``height`` inserted on ``edge_id`` at ``point``:
    centred there, pushed right of the source card when it would cover it."""
    edge = graph.edges[edge_id]
    x, y = point[0] - CARD_WIDTH / 2, point[1] - height / 2
    source, target = graph.nodes[edge.source].position, graph.nodes[edge.target].position
    if target[0] > source[0]:  # a forward edge: keep clear of the source
        x = max(x, source[0] + CARD_WIDTH + ROOM)
    return float(round(x)), float(round(y))


def room_moves(
    graph: Graph, edge: Edge, left: float
) -> dict[str, tuple[tuple[float, float], tuple[float, float]]]:
    """Moves that shift the edge's target, and what it feeds that lies to its
    right, far enough right for a card at ``left`` to fit before it."""
    source, target = graph.nodes[edge.source].position, graph.nodes[edge.target].position
    shift = left + CARD_WIDTH + ROOM - target[0]
    if shift <= 0 or target[0] <= source[0]:
        return {}
    moves = {}
    for node_id in [edge.target, *downstream(graph, [edge.target])]:
        old = tuple(graph.nodes[node_id].position)
        if old[0] >= target[0]:
            moves[node_id] = (old, (float(round(old[0] + shift)), old[1]))
    return moves
