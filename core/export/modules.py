"""How each node type is written as Synalinks code: one small function per kind.

Each function returns the source of one statement of ``build_program`` (or,
for a module folded into a Branch, of its constructor). The table
:data:`STATEMENT_WRITERS` is keyed by node type name: supporting a new kind
of node in the export is one function and one entry.
"""

from __future__ import annotations

from collections.abc import Callable

from core.export.literals import INDENT, call, fits, py_str, py_value
from core.export.plan import ExportPlan
from core.model.graph import Node

MERGE_CLASSES = {"Concat": "Concat", "And": "And", "Or": "Or", "Xor": "Xor"}


def _common_tail(plan: ExportPlan, node: Node, params) -> list[tuple[str, str]]:
    """``instructions``/``temperature`` when set, then the model and the name."""
    args: list[tuple[str, str]] = []
    if params.instructions:
        args.append(("instructions", py_str(params.instructions)))
    if params.temperature is not None:
        args.append(("temperature", py_value(float(params.temperature))))
    args.append(("language_model", plan.model_variable(node)))
    args.append(("name", py_str(node.name)))
    return args


def constructor(plan: ExportPlan, node: Node, indent: int) -> str:
    """``synalinks.<Module>(...)`` for a language-model node, at nesting ``indent``."""
    params = plan.params(node)
    if node.type in ("Generator", "ChainOfThought"):
        args = [("data_model", plan.class_names[params.data_model])]
    elif node.type == "Decision":
        args = [
            ("question", py_str(params.question)),
            ("labels", py_value(list(params.labels), indent + 1)),
        ]
    else:
        raise AssertionError(f"no constructor for {node.type}")
    return call(f"synalinks.{node.type}", args + _common_tail(plan, node, params), indent)


def write_input(plan: ExportPlan, node: Node) -> str:
    params = plan.params(node)
    args = [("data_model", plan.class_names[params.data_model]), ("name", py_str(node.name))]
    return f"{INDENT}{plan.variables[node.id]} = {call('synalinks.Input', args, 1)}\n"


def write_module(plan: ExportPlan, node: Node) -> str:
    source = plan.variables[plan.source_of(node).id]
    return f"{INDENT}{plan.variables[node.id]} = await {constructor(plan, node, 1)}({source})\n"


def write_branch(plan: ExportPlan, node: Node) -> str:
    """``a, b = await synalinks.Branch(..., branches=[...])(x)``: one variable per label,
    the output of the module that label feeds, in label order."""
    params = plan.params(node)
    targets = plan.branch_targets[node.id]
    branches = "".join(f"{INDENT * 3}{constructor(plan, t, 3)},\n" for t in targets)
    args = [
        ("question", py_str(params.question)),
        ("labels", py_value(list(params.labels), 2)),
        ("branches", f"[\n{branches}{INDENT * 2}]"),
    ]
    if not params.inject_decision:
        args.append(("inject_decision", "False"))
    if not params.return_decision:
        args.append(("return_decision", "False"))
    args += _common_tail(plan, node, params)
    source = plan.variables[plan.source_of(node).id]
    call_source = f"await {call('synalinks.Branch', args, 1)}({source})\n"
    names = [plan.variables[t.id] for t in targets]
    flat = f"{INDENT}{', '.join(names)}{',' if len(names) == 1 else ''} = "
    if fits(flat + "await synalinks.Branch("):
        return flat + call_source
    exploded = "".join(f"{INDENT * 2}{name},\n" for name in names)
    return f"{INDENT}(\n{exploded}{INDENT}) = {call_source}"


def write_merge(plan: ExportPlan, node: Node) -> str:
    """``m = await synalinks.Concat(name=...)([a, b, c])``: one module call, never
    chained operators (a chain adds a module per operator and renames them)."""
    sources = [plan.variables[s.id] for s in plan.merge_sources[node.id]]
    head = ""
    if len(plan.inputs) > 1 and _merges_an_input(plan, node):
        # Written whenever an Input is merged (not only when the order changed), so
        # the script is the same after a round trip.
        head = (
            f"{INDENT}# Module outputs first, Input values last: with several program inputs\n"
            f"{INDENT}# Synalinks 0.10 can fail with an IndexError otherwise (see the docstring).\n"
        )
    module = call(f"synalinks.{MERGE_CLASSES[node.type]}", [("name", py_str(node.name))], 1)
    flat = f"{INDENT})([{', '.join(sources)}])"
    if fits(flat):
        arguments = f"([{', '.join(sources)}])"
    else:
        items = "".join(f"{INDENT * 3}{s},\n" for s in sources)
        arguments = f"(\n{INDENT * 2}[\n{items}{INDENT * 2}]\n{INDENT})"
    return f"{head}{INDENT}{plan.variables[node.id]} = await {module}{arguments}\n"


