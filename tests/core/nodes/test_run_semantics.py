"""How each node runs on values: the merge table, None in gives None out, Branch routing."""

from __future__ import annotations

import asyncio
import itertools
from typing import Any

import pytest

from core.model import Node
from core.nodes.merges import MergeRunError
from core.nodes.program_io import RESULT_KEY
from core.registry import GenerationRequest
from tests.core.builders import ANSWER

X, Y, Z = {"answer": "x"}, {"answer": "y"}, {"answer": "z"}


def _run(registry, type_name: str, inputs: dict, ctx: Any = None, name: str = "node", **params):
    node_type = registry.get(type_name)
    node = Node("id1", type_name, name, {**node_type.default_params(), **params})
    return asyncio.run(node_type.run(node, node_type.parse_params(node), inputs, ctx))


def _merge(registry, merge: str, values: list) -> Any:
    return _run(registry, merge, {"inputs": values}, name="merged")["output"]


# Synalinks 0.10.14's results, written out (the synalinks-marked test checks
# the same table against the library itself).
TABLE = {
    "Concat": {
        (1, 1): {"answer": "x", "answer_1": "y"},
        (1, 1, 1): {"answer": "x", "answer_1": "y", "answer_2": "z"},
    },
    "And": {
        (1, 1): {"answer": "x", "answer_1": "y"},
        (1, 1, 1): {"answer": "x", "answer_1": "y", "answer_2": "z"},
    },
    "Or": {
        (1, 1): {"answer": "x", "answer_1": "y"},
        (1, 0): X,
        (0, 1): Y,
        (1, 1, 1): {"answer": "x", "answer_1": "y", "answer_2": "z"},
        (1, 1, 0): {"answer": "x", "answer_1": "y"},
        (1, 0, 1): {"answer": "x", "answer_1": "z"},
        (0, 1, 1): {"answer": "y", "answer_1": "z"},
        (1, 0, 0): X,
        (0, 1, 0): Y,
        (0, 0, 1): Z,
    },
    "Xor": {(1, 0): X, (0, 1): Y, (1, 0, 0): X, (0, 1, 0): Y, (0, 0, 1): Z},
}


def _patterns():
    for merge in ("Concat", "And", "Or", "Xor"):
        for n in (2, 3):
            for mask in itertools.product((1, 0), repeat=n):
                yield merge, mask


@pytest.mark.parametrize(("merge", "mask"), list(_patterns()))
def test_merge_table(registry, merge, mask):
    values = [v if present else None for v, present in zip((X, Y, Z), mask, strict=False)]
    if merge == "Concat" and not all(mask):
        with pytest.raises(MergeRunError) as info:
            _merge(registry, merge, values)
        first_none = mask.index(0) + 1
        assert str(info.value).startswith(f"merged: input {first_none} is None")
        assert "use Or" in str(info.value)
        return
    assert _merge(registry, merge, values) == TABLE[merge].get(mask)


def test_merges_do_not_alias_their_inputs(registry):
    nested = {"answer": {"deep": [1]}}
    result = _merge(registry, "Concat", [nested, Y])
    result["answer"]["deep"].append(2)
    assert nested == {"answer": {"deep": [1]}}


class FakeContext:
    """A RunContext that records model calls and answers from a script."""

    def __init__(
        self, answers: dict[str, dict], decision: dict | None = None, schemas: dict | None = None
    ):
        self.answers = answers
        self.requests: list[GenerationRequest] = []
        self._decision = decision
        self._schemas = schemas or {"Answer": ANSWER.json_schema()}

    async def generate(self, request: GenerationRequest) -> dict[str, Any]:
        self.requests.append(request)
        return dict(self.answers[request.node_name])

    def branch_decision(self, node_id: str) -> dict | None:
        return self._decision

    def data_model_schema(self, name: str):
        return self._schemas.get(name)

    def branch_decision_schema(self, node_id: str):
        return None


@pytest.mark.parametrize("type_name", ["Generator", "ChainOfThought", "Decision", "Branch"])
def test_none_in_gives_none_out_without_a_model_call(registry, type_name):
    ctx = FakeContext({})
    params = (
        {"labels": ["a", "b"], "question": "Q?"}
        if type_name in ("Decision", "Branch")
        else {"data_model": "Answer"}
    )
    outputs = _run(registry, type_name, {"inputs": [None]}, ctx, **params)
    assert all(value is None for value in outputs.values())
    assert ctx.requests == []


