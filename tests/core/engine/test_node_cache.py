"""The engine with a node cache: re-run only what changed, say which nodes were cached."""

from __future__ import annotations

import asyncio
import hashlib
import json

import pytest

from core.engine import events as ev
from core.engine.cache_key import without_credentials
from core.store import NodeCache
from tests.core.engine.helpers import Behaviour, GraphBuilder, ScriptedClient, branch_graph, run


class EchoClient(ScriptedClient):
    """Answers with a digest of the whole prompt: any upstream change changes the answer."""

    async def stream(self, call):
        digest = hashlib.sha256(json.dumps(call.messages).encode()).hexdigest()[:12]
        self.on(call.node_name, Behaviour(text=json.dumps({"answer": digest})))
        async for piece in super().stream(call):
            yield piece


def chain(n: int):
    b = GraphBuilder("chain")
    b.input()
    previous = "inputs"
    for i in range(n):
        previous = b.generator(f"g{i}", previous, instructions=f"step {i}")
    b.output("out", previous)
    return b


@pytest.fixture
def cache(tmp_path):
    store = NodeCache(tmp_path / "runs.sqlite")
    yield store
    store.close()


def test_a_second_identical_run_calls_no_model_and_says_cached(cache):
    graph = chain(3).graph
    first_client, second_client = ScriptedClient(), ScriptedClient()
    first, _ = asyncio.run(run(graph, first_client, cache=cache))
    second, events = asyncio.run(run(graph, second_client, cache=cache))
    assert len(first_client.calls) == 3 and second_client.calls == []
    assert second.outputs == first.outputs and second.status == "succeeded"
    finished = events.of(ev.NodeFinished)
    assert {e.node_name for e in finished if e.cached} == {"g0", "g1", "g2"}
    assert not next(e for e in finished if e.node_name == "out").cached
    assert second.by_name("g1").cached and not first.by_name("g1").cached
    assert json.loads(finished[0].to_json())["cached"] in (True, False)
    assert events.kinds("g0") == ["node_queued", "node_started", "node_finished"]


def test_editing_the_last_node_reruns_only_it_and_the_first_reruns_all(cache):
    builder = chain(5)
    asyncio.run(run(builder.graph, EchoClient(), cache=cache))
    builder.graph.nodes["g4"].params["instructions"] = "a new last step"
    client = EchoClient()
    asyncio.run(run(builder.graph, client, cache=cache))
    assert [c.node_name for c in client.calls] == ["g4"]
    builder.graph.nodes["g0"].params["instructions"] = "a new first step"
    client = EchoClient()
    asyncio.run(run(builder.graph, client, cache=cache))
    assert [c.node_name for c in client.calls] == [f"g{i}" for i in range(5)]


@pytest.mark.parametrize(
    "change",
    [
        lambda g: {"query": "another question"},
        lambda g: g.nodes["g0"].params.__setitem__("temperature", 0.3),
        lambda g: g.nodes["g0"].variables.__setitem__("instructions", "trained"),
        lambda g: g.nodes["g0"].params.__setitem__("language_model", "offline/other"),
    ],
    ids=["input", "temperature", "variables", "model"],
)
def test_what_decides_a_result_is_in_its_key(cache, change):
    builder = chain(1)
    asyncio.run(run(builder.graph, ScriptedClient(), cache=cache))
    new_input = change(builder.graph)
    client = ScriptedClient()
    asyncio.run(run(builder.graph, client, inputs=new_input, cache=cache))
    assert len(client.calls) == 1


def test_use_cache_false_neither_reads_nor_writes(cache):
    graph = chain(2).graph
    asyncio.run(run(graph, ScriptedClient(), cache=cache, use_cache=False))
    assert cache.stats()[0] == 0
    asyncio.run(run(graph, ScriptedClient(), cache=cache))
    client = ScriptedClient()
    asyncio.run(run(graph, client, cache=cache, use_cache=False))
    assert len(client.calls) == 2


def test_failed_nodes_are_not_cached(cache):
    graph = chain(1).graph
    failing = ScriptedClient().on("g0", Behaviour(text="not json"), *[Behaviour(text="x")] * 3)
    record, _ = asyncio.run(run(graph, failing, cache=cache))
    assert record.status == "failed"
    client = ScriptedClient()
    record, _ = asyncio.run(run(graph, client, cache=cache))
    assert record.status == "succeeded" and len(client.calls) == 1


def test_a_branch_and_its_chosen_module_replay_from_the_cache(cache):
    graph = branch_graph()
    first_client = ScriptedClient(decide=lambda call: "yes")
    first, _ = asyncio.run(run(graph, first_client, cache=cache))
    client = ScriptedClient(decide=lambda call: "no")  # would choose otherwise if asked
    second, _ = asyncio.run(run(graph, client, cache=cache))
    assert client.calls == [] and second.outputs == first.outputs


def test_an_unusable_store_still_runs_uncached_with_one_warning(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the store's folder should be")
    cache = NodeCache(blocker / "runs.sqlite")
    client = ScriptedClient()
    record, _ = asyncio.run(run(chain(2).graph, client, cache=cache))
    assert record.status == "succeeded" and len(client.calls) == 2
    warning = cache.take_warning()
    assert warning and "runs are not cached" in warning
    assert cache.take_warning() is None


def test_api_base_loses_its_credentials_in_the_key():
    assert without_credentials("https://user:sk-secret@host:8080/v1/?key=sk-2") == (
        "https://host:8080/v1"
    )
    assert without_credentials(None) is None
