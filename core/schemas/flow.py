"""Schema flow: what data model travels on every port, and whether it can be None.

One pass in topological order over the graph (networkx). Validation, the
editor's edge tooltips and the engine all read the same :class:`FlowAnalysis`,
so "what flows here" is decided in exactly one place.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from core.gc_pause import paused_gc
from core.model.data_models import DataModelError
from core.model.graph import Graph, Node
from core.nodes.language import BranchParams, branch_port_index, decision_schema
from core.registry.node_type import JsonSchema, NodeType, ParamsError, PortSpec
from core.registry.registry import Registry, UnknownNodeType

if TYPE_CHECKING:
    import networkx as nx

PortKey = tuple[str, str]  # (node id, port name)


def _new_digraph() -> nx.DiGraph:
    # networkx is imported on first use: it costs a third of a second, and the
    # editor's window should not wait for it at start-up.
    import networkx as nx

    return nx.DiGraph()


@dataclass
class FlowAnalysis:
    """Everything derived from the graph's structure, computed once per change."""

    graph: Graph
    registry: Registry
    types: dict[str, NodeType] = field(default_factory=dict)
    params: dict[str, BaseModel] = field(default_factory=dict)
    unknown_types: dict[str, UnknownNodeType] = field(default_factory=dict)
    param_errors: dict[str, ParamsError] = field(default_factory=dict)
    cycles: list[list[str]] = field(default_factory=list)
    # Nodes on a cycle: their schemas stay unknown, and the cycle is why.
    on_cycle: set[str] = field(default_factory=set)
    order: list[str] = field(default_factory=list)
    schemas: dict[PortKey, JsonSchema | None] = field(default_factory=dict)
    may_be_none: dict[PortKey, bool] = field(default_factory=dict)
    _dm_schemas: dict[str, JsonSchema | None] = field(default_factory=dict)
    _inputs: dict[str, tuple[PortSpec, ...]] = field(default_factory=dict)
    _outputs: dict[str, tuple[PortSpec, ...]] = field(default_factory=dict)
    # Node id -> ids it feeds / is fed by (one entry per edge), for every node.
    successors: dict[str, list[str]] = field(default_factory=dict)
    predecessors: dict[str, list[str]] = field(default_factory=dict)
    _digraph: nx.DiGraph | None = None
    _after_cycle: set[str] | None = None
    # Analyses of subgraph definitions, shared by the whole document's analysis
    # (one per definition however often it is used); ``_open`` holds those under
    # way, so a definition that uses itself ends instead of recursing.
    subflows: dict[str, FlowAnalysis] = field(default_factory=dict)
    _open: set[str] = field(default_factory=set)

    @property
    def digraph(self) -> nx.DiGraph:
        """The node graph as a networkx DiGraph, built on first use (analysis
        itself walks plain adjacency lists, several times cheaper to build)."""
        if self._digraph is None:
            dg = _new_digraph()
            dg.add_nodes_from(self.successors)
            dg.add_edges_from((u, v) for u, targets in self.successors.items() for v in targets)
            self._digraph = dg
        return self._digraph

    def after_cycle(self, node_id: str) -> bool:
        """Whether a cycle feeds ``node_id`` (directly or further upstream): what
        arrives there is unknown because of the cycle, not because of the node."""
        if self._after_cycle is None:
            seen: set[str] = set()
            stack = list(self.on_cycle)
            while stack:
                for nxt in self.successors.get(stack.pop(), ()):
                    if nxt not in seen:
                        seen.add(nxt)
                        stack.append(nxt)
            self._after_cycle = seen - self.on_cycle
        return node_id in self._after_cycle

    def port_title(self, node_id: str, port: str, _depth: int = 0) -> str:
        """The name shown for what leaves ``port`` of ``node_id``: its producer's
        data model when it chooses one, what a Branch label passes on, else the
        producer's node name.

        Schema titles are Synalinks' bookkeeping (a merge keeps its left side's
        title, a decision put in front of an answer renames it "DecisionAnswer"),
        so showing them named data models that appear nowhere upstream.
        """
        params = self.params.get(node_id)
        spec = next((p for p in self.output_ports(node_id) if p.name == port), None)
        if spec is not None and spec.role == "branch" and _depth < 50:
            fed = next(iter(self.graph.incoming(node_id)), None)
            if fed is not None and fed.source in self.graph.nodes:
                return self.port_title(fed.source, fed.source_port, _depth + 1)
        data_model = getattr(params, "data_model", None)
        if isinstance(data_model, str) and data_model:
            return data_model
        node = self.graph.nodes.get(node_id)
        return node.name if node is not None else ""

    # ------------------------------------------------------------ ports
    def input_ports(self, node_id: str) -> tuple[PortSpec, ...]:
        """The node's input ports (empty when its type or parameters are invalid)."""
        return self._inputs.get(node_id, ())

    def output_ports(self, node_id: str) -> tuple[PortSpec, ...]:
        """The node's output ports (empty when its type or parameters are invalid)."""
        return self._outputs.get(node_id, ())

    def edge_schema(self, edge_id: str) -> JsonSchema | None:
        edge = self.graph.edges[edge_id]
        return self.schemas.get((edge.source, edge.source_port))

    # --------------------------------------------------- SchemaContext
    def data_model_schema(self, name: str) -> JsonSchema | None:
        if name not in self._dm_schemas:
            spec = self.graph.data_models.get(name)
            try:
                schema = spec.json_schema(self.graph.data_models) if spec else None
            except DataModelError:
                schema = None  # validation says which nested model is wrong
            self._dm_schemas[name] = schema
        return self._dm_schemas[name]

    def subflow(self, definition_id: str) -> FlowAnalysis | None:
        """The analysis of a subgraph definition (None: missing, or it uses itself)."""
        found = self.subflows.get(definition_id)
        if found is not None:
            return found
        definition = self.graph.subgraphs.get(definition_id)
        if definition is None or definition_id in self._open:
            return None
        self._open.add(definition_id)
        try:
            found = _analyse(definition, self.registry, self.subflows, self._open)
        finally:
            self._open.discard(definition_id)
        self.subflows[definition_id] = found
        return found

    def subgraph_output_schemas(self, definition_id: str) -> dict[str, JsonSchema | None]:
        """What reaches each Output of a definition, by Output id (its uses' ports)."""
        inner = self.subflow(definition_id)
        if inner is None:
            return {}
        return {
            node_id: inner.arriving(node_id)
            for node_id, t in inner.types.items()
            if t.is_program_output
        }

    def arriving(self, node_id: str) -> JsonSchema | None:
        """The schema of the first edge into ``node_id`` (what an Output gives)."""
        edge = next(iter(self.graph.incoming(node_id)), None)
        return None if edge is None else self.schemas.get((edge.source, edge.source_port))

    def feeding_branch(self, node_id: str) -> tuple[Node, BranchParams, int] | None:
        """The Branch (and label index) whose port feeds ``node_id``, if any."""
        for edge in self.graph.incoming(node_id):
            source = self.graph.nodes.get(edge.source)
            params = self.params.get(edge.source)
            index = branch_port_index(edge.source_port)
            if source is not None and isinstance(params, BranchParams) and index is not None:
                return source, params, index
        return None

    def input_schemas(self, node_id: str) -> dict[str, list[JsonSchema | None]]:
        """The schemas arriving on each input port of ``node_id``, in edge order
        (what its type's ``output_schemas`` was given)."""
        arriving: dict[str, list[JsonSchema | None]] = {p.name: [] for p in self._inputs[node_id]}
        for edge in self.graph.incoming(node_id):
            if edge.target_port in arriving:
                arriving[edge.target_port].append(self.schemas.get((edge.source, edge.source_port)))
        return arriving

    def branch_decision_schema(self, node_id: str) -> JsonSchema | None:
        fed = self.feeding_branch(node_id)
        if fed is None or not fed[1].return_decision:
            return None
        return decision_schema(fed[1].labels)


