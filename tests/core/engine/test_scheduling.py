"""Dataflow scheduling: concurrency, no level barriers, the concurrency limit,
failure isolation, and the None rules of Branch / Or / And / Concat."""

from __future__ import annotations

import asyncio

import pytest

from core.engine import Engine, InputError, RunOptions, RunRefused
from core.engine import events as ev
from core.engine.errors import ProviderError
from core.engine.record import NodeState
from core.nodes.language import branch_port
from core.registry import default_registry
from tests.core.engine.helpers import (
    Behaviour,
    GraphBuilder,
    ScriptedClient,
    branch_graph,
    fan_out,
    run,
)


def test_independent_branches_are_in_flight_at_the_same_time():
    client = ScriptedClient()
    for i in range(8):
        client.on(f"g{i}", Behaviour(delay=0.05))
    record, got = asyncio.run(run(fan_out(8), client))
    assert client.max_in_flight == 8
    last_start = max(got.index(ev.NodeStarted, f"g{i}") for i in range(8))
    first_end = min(got.index(ev.NodeFinished, f"g{i}") for i in range(8))
    assert last_start < first_end
    assert record.status == "succeeded"


def test_concurrency_limit_bounds_model_calls_in_flight():
    client = ScriptedClient()
    for i in range(6):
        client.on(f"g{i}", Behaviour(delay=0.02))
    record, got = asyncio.run(run(fan_out(6), client, max_concurrency=2))
    assert client.max_in_flight == 2
    assert record.status == "succeeded"
    # queued (inputs ready) happens for all before the slots allow them to start
    assert all(
        got.index(ev.NodeQueued, f"g{i}") < got.index(ev.NodeStarted, "g5") for i in range(6)
    )


def test_uneven_fork_does_not_wait_for_a_slower_sibling():
    """Input -> slow (one step) and fast1 -> fast2 (two steps): fast2 must start
    while slow is still running (a level scheduler would hold it back)."""
    b = GraphBuilder()
    b.input()
    b.generator("slow", "inputs")
    b.generator("fast1", "inputs")
    b.generator("fast2", "fast1")
    b.output("o1", "slow")
    b.output("o2", "fast2", order=1)
    client = ScriptedClient().on("slow", Behaviour(delay=0.3))
    _, got = asyncio.run(run(b.graph, client))
    assert got.index(ev.NodeFinished, "fast2") < got.index(ev.NodeFinished, "slow")


def test_node_starts_when_its_last_input_is_ready():
    b = GraphBuilder()
    b.input()
    b.generator("a", "inputs")
    b.generator("b", "inputs")
    b.merge("Concat", "both", "a", "b")
    b.output("o", "both")
    client = ScriptedClient().on("a", Behaviour(delay=0.05))
    record, got = asyncio.run(run(b.graph, client))
    assert (
        got.index(ev.NodeFinished, "b")
        < got.index(ev.NodeFinished, "a")
        < got.index(ev.NodeQueued, "both")
    )
    assert list(record.by_name("both").result) == ["answer", "answer_1"]


def test_failure_is_isolated_independent_branches_finish():
    b = GraphBuilder()
    b.input()
    b.generator("bad", "inputs")
    b.generator("after_bad", "bad")
    b.generator("good", "inputs")
    b.output("o1", "after_bad")
    b.output("o2", "good", order=1)
    client = ScriptedClient().on(
        "bad", Behaviour(raise_=ProviderError("authentication", "key rejected"))
    )
    record, got = asyncio.run(run(b.graph, client))
    assert record.by_name("bad").state is NodeState.FAILED
    assert record.by_name("after_bad").state is NodeState.SKIPPED
    assert record.by_name("o1").state is NodeState.SKIPPED
    assert got.first(ev.NodeSkipped, "o1").cause_name == "bad"
    assert record.by_name("good").state is NodeState.FINISHED
    assert record.status == "failed"
    assert record.outputs[0] is None and "answer" in record.outputs[1]
    assert [c.node_name for c in client.calls].count("after_bad") == 0


