"""The shipped graphs load and validate clean; parallel_branches is exactly the lesson."""

from __future__ import annotations

import pytest

from core.files import load_graph
from core.nodes.program_io import program_inputs, program_outputs
from core.schemas.flow import analyse
from core.validation import validate
from tests.core.builders import ANSWER_WITH_THINKING, QUERY

SHIPPED = ["parallel_branches", "fork_merge", "conditional_branches", "chain_of_thought"]


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_graph_validates_with_no_diagnostics_at_all(name, repo_root, registry):
    graph = load_graph(repo_root / "saved_graphs" / f"{name}.json", registry)
    assert validate(graph, registry) == []
    assert graph.meta.name == name
    assert graph.meta.example_input, "a shipped graph runs from an example input"


def test_every_file_in_saved_graphs_validates_clean(repo_root, registry):
    for path in sorted((repo_root / "saved_graphs").glob("*.json")):
        assert validate(load_graph(path, registry), registry) == [], path.name


def test_parallel_branches_is_exactly_the_seed_program(repo_root, registry):
    graph = load_graph(repo_root / "saved_graphs" / "parallel_branches.json", registry)
    # Data models: same names, fields, types and descriptions as the lesson.
    assert list(graph.data_models) == ["Query", "AnswerWithThinking"]
    assert graph.data_models["Query"] == QUERY
    assert graph.data_models["AnswerWithThinking"] == ANSWER_WITH_THINKING
    assert graph.meta.example_input == {"query": "What is the meaning of life?"}
    assert graph.meta.description == "Demonstrates parallel execution of modules"

    # Nodes: one Input of Query, two Generators of AnswerWithThinking, two Outputs.
    by_name = {n.name: n for n in graph.nodes.values()}
    assert sorted(by_name) == ["branch_1", "branch_2", "inputs", "output_1", "output_2"]
    (inputs,) = program_inputs(graph)
    assert inputs.name == "inputs" and inputs.params["data_model"] == "Query"
    for name in ("branch_1", "branch_2"):
        node = by_name[name]
        assert node.type == "Generator"
        assert node.params["data_model"] == "AnswerWithThinking"
        assert node.params["instructions"] == "" and node.params["language_model"] == ""
    # Wiring: inputs -> each branch -> its own output, outputs in branch order.
    edges = {(graph.nodes[e.source].name, graph.nodes[e.target].name) for e in graph.edges.values()}
    assert edges == {
        ("inputs", "branch_1"),
        ("inputs", "branch_2"),
        ("branch_1", "output_1"),
        ("branch_2", "output_2"),
    }
    assert [n.name for n in program_outputs(graph)] == ["output_1", "output_2"]
    # Both branches produce AnswerWithThinking, in the lesson's field order.
    flow = analyse(graph, registry)
    for name in ("branch_1", "branch_2"):
        schema = flow.schemas[(by_name[name].id, "output")]
        assert list(schema["properties"]) == ["thinking", "answer"]


def test_fork_merge_concat_of_three_branches(repo_root, registry):
    graph = load_graph(repo_root / "saved_graphs" / "fork_merge.json", registry)
    (merge,) = graph.nodes_of_type("Concat")
    assert [graph.nodes[e.source].type for e in graph.incoming(merge.id)] == ["Generator"] * 3


def test_conditional_branches_has_decision_branch_and_or(repo_root, registry):
    graph = load_graph(repo_root / "saved_graphs" / "conditional_branches.json", registry)
    types = {n.type for n in graph.nodes.values()}
    assert {"Decision", "Branch", "Or"} <= types


def test_chain_of_thought_output_leads_with_thinking(repo_root, registry):
    graph = load_graph(repo_root / "saved_graphs" / "chain_of_thought.json", registry)
    (cot,) = graph.nodes_of_type("ChainOfThought")
    schema = analyse(graph, registry).schemas[(cot.id, "output")]
    assert next(iter(schema["properties"])) == "thinking"