def analyse(graph: Graph, registry: Registry) -> FlowAnalysis:
    """Parse every node's parameters, order the graph and propagate schemas."""
    with paused_gc():
        return _analyse(graph, registry)


def _analyse(
    graph: Graph,
    registry: Registry,
    subflows: dict[str, FlowAnalysis] | None = None,
    open_: set[str] | None = None,
) -> FlowAnalysis:
    flow = FlowAnalysis(graph, registry)
    if subflows is not None:
        flow.subflows = subflows
    if open_ is not None:
        flow._open = open_
    elif graph.is_definition:
        flow._open = {graph.definition_id}  # type: ignore[arg-type]
    nodes = graph.nodes
    for node in nodes.values():
        try:
            node_type = registry.get(node.type)
        except UnknownNodeType as exc:
            flow.unknown_types[node.id] = exc
            continue
        flow.types[node.id] = node_type
        try:
            params = flow.params[node.id] = node_type.parse_params(node)
        except ParamsError as exc:
            flow.param_errors[node.id] = exc
            continue
        # Ports are derived once here; validation and the editor read them often.
        flow._inputs[node.id] = node_type.input_ports(params)
        flow._outputs[node.id] = node_type.output_ports(params)
    succ: dict[str, list[str]] = {node_id: [] for node_id in nodes}
    pred: dict[str, list[str]] = {node_id: [] for node_id in nodes}
    for edge in graph.edges.values():
        if edge.source in succ and edge.target in succ:
            succ[edge.source].append(edge.target)
            pred[edge.target].append(edge.source)
    flow.successors, flow.predecessors = succ, pred

    order = _topological_order(nodes, succ, set())
    if len(order) < len(nodes):
        # Some nodes sit on or after a cycle. Only then pay for strongly
        # connected components, and only over the nodes left unordered.
        flow.on_cycle = _find_cycles(flow, set(nodes) - set(order))
        order = _topological_order(nodes, succ, flow.on_cycle)
    flow.order = order
    _propagate(flow)
    return flow


