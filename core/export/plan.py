"""What the exporter needs to know about a graph, worked out once before writing.

Refuses (with :class:`ExportError`) graphs that would not run: validation
errors, key-like strings, node types no emitter knows. Then it decides the
statement order (the flow's topological order, Branch targets folded into
their Branch), the Python names, the language models and the order of each
merge's inputs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from core.export.errors import ExportError
from core.export.naming import assign_names, model_variable
from core.files.secrets import find_secret
from core.files.serialize import graph_to_document
from core.model.graph import Graph, Node
from core.model.subgraphs import SUBGRAPH_TYPE
from core.nodes.language import branch_port
from core.nodes.program_io import program_inputs, program_outputs
from core.registry.registry import Registry
from core.schemas.flow import FlowAnalysis, analyse
from core.validation import blocking, validate

OFFLINE_MODEL = "offline"
"""Synalinks Canvas' built-in model: it runs in the editor only, never in an exported script."""

SHADOWING_FIELD_NAMES = frozenset({"str", "int", "float", "bool", "list", "Literal", "synalinks"})
"""Field names that would hide, inside the class body, a name the field annotations use."""


def is_offline(model: str) -> bool:
    return model == OFFLINE_MODEL or model.startswith(OFFLINE_MODEL + "/")


@dataclass
class ExportPlan:
    graph: Graph
    flow: FlowAnalysis
    statements: list[Node] = field(default_factory=list)
    branch_targets: dict[str, list[Node]] = field(default_factory=dict)
    class_names: dict[str, str] = field(default_factory=dict)
    variables: dict[str, str] = field(default_factory=dict)
    models: list[str] = field(default_factory=list)
    node_models: dict[str, str] = field(default_factory=dict)
    merge_sources: dict[str, list[Node]] = field(default_factory=dict)
    inputs: list[Node] = field(default_factory=list)
    outputs: list[Node] = field(default_factory=list)
    tool_functions: dict[str, str] = field(default_factory=dict)
    """Graph tool name -> the Python name its function is imported as."""
    resource_variables: dict[tuple[str, str], str] = field(default_factory=dict)
    """(``"knowledge_base"`` or ``"embedding_model"``, graph name) -> Python variable."""
    embedding_models: list[Any] = field(default_factory=list)
    """The graph's embedding models the script uses, in the graph's order."""
    knowledge_bases: list[Any] = field(default_factory=list)
    """The graph's knowledge bases the script uses, in the graph's order."""
    subplans: list[ExportPlan] = field(default_factory=list)
    """One plan per subgraph definition used, innermost first (the order the
    script builds them); each writes its nodes like the document's."""
    program_variables: dict[str, str] = field(default_factory=dict)
    """Definition id -> the Python variable holding its built ``synalinks.Program``."""
    taken: set[str] = field(default_factory=set)
    """Every Python name the script's ``build_program`` already uses."""

    @property
    def used_tools(self) -> list[Any]:
        """The graph's tools that some node calls, in the graph's order."""
        return [t for t in self.graph.meta.tools if t.name in self.tool_functions]

    def params(self, node: Node) -> Any:
        return self.flow.params[node.id]

    def source_of(self, node: Node, port: str = "inputs") -> Node:
        """The node feeding ``node``'s single-edge input ``port`` (for a Subgraph
        node's output, a stand-in for that one output: see :meth:`port_node`)."""
        edge = self.graph.incoming(node.id, port)[0]
        return self.port_node(edge.source, edge.source_port)

    def port_node(self, node_id: str, port: str) -> Node:
        """What leaves ``port`` of ``node_id`` as a node the writers can name: the
        node itself, or for a Subgraph node (whose call gives a list, one value
        per Output) a stand-in whose variable is ``use[index]``."""
        node = self.graph.nodes[node_id]
        if node.type != SUBGRAPH_TYPE:
            return node
        ports = [p["id"] for p in node.params.get("outputs", [])]
        index = ports.index(port) if port in ports else 0
        return Node(f"{node_id}[{index}]", SUBGRAPH_TYPE, f"{node.name}[{index}]")

    def model_variable(self, node: Node) -> str:
        return model_variable(self.models.index(self.node_models[node.id]))

    @property
    def uses_offline(self) -> bool:
        return any(is_offline(m) for m in self.models)

    @property
    def uses_offline_embeddings(self) -> bool:
        return any(is_offline(m.model) for m in self.embedding_models)

    def resource_variable(self, kind: str, name: str) -> str:
        return self.resource_variables[(kind, name)]


