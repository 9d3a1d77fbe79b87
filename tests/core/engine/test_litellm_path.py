"""The real path: litellm streaming from the offline provider and from an
OpenAI-compatible server on 127.0.0.1 that misbehaves on request."""

from __future__ import annotations

import asyncio
import json

import pytest

from core.engine import Engine, RunOptions
from core.engine import events as ev
from core.engine.litellm_loader import load_litellm, register_offline_provider
from core.engine.record import NodeState
from core.files import load_graph
from core.registry import default_registry
from tests.core.engine.helpers import Collector, check_event_order, fan_out
from tests.support.openai_server import OpenAIServer, cut, end_early, error, ok, rate_limited, stall

SECRET = "sk-test-secret-abcdefghijklmnop1234"


async def _run(graph, options: RunOptions, inputs=None):
    collector = Collector()
    record = await Engine(default_registry(), options).run(graph, inputs, collector)
    check_event_order(collector.events)
    return record, collector


def _http(server: OpenAIServer, **options) -> RunOptions:
    defaults = {
        "model_override": "openai/test-model",
        "api_base": server.base_url,
        "backoff_base": 0.01,
    }
    return RunOptions(**{**defaults, **options})


@pytest.fixture(autouse=True)
def _no_real_key(monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)


# ------------------------------------------------------------ offline model
def test_offline_model_streams_through_litellm(repo_root):
    graph = load_graph(repo_root / "saved_graphs" / "parallel_branches.json", default_registry())
    record, got = asyncio.run(_run(graph, RunOptions(offline_delay=0.001)))
    assert record.status == "succeeded"
    for name in ("branch_1", "branch_2"):
        deltas = got.of(ev.TokenDelta, name)
        assert len(deltas) > 10
        assert any(
            d.partial and "thinking" in d.partial and "answer" not in d.partial for d in deltas
        )
        done = got.first(ev.NodeFinished, name)
        assert done.tokens_in and done.tokens_out == len(deltas) and done.cost == 0.0
        assert graph.meta.example_input["query"] in done.result["answer"]


def test_registering_the_offline_provider_twice_keeps_one_entry():
    litellm = load_litellm()
    register_offline_provider(litellm)
    register_offline_provider(litellm)
    assert [p["provider"] for p in litellm.custom_provider_map].count("offline") == 1


# ---------------------------------------------------------------- the server
def test_streaming_from_an_openai_compatible_server():
    async def scenario():
        async with OpenAIServer() as server:
            server.script(ok(chunk_size=5, delay=0.005))  # chunks a few ms apart
            record, got = await _run(fan_out(1), _http(server))
            return record, got, server.requests

    record, got, requests = asyncio.run(scenario())
    assert record.status == "succeeded"
    assert record.by_name("g0").result == {"answer": "Offline answer to “What is 2 + 2?”"}
    assert len(got.of(ev.TokenDelta, "g0")) > 5
    assert got.first(ev.NodeStarted, "g0").model == "openai/test-model"
    body = requests[0].body
    assert body["stream"] is True
    assert body["response_format"]["type"] == "json_schema"
    assert body["response_format"]["json_schema"]["strict"] is True
    assert requests[0].had_api_key  # a placeholder key for a local server without one
    done = got.first(ev.NodeFinished, "g0")
    assert done.tokens_in and done.tokens_out


def test_rate_limited_then_success_honours_retry_after():
    async def scenario():
        async with OpenAIServer() as server:
            server.script(rate_limited(retry_after=0.3), ok())
            record, got = await _run(fan_out(1), _http(server))
            return record, got, server.requests

    record, got, requests = asyncio.run(scenario())
    retry = got.first(ev.NodeRetrying, "g0")
    assert retry.reason == "rate_limited" and retry.delay >= 0.3
    assert requests[1].at - requests[0].at >= 0.3
    assert record.status == "succeeded" and len(requests) == 2


def test_server_error_is_retried_then_reported():
    async def scenario():
        async with OpenAIServer() as server:
            server.script(error(500), error(503), error(500))
            record, got = await _run(
                fan_out(2), _http(server, transient_retries=1, max_concurrency=1)
            )
            return record, got, len(server.requests)

    record, got, count = asyncio.run(scenario())
    failed = got.first(ev.NodeFailed, "g0")
    assert (
        failed.error_kind == "provider_error"
        and "HTTP 503" in failed.message
        and "after 2 attempts" in failed.message
    )
    # the other branch, run after, got a good answer from the same server
    assert record.by_name("g1").state is NodeState.FINISHED
    assert count == 4


