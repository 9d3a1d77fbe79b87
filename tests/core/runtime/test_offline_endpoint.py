"""The offline model over loopback answers exactly as the built-in offline model."""

from __future__ import annotations

import asyncio
import json

import aiohttp

from core.engine.offline_model import answer_text
from core.runtime.offline_endpoint import OfflineEndpoint, voice_of

SCHEMA = {
    "type": "object",
    "properties": {"thinking": {"type": "string"}, "answer": {"type": "string"}},
    "required": ["thinking", "answer"],
}
FORMAT = {"type": "json_schema", "json_schema": {"name": "A", "schema": SCHEMA}}
# Synalinks' Generator sends the input as a Python literal, not JSON.
SYNALINKS_MESSAGES = [
    {"role": "system", "content": "<instructions>answer</instructions>"},
    {"role": "user", "content": "{'query': 'Why is the sky blue?'}"},
]
ENGINE_MESSAGES = [
    {"role": "system", "content": "<instructions>answer</instructions>"},
    {"role": "user", "content": json.dumps({"query": "Why is the sky blue?"})},
]


def test_voice_is_read_from_the_model_name():
    assert voice_of("offline--branch_1") == "branch_1"
    assert voice_of("openai/offline--a--b") == "a--b"
    assert voice_of("offline") is None
    assert voice_of("offline--") is None


def test_plain_and_streamed_answers_equal_the_engine_offline_model():
    async def scenario():
        async with OfflineEndpoint() as endpoint:
            url = endpoint.api_base() + "/chat/completions"
            body = {"model": "offline--branch_2", "messages": SYNALINKS_MESSAGES}
            body["response_format"] = FORMAT
            async with aiohttp.ClientSession() as session:
                async with session.post(url, json=body) as reply:
                    plain = await reply.json()
                async with session.post(url, json={**body, "stream": True}) as reply:
                    raw = (await reply.read()).decode()
            return plain, raw, endpoint.requests

    plain, raw, count = asyncio.run(scenario())
    expected = answer_text(ENGINE_MESSAGES, FORMAT, "branch_2")
    assert plain["choices"][0]["message"]["content"] == expected
    assert "branch_2" in expected and "Why is the sky blue?" in expected
    assert plain["usage"]["completion_tokens"] > 0
    chunks = [json.loads(part[6:]) for part in raw.split("\n\n") if part.startswith("data: {")]
    streamed = "".join(c["choices"][0]["delta"].get("content", "") for c in chunks)
    assert streamed == expected
    assert chunks[-1]["choices"][0]["finish_reason"] == "stop"
    assert raw.rstrip().endswith("data: [DONE]")
    assert count == 2


def test_a_delay_path_waits_per_token_and_a_bad_body_is_a_400():
    async def scenario():
        async with OfflineEndpoint() as endpoint:
            assert endpoint.api_base(0.01).endswith("/d0.01/v1")
            async with aiohttp.ClientSession() as session:
                loop = asyncio.get_running_loop()
                start = loop.time()
                body = {"model": "offline", "messages": ENGINE_MESSAGES, "response_format": FORMAT}
                async with session.post(
                    endpoint.api_base(0.01) + "/chat/completions", json=body
                ) as reply:
                    assert reply.status == 200
                took = loop.time() - start
                async with session.post(
                    endpoint.api_base() + "/chat/completions", data=b"not json"
                ) as reply:
                    bad = (reply.status, await reply.json())
            return took, bad

    took, bad = asyncio.run(scenario())
    assert took >= 0.1  # dozens of tokens at 10 ms each
    assert bad[0] == 400 and "JSON" in bad[1]["error"]["message"]


def test_it_listens_on_loopback_only():
    async def scenario():
        async with OfflineEndpoint() as endpoint:
            return endpoint.api_base()

    assert asyncio.run(scenario()).startswith("http://127.0.0.1:")
