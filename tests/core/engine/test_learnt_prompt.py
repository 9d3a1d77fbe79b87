"""A trained module prompts with what training left in its state (instructions
and few-shot examples), as Synalinks renders its prompt from that state."""

from __future__ import annotations

import asyncio
import json

import pytest

from core.files.load import load_graph
from core.nodes.learnt import learnt_prompt, with_learnt_prompt
from core.registry import default_registry
from tests.core.engine.helpers import GraphBuilder, ScriptedClient, run

SAVED = "tests/core/files/data/saved_chain.json"


def _trained_generator(state: dict) -> GraphBuilder:
    b = GraphBuilder()
    b.input()
    b.generator("g", "inputs", instructions="Answer in one word.")
    b.output("o", "g")
    b.graph.node("g").variables = {"trainable_variables": {"g": {"state_g": state}}}
    return b


def test_trained_instructions_and_examples_are_what_the_model_is_sent():
    state = {
        "instructions": "Answer with the number only.",
        "examples": [
            {"inputs": {"query": "1 + 1?"}, "outputs": {"answer": "2"}, "reward": 1.0},
            [{"query": "3 + 3?"}, {"answer": "6"}],
        ],
    }
    client = ScriptedClient()
    asyncio.run(run(_trained_generator(state).graph, client))
    (call,) = client.calls
    system = call.messages[0]["content"]
    assert "Answer with the number only." in system
    assert "Answer in one word." not in system  # the argument training replaced
    examples = system[system.index("<examples>") : system.index("</examples>")]
    assert examples.count("<example>") == 2
    assert json.dumps({"query": "1 + 1?"}) in examples and json.dumps({"answer": "6"}) in examples


def test_an_untrained_node_prompts_with_its_arguments_and_no_examples():
    client = ScriptedClient()
    asyncio.run(run(_trained_generator({"instructions": "", "examples": []}).graph, client))
    system = client.calls[0].messages[0]["content"]
    assert "Answer in one word." in system and "<examples>" not in system


def test_a_saved_program_runs_with_its_learnt_instructions():
    graph = load_graph(SAVED, default_registry())
    graph = getattr(graph, "graph", graph)
    (node,) = [n for n in graph.nodes.values() if n.name == "answerer"]
    learnt = learnt_prompt(node.variables)
    assert learnt.instructions == "Answer in one short sentence, citing the key fact."
    assert learnt.examples[0] == ({"query": "What is 2 + 2?"}, {"answer": "4"})


def test_editing_the_learnt_prompt_keeps_the_rest_of_the_state():
    variables = {
        "trainable_variables": {
            "g": {
                "state_g": {
                    "instructions": "old",
                    "examples": [],
                    "history": [1, 2],
                    "nb_visit": 3,
                }
            }
        }
    }
    edited = with_learnt_prompt(variables, "new", [({"q": 1}, {"a": 2})])
    state = edited["trainable_variables"]["g"]["state_g"]
    assert state["instructions"] == "new" and state["history"] == [1, 2] and state["nb_visit"] == 3
    assert learnt_prompt(edited).examples == (({"q": 1}, {"a": 2}),)
    assert variables["trainable_variables"]["g"]["state_g"]["instructions"] == "old"
    with pytest.raises(ValueError, match="no trained prompt state"):
        with_learnt_prompt({}, "x", [])