@pytest.mark.parametrize("broken", [cut, end_early])
def test_a_truncated_stream_is_an_error_keeping_the_partial_text(broken):
    async def scenario():
        async with OpenAIServer() as server:
            server.script(broken(after_chunks=2), broken(after_chunks=2))
            return await _run(fan_out(1), _http(server, transient_retries=1))

    record, got = asyncio.run(scenario())
    failed = got.first(ev.NodeFailed, "g0")
    assert failed.error_kind == "truncated_stream"
    assert "closed the stream before the answer was complete" in failed.message
    assert failed.raw_text.startswith('{"answer"')
    assert record.status == "failed"


def test_truncated_stream_then_success():
    async def scenario():
        async with OpenAIServer() as server:
            server.script(cut(after_chunks=1), ok())
            return await _run(fan_out(1), _http(server))

    record, got = asyncio.run(scenario())
    assert got.first(ev.NodeRetrying, "g0").reason == "truncated_stream"
    assert record.status == "succeeded"


def test_a_stalled_reply_hits_the_node_timeout():
    async def scenario():
        async with OpenAIServer() as server:
            server.script(stall(seconds=30, after_chunks=1))
            return await _run(fan_out(1), _http(server, node_timeout=0.5))

    record, got = asyncio.run(scenario())
    failed = got.first(ev.NodeFailed, "g0")
    assert failed.error_kind == "timeout"
    assert got.events[-1].duration < 10


def test_cancelling_a_run_closes_the_http_stream_promptly():
    async def scenario():
        async with OpenAIServer() as server:
            server.script(stall(seconds=30, after_chunks=1))
            collector = Collector()
            handle = Engine(default_registry(), _http(server)).start(fan_out(1), None, collector)
            while not collector.of(ev.TokenDelta, "g0"):
                await asyncio.sleep(0.01)
            loop = asyncio.get_running_loop()
            asked = loop.time()
            handle.cancel()
            record = await handle.wait()
            return record, collector, loop.time() - asked

    record, got, took = asyncio.run(scenario())
    assert record.status == "cancelled"
    assert got.first(ev.NodeCancelled, "g0").was_running
    assert took < 0.3  # the issue asks for 100 ms; loose for a loaded machine


def test_missing_api_key_names_the_variable_and_sends_nothing():
    record, got = asyncio.run(_run(fan_out(1), RunOptions(model_override="openai/gpt-4o-mini")))
    failed = got.first(ev.NodeFailed, "g0")
    assert failed.error_kind == "missing_api_key"
    assert "OPENAI_API_KEY" in failed.message and ".env" in failed.message


def test_api_keys_never_reach_events(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)

    async def scenario():
        async with OpenAIServer() as server:
            server.script(error(401, f"Incorrect API key provided: {SECRET}."))
            return await _run(fan_out(1), _http(server))

    record, got = asyncio.run(scenario())
    failed = got.first(ev.NodeFailed, "g0")
    assert failed.error_kind == "authentication"
    assert "[redacted]" in failed.message
    stream = "\n".join(e.to_json() for e in got.events)
    assert SECRET not in stream and SECRET not in json.dumps(record.by_name("g0").error)


def test_offline_provider_also_answers_without_streaming():
    litellm = load_litellm()
    schema = {
        "type": "object",
        "properties": {"answer": {"type": "string"}},
        "required": ["answer"],
    }

    async def ask():
        return await litellm.acompletion(
            model="offline/any",
            messages=[
                {"role": "system", "content": "x"},
                {"role": "user", "content": '{"query": "hi"}'},
            ],
            response_format={"type": "json_schema", "json_schema": {"name": "A", "schema": schema}},
        )

    response = asyncio.run(ask())
    assert json.loads(response.choices[0].message.content) == {"answer": "Offline answer to “hi”"}
    assert response.usage.completion_tokens > 0


def test_pieces_arriving_together_make_one_delta_with_all_their_text():
    """A burst (the whole answer in one network read) is parsed and reported once;
    the text and the final partial object are what separate deltas would give."""

    async def scenario():
        async with OpenAIServer() as server:
            server.script(ok(chunk_size=2))  # no delay: the chunks travel together
            return await _run(fan_out(1), _http(server))

    record, got = asyncio.run(scenario())
    assert record.status == "succeeded"
    deltas = got.of(ev.TokenDelta, "g0")
    result = record.by_name("g0").result
    chunks = -(-len(json.dumps(result, ensure_ascii=False)) // 2)
    assert 1 <= len(deltas) < chunks / 2
    assert "".join(d.text for d in deltas) == deltas[-1].raw
    assert deltas[-1].partial == result
