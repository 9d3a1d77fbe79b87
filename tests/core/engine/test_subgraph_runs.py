"""The built-in engine runs Subgraph nodes: inner nodes stream with path ids,
the outer node finishes with the inner Outputs, failures and cancellation stay
exact, and the node cache keys inner nodes as what they are asked."""

from __future__ import annotations

import asyncio

import pytest

from core.engine import Engine, RunOptions
from core.engine import events as ev
from core.engine.errors import ProviderError
from core.engine.record import NodeState
from core.store import NodeCache
from tests.core.engine.helpers import Behaviour, Collector, ScriptedClient, check_event_order
from tests.core.subgraph_graphs import nested_review


def run(graph, registry, client, **options):
    collector = Collector()
    engine = Engine(registry, RunOptions(**options), model_client=client)
    record = asyncio.run(engine.run(graph, None, collector))
    check_event_order(collector.events)
    return record, collector


def test_inner_nodes_stream_with_their_path_and_the_use_finishes_with_the_outputs(registry):
    graph, b = nested_review(registry)
    record, got = run(graph, registry, ScriptedClient())
    assert record.status == "succeeded"
    started = got.events[0]
    assert [name for _, name in started.nodes] == [n.name for n in graph.nodes.values()]
    quick = b["root"].id("quick")
    summary = b["summarise_and_critique"].id("summary")
    critic = b["critique"].id("critic")
    check = b["summarise_and_critique"].id("check")
    assert got.kinds("quick/summary")[:2] == ["node_queued", "node_started"]
    assert got.kinds("quick/summary")[-1] == "node_finished"
    assert got.first(ev.NodeFinished, "quick/check/critic").node_id == f"{quick}/{check}/{critic}"
    deltas = got.of(ev.TokenDelta, "quick/summary")
    assert deltas and all(d.node_id == f"{quick}/{summary}" for d in deltas)
    # The use finishes after everything inside it, with the inner Outputs on its ports.
    ends = [e.node_name for e in got.of(ev.NodeFinished)]
    assert ends.index("quick/check/critic") < ends.index("quick/check") < ends.index("quick")
    use = got.first(ev.NodeFinished, "quick")
    summary_port = b["root"].port("quick", "summary_out")
    assert (
        use.outputs[summary_port] == got.first(ev.NodeFinished, "quick/summary").outputs["output"]
    )
    assert record.outputs[1] == use.outputs[summary_port]
    # Every model call inside is counted once in the run's tokens.
    assert record.tokens_in == 10 * 4  # summary and critic, in quick and in review/first
    assert record.nodes[f"{quick}/{check}/{critic}"].state is NodeState.FINISHED


def test_a_failure_inside_fails_each_use_around_it_and_skips_what_follows(registry):
    graph, _ = nested_review(registry)
    refused = Behaviour(raise_=ProviderError("bad_request", "refused"))
    client = ScriptedClient().on("critic", refused, refused)
    record, got = run(graph, registry, client)
    assert record.status == "failed"
    assert sorted(e.node_name for e in got.of(ev.NodeFailed)) == [
        "quick",
        "quick/check",
        "quick/check/critic",
        "review",
        "review/first",
        "review/first/check",
        "review/first/check/critic",
    ]
    use = got.first(ev.NodeFailed, "quick")
    assert use.message == "quick: check inside it failed (open the subgraph to see why)"
    skipped = {e.node_name: e.cause_name for e in got.of(ev.NodeSkipped)}
    assert skipped["quick_summary"] == "quick" and skipped["review_out"] == "review"
    # What ran before the failure inside keeps its result.
    assert record.by_name("quick/summary").state is NodeState.FINISHED


def test_cancelling_stops_the_nodes_inside(registry):
    graph, _ = nested_review(registry)
    client = ScriptedClient().on("summary", Behaviour(hang=True), Behaviour(hang=True))

    async def go():
        collector = Collector()
        engine = Engine(registry, RunOptions(), model_client=client)
        handle = engine.start(graph, None, collector)
        await client.started["summary"].wait()
        await asyncio.sleep(0.01)
        handle.cancel()
        return await handle.wait(), collector

    record, got = asyncio.run(go())
    assert record.status == "cancelled"
    cancelled = {e.node_name for e in got.of(ev.NodeCancelled)}
    assert {"quick", "quick/summary", "review"} <= cancelled
    assert all(n.state.is_final for n in record.nodes.values())


@pytest.fixture
def cache(tmp_path):
    store = NodeCache(tmp_path / "runs.sqlite")
    yield store
    store.close()


def test_inner_nodes_are_cached_as_what_they_are_asked(registry, cache):
    graph, b = nested_review(registry)
    first_client = ScriptedClient()
    first, _ = run(graph, registry, first_client, cache=cache)
    assert first.status == "succeeded" and first_client.calls
    second_client = ScriptedClient()
    second, got = run(graph, registry, second_client, cache=cache)
    assert second_client.calls == [] and second.outputs == first.outputs
    assert all(e.cached for e in got.of(ev.NodeFinished) if e.node_name.endswith("/critic"))
    # Editing the innermost definition re-asks only its module, in every use.
    critique = b["critique"].graph
    critique.set_params(critique.node_by_name("critic").id, {"instructions": "Be brief."})
    third_client = ScriptedClient()
    run(graph, registry, third_client, cache=cache)
    assert {c.node_name for c in third_client.calls} == {"critic"}