def build_plan(graph: Graph, registry: Registry, supported: frozenset[str]) -> ExportPlan:
    """Check ``graph`` and work out everything the writers need; raise :class:`ExportError`."""
    _refuse_invalid(graph, registry)
    flow = analyse(graph, registry)
    plan = ExportPlan(graph, flow)
    for node in graph.nodes.values():
        if node.type not in supported and not flow.types[node.id].is_program_output:
            raise ExportError(
                f"{node.name}: nodes of type {node.type!r} cannot be exported to Synalinks "
                f"code yet (supported: {', '.join(sorted(supported))}); replace or remove it"
            )
    _check_field_names(graph)
    _fold_branches(plan)
    _name_everything(plan)
    _choose_models(plan)
    _order_merge_inputs(plan)
    plan.inputs = program_inputs(graph)
    plan.outputs = program_outputs(graph)
    if graph.subgraphs:
        from core.export.subgraph_plan import plan_subgraphs

        plan_subgraphs(plan, supported)
    return plan


def _refuse_invalid(graph: Graph, registry: Registry) -> None:
    errors = blocking(graph, validate(graph, registry))
    if errors:
        lines = "\n".join(f"  - {d.message}" for d in errors)
        raise ExportError(
            f"the graph has {len(errors)} problem(s) to fix before it can be exported:\n{lines}"
        )
    found = find_secret(graph_to_document(graph))
    if found:
        where, what = found
        raise ExportError(
            f"refusing to export: {where} contains what looks like {what}. Keys belong in the "
            "environment or a .env file, never in code; remove it and export again"
        )


def _check_field_names(graph: Graph) -> None:
    for spec in graph.data_models.values():
        for f in spec.fields:
            if f.name.startswith("_"):
                raise ExportError(
                    f"data model {spec.name}: field {f.name!r} starts with an underscore, which "
                    "pydantic treats as private (it would vanish from the schema); rename it"
                )
            if f.name in SHADOWING_FIELD_NAMES:
                raise ExportError(
                    f"data model {spec.name}: a field named {f.name!r} would hide the Python "
                    f"name {f.name} from the other fields' types; rename it"
                )


def _fold_branches(plan: ExportPlan) -> None:
    """Each Branch port feeds exactly one module (validated): that module is written
    inside the Branch's ``branches=[...]``, not as a statement of its own."""
    graph, flow = plan.graph, plan.flow
    folded: set[str] = set()
    for node_id in flow.order:
        node = graph.nodes[node_id]
        if node.type != "Branch":
            continue
        targets = []
        for index in range(len(plan.params(node).labels)):
            edge = graph.outgoing(node_id, branch_port(index))[0]
            target = graph.nodes[edge.target]
            if target.type == "Branch":
                raise ExportError(
                    f"{node.name}: its label {plan.params(node).labels[index]!r} feeds another "
                    f"Branch ({target.name}); Synalinks cannot unpack a Branch inside a Branch. "
                    "Put a Generator or Decision on that label and start the second Branch after it"
                )
            targets.append(target)
            folded.add(target.id)
        plan.branch_targets[node_id] = targets
    plan.statements = [
        graph.nodes[n]
        for n in flow.order
        if n not in folded and not flow.types[n].is_program_output
    ]


def _emission_order(plan: ExportPlan) -> list[Node]:
    """Every exported module in the order the script creates it."""
    ordered: list[Node] = []
    for node in plan.statements:
        ordered.append(node)
        ordered.extend(plan.branch_targets.get(node.id, ()))
    return ordered


def _tools_used(plan: ExportPlan) -> list[str]:
    used: list[str] = []
    for node in _emission_order(plan):
        for spec in getattr(plan.flow.types[node.id], "plans", ()):
            if spec.kind not in ("tools", "tool"):
                continue
            value = getattr(plan.params(node), spec.name, None)
            for name in value if isinstance(value, list) else [value] if value else []:
                if name not in used:
                    used.append(name)
    return used


