"""Collapse a selection into a subgraph, and expand a Subgraph node back.

Each is one undo step (a :class:`Macro`), and neither loses a link: every edge
crossing the selection becomes a port of the new subgraph, and expanding puts
each port's edges back on the nodes inside, in their slots (so the input order
of merges is kept). Definitions stay in the document after an expand: another
use, or a later one, may need them.
"""

from __future__ import annotations

from collections.abc import Iterable

from core.commands.base import Command, Macro
from core.commands.data_model_commands import SetDataModel
from core.commands.edge_commands import AddEdge
from core.commands.node_commands import AddNode, RemoveNodes, RewireEdges
from core.commands.subgraph_commands import (
    AddSubgraph,
    SubgraphError,
    free_definition_name,
    snake_name,
)
from core.model.graph import Edge, Graph, Node, new_id
from core.model.names import unique_name
from core.model.subgraphs import (
    INPUT_TYPE,
    OUTPUT_TYPE,
    SUBGRAPH_TYPE,
    definition_of,
    interface,
    ordered_outputs,
)
from core.registry.registry import Registry
from core.schemas.flow import analyse


# ------------------------------------------------------------------- collapse
def collapse_command(
    graph: Graph,
    registry: Registry,
    node_ids: Iterable[str],
    name: str = "subgraph",
) -> tuple[Command, str, str]:
    """Turn the selected nodes of ``graph`` into a new subgraph and one node that
    uses it, in one undo step. Returns ``(command, definition id, node id)``; the
    command is not yet applied. Raises :class:`SubgraphError` when the selection
    cannot become a subgraph.

    Each distinct outer port feeding the selection becomes an Input of the
    subgraph (with a data model of what flows there; a new one is added when no
    data model has that schema), and each inner port read outside becomes an
    Output, ordered as those edges are. Nodes and inner edges keep their ids.
    """
    selected = list(dict.fromkeys(n for n in node_ids if n in graph.nodes))
    if not selected:
        raise SubgraphError("select the nodes to collapse into a subgraph first")
    chosen = set(selected)
    for node_id in selected:
        node = graph.nodes[node_id]
        if node.type in (INPUT_TYPE, OUTPUT_TYPE):
            raise SubgraphError(
                f"{node.name} is the program's {node.type}; leave Inputs and Outputs out of "
                "the selection (the subgraph gets its own)"
            )
    flow = analyse(graph, registry)
    incoming = [e for e in graph.edges.values() if e.target in chosen and e.source not in chosen]
    outgoing = [e for e in graph.edges.values() if e.source in chosen and e.target not in chosen]
    for edge in incoming + outgoing:
        port = next((p for p in flow.output_ports(edge.source) if p.name == edge.source_port), None)
        if port is not None and port.role == "branch":
            raise SubgraphError(
                f"{graph.nodes[edge.source].name}: a Branch label cannot cross the subgraph's "
                "edge; select the Branch together with the modules on its labels"
            )

    root = graph.root
    definition = root.new_definition(free_definition_name(graph, name))
    scratch = Graph()
    scratch.data_models = dict(graph.data_models)
    new_models: list = []

    # Inputs: one per distinct outer port, in the order their edges come.
    input_of: dict[tuple[str, str], Node] = {}
    xs = [graph.nodes[n].position[0] for n in selected]
    ys = [graph.nodes[n].position[1] for n in selected]
    left, right, top = min(xs) - 260.0, max(xs) + 260.0, min(ys)
    taken = {graph.nodes[n].name for n in selected}
    for edge in incoming:
        key = (edge.source, edge.source_port)
        if key in input_of:
            continue
        schema = flow.schemas.get(key)
        if schema is None:
            raise SubgraphError(
                f"{graph.nodes[edge.source].name}: what it gives is unknown (fix its problems "
                "first), so the subgraph's Input cannot be given a data model"
            )
        data_model = _data_model_for(scratch, schema, registry, new_models)
        base = graph.nodes[edge.source].name
        input_name = unique_name(base, taken)
        taken.add(input_name)
        node = Node(
            new_id(),
            INPUT_TYPE,
            input_name,
            {"data_model": data_model},
            (left, top + 120.0 * len(input_of)),
        )
        input_of[key] = node

    # Outputs: one per inner port read outside, in the order their edges come.
    output_of: dict[tuple[str, str], Node] = {}
    for edge in outgoing:
        key = (edge.source, edge.source_port)
        if key in output_of:
            continue
        base = graph.nodes[edge.source].name
        output_name = unique_name(
            f"{base}_out" if edge.source_port == "output" else f"{base}_{edge.source_port}", taken
        )
        taken.add(output_name)
        output_of[key] = Node(
            new_id(),
            OUTPUT_TYPE,
            output_name,
            {"order": len(output_of)},
            (right, top + 120.0 * len(output_of)),
        )

    # The definition: inputs, the selected nodes (ids kept), outputs; edges in
    # the graph's order, each crossing edge re-made from an Input.
    for node in input_of.values():
        definition.add_node(node)
    for node_id in selected:
        definition.add_node(graph.nodes[node_id].copy())
    for node in output_of.values():
        definition.add_node(node)
    for edge in graph.edges.values():
        if edge.source in chosen and edge.target in chosen:
            definition.add_edge(edge)
        elif edge.target in chosen:
            inner = input_of[(edge.source, edge.source_port)]
            definition.add_edge(Edge(new_id(), inner.id, "output", edge.target, edge.target_port))
    for (source, port), node in output_of.items():
        definition.add_edge(Edge(new_id(), source, port, node.id, "inputs"))

    # The use: at the selection's centre, fed and read through the same slots.
    use = Node(
        new_id(),
        SUBGRAPH_TYPE,
        unique_name(
            snake_name(definition.definition_name) or "subgraph", _names_after(graph, chosen)
        ),
        {"definition": definition.definition_id, **interface(definition)},
        (sum(xs) / len(xs), sum(ys) / len(ys)),
    )
    rewired: list[Edge] = []
    fed: set[tuple[str, str]] = set()
    for edge in incoming:
        key = (edge.source, edge.source_port)
        if key in fed:
            continue  # one edge per Input: the others go with the selection
        fed.add(key)
        rewired.append(Edge(edge.id, edge.source, edge.source_port, use.id, input_of[key].id))
    for edge in outgoing:
        port = output_of[(edge.source, edge.source_port)].id
        rewired.append(Edge(edge.id, use.id, port, edge.target, edge.target_port))

    steps: list[Command] = [SetDataModel(spec) for spec in new_models]
    steps += [AddSubgraph(definition), AddNode(use)]
    if rewired:
        steps.append(RewireEdges(rewired))
    steps.append(RemoveNodes(selected))
    command = Macro(f"Collapse into {definition.definition_name}", steps)
    return command, definition.definition_id, use.id  # type: ignore[return-value]