def _find_cycles(flow: FlowAnalysis, leftover: set[str]) -> set[str]:
    """Record the cycles among ``leftover`` nodes; return every node on one."""
    import networkx as nx

    sub = nx.DiGraph()
    sub.add_nodes_from(leftover)
    sub.add_edges_from((u, v) for u in leftover for v in flow.successors[u] if v in leftover)
    on_cycle: set[str] = set()
    for component in nx.strongly_connected_components(sub):
        if len(component) > 1 or any(sub.has_edge(n, n) for n in component):
            flow.cycles.extend(_cycles_covering(sub.subgraph(component)))
            on_cycle.update(component)
    return on_cycle


def _topological_order(nodes: dict, succ: dict[str, list[str]], skip: set[str]) -> list[str]:
    """Nodes not in ``skip`` in topological order, ties broken by graph order.

    The same order as networkx's ``lexicographical_topological_sort`` keyed by
    graph position, on integer positions. Nodes on a cycle, and those after
    one, never become ready, so they are left out (the caller checks).
    """
    ids = [n for n in nodes if n not in skip] if skip else list(nodes)
    position = {node_id: i for i, node_id in enumerate(ids)}
    indegree = dict.fromkeys(ids, 0)
    for node_id in ids:
        for nxt in succ[node_id]:
            if nxt in indegree:
                indegree[nxt] += 1
    ready = [position[n] for n in ids if indegree[n] == 0]
    heapq.heapify(ready)
    order: list[str] = []
    while ready:
        node_id = ids[heapq.heappop(ready)]
        order.append(node_id)
        for nxt in succ[node_id]:
            if nxt in indegree:
                indegree[nxt] -= 1
                if indegree[nxt] == 0:
                    heapq.heappush(ready, position[nxt])
    return order


