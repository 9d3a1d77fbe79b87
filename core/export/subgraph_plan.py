"""Subgraphs in the exported script: each definition a nested ``synalinks.Program``.

``build_program`` builds every definition the document uses once, innermost
first, with the functional API (its Inputs, its modules, then
``x_program = synalinks.Program(inputs=..., outputs=[...], name=...)``), before
the document's own modules; each Subgraph node is then a call of that program
as a module, ``use = await x_program(source)``, whose value is a list with one
entry per Output (``use[0]``, ``use[1]``...). Synalinks 0.10 runs a program
called inside another as one module of it, and a program called twice shares
its modules, as one definition used twice does here.
"""

from __future__ import annotations

from core.export.errors import ExportError
from core.export.literals import INDENT, call, py_str
from core.export.naming import assign_names
from core.export.plan import (
    OFFLINE_MODEL,
    ExportPlan,
    _emission_order,
    _fold_branches,
    _order_merge_inputs,
    program_inputs,
    program_outputs,
)
from core.model.graph import Graph
from core.model.subgraphs import SUBGRAPH_TYPE, used_definitions


def build_order(graph: Graph) -> list[str]:
    """The definitions ``graph`` uses, each after those it uses itself (the order
    the script builds them), first use first."""
    order: list[str] = []
    visiting: set[str] = set()

    def visit(definition_id: str) -> None:
        if definition_id in order or definition_id in visiting:
            return
        visiting.add(definition_id)
        for inner in used_definitions(graph.subgraphs[definition_id]):
            if inner in graph.subgraphs:
                visit(inner)
        visiting.discard(definition_id)
        order.append(definition_id)

    for definition_id in used_definitions(graph):
        if definition_id in graph.subgraphs:
            visit(definition_id)
    return order


def plan_subgraphs(root: ExportPlan, supported: frozenset[str]) -> None:
    """Add a plan per used definition to ``root`` (names, models and merge order
    worked out with the document's, so every name in ``build_program`` is distinct)."""
    graph = root.graph
    for definition_id in build_order(graph):
        definition = graph.subgraphs[definition_id]
        flow = root.flow.subflow(definition_id)
        if flow is None:
            raise ExportError(
                f"subgraph {definition.definition_name}: it uses itself, which a program cannot"
            )
        sub = ExportPlan(definition, flow)
        for node in definition.nodes.values():
            if node.type not in supported and not flow.types[node.id].is_program_output:
                raise ExportError(
                    f"{node.name} (in subgraph {definition.definition_name}): nodes of type "
                    f"{node.type!r} cannot be exported to Synalinks code yet; replace or remove it"
                )
        _fold_branches(sub)
        sub.class_names = root.class_names
        sub.tool_functions = root.tool_functions
        sub.resource_variables = root.resource_variables
        sub.program_variables = root.program_variables
        sub.taken = root.taken
        sub.inputs = program_inputs(definition)
        sub.outputs = program_outputs(definition)
        root.subplans.append(sub)
    # Names: the document's first (already given), then each definition's nodes,
    # then the program variables.
    for sub in root.subplans:
        ordered = _emission_order(sub)
        by_name = assign_names([n.name for n in ordered], root.taken)
        sub.variables = {n.id: by_name[n.name] for n in ordered}
    for sub in root.subplans:
        wanted = f"{sub.graph.definition_name}_program"
        root.program_variables[sub.graph.definition_id] = assign_names([wanted], root.taken)[wanted]  # type: ignore[index]
    for plan in (root, *root.subplans):
        for node in plan.graph.nodes.values():
            if node.type == SUBGRAPH_TYPE and node.id in plan.variables:
                for index in range(len(node.params.get("outputs", []))):
                    plan.variables[f"{node.id}[{index}]"] = f"{plan.variables[node.id]}[{index}]"
        if plan is not root:
            _order_merge_inputs(plan)
    _choose_models_everywhere(root)


def _choose_models_everywhere(root: ExportPlan) -> None:
    """The models of every graph's modules as one list (the graph's default first
    when some module uses it), shared by all plans: one ``language_model``
    variable per model in ``build_program``."""
    default = root.graph.meta.default_model.strip() or OFFLINE_MODEL
    used: list[str] = []
    for plan in (root, *root.subplans):
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
    root.models[:] = used
    for sub in root.subplans:
        sub.models = root.models


def subgraph_blocks(root: ExportPlan) -> str:
    """The statements that build each definition's program, innermost first."""
    from core.export.modules import statement_writer

    parts: list[str] = []
    for sub in root.subplans:
        definition = sub.graph
        parts.append(
            f"{INDENT}# Subgraph {definition.definition_name}: built once, called by each use.\n"
        )
        for node in sub.statements:
            parts.append(statement_writer(sub.flow.types[node.id])(sub, node))
        inputs = [sub.variables[n.id] for n in sub.inputs]
        outputs = [sub.variables[sub.source_of(o).id] for o in sub.outputs]
        args = [
            ("inputs", inputs[0] if len(inputs) == 1 else _names(inputs)),
            ("outputs", _names(outputs)),
            ("name", py_str(definition.definition_name.replace("/", "_") or "subgraph")),
        ]
        if definition.definition_description:
            args.append(("description", py_str(definition.definition_description)))
        variable = root.program_variables[definition.definition_id]  # type: ignore[index]
        parts.append(f"{INDENT}{variable} = {call('synalinks.Program', args, 1)}\n")
    return "".join(parts)


def _names(names: list[str]) -> str:
    items = "".join(f"{INDENT * 3}{n},\n" for n in names)
    return f"[\n{items}{INDENT * 2}]"
