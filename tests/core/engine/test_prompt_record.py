"""What a model-calling node sent is recorded, per attempt, keys redacted, with
the raw text that came back (the result view's Prompt page reads it)."""

from __future__ import annotations

import asyncio
import json

from core.engine import RunRecord
from core.engine import events as ev
from core.engine.redact import REDACTED
from tests.core.engine.helpers import Behaviour, GraphBuilder, ScriptedClient, fan_out, run


def _one_generator(example: dict | None = None):
    b = GraphBuilder(example=example)
    b.input()
    b.generator("g", "inputs", instructions="Answer in one word.")
    b.output("o", "g")
    return b.graph


def test_the_prompt_is_exactly_what_the_model_was_called_with():
    client = ScriptedClient()
    record, got = asyncio.run(run(_one_generator(), client))
    (call,) = client.calls
    (prompt,) = got.of(ev.NodePrompt, "g")
    assert prompt.messages == call.messages
    assert prompt.response_format == call.response_format
    assert prompt.model == call.model and prompt.attempt == 1 and prompt.exact
    assert got.index(ev.NodeStarted, "g") < got.index(ev.NodePrompt, "g")
    assert got.index(ev.NodePrompt, "g") < got.index(ev.TokenDelta, "g")
    (kept,) = record.node("g").prompts
    assert kept.messages == call.messages and kept.response_format == call.response_format
    assert kept.response == record.node("g").raw_text
    assert json.loads(kept.response) == record.node("g").result
    assert "Answer in one word." in kept.messages[0]["content"]
    assert json.loads(kept.messages[1]["content"]) == {"query": "What is 2 + 2?"}


def test_each_attempt_keeps_its_own_request_and_raw_answer():
    bad = "Sure! The answer is 4."
    client = ScriptedClient().on("g", Behaviour(text=bad), Behaviour())
    record, _got = asyncio.run(run(_one_generator(), client))
    first, second = record.node("g").prompts
    assert (first.attempt, second.attempt) == (1, 2)
    assert first.response == bad
    assert second.messages[: len(first.messages)] == first.messages
    assert second.messages[len(first.messages)]["content"] == bad  # fed back to the model
    assert "rejected" in second.messages[-1]["content"]
    assert json.loads(second.response) == record.node("g").result


def test_a_failed_answer_keeps_the_raw_text_on_its_prompt():
    wrong = "not json at all"
    client = ScriptedClient().on("g", *[Behaviour(text=wrong)] * 3)
    record, _got = asyncio.run(run(_one_generator(), client, format_retries=1))
    prompts = record.node("g").prompts
    assert len(prompts) == 2 and all(p.response == wrong for p in prompts)


def test_keys_in_the_input_or_the_environment_never_reach_the_prompt(monkeypatch):
    secret = "my-very-private-value-123"
    monkeypatch.setenv("SOME_SERVICE_TOKEN", secret)
    shaped = "sk-" + "A" * 30
    graph = _one_generator({"query": f"use {shaped} and {secret}"})
    record, got = asyncio.run(run(graph, ScriptedClient()))
    line = got.first(ev.NodePrompt, "g").to_json()
    assert shaped not in line and secret not in line and REDACTED in line
    (kept,) = record.node("g").prompts
    assert REDACTED in kept.messages[1]["content"]


def test_nodes_that_call_no_model_record_no_prompt_and_a_record_rebuilt_from_events_agrees():
    record, got = asyncio.run(run(fan_out(3)))
    assert record.node("inputs").prompts == []
    rebuilt = RunRecord(run_id=record.run_id)
    for event in got.events:
        rebuilt.apply(event)
    for node_id, node in record.nodes.items():
        assert rebuilt.nodes[node_id].prompts == node.prompts
    assert sum(len(n.prompts) for n in record.nodes.values()) == 3