def test_a_node_error_such_as_a_merge_failing_is_reported_not_raised():
    """Concat given None fails that node only (its message comes from the node type)."""
    b = GraphBuilder()
    b.input()
    b.branch("route", "inputs", ["yes", "no"], return_decision=False)
    b.generator("g_yes", "route", port=branch_port(0))
    b.generator("g_no", "route", port=branch_port(1))
    b.merge("Concat", "joined", "g_yes", "g_no")
    b.output("result", "joined")
    engine = Engine(default_registry(), RunOptions(), model_client=ScriptedClient())
    with pytest.raises(RunRefused) as refused:  # validation already sees it
        engine.prepare(b.graph)
    assert any(d.code == "concat_may_get_none" for d in refused.value.diagnostics)


@pytest.mark.parametrize("choice", ["yes", "no"])
def test_branch_not_taken_gives_none_without_a_model_call_and_or_keeps_the_other(choice):
    client = ScriptedClient(decide=lambda call: choice)
    record, _ = asyncio.run(run(branch_graph("Or"), client))
    taken, other = ("g_yes", "g_no") if choice == "yes" else ("g_no", "g_yes")
    assert record.by_name(other).result is None
    assert record.by_name(other).state is NodeState.FINISHED
    assert [c.node_name for c in client.calls] == ["route", taken]
    decision = record.by_name("route").result
    assert decision["choice"] == choice
    # the chosen module's output starts with the decision (return_decision)
    assert list(record.by_name(taken).result)[:2] == ["thinking", "choice"]
    assert record.outputs[0] == record.by_name(taken).result
    assert record.status == "succeeded"


def test_and_of_a_branch_not_taken_is_none_and_xor_keeps_the_one():
    for merge, expect_none in (("And", True), ("Xor", False)):
        record, _ = asyncio.run(run(branch_graph(merge), ScriptedClient(decide=lambda call: "yes")))
        assert (record.outputs[0] is None) is expect_none, merge
        assert record.status == "succeeded"


def test_input_value_is_validated_before_anything_runs():
    engine = Engine(default_registry(), model_client=ScriptedClient())
    with pytest.raises(InputError, match=r"query: Field required"):
        asyncio.run(engine.run(fan_out(1), {"question": "hi"}))
    with pytest.raises(InputError, match=r"query: Input should be a valid string"):
        asyncio.run(engine.run(fan_out(1), {"query": 3}))


def test_several_inputs_are_keyed_by_input_name():
    b = GraphBuilder()
    b.input("first")
    b.input("second")
    b.merge("Concat", "both", "first", "second")
    b.output("o", "both")
    record, _ = asyncio.run(
        run(b.graph, inputs={"first": {"query": "a"}, "second": {"query": "b"}})
    )
    assert record.outputs[0] == {"query": "a", "query_1": "b"}
    with pytest.raises(InputError, match="no value for Input node"):
        asyncio.run(run(b.graph, inputs={"first": {"query": "a"}}))


def test_results_never_touch_the_graph_and_edits_during_a_run_do_not_change_it():
    graph = fan_out(1)
    before = {n.id: dict(n.params) for n in graph.nodes.values()}

    async def scenario():
        client = ScriptedClient().on("g0", Behaviour(delay=0.05))
        engine = Engine(default_registry(), model_client=client)
        handle = engine.start(graph)
        await asyncio.sleep(0.01)
        graph.set_params("g0", {"instructions": "changed mid-run"})
        record = await handle.wait()
        return record, client

    record, client = asyncio.run(scenario())
    assert record.status == "succeeded"
    assert "changed mid-run" not in client.calls[0].messages[0]["content"]
    before["g0"]["instructions"] = "changed mid-run"
    assert {n.id: dict(n.params) for n in graph.nodes.values()} == before


def test_listener_errors_do_not_break_the_run():
    def broken(event):
        raise RuntimeError("listener bug")

    engine = Engine(default_registry(), model_client=ScriptedClient())
    record = asyncio.run(engine.run(fan_out(2), None, broken))
    assert record.status == "succeeded"
