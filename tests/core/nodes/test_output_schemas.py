"""What each node type outputs, as schema flow derives it (Synalinks 0.10 shapes)."""

from __future__ import annotations

import pytest

from core.nodes.language import THINKING_SCHEMA, decision_schema
from core.schemas.flow import analyse
from tests.core.builders import ANSWER, ANSWER_WITH_THINKING, QUERY, GraphBuilder


def _out(b: GraphBuilder, name: str, port: str = "output"):
    flow = analyse(b.graph, b.registry)
    return flow.schemas[(b.id(name), port)]


def _props(schema) -> list[str]:
    return list(schema["properties"])


@pytest.fixture
def b(registry):
    builder = GraphBuilder(registry)
    builder.add("Input", "inputs", data_model="Query")
    return builder


def test_input_outputs_its_data_model(b):
    assert _out(b, "inputs") == QUERY.json_schema()


def test_generator_outputs_its_data_model_whatever_it_receives(b):
    b.add("Generator", "gen", data_model="AnswerWithThinking")
    b.connect("inputs", "gen")
    assert _out(b, "gen") == ANSWER_WITH_THINKING.json_schema()


def test_chain_of_thought_leads_with_thinking(b):
    b.add("ChainOfThought", "cot", data_model="Answer")
    b.connect("inputs", "cot")
    schema = _out(b, "cot")
    assert _props(schema) == ["thinking", "answer"]
    assert schema["properties"]["thinking"] == THINKING_SCHEMA["properties"]["thinking"]
    assert schema["required"] == ["thinking", "answer"]
    assert schema["title"] == "Thinking"  # Synalinks keeps the first side's title


def test_chain_of_thought_on_a_model_with_its_own_thinking_gets_a_suffix(b):
    b.add("ChainOfThought", "cot", data_model="AnswerWithThinking")
    b.connect("inputs", "cot")
    schema = _out(b, "cot")
    assert _props(schema) == ["thinking", "thinking_1", "answer"]
    assert schema["properties"]["thinking_1"]["title"] == "Thinking 1"
    assert schema["properties"]["thinking_1"]["description"] == "Your step by step thinking"


def test_decision_outputs_thinking_and_choice_among_its_labels(b):
    b.add("Decision", "decide", question="Which?", labels=["easy", "hard", "other"])
    b.connect("inputs", "decide")
    schema = _out(b, "decide")
    assert schema == decision_schema(["easy", "hard", "other"])
    assert _props(schema) == ["thinking", "choice"]
    assert schema["properties"]["choice"] == {
        "enum": ["easy", "hard", "other"],
        "title": "Choice",
        "type": "string",
    }
    assert schema["required"] == ["thinking", "choice"] and schema["title"] == "DecisionAnswer"


def _branch(b, *, inject=True, ret=True, targets=("Generator", "ChainOfThought")):
    b.add(
        "Branch",
        "route",
        question="Which?",
        labels=["easy", "hard"],
        inject_decision=inject,
        return_decision=ret,
    )
    b.connect("inputs", "route")
    for index, type_name in enumerate(targets):
        params = (
            {"question": "Again?", "labels": ["x", "y"]}
            if type_name == "Decision"
            else {"data_model": "Answer"}
        )
        b.add(type_name, f"on_{index}", **params)
        b.connect("route", f"on_{index}", source_port=f"branch_{index}")


def test_branch_has_one_port_per_label_carrying_input_and_decision(b):
    _branch(b)
    flow = analyse(b.graph, b.registry)
    ports = flow.output_ports(b.id("route"))
    assert [(p.name, p.label, p.role) for p in ports] == [
        ("branch_0", "easy", "branch"),
        ("branch_1", "hard", "branch"),
    ]
    for port in ("branch_0", "branch_1"):
        carried = flow.schemas[(b.id("route"), port)]
        assert _props(carried) == ["query", "thinking", "choice"]
        assert carried["properties"]["choice"]["enum"] == ["easy", "hard"]
        assert carried["title"] == "Query"


def test_branch_without_inject_decision_passes_its_input_unchanged(b):
    _branch(b, inject=False)
    assert _out(b, "route", "branch_0") == QUERY.json_schema()


