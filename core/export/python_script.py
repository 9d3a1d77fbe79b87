"""The exported script: imports, data models, ``build_program()`` and ``main()``.

Layout follows the Synalinks lessons (the seed's ``parallel_branches``): one
``synalinks.DataModel`` class per data model, one ``await synalinks.<Module>(...)``
per node in the flow's topological order, a ``synalinks.Program`` with the
outputs in output order. The text is deterministic and already in
``ruff format`` style (calls exploded with a trailing comma; tested for node
names up to 40 characters, beyond which the formatter would wrap a few lines
differently), and no text of the graph ever reaches it except through
:func:`~core.export.literals.py_str`.
"""

from __future__ import annotations

from typing import Any

from core.export.data_models import definition_order, typing_imports, write_data_model
from core.export.literals import INDENT, call, fits, py_str, py_value
from core.export.modules import statement_writer
from core.export.naming import model_variable
from core.export.plan import ExportPlan, build_plan, is_offline
from core.export.subgraph_plan import subgraph_blocks
from core.export.variables import restore_statements
from core.model.data_models import FieldSpec
from core.model.graph import Graph, Node
from core.registry.registry import Registry

HEADER = '''"""A Synalinks program exported by Synalinks Canvas.

build_program() builds the program; main() runs it once on the example input and
prints its outputs. Run it with a real model, for instance:

    python this_file.py --model openai/gpt-4o-mini

API keys come from the environment or a .env file, never from this file.
"""
'''

PLACEHOLDERS: dict[str, Any] = {"str": "", "int": 0, "float": 0.0, "bool": False}


def export_python(graph: Graph, registry: Registry) -> str:
    """The complete script for ``graph``; raises :class:`~core.export.errors.ExportError`
    (a user-ready message) when the graph has errors or cannot be expressed."""
    supported = frozenset(t.type_name for t in registry if statement_writer(t) is not None)
    plan = build_plan(graph, registry, supported)
    parts = [HEADER, _imports(plan)]
    for spec in definition_order(graph.data_models.values()):
        parts.append("\n\n" + write_data_model(spec, plan.class_names[spec.name], plan.class_names))
    parts.append("\n\n" + _build_program(plan))
    parts.append("\n\n" + _show())
    parts.append("\n\n" + _main(plan))
    parts.append('\n\nif __name__ == "__main__":\n    asyncio.run(main())\n')
    return "".join(parts)


def _imports(plan: ExportPlan) -> str:
    typing = typing_imports(list(plan.graph.data_models.values()))
    tools = "".join(
        f"from {tool.module} import {tool.function}"
        + (
            f" as {plan.tool_functions[tool.name]}"
            if plan.tool_functions[tool.name] != tool.function
            else ""
        )
        + "\n"
        for tool in plan.used_tools
    )
    if tools:
        tools = (
            "\n# The graph's tools: async functions of your project (run this script where\n"
            "# these modules import, e.g. from the graph's folder).\n" + tools
        )
    return (
        "\nimport argparse\nimport asyncio\nimport json\n"
        f"{typing}\nimport synalinks\nfrom dotenv import load_dotenv\n{tools}"
    )


def _models(plan: ExportPlan) -> str:
    if not plan.models:
        return ""
    lines = [f"{INDENT}override = language_model\n"]
    if plan.uses_offline:
        lines.append(
            f"{INDENT}# Models named offline are Synalinks Canvas' built-in offline model, which\n"
            f"{INDENT}# runs inside the editor only: pass a real model (main's --model) instead.\n"
        )
    api_base = plan.graph.meta.api_base
    for index, model in enumerate(plan.models):
        args = [("model", py_str(model))]
        if api_base and not is_offline(model):
            args.append(("api_base", py_str(api_base)))
        lm = call("synalinks.LanguageModel", args, 1)
        lines.append(f"{INDENT}{model_variable(index)} = override or {lm}\n")
    return "".join(lines)