def _merges_an_input(plan: ExportPlan, node: Node) -> bool:
    sources = plan.merge_sources[node.id]
    return len(sources) > 1 and any(s.type == "Input" for s in sources)


def write_catalogue_module(plan: ExportPlan, node: Node) -> str:
    """``x = await synalinks.<Class>(..., name=...)(source)`` for a module described
    by the catalogue: every parameter that differs from Synalinks' own default,
    in the constructor's order (so Synalinks' defaults apply to the rest)."""
    node_type = plan.flow.types[node.id]
    params = plan.params(node)
    args: list[tuple[str, str]] = []
    for spec in node_type.plans:
        if spec.kind == "resource" or spec.name not in type(params).model_fields:
            continue
        value = getattr(params, spec.name)
        if spec.kind == "model" and spec.name == "language_model":
            args.append((spec.name, plan.model_variable(node)))
            continue
        if value in (None, "", []) or value == spec.default:
            continue
        if spec.kind == "data_model":
            args.append((spec.name, plan.class_names[value]))
        elif spec.kind == "tools":
            tools = "".join(
                f"{INDENT * 3}synalinks.Tool({plan.tool_functions[t]}),\n" for t in value
            )
            args.append((spec.name, f"[\n{tools}{INDENT * 2}]"))
        elif spec.kind == "tool":
            args.append((spec.name, f"synalinks.Tool({plan.tool_functions[value]})"))
        elif spec.kind in ("knowledge_base", "embedding_model"):
            args.append((spec.name, plan.resource_variable(spec.kind, value)))
        elif spec.kind == "data_models":
            classes = "".join(f"{INDENT * 3}{plan.class_names[name]},\n" for name in value)
            args.append((spec.name, f"[\n{classes}{INDENT * 2}]"))
        elif spec.kind == "model":
            args.append((spec.name, call("synalinks.LanguageModel", [("model", py_str(value))], 2)))
        elif isinstance(value, str):
            args.append((spec.name, py_str(value)))
        else:
            args.append((spec.name, py_value(value, 2)))
    args.append(("name", py_str(node.name)))
    module = call(f"synalinks.{node_type.synalinks_class}", args, 1)
    target = plan.variables[node.id]
    if node_type.is_merge:
        sources = [plan.variables[s.id] for s in plan.merge_sources[node.id]]
        items = "".join(f"{INDENT * 3}{s},\n" for s in sources)
        return (
            f"{INDENT}{target} = await {module}(\n{INDENT * 2}[\n{items}{INDENT * 2}]\n{INDENT})\n"
        )
    source = plan.variables[plan.source_of(node).id]
    return f"{INDENT}{target} = await {module}({source})\n"


def write_subgraph(plan: ExportPlan, node: Node) -> str:
    """``use = await x_program(source)``: a subgraph's program called as a module
    (a list of sources for several Inputs); its value is a list, one per Output."""
    params = plan.params(node)
    sources = [plan.variables[plan.source_of(node, ref.id).id] for ref in params.inputs]
    program = plan.program_variables[params.definition]
    head = f"{INDENT}{plan.variables[node.id]} = await {program}("
    argument = sources[0] if len(sources) == 1 else f"[{', '.join(sources)}]"
    if fits(f"{head}{argument})"):
        return f"{head}{argument})\n"
    if len(sources) == 1:
        return f"{head}\n{INDENT * 2}{argument},\n{INDENT})\n"
    items = "".join(f"{INDENT * 3}{s},\n" for s in sources)
    return f"{head}\n{INDENT * 2}[\n{items}{INDENT * 2}]\n{INDENT})\n"


StatementWriter = Callable[[ExportPlan, Node], str]

STATEMENT_WRITERS: dict[str, StatementWriter] = {
    "Input": write_input,
    "Generator": write_module,
    "ChainOfThought": write_module,
    "Decision": write_module,
    "Branch": write_branch,
    "Concat": write_merge,
    "And": write_merge,
    "Or": write_merge,
    "Xor": write_merge,
    "Subgraph": write_subgraph,
}


def statement_writer(node_type) -> StatementWriter | None:
    """The writer for a node type: its own, or the catalogue's generic one."""
    writer = STATEMENT_WRITERS.get(node_type.type_name)
    if writer is None and getattr(node_type, "plans", None) is not None:
        return write_catalogue_module
    return writer
