"""The exported script: deterministic, formatted, lint-clean, and shaped like the lessons."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from core.export import ExportError, export_python
from core.model.data_models import DataModelSpec, FieldSpec
from core.model.graph import Edge, GraphMeta, Node
from core.registry import default_registry
from tests.core.export import cases

RUFF = Path(sys.executable).parent / "ruff"


@pytest.fixture(scope="module")
def scripts(tmp_path_factory) -> dict[str, Path]:
    """Saved examples, generated graphs and hostile graphs, exported to files."""
    registry = default_registry()
    folder = tmp_path_factory.mktemp("exported")
    graphs = {name: cases.saved_graph(name, registry) for name in cases.SAVED}
    for seed in range(12):
        graphs[f"generated_{seed}"] = cases.generated_graph(seed)
    graphs["hostile"] = cases.hostile_graph(folder / "sentinel.txt")
    graphs["two_inputs"] = cases.two_input_graph()
    paths = {}
    for name, graph in graphs.items():
        path = folder / f"{name}.py"
        path.write_text(export_python(graph, registry), encoding="utf-8")
        paths[name] = path
    return paths


def ruff(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(RUFF), *args], capture_output=True, text=True)


def test_every_export_passes_ruff_check(scripts):
    result = ruff(
        "check",
        "--isolated",
        "--select",
        "E,F,W,I,B,UP",
        "--ignore",
        "E501",
        *map(str, scripts.values()),
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_export_is_already_ruff_formatted(scripts):
    result = ruff("format", "--isolated", "--check", "--diff", *map(str, scripts.values()))
    assert result.returncode == 0, result.stdout + result.stderr


def test_long_annotations_are_split_as_the_formatter_splits_them(tmp_path):
    """Long enums and long field names: every shape of annotation, with and without
    a description, stays as ruff format would write it."""
    from core.export.data_models import write_data_model

    choices = ("a" * 30, "b" * 30, "c" * 25)
    fields = []
    for required in (True, False):
        for is_list in (False, True):
            for description in ("", "described"):
                tag = f"{int(required)}{int(is_list)}{len(description)}"
                fields.append(
                    FieldSpec(
                        name=f"e_{tag}",
                        type="enum",
                        choices=choices,
                        is_list=is_list,
                        required=required,
                        description=description,
                    )
                )
                fields.append(
                    FieldSpec(
                        name="f" * 75 + tag,
                        type="int",
                        is_list=is_list,
                        required=required,
                        description=description,
                    )
                )
    spec = DataModelSpec(name="Long", fields=tuple(fields))
    path = tmp_path / "long.py"
    path.write_text(
        "from typing import Literal\n\nimport synalinks\n\n\n" + write_data_model(spec, "Long")
    )
    result = ruff("format", "--isolated", "--check", "--diff", str(path))
    assert result.returncode == 0, result.stdout


def test_every_export_compiles(scripts):
    for path in scripts.values():
        compile(path.read_text(encoding="utf-8"), str(path), "exec")


def test_export_is_deterministic(registry):
    for name in cases.SAVED:
        first = export_python(cases.saved_graph(name, registry), registry)
        second = export_python(cases.saved_graph(name, registry), registry)
        assert first == second
    assert export_python(cases.generated_graph(5), registry) == export_python(
        cases.generated_graph(5), registry
    )


def test_script_follows_the_lesson_layout(registry):
    text = export_python(cases.saved_graph("parallel_branches", registry), registry)
    tree = ast.parse(text)
    top = [type(s).__name__ + ":" + getattr(s, "name", "") for s in tree.body]
    assert top[-5:] == [
        "ClassDef:AnswerWithThinking",
        "AsyncFunctionDef:build_program",
        "FunctionDef:show",
        "AsyncFunctionDef:main",
        "If:",
    ]
    assert "load_dotenv()" in text and "from dotenv import load_dotenv" in text
    assert '    query: str = synalinks.Field(\n        description="The user query",\n    )' in text
    assert 'class Query(synalinks.DataModel):\n    """The input query to analyze."""' in text
    assert (
        "    branch_1 = await synalinks.Generator(\n"
        "        data_model=AnswerWithThinking,\n"
        "        language_model=language_model,\n"
        '        name="branch_1",\n'
        "    )(inputs)\n"
    ) in text
    assert (
        "    return synalinks.Program(\n"
        "        inputs=inputs,\n"
        "        outputs=[\n"
        "            branch_1,\n"
        "            branch_2,\n"
        "        ],\n"
        '        name="parallel_branches",\n'
        '        description="Demonstrates parallel execution of modules",\n'
        "    )\n"
    ) in text
    assert 'query="What is the meaning of life?"' in text


def test_merges_are_module_calls_not_operators(registry):
    text = export_python(cases.saved_graph("fork_merge", registry), registry)
    assert (
        '    merge = await synalinks.Concat(\n        name="merge",\n    )'
        "([research, find_quotes, check_similar])\n"
    ) in text
    build = text[text.index("async def build_program") : text.index("def show")]
    assert not any(op in build for op in (" | ", " & ", " ^ ", " + "))


def test_branch_lists_its_modules_and_unpacks_in_label_order(registry):
    text = export_python(cases.saved_graph("conditional_branches", registry), registry)
    assert "    quick_answer, careful_answer = await synalinks.Branch(\n" in text
    branch = text[
        text.index("synalinks.Branch(") : text.index(")(inputs)", text.index("synalinks.Branch("))
    ]
    assert branch.index('name="quick_answer"') < branch.index('name="careful_answer"')
    assert '        labels=[\n            "easy",\n            "difficult",\n        ],\n' in branch
    assert "inject_decision" not in branch  # defaults (True) are not written


def test_two_inputs_merge_lists_the_input_last(registry):
    text = export_python(cases.two_input_graph(), registry)
    assert ")([draft, background])" in text
    assert "IndexError" in text
    assert "inputs=[\n            question,\n            background,\n        ]," in text


def test_single_input_merges_keep_the_graph_order(registry):
    """With one Input no module shares its depth: the graph's order is kept (it
    decides the merged field order, and Or/Xor's schema)."""
    graph = cases.two_input_graph()
    for edge_id in ("e1", "e2", "e3"):
        graph.remove_edge(edge_id)
    graph.remove_node("c")
    graph.add_edge(Edge("e1", "q", "output", "m", "inputs"))
    graph.add_edge(Edge("e2", "g", "output", "m", "inputs"))
    graph.add_edge(Edge("e3", "m", "output", "o", "inputs"))
    graph.set_meta(example_input={"query": "Why?"})
    text = export_python(graph, registry)
    assert ")([question, draft])" in text
    assert "IndexError" not in text