def _knowledge(plan: ExportPlan) -> str:
    """The graph's embedding models and knowledge bases that the modules use."""
    if not plan.embedding_models and not plan.knowledge_bases:
        return ""
    lines = []
    if plan.embedding_models:
        lines.append(f"{INDENT}embedding_override = embedding_model\n")
    if plan.uses_offline_embeddings:
        lines.append(
            f"{INDENT}# Embedding models named offline are Synalinks Canvas' deterministic offline\n"
            f"{INDENT}# embedder: pass a real one (main's --embedding-model) to run this script.\n"
        )
    for spec in plan.embedding_models:
        args = [("model", py_str(spec.model))]
        if spec.api_base:
            args.append(("api_base", py_str(spec.api_base)))
        args.append(("name", py_str(spec.name)))
        em = call("synalinks.EmbeddingModel", args, 1)
        variable = plan.resource_variable("embedding_model", spec.name)
        lines.append(f"{INDENT}{variable} = embedding_override or {em}\n")
    if plan.knowledge_bases:
        lines.append(
            f"{INDENT}# DuckDB files given relative to the graph are relative to the folder this\n"
            f"{INDENT}# program runs in: run it from the graph's folder.\n"
        )
    for spec in plan.knowledge_bases:
        args = [("uri", py_str(f"duckdb://{spec.path}"))]
        if spec.data_models:
            classes = "".join(f"{INDENT * 3}{plan.class_names[n]},\n" for n in spec.data_models)
            args.append(("data_models", f"[\n{classes}{INDENT * 2}]"))
        if spec.embedding_model:
            args.append(
                ("embedding_model", plan.resource_variable("embedding_model", spec.embedding_model))
            )
        if spec.metric != "cosine":
            args.append(("metric", py_str(spec.metric)))
        args.append(("name", py_str(spec.name)))
        kb = call("synalinks.KnowledgeBase", args, 1)
        lines.append(f"{INDENT}{plan.resource_variable('knowledge_base', spec.name)} = {kb}\n")
    return "".join(lines)


def _build_program(plan: ExportPlan) -> str:
    signature = "language_model=None"
    doc = [
        f'{INDENT}"""Build the program. A ``language_model`` given here is used by every\n',
        f"{INDENT}module; None keeps the models chosen in the graph.\n",
    ]
    if plan.embedding_models:
        signature += ", embedding_model=None"
        doc.append(
            f"{INDENT}An ``embedding_model`` given here likewise replaces every embedding model.\n"
        )
    body = [
        f"async def build_program({signature}):\n",
        *doc,
        *_merge_note(plan),
        f'{INDENT}"""\n',
        _models(plan),
        _knowledge(plan),
        subgraph_blocks(plan),
    ]
    for node in plan.statements:
        body.append(statement_writer(plan.flow.types[node.id])(plan, node))
    restore = restore_statements(plan.graph)
    if restore:
        body.append(f"{INDENT}program = {_program_call(plan)}\n{restore}{INDENT}return program\n")
    else:
        body.append(f"{INDENT}return {_program_call(plan)}\n")
    return "".join(body)


def _merge_note(plan: ExportPlan) -> list[str]:
    """Why merges list Input values last (only in scripts where that happens)."""
    if len(plan.inputs) < 2 or not any(
        len(sources) > 1 and any(s.type == "Input" for s in sources)
        for sources in plan.merge_sources.values()
    ):
        return []
    return [
        "\n",
        f"{INDENT}Merges list module outputs before Input values. Synalinks 0.10 runs a program\n",
        f"{INDENT}depth by depth and pairs each depth's results with its modules by position,\n",
        f"{INDENT}counting the Input nodes it skips: with several program inputs, an Input at\n",
        f"{INDENT}the same depth before a module shifts that pairing and the run fails with\n",
        f"{INDENT}IndexError: list index out of range (synalinks/src/ops/function.py).\n",
    ]


def _output_source(plan: ExportPlan, output: Node) -> Node:
    return plan.source_of(output)


def _program_call(plan: ExportPlan) -> str:
    inputs = [plan.variables[n.id] for n in plan.inputs]
    outputs = [plan.variables[_output_source(plan, o).id] for o in plan.outputs]
    meta = plan.graph.meta
    args = [
        ("inputs", inputs[0] if len(inputs) == 1 else _name_list(inputs, 2)),
        ("outputs", _name_list(outputs, 2)),
        ("name", py_str(program_name(meta.name))),
    ]
    if meta.description:
        args.append(("description", py_str(meta.description)))
    return call("synalinks.Program", args, 1)


def program_name(name: str) -> str:
    """Synalinks refuses names with ``/``; an empty name becomes ``program``."""
    return name.replace("/", "_") or "program"


def _name_list(names: list[str], indent: int) -> str:
    items = "".join(f"{INDENT * (indent + 1)}{n},\n" for n in names)
    return f"[\n{items}{INDENT * indent}]"


def _show() -> str:
    return (
        "def show(label, result):\n"
        f'{INDENT}"""Print one output (None when its branch was not taken or the model failed)."""\n'
        f'{INDENT}print(f"{{label}}:")\n'
        f"{INDENT}print(json.dumps(None if result is None else result.get_json(), indent=2))\n"
    )


