"""The part of a graph a run executes: what reaches an Output.

A node whose result reaches no Output cannot change what a run returns (its
own warning says it never runs), so a stray card left on the canvas must not
block Run: runs execute the Outputs' upstream and refuse only on errors
there. Export stays strict (an exported program is the whole graph).
"""

from __future__ import annotations

from core.diagnostics import Diagnostic
from core.model.graph import Edge, Graph
from core.model.subgraphs import used_definitions
from core.nodes.program_io import program_inputs
from core.registry.registry import Registry
from core.schemas.flow import FlowAnalysis, analyse
from core.validation import blocking, validate


def runnable_nodes(graph: Graph, flow: FlowAnalysis, targets: list[str] | None = None) -> set[str]:
    """Ids of the nodes a run executes: every node that feeds an Output (the
    Outputs included), every Input (the program's signature does not change
    with its wiring), and the module on each label of a Branch that runs (a
    Branch routes to exactly one module per label, whether or not it leads on).

    ``targets`` replaces the Outputs as what the run must reach (a run "to
    here" reaches one node)."""
    keep: set[str] = {n.id for n in program_inputs(graph)}
    if targets is None:
        frontier = [nid for nid, t in flow.types.items() if t.is_program_output]
    else:
        frontier = [nid for nid in targets if nid in graph.nodes]
    while frontier:
        added = _upstream(flow, frontier, keep)
        frontier = [
            edge.target
            for node_id in added
            for port in flow.output_ports(node_id)
            if port.role == "branch"
            for edge in graph.outgoing(node_id, port.name)
            if edge.target in graph.nodes and edge.target not in keep
        ]
    return keep


def _upstream(flow: FlowAnalysis, starts: list[str], keep: set[str]) -> list[str]:
    """Add ``starts`` and everything feeding them to ``keep``; return what was new."""
    added = [n for n in dict.fromkeys(starts) if n not in keep]
    keep.update(added)
    stack = list(added)
    while stack:
        for source in flow.predecessors.get(stack.pop(), ()):
            if source not in keep:
                keep.add(source)
                added.append(source)
                stack.append(source)
    return added


def runnable_part(
    graph: Graph, registry: Registry, targets: list[str] | None = None
) -> tuple[Graph, FlowAnalysis]:
    """A private copy of the part of ``graph`` a run executes, with its analysis
    (a copy even when nothing is left out: edits made during a run cannot
    change what the run sees, and the run never writes to the caller's graph).
    ``targets``: see :func:`runnable_nodes`."""
    copy = copy_graph(graph)
    flow = analyse(copy, registry)
    keep = runnable_nodes(copy, flow, targets)
    if len(keep) < len(copy.nodes):
        copy = copy_graph(graph, keep)
        flow = analyse(copy, registry)
    return copy, flow


def run_errors(graph: Graph, registry: Registry) -> list[Diagnostic]:
    """The errors that block a run of ``graph``: those of the part that runs
    (graph-wide ones such as a missing Output included)."""
    part, flow = runnable_part(graph, registry)
    return blocking(part, validate(part, registry, flow))


def copy_graph(graph: Graph, only: set[str] | None = None) -> Graph:
    """A copy of ``graph`` (of the nodes in ``only`` and the edges between them)."""
    copy = Graph(graph.meta)
    copy.data_models = dict(graph.data_models)
    for node in graph.nodes.values():
        if only is None or node.id in only:
            copy.add_node(node.copy())  # variables included: they decide results
    for edge in graph.edges.values():
        if only is None or (edge.source in only and edge.target in only):
            copy.add_edge(
                Edge(edge.id, edge.source, edge.source_port, edge.target, edge.target_port)
            )
    _copy_definitions(graph, copy)
    return copy


def _copy_definitions(graph: Graph, copy: Graph) -> None:
    """Give ``copy`` the definitions its Subgraph nodes use (at any depth), in
    the document's order."""
    made: dict[str, Graph] = {}
    needed = used_definitions(copy)
    while needed:
        definition_id = needed.pop()
        source = graph.subgraphs.get(definition_id)
        if definition_id in made or source is None:
            continue
        inner = made[definition_id] = copy.new_definition(
            source.definition_name, source.definition_description, definition_id
        )
        for node in source.nodes.values():
            inner.add_node(node.copy())
        for edge in source.edges.values():
            inner.add_edge(edge)
        needed.extend(used_definitions(source))
    for definition_id in graph.subgraphs:
        if definition_id in made:
            copy.add_subgraph(made[definition_id])
