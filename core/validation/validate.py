"""``validate(graph)``: every structural problem as a :class:`Diagnostic`.

Errors block a run; warnings do not. Messages name the node and say what to
do. Checks read the registry (ports, parameters, type-specific rules) and one
:class:`~core.schemas.flow.FlowAnalysis`, so a 10,000-node graph validates in
a fraction of a second.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable

from core.diagnostics import Diagnostic, error, warning
from core.gc_pause import paused_gc
from core.model.graph import Graph
from core.model.names import identifier_problem
from core.nodes.program_io import program_inputs
from core.program_input import InputError, resolve_inputs
from core.registry.registry import Registry
from core.schemas.flow import FlowAnalysis, analyse
from core.validation.data_models import data_model_checks
from core.validation.pins import pin_checks
from core.validation.resources import resource_checks
from core.validation.sampling import sampling_checks
from core.validation.subgraphs import merge_sorted, subgraph_checks


def validate(
    graph: Graph, registry: Registry, flow: FlowAnalysis | None = None
) -> list[Diagnostic]:
    """All diagnostics for ``graph``, errors first, then in graph order."""
    with paused_gc():
        return _validate(graph, registry, flow or analyse(graph, registry))


EMPTY_GRAPH_HINTS = ("no_input", "no_output")


def blocking(graph: Graph, diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """The diagnostics that refuse a run or an export, as errors: every error,
    and on an empty graph its hints (an empty canvas is no mistake while editing,
    but it is still no program)."""
    if not graph.nodes:
        return [
            error(d.code, d.message, d.node_id, d.port)
            for d in diagnostics
            if d.is_error or d.code in EMPTY_GRAPH_HINTS
        ]
    return [d for d in diagnostics if d.is_error]


def _validate(graph: Graph, registry: Registry, flow: FlowAnalysis) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    found += _node_checks(graph, flow)
    found += _edge_checks(graph, flow)
    found += _cycle_checks(graph, flow)
    found += _program_checks(graph, flow)
    found += _reachability_checks(graph, flow)
    found += sampling_checks(graph, flow)
    found += pin_checks(graph, flow)
    found += resource_checks(graph)
    found += data_model_checks(graph, flow)
    order = {node_id: i for i, node_id in enumerate(graph.nodes)}
    found.sort(key=lambda d: (not d.is_error, order.get(d.node_id or "", -1)))
    if graph.subgraphs and not graph.is_definition:
        found = merge_sorted(found, subgraph_checks(graph, flow, _validate))
    return found


def _node_checks(graph: Graph, flow: FlowAnalysis) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    names = Counter(n.name for n in graph.nodes.values())
    for node in graph.nodes.values():
        problem = identifier_problem(node.name)
        if problem:
            found.append(
                error(
                    "invalid_name",
                    f"{node.name!r} ({node.type}): {problem}; rename the node",
                    node.id,
                )
            )
        elif names[node.name] > 1:
            found.append(
                error(
                    "duplicate_name",
                    f"{node.name}: another node has this name; names must be unique "
                    "(they become Synalinks module names)",
                    node.id,
                )
            )
        if node.id in flow.unknown_types:
            found.append(
                error("unknown_node_type", f"{node.name}: {flow.unknown_types[node.id]}", node.id)
            )
            continue
        if node.id in flow.param_errors:
            found.append(error("invalid_params", str(flow.param_errors[node.id]), node.id))
            continue
        node_type, params = flow.types[node.id], flow.params[node.id]
        for ref in node_type.data_model_refs(params):
            if ref not in graph.data_models:
                found.append(
                    error(
                        "unknown_data_model",
                        f"{node.name}: data model {ref!r} does not exist; create it in the "
                        "data models panel or choose another",
                        node.id,
                    )
                )
        found += node_type.check(node, params, graph)
        incoming = graph.incoming(node.id)
        for port in flow.input_ports(node.id):
            edges = [e for e in incoming if e.target_port == port.name]
            if port.required and not edges:
                found.append(
                    error(
                        "unconnected_input",
                        f"{node.name}: connect something to its {port.display!r} input",
                        node.id,
                        port.name,
                    )
                )
            elif len(edges) > 1 and not port.multiple:
                found.append(
                    error(
                        "too_many_inputs",
                        f"{node.name}: its {port.display!r} input takes one connection, "
                        f"it has {len(edges)}; merge them first (Concat, Or...)",
                        node.id,
                        port.name,
                    )
                )
            elif port.multiple and len(edges) == 1:
                found.append(
                    warning(
                        "merge_single_input",
                        f"{node.name}: a merge of one input passes it through unchanged; "
                        "connect another",
                        node.id,
                        port.name,
                    )
                )
        if node_type.is_program_input:
            spec = graph.data_models.get(getattr(params, "data_model", ""))
            if spec is not None and not spec.fields:
                found.append(
                    error(
                        "empty_data_model",
                        f"{node.name}: its data model {spec.name!r} has no fields; add one",
                        node.id,
                    )
                )
        if node_type.is_merge and node_type.type_name == "Concat":
            for edge in graph.incoming(node.id, "inputs"):
                if flow.may_be_none.get((edge.source, edge.source_port)):
                    source = graph.nodes[edge.source].name
                    found.append(
                        error(
                            "concat_may_get_none",
                            f"{node.name}: input from {source} is None when its branch is not "
                            "taken, and Concat fails on None; use Or to keep whichever is present",
                            node.id,
                            "inputs",
                        )
                    )
                    break
    return found


def _edge_checks(graph: Graph, flow: FlowAnalysis) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    outputs = {node_id: {p.name for p in ports} for node_id, ports in flow._outputs.items()}
    inputs = {node_id: {p.name for p in ports} for node_id, ports in flow._inputs.items()}
    for edge in graph.edges.values():
        source, target = graph.nodes.get(edge.source), graph.nodes.get(edge.target)
        if source is None or target is None:
            found.append(
                error("dangling_edge", f"an edge refers to a node that does not exist ({edge.id})")
            )
            continue
        if edge.source in outputs and edge.source_port not in outputs[edge.source]:
            found.append(
                error(
                    "unknown_port",
                    f"{source.name}: has no output {edge.source_port!r} (a removed label?); "
                    f"delete the connection to {target.name}",
                    source.id,
                    edge.source_port,
                )
            )
        if edge.target in inputs and edge.target_port not in inputs[edge.target]:
            found.append(
                error(
                    "unknown_port",
                    f"{target.name}: has no input {edge.target_port!r}; delete the connection from {source.name}",
                    target.id,
                    edge.target_port,
                )
            )
    # Each Branch port feeds exactly one module (Synalinks' branches=[...]).
    for node_id, node_type in flow.types.items():
        if node_type.type_name != "Branch" or node_id not in flow.params:
            continue
        node = graph.nodes[node_id]
        for port in flow.output_ports(node_id):
            targets = graph.outgoing(node_id, port.name)
            if len(targets) != 1:
                found.append(
                    error(
                        "branch_port_fanout",
                        f"{node.name}: label {port.display!r} must feed exactly one module "
                        f"(it feeds {len(targets)}); connect one Generator or other module",
                        node_id,
                        port.name,
                    )
                )
                continue
            target_type = flow.types.get(targets[0].target)
            if target_type is not None and target_type.type_name == "Branch":
                found.append(
                    warning(
                        "branch_feeds_branch",
                        f"{node.name}: label {port.display!r} feeds the Branch "
                        f"{graph.nodes[targets[0].target].name} directly; it runs here, but "
                        "Synalinks cannot unpack a Branch inside a Branch, so it cannot be "
                        "exported to Python. Put a Generator or Decision on the label and start "
                        "the second Branch after it",
                        node_id,
                        port.name,
                    )
                )
            elif target_type is not None and not target_type.uses_language_model:
                found.append(
                    error(
                        "branch_port_target",
                        f"{node.name}: label {port.display!r} feeds {graph.nodes[targets[0].target].name}, "
                        f"a {target_type.title}; a branch must feed a module (Generator, Chain of "
                        "Thought, Decision or Branch)",
                        node_id,
                        port.name,
                    )
                )
    return found


def _cycle_checks(graph: Graph, flow: FlowAnalysis) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    reported: set[str] = set()
    for cycle in flow.cycles:
        names = [graph.nodes[n].name for n in cycle]
        path = " -> ".join(names + names[:1])
        for node_id in cycle:
            if node_id in reported:
                continue
            reported.add(node_id)
            found.append(
                error(
                    "cycle",
                    f"{graph.nodes[node_id].name}: a cycle runs through {path}; programs must "
                    "flow one way, so delete one of these connections",
                    node_id,
                )
            )
    return found


def _program_checks(graph: Graph, flow: FlowAnalysis) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    inputs = program_inputs(graph)
    outputs = [
        n
        for n in graph.nodes.values()
        if flow.types.get(n.id) and flow.types[n.id].is_program_output
    ]
    # A new, empty canvas has done nothing wrong: what it lacks is a hint until
    # the first node is placed (runs and exports still refuse it, see blocking).
    missing = warning if not graph.nodes else error
    if not inputs:
        found.append(missing("no_input", "the program has no Input node; add one from the palette"))
    elif (
        not graph.is_definition
        and graph.meta.example_input
        and all(
            n.id in flow.params and flow.params[n.id].data_model in graph.data_models
            for n in inputs
        )
    ):
        try:
            resolve_inputs(graph, None)
        except InputError as exc:
            found.append(
                warning(
                    "example_input_invalid",
                    f"the graph's example input does not fit its Input: {exc}; "
                    "fix it in the graph settings (select nothing to see them)",
                )
            )
    if not outputs:
        found.append(
            missing(
                "no_output", "the program has no Output node; add one and connect the result to it"
            )
        )
    orders = Counter(n.params.get("order") for n in outputs)
    for node in outputs:
        if orders[node.params.get("order")] > 1:
            found.append(
                warning(
                    "duplicate_output_order",
                    f"{node.name}: another Output has order {node.params.get('order')}; "
                    "outputs with equal order are sorted by name",
                    node.id,
                )
            )
    return found


def _reachability_checks(graph: Graph, flow: FlowAnalysis) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    starts = [n.id for n in program_inputs(graph)]
    ends = [nid for nid, t in flow.types.items() if t.is_program_output]
    # One multi-source sweep each way: per-Output ancestor sets were quadratic
    # on graphs with thousands of outputs.
    reached = _sweep(starts, flow.successors.__getitem__)
    useful = _sweep(ends, flow.predecessors.__getitem__)
    for node in graph.nodes.values():
        node_type = flow.types.get(node.id)
        if node_type is None:
            continue
        if node.id not in reached and not node_type.is_program_input and starts:
            found.append(
                warning(
                    "unreachable",
                    f"{node.name}: no Input reaches it, so it never runs; connect it or delete it",
                    node.id,
                )
            )
        elif node.id not in useful and not node_type.is_program_output and ends:
            found.append(
                warning(
                    "unused_result",
                    f"{node.name}: its result reaches no Output; connect it or delete it",
                    node.id,
                )
            )
    return found


def _sweep(starts: list[str], neighbours: Callable[[str], Iterable[str]]) -> set[str]:
    """Every node reachable from any of ``starts`` (the starts included)."""
    seen = set(starts)
    stack = list(starts)
    while stack:
        for nxt in neighbours(stack.pop()):
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return seen