def _main(plan: ExportPlan) -> str:
    required = plan.uses_offline
    help_text = (
        "required: a litellm model for every module, e.g. openai/gpt-4o-mini"
        if required
        else "a litellm model for every module (default: the graph's models)"
    )
    model_args = [("help", py_str(help_text))]
    if required:
        model_args.insert(0, ("required", "True"))
    lines = [
        "async def main():\n",
        f"{INDENT}parser = argparse.ArgumentParser(\n",
        f'{INDENT * 2}description="Run the program on its example input and print its outputs.",\n',
        f"{INDENT})\n",
        f"{INDENT}parser.add_argument(\n",
        f'{INDENT * 2}"--model",\n',
        *(f"{INDENT * 2}{k}={v},\n" for k, v in model_args),
        f"{INDENT})\n",
        f"{INDENT}parser.add_argument(\n",
        f'{INDENT * 2}"--api-base",\n',
        f'{INDENT * 2}help="server URL for --model (an OpenAI-compatible or Ollama server)",\n',
        f"{INDENT})\n",
        *_embedding_argument(plan),
        f"{INDENT}args = parser.parse_args()\n",
        f"{INDENT}load_dotenv()\n",
        f"{INDENT}language_model = None\n",
        f"{INDENT}if args.model:\n",
        f"{INDENT * 2}language_model = synalinks.LanguageModel(\n",
        f"{INDENT * 3}model=args.model,\n",
        f"{INDENT * 3}api_base=args.api_base,\n",
        f"{INDENT * 2})\n",
        *_embedding_choice(plan),
    ]
    lines.append(_run_call(plan))
    sources = [_output_source(plan, o) for o in plan.outputs]
    for index, source in enumerate(sources):
        value = "result" if len(sources) == 1 else f"results[{index}]"
        line = f"{INDENT}show({py_str(source.name)}, {value})\n"
        if not fits(line.rstrip("\n")):
            line = f"{INDENT}{call('show', [], 1)[:-2]}(\n{INDENT * 2}{py_str(source.name)},\n{INDENT * 2}{value},\n{INDENT})\n"
        lines.append(line)
    return "".join(lines)


def _embedding_argument(plan: ExportPlan) -> list[str]:
    """``--embedding-model`` (required when the graph embeds with the offline model)."""
    if not plan.embedding_models:
        return []
    required = plan.uses_offline_embeddings
    help_text = (
        "required: a litellm embedding model, e.g. openai/text-embedding-3-small"
        if required
        else "a litellm embedding model for every knowledge base (default: the graph's)"
    )
    return [
        f"{INDENT}parser.add_argument(\n",
        f'{INDENT * 2}"--embedding-model",\n',
        *([f"{INDENT * 2}required=True,\n"] if required else []),
        f"{INDENT * 2}help={py_str(help_text)},\n",
        f"{INDENT})\n",
    ]


def _embedding_choice(plan: ExportPlan) -> list[str]:
    if not plan.embedding_models:
        return [f"{INDENT}program = await build_program(language_model)\n"]
    return [
        f"{INDENT}embedding_model = None\n",
        f"{INDENT}if args.embedding_model:\n",
        f"{INDENT * 2}embedding_model = synalinks.EmbeddingModel(\n",
        f"{INDENT * 3}model=args.embedding_model,\n",
        f"{INDENT * 3}api_base=args.api_base,\n",
        f"{INDENT * 2})\n",
        f"{INDENT}program = await build_program(language_model, embedding_model)\n",
    ]


def _run_call(plan: ExportPlan) -> str:
    """``result = await program(Query(...))`` (a list of inputs with several Inputs)."""
    target = "result" if len(plan.outputs) == 1 else "results"
    example = plan.graph.meta.example_input
    if len(plan.inputs) == 1:
        value = _example_instance(plan, plan.inputs[0], example, 2)
        return f"{INDENT}{target} = await program(\n{INDENT * 2}{value},\n{INDENT})\n"
    items = "".join(
        f"{INDENT * 3}{_example_instance(plan, n, _as_dict(example.get(n.name)), 3)},\n"
        for n in plan.inputs
    )
    return f"{INDENT}{target} = await program(\n{INDENT * 2}[\n{items}{INDENT * 2}],\n{INDENT})\n"


def _as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _example_instance(plan: ExportPlan, node: Node, example: dict[str, Any], indent: int) -> str:
    """``Query(query=...)`` from the example input: its values for the data model's
    fields, a placeholder for each required field it lacks."""
    spec = plan.graph.data_models[plan.params(node).data_model]
    args = []
    for f in spec.fields:
        if f.name in example:
            args.append((f.name, py_value(example[f.name], indent + 1)))
        elif f.required and f.default is None:
            args.append((f.name, py_value(_placeholder(f, plan.graph), indent + 1)))
    return call(plan.class_names[spec.name], args, indent)


def _placeholder(spec: FieldSpec, graph: Graph, depth: int = 0) -> Any:
    if spec.is_list:
        return []
    if spec.type == "enum":
        return spec.choices[0]
    if spec.type == "model":
        nested = graph.data_models.get(spec.data_model)
        if nested is None or depth > 20:
            return {}
        return {
            f.name: _placeholder(f, graph, depth + 1)
            for f in nested.fields
            if f.required and f.default is None
        }
    return PLACEHOLDERS[spec.type]