def test_generator_asks_for_its_data_model(registry):
    ctx = FakeContext({"gen": {"answer": "42"}})
    out = _run(
        registry,
        "Generator",
        {"inputs": [{"query": "q"}]},
        ctx,
        name="gen",
        data_model="Answer",
        instructions="Be brief.",
        temperature=0.3,
        language_model="offline/x",
    )
    assert out == {"output": {"answer": "42"}}
    (request,) = ctx.requests
    assert (request.node_name, request.instructions, request.temperature, request.model) == (
        "gen",
        "Be brief.",
        0.3,
        "offline/x",
    )
    assert request.inputs == {"query": "q"} and request.output_schema == ANSWER.json_schema()


def test_chain_of_thought_asks_for_thinking_first(registry):
    ctx = FakeContext({"cot": {"thinking": "t", "answer": "a"}})
    _run(
        registry,
        "ChainOfThought",
        {"inputs": [{"query": "q"}]},
        ctx,
        name="cot",
        data_model="Answer",
    )
    assert list(ctx.requests[0].output_schema["properties"]) == ["thinking", "answer"]


def test_a_module_fed_by_a_branch_returns_the_decision_in_front(registry):
    decision = {"thinking": "easy one", "choice": "easy"}
    ctx = FakeContext({"gen": {"answer": "42"}}, decision=decision)
    out = _run(
        registry, "Generator", {"inputs": [{"query": "q"}]}, ctx, name="gen", data_model="Answer"
    )
    assert list(out["output"].items()) == [
        ("thinking", "easy one"),
        ("choice", "easy"),
        ("answer", "42"),
    ]


def test_decision_adds_the_question_and_uses_synalinks_default_instructions(registry):
    ctx = FakeContext({"decide": {"thinking": "t", "choice": "hard"}})
    out = _run(
        registry,
        "Decision",
        {"inputs": [{"query": "q"}]},
        ctx,
        name="decide",
        question="How hard?",
        labels=["easy", "hard"],
    )
    assert out == {"output": {"thinking": "t", "choice": "hard"}}
    (request,) = ctx.requests
    assert request.inputs == {"query": "q", "question": "How hard?"}
    assert request.instructions == (
        "You will be given a question, your task is to answer step-by-step to choose\n"
        "one the following labels: ['easy', 'hard']"
    )
    assert request.output_schema["properties"]["choice"]["enum"] == ["easy", "hard"]


@pytest.mark.parametrize("inject", [True, False])
def test_branch_routes_the_input_to_the_chosen_label_only(registry, inject):
    ctx = FakeContext({"route": {"thinking": "t", "choice": "hard"}})
    out = _run(
        registry,
        "Branch",
        {"inputs": [{"query": "q"}]},
        ctx,
        name="route",
        question="Q?",
        labels=["easy", "hard", "other"],
        inject_decision=inject,
    )
    carried = {"query": "q", "thinking": "t", "choice": "hard"} if inject else {"query": "q"}
    assert out == {
        "branch_0": None,
        "branch_1": carried,
        "branch_2": None,
        RESULT_KEY: {"thinking": "t", "choice": "hard"},
    }


def test_branch_with_an_unknown_choice_takes_no_branch(registry):
    ctx = FakeContext({"route": {"thinking": "t", "choice": "neither"}})
    out = _run(
        registry,
        "Branch",
        {"inputs": [{"query": "q"}]},
        ctx,
        name="route",
        question="Q?",
        labels=["easy", "hard"],
    )
    assert out["branch_0"] is None and out["branch_1"] is None


def test_input_and_output_pass_values_through(registry):
    assert _run(registry, "Input", {"program_input": [{"query": "q"}]}, data_model="Query") == {
        "output": {"query": "q"}
    }
    assert _run(registry, "Output", {"inputs": [{"answer": "a"}]}) == {RESULT_KEY: {"answer": "a"}}


def test_program_outputs_sort_by_order_then_name_even_with_invalid_orders(registry):
    from core.nodes.program_io import program_inputs, program_outputs
    from tests.core.builders import GraphBuilder

    b = GraphBuilder(registry)
    b.add("Input", "second_input", data_model="Query")
    b.add("Output", "z_last", order=2)
    b.add("Output", "b_tie", order=1)
    b.add("Output", "a_tie", order=1)
    b.add("Output", "broken", order="soon")  # invalid: validation reports it
    b.add("Input", "first_input", data_model="Query")
    assert [n.name for n in program_outputs(b.graph)] == ["broken", "a_tie", "b_tie", "z_last"]
    assert [n.name for n in program_inputs(b.graph)] == ["second_input", "first_input"]
