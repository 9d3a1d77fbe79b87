"""Commands on subgraph definitions: add, remove and rename them, place uses,
and edit inside a definition on the document's one undo stack (collapse and
expand are in :mod:`core.commands.collapse_expand`)."""

from __future__ import annotations

from core.commands.base import Command, Macro
from core.commands.node_commands import AddNode
from core.model.graph import Graph, Node, new_id
from core.model.names import identifier_problem, unique_name
from core.model.subgraphs import (
    SUBGRAPH_TYPE,
    interface,
    would_recurse,
)


class SubgraphError(ValueError):
    """A subgraph edit that cannot be made (the message says why and what to do)."""


class AddSubgraph(Command):
    """Put a definition (built with ``graph.new_definition``) in the document."""

    def __init__(self, definition: Graph, index: int | None = None) -> None:
        self.definition = definition
        self.index = index
        self.text = f"Add subgraph {definition.definition_name}"

    def redo(self, graph: Graph) -> None:
        graph.root.add_subgraph(self.definition, self.index)

    def undo(self, graph: Graph) -> None:
        graph.root.remove_subgraph(self.definition.definition_id)  # type: ignore[arg-type]


class RemoveSubgraph(Command):
    """Delete a definition no node uses any more."""

    def __init__(self, definition_id: str) -> None:
        self.definition_id = definition_id
        self.removed: tuple[Graph, int] | None = None
        self.text = "Delete subgraph"

    def redo(self, graph: Graph) -> None:
        self.removed = graph.root.remove_subgraph(self.definition_id)

    def undo(self, graph: Graph) -> None:
        assert self.removed is not None
        graph.root.add_subgraph(*self.removed)


class SetSubgraphInfo(Command):
    """Rename or describe a definition (every use shows the new name)."""

    def __init__(self, definition_id: str, **values: str) -> None:
        self.definition_id = definition_id
        self.values = values
        self.previous: dict[str, str] = {}
        self.text = "Rename subgraph" if "name" in values else "Describe subgraph"

    def redo(self, graph: Graph) -> None:
        self.previous = graph.root.set_subgraph_info(self.definition_id, **self.values)

    def undo(self, graph: Graph) -> None:
        graph.root.set_subgraph_info(self.definition_id, **self.previous)


class InDefinition(Command):
    """Any command, applied inside the definition ``definition_id``: edits made
    while a subgraph is open go on the document's one undo stack like any other."""

    def __init__(self, definition_id: str, command: Command) -> None:
        self.definition_id = definition_id
        self.command = command
        self.text = command.text
        self.merge_key = (
            f"{definition_id}:{command.merge_key}" if command.merge_key is not None else None
        )

    def _inner(self, graph: Graph) -> Graph:
        try:
            return graph.root.subgraphs[self.definition_id]
        except KeyError:
            raise SubgraphError("that subgraph is no longer in the graph") from None

    def redo(self, graph: Graph) -> None:
        self.command.redo(self._inner(graph))

    def undo(self, graph: Graph) -> None:
        self.command.undo(self._inner(graph))

    def merge_with(self, other: Command) -> bool:
        return (
            isinstance(other, InDefinition)
            and other.definition_id == self.definition_id
            and self.command.merge_with(other.command)
        )


def in_graph(graph: Graph, command: Command) -> Command:
    """``command`` for ``graph`` as the document's undo stack must hold it: as is
    for the document, wrapped in :class:`InDefinition` for a definition."""
    return command if not graph.is_definition else InDefinition(graph.definition_id, command)  # type: ignore[arg-type]


def make_subgraph_node(
    graph: Graph,
    definition_id: str,
    position: tuple[float, float] = (0.0, 0.0),
    name: str | None = None,
) -> Node:
    """A new Subgraph node in ``graph`` using ``definition_id``, its ports already
    those of the definition, under a free name (the definition's by default)."""
    definition = graph.subgraphs.get(definition_id)
    if definition is None:
        raise SubgraphError(f"there is no subgraph with id {definition_id!r} in this graph")
    if would_recurse(graph, definition_id):
        raise SubgraphError(
            f"subgraph {definition.definition_name!r} cannot be used here: it would contain "
            "itself (directly or through another subgraph)"
        )
    base = name or snake_name(definition.definition_name) or "subgraph"
    free = unique_name(base, graph.iter_names()) if graph.name_taken(base) else base
    return Node(
        new_id(),
        SUBGRAPH_TYPE,
        free,
        {"definition": definition_id, **interface(definition)},
        position,
    )


def new_subgraph_command(
    graph: Graph, name: str, position: tuple[float, float] = (0.0, 0.0)
) -> tuple[Command, Graph, Node]:
    """An empty definition named ``name`` and one use of it in ``graph`` (one undo
    step); returns the command (not yet applied), the definition and the node."""
    definition = graph.root.new_definition(free_definition_name(graph, name))
    command = AddSubgraph(definition)
    command.redo(graph)  # the node's ports and name come from the definition
    try:
        node = make_subgraph_node(graph, definition.definition_id, position)  # type: ignore[arg-type]
    finally:
        command.undo(graph)
    return (
        Macro(f"New subgraph {definition.definition_name}", [command, AddNode(node)]),
        definition,
        node,
    )


def free_definition_name(graph: Graph, name: str) -> str:
    taken = {d.definition_name for d in graph.subgraphs.values()}
    base = name if not identifier_problem(name) else (snake_name(name) or "subgraph")
    return unique_name(base, taken)


def snake_name(text: str) -> str:
    """A node name made from a definition's name (``Summarise and critique`` ->
    ``summarise_and_critique``)."""
    out = "".join(ch.lower() if ch.isalnum() else "_" for ch in text.strip())
    out = "_".join(part for part in out.split("_") if part)
    if out and out[0].isdigit():
        out = f"subgraph_{out}"
    return out if not identifier_problem(out) else ""