def test_names_that_clash_with_the_script_are_renamed(registry, tmp_path):
    text = export_python(cases.hostile_graph(tmp_path / "s"), registry)
    assert "synalinks_ = synalinks.Input(" in text
    assert 'name="synalinks",' in text
    assert "language_model_ = await synalinks.ChainOfThought(" in text
    assert "class main_(synalinks.DataModel):" in text
    assert '    model_config = {"title": "main"}' in text
    assert "class Literal_(synalinks.DataModel):" in text
    assert "class str_(synalinks.DataModel):" in text
    # the node named Literal_ must not shadow the renamed class
    assert "Literal__," in text or "Literal__ =" in text


def test_offline_models_make_model_required_and_are_explained(registry):
    text = export_python(cases.saved_graph("chain_of_thought", registry), registry)
    assert "required=True" in text
    assert "offline model" in text
    assert (
        'language_model = override or synalinks.LanguageModel(\n        model="offline",\n    )'
        in text
    )


def test_real_models_keep_the_graph_models_by_default(registry):
    graph = cases.saved_graph("chain_of_thought", registry)
    graph.set_meta(default_model="openai/gpt-4o-mini", api_base="http://127.0.0.1:8000/v1")
    text = export_python(graph, registry)
    assert "required=True" not in text
    assert "default: the graph's models" in text
    assert 'model="openai/gpt-4o-mini",\n        api_base="http://127.0.0.1:8000/v1",' in text


def test_each_distinct_model_gets_one_variable(registry):
    graph = cases.saved_graph("parallel_branches", registry)
    graph.set_params(graph.node_by_name("branch_2").id, {"language_model": "ollama/llama3"})
    text = export_python(graph, registry)
    assert "language_model_2 = override or synalinks.LanguageModel(" in text
    assert 'model="ollama/llama3"' in text
    assert "language_model=language_model_2," in text