def test_return_decision_puts_the_decision_in_front_of_the_fed_module(b):
    _branch(b)
    assert _props(_out(b, "on_0")) == ["thinking", "choice", "answer"]
    assert _props(_out(b, "on_1")) == ["thinking", "choice", "thinking_1", "answer"]
    assert _out(b, "on_0")["title"] == "DecisionAnswer"


def test_without_return_decision_the_fed_module_outputs_its_own_answer(b):
    _branch(b, ret=False)
    assert _out(b, "on_0") == ANSWER.json_schema()
    assert _props(_out(b, "on_1")) == ["thinking", "answer"]


def test_decision_fed_by_a_branch_gets_the_prefix_too(b):
    _branch(b, targets=("Decision", "Generator"))
    assert _props(_out(b, "on_0")) == ["thinking", "choice", "thinking_1", "choice_1"]


def _three_into(b, merge: str):
    b.add("Generator", "a", data_model="Answer")
    b.add("ChainOfThought", "c", data_model="AnswerWithThinking")
    b.add("Generator", "g", data_model="AnswerWithThinking")
    b.add(merge, "merged")
    for name in ("a", "c", "g"):
        b.connect("inputs", name)
        b.connect(name, "merged")


@pytest.mark.parametrize("merge", ["Concat", "And"])
def test_concat_and_and_join_fields_with_numbered_suffixes(b, merge):
    _three_into(b, merge)
    schema = _out(b, "merged")
    assert _props(schema) == [
        "answer",
        "thinking",
        "thinking_1",
        "answer_1",
        "thinking_2",
        "answer_2",
    ]
    assert schema["properties"]["answer_2"]["title"] == "Answer 2"
    assert schema["required"] == _props(schema)
    assert schema["title"] == "Answer"


@pytest.mark.parametrize("merge", ["Or", "Xor"])
def test_or_and_xor_take_the_first_inputs_schema(b, merge):
    _three_into(b, merge)
    assert _out(b, "merged") == ANSWER.json_schema()


def test_merge_input_order_decides_the_result(b):
    _three_into(b, "Concat")
    merged = b.id("merged")
    edges = [e.id for e in b.graph.incoming(merged)]
    b.graph.reorder_edges([edges[2], edges[0], edges[1]])  # g, a, c
    # c's own "thinking_1" clashes with the renamed "thinking" before it: Synalinks
    # suffixes the clashing key itself, giving "thinking_1_1".
    assert _props(_out(b, "merged")) == [
        "thinking",
        "answer",
        "answer_1",
        "thinking_1",
        "thinking_1_1",
        "answer_2",
    ]


def test_output_has_no_output_ports(b):
    b.add("Output", "out")
    b.connect("inputs", "out")
    flow = analyse(b.graph, b.registry)
    assert flow.output_ports(b.id("out")) == ()
    assert [p.name for p in flow.input_ports(b.id("out"))] == ["inputs"]
    assert not [key for key in flow.schemas if key[0] == b.id("out")]


def test_unknown_data_models_and_their_consumers_have_no_schema(b):
    b.add("Generator", "gen", data_model="Nope")
    b.add("Concat", "merged")
    b.connect("inputs", "gen")
    b.connect("gen", "merged")
    b.connect("inputs", "merged")
    flow = analyse(b.graph, b.registry)
    assert flow.schemas[(b.id("gen"), "output")] is None
    assert flow.schemas[(b.id("merged"), "output")] is None


def test_nodes_with_invalid_params_have_no_ports_and_block_nothing_else(b):
    b.add("Generator", "bad", data_model="Answer", temperature=99)
    b.add("Generator", "good", data_model="Answer")
    b.connect("inputs", "bad")
    b.connect("inputs", "good")
    flow = analyse(b.graph, b.registry)
    assert flow.input_ports(b.id("bad")) == () and flow.output_ports(b.id("bad")) == ()
    assert flow.schemas[(b.id("good"), "output")] == ANSWER.json_schema()
    assert "temperature" in str(flow.param_errors[b.id("bad")])
