"""Commands on nodes: add, remove (with their edges), move, rename, set parameters."""

from __future__ import annotations

from typing import Any

from core.commands.base import Command
from core.model.graph import MISSING, Edge, Graph, Node
from core.model.names import identifier_problem


class AddNode(Command):
    def __init__(self, node: Node, index: int | None = None) -> None:
        self.node = node.copy()
        self.index = index
        self.text = f"Add {node.name}"

    def redo(self, graph: Graph) -> None:
        graph.add_node(self.node.copy(), self.index)

    def undo(self, graph: Graph) -> None:
        graph.remove_node(self.node.id)


class RemoveEdges(Command):
    """Remove edges (those already gone are skipped); undo puts each back in its
    slot, so the input order of a merge survives."""

    def __init__(self, edge_ids: list[str], text: str = "Disconnect") -> None:
        self.edge_ids = list(dict.fromkeys(edge_ids))
        self.text = text
        self._removed: list[tuple[Edge, int]] = []

    def redo(self, graph: Graph) -> None:
        self._removed = graph.remove_edges(e for e in self.edge_ids if e in graph.edges)

    def undo(self, graph: Graph) -> None:
        graph.restore_edges(self._removed)


class RewireEdges(Command):
    """Replace edges by edges with the same ids and new ports, in place (a Branch
    label that moved to another index takes its connection along)."""

    def __init__(self, edges: list[Edge], text: str = "Rewire") -> None:
        self.edges = list(edges)
        self.text = text
        self._old: list[Edge] = []

    def redo(self, graph: Graph) -> None:
        self._old = [graph.replace_edge(edge) for edge in self.edges]

    def undo(self, graph: Graph) -> None:
        for edge in reversed(self._old):
            graph.replace_edge(edge)


class RemoveNodes(Command):
    """Remove nodes and every edge touching them; undo restores both exactly."""

    def __init__(self, node_ids: list[str]) -> None:
        self.node_ids = list(dict.fromkeys(node_ids))
        self.text = "Delete" if len(self.node_ids) != 1 else "Delete node"
        self._edges = RemoveEdges([])
        self._removed: list[tuple[Node, int]] = []

    def redo(self, graph: Graph) -> None:
        present = [n for n in self.node_ids if n in graph.nodes]
        self._edges = RemoveEdges([e.id for e in graph.edges_of(present)])
        self._edges.redo(graph)
        self._removed = graph.remove_nodes(present)

    def undo(self, graph: Graph) -> None:
        graph.restore_nodes(self._removed)
        self._edges.undo(graph)


class MoveNodes(Command):
    """Move nodes; one drag is one command (the view pushes it on release)."""

    merge_key = "move"

    def __init__(
        self,
        moves: dict[str, tuple[tuple[float, float], tuple[float, float]]],
        mergeable: bool = False,
    ) -> None:
        self.moves = dict(moves)  # node id -> (old position, new position)
        self.text = "Move" if len(moves) != 1 else "Move node"
        if not mergeable:
            self.merge_key = None

    def redo(self, graph: Graph) -> None:
        for node_id, (_old, new) in self.moves.items():
            graph.move_node(node_id, new)

    def undo(self, graph: Graph) -> None:
        for node_id, (old, _new) in self.moves.items():
            graph.move_node(node_id, old)

    def merge_with(self, other: Command) -> bool:
        if not isinstance(other, MoveNodes) or set(other.moves) != set(self.moves):
            return False
        self.moves = {k: (self.moves[k][0], other.moves[k][1]) for k in self.moves}
        return True


def node_name_problem(graph: Graph, name: str, node_id: str | None = None) -> str | None:
    """Why ``name`` cannot be given to ``node_id`` (None when it can)."""
    problem = identifier_problem(name)
    if problem:
        return problem
    if graph.name_taken(name, ignore=node_id):
        return f"another node is already named {name!r}"
    return None


class RenameNode(Command):
    def __init__(self, node_id: str, name: str) -> None:
        self.node_id = node_id
        self.name = name
        self.old = ""
        self.text = f"Rename to {name}"

    def redo(self, graph: Graph) -> None:
        self.old = graph.node(self.node_id).name
        graph.rename_node(self.node_id, self.name)

    def undo(self, graph: Graph) -> None:
        graph.rename_node(self.node_id, self.old)