def _names_after(graph: Graph, leaving: set[str]) -> set[str]:
    return {n.name for n in graph.nodes.values() if n.id not in leaving}


def _data_model_for(scratch: Graph, schema: dict, registry: Registry, new_models: list) -> str:
    """The data model whose schema is ``schema`` (a new one when none is)."""
    for name, spec in scratch.data_models.items():
        if spec.nested_names() == () and spec.json_schema() == schema:
            return name
    from core.files.synalinks_program import ProgramFileError, data_model_for_schema

    try:
        name = data_model_for_schema(scratch, schema, registry)
    except ProgramFileError as exc:
        raise SubgraphError(
            f"what flows into the selection cannot be a data model ({exc}); leave that "
            "node out of the selection"
        ) from None
    spec = scratch.data_models[name]
    if spec not in new_models:
        new_models.append(spec)
    return name


# --------------------------------------------------------------------- expand
def expand_command(graph: Graph, registry: Registry, node_id: str) -> tuple[Command, list[str]]:
    """Replace the Subgraph node ``node_id`` by a copy of its definition's nodes,
    wired as the node was, in one undo step. Returns the command (not yet
    applied) and the ids the copied nodes get. Ids and names are kept where they
    are free in ``graph`` (so collapse then expand gives the nodes back as they
    were) and made fresh where not. The definition stays in the document."""
    node = graph.nodes.get(node_id)
    if node is None or node.type != SUBGRAPH_TYPE:
        raise SubgraphError("select a subgraph node to expand")
    definition = definition_of(graph, node)
    if definition is None:
        raise SubgraphError(
            f"{node.name}: its subgraph is not in this graph, so there is nothing to expand"
        )
    ports_in = {n.id for n in definition.nodes.values() if n.type == INPUT_TYPE}
    ports_out = {n.id for n in ordered_outputs(definition)}
    for edge in graph.incoming(node_id):
        if edge.target_port not in ports_in:
            raise SubgraphError(
                f"{node.name}: a connection goes into {edge.target_port!r}, which its subgraph "
                "no longer has; delete that connection first, so that none is lost"
            )
    for edge in graph.outgoing(node_id):
        if edge.source_port not in ports_out:
            raise SubgraphError(
                f"{node.name}: a connection leaves {edge.source_port!r}, which its subgraph "
                "no longer has; delete that connection first, so that none is lost"
            )

    inner = [n for n in definition.nodes.values() if n.id not in ports_in | ports_out]
    names = set(graph.iter_names())
    names.discard(node.name)
    new_ids: dict[str, str] = {}
    copies: list[Node] = []
    if inner:
        cx = sum(n.position[0] for n in inner) / len(inner)
        cy = sum(n.position[1] for n in inner) / len(inner)
    else:
        cx = cy = 0.0
    for item in inner:
        fresh = item.id if item.id not in graph.nodes else new_id()
        new_ids[item.id] = fresh
        copy = item.copy()
        copy.id = fresh
        copy.name = unique_name(item.name, names)
        names.add(copy.name)
        copy.position = (
            node.position[0] + item.position[0] - cx,
            node.position[1] + item.position[1] - cy,
        )
        copies.append(copy)

    # What feeds each Input outside, and what each Output gives inside.
    feeds = {e.target_port: e for e in graph.incoming(node_id)}
    gives: dict[str, tuple[str, str] | None] = {}
    for output_id in ports_out:
        edge = next(iter(definition.incoming(output_id)), None)
        gives[output_id] = None if edge is None else (edge.source, edge.source_port)

    added: list[Edge] = []
    edge_ids = set(graph.edges)
    for edge in definition.edges.values():
        if edge.target in ports_out:
            continue
        if edge.source in ports_in:
            outer = feeds.get(edge.source)
            if outer is None:
                continue  # the Input was fed by nothing outside
            source, source_port = outer.source, outer.source_port
        else:
            source, source_port = new_ids[edge.source], edge.source_port
        fresh = edge.id if edge.id not in edge_ids else new_id()
        edge_ids.add(fresh)
        added.append(Edge(fresh, source, source_port, new_ids[edge.target], edge.target_port))

    rewired: list[Edge] = []
    for edge in graph.outgoing(node_id):
        given = gives.get(edge.source_port)
        if given is None:
            continue  # an Output fed by nothing: nothing to hand on (validation says so)
        source, source_port = given
        if source in ports_in:  # an Input handed straight to an Output
            outer = feeds.get(source)
            if outer is None:
                continue
            source, source_port = outer.source, outer.source_port
        else:
            source = new_ids[source]
        rewired.append(Edge(edge.id, source, source_port, edge.target, edge.target_port))

    steps: list[Command] = [AddNode(copy) for copy in copies]
    steps += [AddEdge(edge) for edge in added]
    if rewired:
        steps.append(RewireEdges(rewired))
    steps.append(RemoveNodes([node_id]))
    return Macro(f"Expand {node.name}", steps), [c.id for c in copies]
