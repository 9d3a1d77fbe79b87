"""Cancelling a run stops every in-flight call at once; the node timeout fails one node."""

from __future__ import annotations

import asyncio

import pytest

from core.engine import Engine, RunOptions
from core.engine import events as ev
from core.engine.record import NodeState
from core.registry import default_registry
from tests.core.engine.helpers import (
    Behaviour,
    Collector,
    GraphBuilder,
    ScriptedClient,
    check_event_order,
    fan_out,
    run,
)

CANCEL_BOUND = 0.1 * 3  # the issue asks for 100 ms; a loose bound for a loaded CI machine


def _chain_after_fan_out():
    """Input -> 3 hanging generators, one of them followed by a pending chain."""
    b = GraphBuilder()
    b.input()
    for i in range(3):
        b.generator(f"g{i}", "inputs")
        b.output(f"o{i}", f"g{i}", order=i)
    b.generator("later", "g0")
    b.output("o_later", "later", order=9)
    return b.graph


async def _start_and_cancel(graph, client, options=None):
    collector = Collector()
    engine = Engine(default_registry(), options or RunOptions(), model_client=client)
    handle = engine.start(graph, None, collector)
    for name in ("g0", "g1", "g2"):
        await asyncio.wait_for(client.started[name].wait(), 5)
    loop = asyncio.get_running_loop()
    asked = loop.time()
    handle.cancel()
    record = await handle.wait()
    return record, collector, loop.time() - asked


def test_cancel_stops_every_in_flight_call_and_marks_unfinished_nodes():
    client = ScriptedClient()
    for i in range(3):
        client.on(f"g{i}", Behaviour(hang=True))
    record, got, took = asyncio.run(_start_and_cancel(_chain_after_fan_out(), client))
    check_event_order(got.events)
    assert took < CANCEL_BOUND
    assert sorted(client.closed) == ["g0", "g1", "g2"]  # every stream was closed
    assert client.in_flight == 0
    assert record.status == "cancelled"
    for name in ("g0", "g1", "g2"):
        assert got.first(ev.NodeCancelled, name).was_running is True
    for name in ("later", "o0", "o_later"):
        assert got.kinds(name) == ["node_cancelled"]
        assert got.first(ev.NodeCancelled, name).was_running is False
    assert record.by_name("inputs").state is NodeState.FINISHED
    assert got.events[-1].status == "cancelled"
    assert got.events[-1].counts == {"finished": 1, "cancelled": 8}


def test_cancel_while_waiting_for_a_model_slot_marks_queued_nodes_not_running():
    client = ScriptedClient()
    for i in range(3):
        client.on(f"g{i}", Behaviour(hang=True))

    async def scenario():
        collector = Collector()
        engine = Engine(default_registry(), RunOptions(max_concurrency=1), model_client=client)
        handle = engine.start(fan_out(3), None, collector)
        await asyncio.wait_for(client.started["g0"].wait(), 5)
        handle.cancel()
        return await handle.wait(), collector

    record, got = asyncio.run(scenario())
    assert got.first(ev.NodeCancelled, "g0").was_running is True
    assert got.kinds("g1") == ["node_queued", "node_cancelled"]
    assert got.first(ev.NodeCancelled, "g1").was_running is False


def test_cancelling_the_awaiting_task_cancels_the_run_and_propagates():
    client = ScriptedClient().on("g0", Behaviour(hang=True))
    collector = Collector()

    async def scenario():
        engine = Engine(default_registry(), model_client=client)
        task = asyncio.ensure_future(engine.run(fan_out(1), None, collector))
        await asyncio.wait_for(client.started["g0"].wait(), 5)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(scenario())
    assert (
        collector.events[-1].kind == "run_finished" and collector.events[-1].status == "cancelled"
    )
    assert client.closed == ["g0"]


def test_node_timeout_fails_that_node_and_the_others_go_on():
    client = ScriptedClient().on("g0", Behaviour(hang=True))
    record, got = asyncio.run(run(fan_out(2), client, node_timeout=0.2))
    failed = got.first(ev.NodeFailed, "g0")
    assert failed.error_kind == "timeout"
    assert "0.2 s" in failed.message and "timeout" in failed.message
    assert client.closed.count("g0") == 1  # the hanging call was stopped
    assert record.by_name("g1").state is NodeState.FINISHED
    assert record.by_name("out0").state is NodeState.SKIPPED
    assert record.status == "failed"


def test_timeout_covers_retries_too():
    from core.engine.errors import ProviderError

    busy = ProviderError("rate_limited", "slow down", transient=True, retry_after=5)
    client = ScriptedClient().on("g0", Behaviour(raise_=busy))
    record, got = asyncio.run(run(fan_out(1), client, node_timeout=0.3))
    assert got.first(ev.NodeRetrying, "g0").delay >= 5
    assert got.first(ev.NodeFailed, "g0").error_kind == "timeout"
