"""Commands on nodes: add, remove (with their edges), move, rename, set parameters."""

from __future__ import annotations

from typing import Any

from core.commands.base import Command
from core.model.graph import Edge, Graph, Node
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
    def __init__(self, edge_ids: list[str], text: str = "Disconnect") -> None:
        self.edge_ids = list(dict.fromkeys(edge_ids))
        self.text = text
        self._removed: list[tuple[Edge, int]] = []

    def redo(self, graph: Graph) -> None:
        present = [e for e in self.edge_ids if e in graph.edges]
        # Remove from the back so every recorded index is valid on undo.
        order = sorted(present, key=graph.edge_index, reverse=True)
        self._removed = [graph.remove_edge(edge_id) for edge_id in order]

    def undo(self, graph: Graph) -> None:
        for edge, index in reversed(self._removed):
            graph.add_edge(edge, index)


class RemoveNodes(Command):
    """Remove nodes and every edge touching them; undo restores both exactly."""

    def __init__(self, node_ids: list[str]) -> None:
        self.node_ids = list(dict.fromkeys(node_ids))
        self.text = "Delete" if len(self.node_ids) != 1 else "Delete node"
        self._edges = RemoveEdges([])
        self._removed: list[tuple[Node, int]] = []

    def redo(self, graph: Graph) -> None:
        self._edges = RemoveEdges([e.id for e in graph.edges_of(self.node_ids)])
        self._edges.redo(graph)
        order = sorted(self.node_ids, key=list(graph.nodes).index, reverse=True)
        self._removed = [graph.remove_node(node_id) for node_id in order]

    def undo(self, graph: Graph) -> None:
        for node, index in reversed(self._removed):
            graph.add_node(node, index)
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
    return Node(new_id(), type_name, free, node_type.initial_params(graph), position)


def set_params_command(graph: Graph, registry: Any, node_id: str, values: dict[str, Any]) -> Command:
    """Set parameters, also removing edges on ports the change takes away
    (a Branch label deleted), in one undo step."""
    from core.commands.base import Macro

    node = graph.node(node_id)
    node_type = registry.get(node.type)
    before = _port_names(node_type, node)
    after_node = Node(node.id, node.type, node.name, {**node.params, **values}, node.position)
    after = _port_names(node_type, after_node)
    gone = before - after
    lost = [
        e.id
        for e in graph.edges_of([node_id])
        if (e.source == node_id and ("out", e.source_port) in gone)
        or (e.target == node_id and ("in", e.target_port) in gone)
    ]
    command = SetParams(node_id, values)
    if not lost:
        return command
    return Macro(command.text, [RemoveEdges(lost), command])


def _port_names(node_type: Any, node: Node) -> set[tuple[str, str]]:
    try:
        params = node_type.parse_params(node)
    except ValueError:
        return set()
    return {("in", p.name) for p in node_type.input_ports(params)} | {
        ("out", p.name) for p in node_type.output_ports(params)
    }
