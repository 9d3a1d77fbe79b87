"""A client's one-time set-up (``ready()``: litellm's import) happens before the
run's clock starts: node times and timeouts do not pay for it, and cancelling
while it goes on cancels the run like anywhere else."""

from __future__ import annotations

import asyncio

from core.engine import Engine, RunOptions
from core.engine import events as ev
from core.engine.model_client import make_ready
from core.registry import default_registry
from tests.core.engine.helpers import Collector, GraphBuilder, ScriptedClient, check_event_order

SET_UP = 0.3


class SlowToStart(ScriptedClient):
    """A scripted client whose first use needs ``SET_UP`` seconds of preparation."""

    def __init__(self) -> None:
        super().__init__()
        self.readied = 0
        self.began = asyncio.Event()

    async def ready(self) -> None:
        self.readied += 1
        self.began.set()
        await asyncio.sleep(SET_UP)


def _graph():
    b = GraphBuilder()
    b.input()
    b.generator("g", "inputs")
    b.output("o", "g")
    return b.graph


def test_set_up_happens_before_the_clock_and_does_not_count_against_timeouts():
    client = SlowToStart()
    got = Collector()
    # A node timeout shorter than the set-up: it must not fire.
    engine = Engine(default_registry(), RunOptions(node_timeout=SET_UP / 2), model_client=client)
    record = asyncio.run(engine.run(_graph(), None, got))
    check_event_order(got.events)
    assert record.status == "succeeded" and client.readied == 1
    assert isinstance(got.events[0], ev.RunStarted)
    started = got.first(ev.NodeStarted, "g")
    assert started.elapsed < SET_UP / 2
    assert record.duration < SET_UP


def test_a_graph_without_model_nodes_does_not_prepare_the_client():
    b = GraphBuilder()
    b.input()
    b.output("o", "inputs")
    client = SlowToStart()
    record = asyncio.run(Engine(default_registry(), model_client=client).run(b.graph))
    assert record.status == "succeeded" and client.readied == 0


def test_cancelling_during_set_up_cancels_the_run():
    async def scenario():
        client = SlowToStart()
        got = Collector()
        handle = Engine(default_registry(), model_client=client).start(_graph(), None, got)
        await client.began.wait()
        handle.cancel()
        return await handle.wait(), got, client

    record, got, client = asyncio.run(scenario())
    check_event_order(got.events)
    assert record.status == "cancelled" and not client.calls
    assert got.kinds("g") == ["node_cancelled"]
    assert got.events[-1].kind == "run_finished" and got.events[-1].status == "cancelled"


def test_clients_without_set_up_are_fine():
    asyncio.run(make_ready(object()))  # nothing to call, nothing raised


def test_a_failing_set_up_leaves_the_failure_to_each_model_call():
    class BrokenStart(ScriptedClient):
        async def ready(self) -> None:
            raise RuntimeError("the model library is broken")

        async def stream(self, call):
            raise RuntimeError("the model library is broken")
            yield  # an async generator

    got = Collector()
    record = asyncio.run(
        Engine(default_registry(), model_client=BrokenStart()).run(_graph(), None, got)
    )
    check_event_order(got.events)
    assert record.status == "failed"
    assert "the model library is broken" in record.by_name("g").error
    assert got.events[-1].kind == "run_finished"
