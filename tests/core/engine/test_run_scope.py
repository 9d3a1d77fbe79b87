"""Run to a node, run from a node, and pinned outputs: what runs, what is handed on."""

from __future__ import annotations

import asyncio
import json

import pytest

from core.commands import UndoStack
from core.commands.pin_commands import PinOutput, pin_problem, pinnable_ports
from core.engine import Engine, RunOptions, RunRefused
from core.engine import events as ev
from core.engine.scope import RunScope, ScopeError, Seed, resolve_node
from core.files import dumps_graph, loads_graph
from core.registry import default_registry
from core.schemas.flow import analyse
from tests.core.engine.helpers import (
    Collector,
    GraphBuilder,
    ScriptedClient,
    branch_graph,
    check_event_order,
)


def fork():
    """inputs -> a -> b -> out1 ; inputs -> c -> out2 ; b and c are independent."""
    b = GraphBuilder("fork")
    b.input()
    b.generator("a", "inputs")
    b.generator("b", "a")
    b.generator("c", "inputs")
    b.output("out1", "b", order=0)
    b.output("out2", "c", order=1)
    return b.graph


async def go(graph, scope=None, client=None, inputs=None):
    client = client or ScriptedClient()
    collector = Collector()
    engine = Engine(default_registry(), RunOptions(), model_client=client)
    prepared = engine.prepare(graph, inputs, scope)
    record = await engine.run(prepared, listener=collector)
    check_event_order(collector.events)
    return record, collector, client


def called(client):
    return sorted(c.node_name for c in client.calls)


def test_run_to_a_node_runs_only_what_leads_to_it():
    graph = fork()
    record, events, client = asyncio.run(go(graph, RunScope(to_node="a")))
    assert called(client) == ["a"]
    assert set(record.nodes) == {"inputs", "a"}
    assert record.status == "succeeded"
    assert record.by_name("a").ok and record.outputs == ()
    assert events.of(ev.RunStarted)[0].nodes == (("inputs", "inputs"), ("a", "a"))


def test_run_to_a_node_in_a_graph_without_an_output_is_not_refused():
    b = GraphBuilder("unfinished")
    b.input()
    b.generator("draft", "inputs")
    with pytest.raises(RunRefused):
        asyncio.run(go(b.graph))
    record, _events, client = asyncio.run(go(b.graph, RunScope(to_node="draft")))
    assert record.succeeded and called(client) == ["draft"]


def test_run_from_a_node_reuses_earlier_values_and_runs_only_its_dependents():
    graph = fork()
    first, _e, _c = asyncio.run(go(graph))
    asked: list[list[str]] = []

    def seeds(ids):
        asked.append(list(ids))
        rec = first.nodes
        return {i: Seed(rec[i].outputs, rec[i].result, first.run_id) for i in ids}

    record, events, client = asyncio.run(go(graph, RunScope(from_node="b", seeds=seeds)))
    assert called(client) == ["b"]
    assert asked == [["a"]]
    handed = events.first(ev.NodeFinished, "a")
    assert handed.reused_from == first.run_id and not handed.pinned
    assert json.loads(handed.to_json())["reused_from"] == first.run_id
    assert record.by_name("a").reused_from == first.run_id
    assert set(record.nodes) == {"a", "b", "out1"}
    assert record.by_name("out1").ok and record.outputs[0] is not None
    assert record.outputs[1] is None  # out2 does not depend on b: it did not run


def test_run_from_a_node_says_which_upstream_value_is_missing():
    graph = fork()
    with pytest.raises(ScopeError) as info:
        asyncio.run(go(graph, RunScope(from_node="b", seeds=lambda ids: {})))
    message = str(info.value)
    assert "needs the output of a from an earlier run" in message
    assert "run to a first" in message
    assert info.value.missing == ("a",)


def test_run_from_an_input_is_a_whole_run_of_its_dependents():
    graph = fork()
    record, _events, client = asyncio.run(go(graph, RunScope(from_node="inputs")))
    assert called(client) == ["a", "b", "c"] and record.succeeded


