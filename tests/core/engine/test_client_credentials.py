"""Keys given to :class:`LiteLLMClient` explicitly (the editor's provider settings)
reach the provider as ``api_key``, win over the environment, never change the
environment and never appear in messages or events."""

from __future__ import annotations

import asyncio
import os

import pytest

from core.engine import Engine, RunOptions
from core.engine import events as ev
from core.engine.litellm_client import LiteLLMClient
from core.registry import default_registry
from tests.core.engine.helpers import Collector, fan_out
from tests.support.openai_server import OpenAIServer, error

GIVEN = "given-credential-0123456789abcdef"
FROM_ENV = "environment-credential-9876543210"


@pytest.fixture(autouse=True)
def _no_real_key(monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)


async def _run(server: OpenAIServer, credentials: dict[str, str] | None):
    options = RunOptions(
        model_override="openai/test-model", api_base=server.base_url, transient_retries=0
    )
    collector = Collector()
    engine = Engine(default_registry(), options, model_client=LiteLLMClient(credentials))
    record = await engine.run(fan_out(1), None, collector)
    return record, collector


def test_a_given_key_is_sent_as_the_bearer_token_without_touching_the_environment():
    async def scenario():
        async with OpenAIServer() as server:
            record, _ = await _run(server, {"OPENAI_API_KEY": GIVEN})
            return record, server.authorizations

    record, authorizations = asyncio.run(scenario())
    assert record.status == "succeeded"
    assert authorizations == [f"Bearer {GIVEN}"]
    assert "OPENAI_API_KEY" not in os.environ


def test_a_given_key_wins_over_the_environment(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", FROM_ENV)

    async def scenario():
        async with OpenAIServer() as server:
            await _run(server, {"OPENAI_API_KEY": GIVEN})
            return server.authorizations

    assert asyncio.run(scenario()) == [f"Bearer {GIVEN}"]
    assert os.environ["OPENAI_API_KEY"] == FROM_ENV


def test_without_given_keys_the_environment_is_used(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", FROM_ENV)

    async def scenario():
        async with OpenAIServer() as server:
            await _run(server, None)
            return server.authorizations

    assert asyncio.run(scenario()) == [f"Bearer {FROM_ENV}"]


def test_a_given_key_echoed_by_the_provider_is_redacted_everywhere():
    async def scenario():
        async with OpenAIServer() as server:
            server.script(error(401, f"Incorrect API key provided: {GIVEN}."))
            return await _run(server, {"OPENAI_API_KEY": GIVEN})

    record, got = asyncio.run(scenario())
    failed = got.first(ev.NodeFailed, "g0")
    assert failed.error_kind == "authentication"
    assert "[redacted]" in failed.message and GIVEN not in failed.message
    assert all(GIVEN not in event.to_json() for event in got.events)
    assert GIVEN not in (record.by_name("g0").error or "")


def test_a_key_for_another_provider_is_not_sent():
    async def scenario():
        async with OpenAIServer() as server:
            await _run(server, {"ANTHROPIC_API_KEY": GIVEN})
            return server.authorizations

    # a local server without a key still gets the placeholder, never another provider's key
    assert asyncio.run(scenario()) == ["Bearer none"]