class SetParams(Command):
    """Set node parameters. ``mergeable`` edits of the same fields (spin-box steps)
    collapse into one undo step."""

    def __init__(
        self, node_id: str, values: dict[str, Any], text: str | None = None, mergeable: bool = False
    ) -> None:
        self.node_id = node_id
        self.values = dict(values)
        self.previous: dict[str, Any] = {}
        self.text = text or f"Set {', '.join(values)}"
        self.merge_key = f"params:{node_id}:{','.join(sorted(values))}" if mergeable else None

    def redo(self, graph: Graph) -> None:
        self.previous = graph.set_params(self.node_id, self.values)
        if "data_model" in self.values:
            graph.auto_data_models.pop(self.node_id, None)  # now the user's choice

    def undo(self, graph: Graph) -> None:
        graph.set_params(self.node_id, self.previous)

    def merge_with(self, other: Command) -> bool:
        if not isinstance(other, SetParams) or other.merge_key != self.merge_key:
            return False
        self.values = other.values
        return True


class SetMeta(Command):
    def __init__(self, values: dict[str, Any], text: str = "Edit graph settings") -> None:
        self.values = dict(values)
        self.previous: dict[str, Any] = {}
        self.text = text

    def redo(self, graph: Graph) -> None:
        self.previous = graph.set_meta(**self.values)

    def undo(self, graph: Graph) -> None:
        graph.set_meta(**self.previous)


def make_node(
    graph: Graph,
    registry: Any,
    type_name: str,
    position: tuple[float, float] = (0.0, 0.0),
    name: str | None = None,
) -> Node:
    """A new node of ``type_name`` with context-aware defaults and a free name."""
    from core.model.graph import new_id
    from core.model.names import unique_name

    node_type = registry.get(type_name)
    base = name or node_type.default_name
    free = unique_name(base, graph.iter_names()) if graph.name_taken(base) else base
    node = Node(new_id(), type_name, free, node_type.initial_params(graph), position)
    chosen = node.params.get("data_model")
    if isinstance(chosen, str) and chosen:
        graph.auto_data_models[node.id] = chosen  # the card says so until changed
    return node


def set_params_command(
    graph: Graph, registry: Any, node_id: str, values: dict[str, Any]
) -> Command:
    """Set parameters and keep the wiring right, in one undo step.

    When the change moves output ports (Branch labels reordered or renamed),
    their edges follow the label; when it takes a port away (a label deleted),
    that port's edges go. While the old or new parameters are invalid, no edge
    is touched: the problem is reported by validation, and fixing the value
    must not have cost the user their connections.
    """
    from core.commands.base import Macro

    node = graph.node(node_id)
    node_type = registry.get(node.type)
    command = SetParams(node_id, values)
    merged = {k: v for k, v in {**node.params, **values}.items() if v is not MISSING}
    try:
        old = node_type.parse_params(node)
        new = node_type.parse_params(Node(node.id, node.type, node.name, merged, node.position))
    except ValueError:
        return command
    moves = node_type.output_port_moves(old, new)
    inputs_after = {p.name for p in node_type.input_ports(new)}
    inputs_before = {p.name for p in node_type.input_ports(old)}
    lost: list[str] = []
    moved: list[Edge] = []
    for edge in graph.incoming(node_id):
        if edge.target_port in inputs_before and edge.target_port not in inputs_after:
            lost.append(edge.id)
    for edge in graph.outgoing(node_id):
        if edge.source_port not in moves:
            continue  # already on no port: validation reports it, leave it be
        port = moves[edge.source_port]
        if port is None:
            lost.append(edge.id)
        elif port != edge.source_port:
            moved.append(Edge(edge.id, edge.source, port, edge.target, edge.target_port))
    if not lost and not moved:
        return command
    steps: list[Command] = []
    if lost:
        steps.append(RemoveEdges(lost))
    if moved:
        steps.append(RewireEdges(moved))
    return Macro(command.text, [*steps, command])