def _name_everything(plan: ExportPlan) -> None:
    taken: set[str] = set()
    plan.class_names = assign_names(plan.graph.data_models, taken)
    by_tool = {t.name: t for t in plan.graph.meta.tools}
    used = [by_tool[name] for name in _tools_used(plan) if name in by_tool]
    for tool in used:  # one at a time: two tools may share a function name
        plan.tool_functions[tool.name] = assign_names([tool.function], taken)[tool.function]
    _name_knowledge(plan, taken)
    node_names = [n.name for n in _emission_order(plan)]
    by_name = assign_names(
        node_names, taken | {model_variable(i) for i in range(len(node_names) + 1)}
    )
    plan.variables = {n.id: by_name[n.name] for n in _emission_order(plan)}
    plan.taken = taken


def _knowledge_used(plan: ExportPlan) -> tuple[list[str], list[str]]:
    """Names of the knowledge bases and embedding models some exported node uses
    (an embedding model also when a used knowledge base embeds with it)."""
    bases: list[str] = []
    models: list[str] = []
    for node in _emission_order(plan):
        for spec in getattr(plan.flow.types[node.id], "plans", ()):
            value = getattr(plan.params(node), spec.name, None)
            if not value:
                continue
            if spec.kind == "knowledge_base" and value not in bases:
                bases.append(value)
            elif spec.kind == "embedding_model" and value not in models:
                models.append(value)
    for kb in plan.graph.meta.knowledge_bases:
        if kb.name in bases and kb.embedding_model and kb.embedding_model not in models:
            models.append(kb.embedding_model)
    return bases, models


def _name_knowledge(plan: ExportPlan, taken: set[str]) -> None:
    bases, models = _knowledge_used(plan)
    meta = plan.graph.meta
    plan.embedding_models = [m for m in meta.embedding_models if m.name in models]
    plan.knowledge_bases = [k for k in meta.knowledge_bases if k.name in bases]
    for kind, specs in (
        ("embedding_model", plan.embedding_models),
        ("knowledge_base", plan.knowledge_bases),
    ):
        for spec in specs:
            plan.resource_variables[(kind, spec.name)] = assign_names([spec.name], taken)[spec.name]


def _choose_models(plan: ExportPlan) -> None:
    """Distinct model strings, the graph's default first when some module uses it.

    When no module uses the graph's default, the first model used takes its
    place: the importer reads the model of ``language_model`` as the default,
    so the exported script is the same before and after a round trip.
    """
    default = plan.graph.meta.default_model.strip() or OFFLINE_MODEL
    used: list[str] = []
    for node in _emission_order(plan):
        if not plan.flow.types[node.id].uses_language_model:
            continue
        model = (plan.params(node).language_model or "").strip() or default
        plan.node_models[node.id] = model
        if model not in used:
            used.append(model)
    if default in used:
        used.remove(default)
        used.insert(0, default)
    plan.models = used


def _order_merge_inputs(plan: ExportPlan) -> None:
    """In a program with several Inputs, merges list module outputs before Input
    values (stable otherwise); with one Input they keep the graph's order.

    Synalinks 0.10 runs a program depth by depth and pairs each depth's results
    with that depth's nodes by position, counting the Input nodes it skipped
    (``_run_through_graph`` in synalinks/src/ops/function.py). With several
    program inputs, an Input can sit at the same depth as a module, before it,
    and the run fails with ``IndexError: list index out of range``; an Input
    merged after a module output lands after it. (Checked against 0.10.14:
    ``Concat([b, generated])`` fails, ``Concat([generated, b])`` runs.) With a
    single Input no module shares its depth, so the order is kept: reordering
    would change the merged field order, and Or/Xor's output schema, which
    Synalinks takes from the first input.
    """
    graph = plan.graph
    several_inputs = len(program_inputs(graph)) > 1
    for node in plan.statements:
        if not plan.flow.types[node.id].is_merge:
            continue
        sources = [
            plan.port_node(e.source, e.source_port) for e in graph.incoming(node.id, "inputs")
        ]
        if several_inputs:
            sources = [s for s in sources if s.type != "Input"] + [
                s for s in sources if s.type == "Input"
            ]
        plan.merge_sources[node.id] = sources