def test_a_pinned_node_does_not_run_and_nothing_only_upstream_of_it_runs():
    graph = fork()
    flow = analyse(graph, default_registry())
    pin = {"output": {"answer": "by hand"}}
    assert pin_problem(flow, "b", pin) is None
    stack = UndoStack(graph)
    stack.push(PinOutput("b", pin, "b"))
    record, events, client = asyncio.run(go(graph))
    assert called(client) == ["c"]  # a fed only b: it does not run either
    assert "a" not in record.nodes
    finished = events.first(ev.NodeFinished, "b")
    assert finished.pinned and finished.result == {"answer": "by hand"}
    assert json.loads(finished.to_json())["pinned"] is True
    assert record.outputs[0] == {"answer": "by hand"}
    stack.undo()
    assert graph.nodes["b"].pinned is None
    _record, _events, client = asyncio.run(go(graph))
    assert called(client) == ["a", "b", "c"]


def test_a_pin_is_checked_against_the_data_model():
    graph = fork()
    flow = analyse(graph, default_registry())
    assert "does not fit its data model" in pin_problem(flow, "b", {"output": {"nope": 1}})
    assert "'answer' is a required property" in pin_problem(flow, "b", {"output": {}})
    assert "no output port 'other'" in pin_problem(
        flow, "b", {"output": {"answer": "x"}, "other": 1}
    )
    assert "cannot be pinned" in pin_problem(flow, "out1", {})
    assert isinstance(pinnable_ports(flow, "inputs"), str)
    assert pinnable_ports(flow, "a") == ["output"]


def test_a_pin_that_no_longer_fits_refuses_the_run_with_its_node():
    from core.validation import validate

    graph = fork()
    graph.set_pinned("b", {"output": {"wrong": "field"}})
    live = [d for d in validate(graph, default_registry()) if d.code == "pinned_output"]
    assert [(d.node_id, d.is_error) for d in live] == [("b", True)]  # Problems shows it
    with pytest.raises(RunRefused) as info:
        asyncio.run(go(graph))
    (diagnostic,) = info.value.diagnostics
    assert diagnostic.code == "pinned_output" and diagnostic.node_id == "b"
    assert "Edit the pin or unpin it" in diagnostic.message


def test_a_branch_cannot_be_pinned_but_a_label_module_can():
    graph = branch_graph()
    flow = analyse(graph, default_registry())
    assert "routes rather than answers" in pinnable_ports(flow, "route")
    first, _events, _client = asyncio.run(go(graph, client=ScriptedClient(decide=lambda c: "yes")))
    answer = {**first.by_name("g_yes").outputs["output"], "answer": "pinned yes"}
    assert "choice" in answer  # a module on a label answers with the decision in front
    graph.set_pinned("g_yes", {"output": answer})
    client = ScriptedClient(decide=lambda call: "yes")
    record, events, client = asyncio.run(go(graph, client=client))
    assert "g_yes" not in called(client) and "route" in called(client)
    assert record.outputs == (answer,)


def test_pins_are_saved_in_the_file_and_read_back(registry):
    graph = fork()
    graph.set_pinned("b", {"output": {"answer": "kept"}})
    text = dumps_graph(graph)
    document = json.loads(text)
    b = next(n for n in document["nodes"] if n["name"] == "b")
    assert b["pinned"] == {"output": {"answer": "kept"}}
    assert all("pinned" not in n for n in document["nodes"] if n["name"] != "b")
    again = loads_graph(text, registry)
    assert again.nodes["b"].pinned == {"output": {"answer": "kept"}}
    assert dumps_graph(again) == text


def test_nodes_are_found_by_name_or_id_and_a_wrong_name_lists_them():
    graph = fork()
    assert resolve_node(graph, "b") == "b"
    with pytest.raises(ValueError, match="no node named 'zz'; its nodes are a, b, c"):
        resolve_node(graph, "zz")


def test_a_scoped_run_is_refused_by_the_synalinks_backend_with_a_reason():
    from core.runtime.backend import SynalinksBackend

    graph = fork()
    backend = SynalinksBackend(default_registry(), pool=None)  # never reaches a worker
    with pytest.raises(RunRefused, match="built-in engine"):
        backend.prepare(graph, None, RunScope(to_node="a"))
    graph.set_pinned("b", {"output": {"answer": "x"}})
    with pytest.raises(RunRefused) as info:
        backend.prepare(graph)
    assert "b is pinned" in info.value.diagnostics[0].message