def test_invalid_graphs_are_refused_with_their_problems(registry):
    graph = cases.saved_graph("fork_merge", registry)
    graph.remove_edge(next(iter(graph.edges)))
    with pytest.raises(ExportError) as raised:
        export_python(graph, registry)
    assert "problem(s) to fix before it can be exported" in str(raised.value)
    assert "research: connect something to its 'inputs' input" in str(raised.value)


def test_api_keys_never_enter_an_export(registry):
    graph = cases.saved_graph("chain_of_thought", registry)
    graph.set_params(
        graph.node_by_name("solve").id,
        {"instructions": "use sk-proj-abcdefghijklmnopqrstuvwxyz123456"},
    )
    with pytest.raises(ExportError, match="looks like an OpenAI-style API key"):
        export_python(graph, registry)


def test_fields_pydantic_would_hide_are_refused(registry):
    graph = cases.saved_graph("chain_of_thought", registry)
    spec = graph.data_models["Solution"]
    graph.set_data_model(
        spec.model_copy(update={"fields": (*spec.fields, FieldSpec(name="_secret"))})
    )
    with pytest.raises(ExportError, match="starts with an underscore"):
        export_python(graph, registry)
    graph.set_data_model(spec.model_copy(update={"fields": (*spec.fields, FieldSpec(name="str"))}))
    with pytest.raises(ExportError, match="would hide the Python name str"):
        export_python(graph, registry)


def test_example_input_fills_missing_required_fields(registry):
    graph = cases.saved_graph("chain_of_thought", registry)
    graph.set_data_model(
        DataModelSpec(
            name="MathProblem",
            fields=(
                FieldSpec(name="problem"),
                FieldSpec(name="level", type="enum", choices=("easy", "hard")),
                FieldSpec(name="hints", is_list=True),
                FieldSpec(name="note", required=False),
            ),
        )
    )
    graph.set_meta(example_input={"problem": "2 + 2?", "unknown": "dropped"})
    text = export_python(graph, registry)
    call = text[text.index("await program(") :]
    assert 'problem="2 + 2?",\n            level="easy",\n            hints=[],\n        ),' in call
    assert "note=" not in call and "unknown" not in call


def test_graph_without_models_exports_without_language_models(registry):
    graph = cases.two_input_graph()
    for edge_id in ("e0", "e2"):
        graph.remove_edge(edge_id)
    graph.remove_node("g")
    graph.add_edge(Edge("e5", "q", "output", "m", "inputs"))
    text = export_python(graph, registry)
    assert "LanguageModel(\n" not in text.split("async def main")[0]
    assert "override" not in text


def test_unknown_graph_meta_name_becomes_a_program_name(registry):
    graph = cases.saved_graph("chain_of_thought", registry)
    graph.meta = GraphMeta(**{**graph.meta.model_dump(), "name": "a/b"})
    assert 'name="a_b",' in export_python(graph, registry)
    graph.meta = GraphMeta(**{**graph.meta.model_dump(), "name": ""})
    assert 'name="program",' in export_python(graph, registry)


def test_branch_feeding_a_branch_is_refused(registry):
    graph = cases.saved_graph("conditional_branches", registry)
    careful = graph.node_by_name("careful_answer")
    for edge in graph.edges_of([careful.id]):
        graph.remove_edge(edge.id)
    graph.remove_node(careful.id)
    inner = Node(
        "inner",
        "Branch",
        "inner",
        {"question": "Which?", "labels": ["x", "y"], "language_model": "", "instructions": ""},
    )
    graph.add_node(inner)
    graph.add_edge(Edge("to_inner", graph.node_by_name("route").id, "branch_1", "inner", "inputs"))
    for index, name in enumerate(("gx", "gy")):
        graph.add_node(Node(name, "Generator", name, {"data_model": "Answer"}))
        graph.add_edge(Edge(f"to_{name}", "inner", f"branch_{index}", name, "inputs"))
        graph.add_edge(
            Edge(f"from_{name}", name, "output", graph.node_by_name("answer").id, "inputs")
        )
    with pytest.raises(ExportError, match="feeds another Branch"):
        export_python(graph, registry)