MAX_REPORTED_CYCLES = 50
"""Per strongly connected component; past this, the remaining nodes are covered
by one last cycle each would only repeat."""


def _cycles_covering(component: nx.DiGraph) -> list[list[str]]:
    """Cycles (node lists, in flow order) that together pass through every node
    of a strongly connected ``component``, shortest first for each node.

    One ``find_cycle`` per component left the other nodes of interlocking
    cycles (A<->B<->C) without a diagnostic that names their cycle.
    """
    import networkx as nx

    cycles: list[list[str]] = []
    covered: set[str] = set()
    for node_id in component:
        if node_id in covered:
            continue
        if len(cycles) >= MAX_REPORTED_CYCLES:
            break
        if component.has_edge(node_id, node_id):
            cycle = [node_id]
        else:
            # Shortest way back to node_id from any of its successors.
            paths = nx.single_source_shortest_path(component.reverse(copy=False), node_id)
            best = min(
                (paths[s] for s in component.successors(node_id) if s in paths),
                key=len,
            )
            # best runs node_id ... s backwards, i.e. s -> ... -> node_id forwards.
            cycle = [node_id, *reversed(best[1:])]
        cycles.append(cycle)
        covered.update(cycle)
    return cycles


def _propagate(flow: FlowAnalysis) -> None:
    graph = flow.graph
    schemas, may_be_none = flow.schemas, flow.may_be_none
    for node_id in flow.order:
        node_type, params = flow.types.get(node_id), flow.params.get(node_id)
        if node_type is None or params is None:
            continue
        in_schemas: dict[str, list[JsonSchema | None]] = {}
        in_none: dict[str, list[bool]] = {}
        for port in flow._inputs[node_id]:
            in_schemas[port.name] = []
            in_none[port.name] = []
        for edge in graph.incoming(node_id):
            key = (edge.source, edge.source_port)
            if edge.target_port in in_schemas:
                in_schemas[edge.target_port].append(schemas.get(key))
                in_none[edge.target_port].append(may_be_none.get(key, False))
        try:
            out = node_type.output_schemas(graph.nodes[node_id], params, in_schemas, flow)
        except Exception:  # a malformed schema must not break analysis; validation reports it
            out = {}
        none = node_type.output_may_be_none(params, in_none)
        for port in flow._outputs[node_id]:
            schemas[(node_id, port.name)] = out.get(port.name)
            may_be_none[(node_id, port.name)] = none.get(port.name, False)


def schema_field_names(schema: JsonSchema | None) -> list[str]:
    """Property names of an object schema, in order (for node cards and tooltips)."""
    if not schema:
        return []
    return list(schema.get("properties", {}))


def describe_schema(schema: JsonSchema | None) -> list[tuple[str, str, bool]]:
    """``(name, type label, required)`` rows of an object schema, for display."""
    if not schema:
        return []
    required = set(schema.get("required", []))
    rows = []
    for name, prop in schema.get("properties", {}).items():
        rows.append((name, _type_label(prop), name in required))
    return rows


def _type_label(prop: dict[str, Any]) -> str:
    if "$ref" in prop:  # a nested data model: named as its class is
        return str(prop["$ref"]).rsplit("/", 1)[-1]
    if "enum" in prop:
        return "enum(" + "|".join(str(v) for v in prop["enum"]) + ")"
    if "anyOf" in prop:
        parts = [_type_label(p) for p in prop["anyOf"] if p.get("type") != "null"]
        return (parts[0] if len(parts) == 1 else " | ".join(parts)) + "?"
    kind = prop.get("type", "any")
    if kind == "array":
        return f"list[{_type_label(prop.get('items', {}))}]"
    return {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}.get(kind, kind)
