"""Bounded retries: bad answers get the error fed back; transient errors back off."""

from __future__ import annotations

import asyncio
import random

import pytest

from core.engine import events as ev
from core.engine.errors import ProviderError
from core.engine.record import NodeState
from core.engine.retry import backoff_delay, parse_retry_after, retry_after_of
from tests.core.engine.helpers import Behaviour, ScriptedClient, fan_out, run


def test_invalid_json_is_retried_with_the_problem_fed_back():
    client = ScriptedClient().on("g0", Behaviour(text="Sure! The answer is 4."), Behaviour())
    record, got = asyncio.run(run(fan_out(1), client))
    assert record.status == "succeeded"
    retry = got.first(ev.NodeRetrying, "g0")
    assert retry.reason == "invalid_output" and retry.attempt == 2 and retry.delay == 0
    second = client.calls[1].messages
    assert second[-2] == {"role": "assistant", "content": "Sure! The answer is 4."}
    assert "rejected" in second[-1]["content"] and "JSON" in second[-1]["content"]
    # deltas of the second attempt say so, and restart the raw text
    attempts = [d.attempt for d in got.of(ev.TokenDelta, "g0")]
    assert attempts[0] == 1 and attempts[-1] == 2
    assert got.first(ev.NodeFinished, "g0").attempts == 2


def test_schema_violation_is_retried_then_fails_keeping_the_raw_text():
    wrong = '{"reply": "4"}'
    client = ScriptedClient().on("g0", *[Behaviour(text=wrong)] * 3)
    record, got = asyncio.run(run(fan_out(1), client, format_retries=2))
    assert len(client.calls) == 3
    failed = got.first(ev.NodeFailed, "g0")
    assert failed.error_kind == "invalid_output"
    assert "'answer' is a required property" in failed.message
    assert "3 attempts" in failed.message
    assert failed.raw_text == wrong
    assert record.by_name("g0").raw_text == wrong
    assert "'answer' is a required property" in client.calls[1].messages[-1]["content"]


def test_answer_in_a_code_fence_is_accepted():
    client = ScriptedClient().on("g0", Behaviour(text='```json\n{"answer": "4"}\n```'))
    record, _ = asyncio.run(run(fan_out(1), client))
    assert record.by_name("g0").result == {"answer": "4"}


def test_answer_cut_at_the_token_limit_is_retried():
    client = ScriptedClient().on(
        "g0", Behaviour(text='{"answer": "4"}', finish_reason="length"), Behaviour()
    )
    record, got = asyncio.run(run(fan_out(1), client))
    assert "token limit" in got.first(ev.NodeRetrying, "g0").message
    assert record.status == "succeeded"


def test_transient_errors_back_off_and_honour_retry_after():
    busy = ProviderError("rate_limited", "HTTP 429", transient=True, retry_after=0.15)
    client = ScriptedClient().on("g0", Behaviour(raise_=busy), Behaviour())
    record, got = asyncio.run(run(fan_out(1), client, backoff_base=0.01))
    retry = got.first(ev.NodeRetrying, "g0")
    assert retry.reason == "rate_limited" and retry.delay >= 0.15
    finished = got.first(ev.NodeFinished, "g0")
    assert finished.elapsed - retry.elapsed >= 0.15
    assert record.status == "succeeded"


def test_transient_errors_give_up_after_the_retry_budget():
    boom = ProviderError("provider_error", "HTTP 500", transient=True)
    client = ScriptedClient().on("g0", *[Behaviour(raise_=boom)] * 5)
    record, got = asyncio.run(run(fan_out(1), client, transient_retries=2, backoff_base=0.001))
    assert len(client.calls) == 3
    assert len(got.of(ev.NodeRetrying, "g0")) == 2
    failed = got.first(ev.NodeFailed, "g0")
    assert failed.error_kind == "provider_error" and "after 3 attempts" in failed.message


def test_a_stream_that_ends_without_finishing_is_an_error_not_an_answer():
    client = ScriptedClient().on("g0", *[Behaviour(text='{"answer": "4"}', finish_reason=None)] * 2)
    record, got = asyncio.run(run(fan_out(1), client, transient_retries=1, backoff_base=0.001))
    failed = got.first(ev.NodeFailed, "g0")
    assert failed.error_kind == "truncated_stream"
    assert failed.raw_text == '{"answer": "4"}'
    assert record.by_name("g0").state is NodeState.FAILED


def test_permanent_errors_are_not_retried():
    client = ScriptedClient().on(
        "g0", Behaviour(raise_=ProviderError("missing_api_key", "set OPENAI_API_KEY"))
    )
    _, got = asyncio.run(run(fan_out(1), client))
    assert len(client.calls) == 1 and not got.of(ev.NodeRetrying)
    assert got.first(ev.NodeFailed, "g0").message == "g0: set OPENAI_API_KEY"


# ------------------------------------------------------------------ retry.py
def test_backoff_grows_exponentially_with_jitter_and_is_capped():
    rng = random.Random(1)
    delays = [backoff_delay(n, base=1.0, maximum=8.0, rng=rng) for n in range(6)]
    for n, delay in enumerate(delays):
        ceiling = min(8.0, 2**n)
        assert ceiling / 2 <= delay <= ceiling
    assert len({round(d, 6) for d in delays}) == len(delays)


def test_retry_after_wins_when_longer_but_is_capped():
    assert backoff_delay(0, base=0.1, maximum=1, retry_after=7) == 7
    assert backoff_delay(0, base=0.1, maximum=1, retry_after=700, retry_after_max=30) == 30


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("3", 3.0),
        ("0.5", 0.5),
        ("", None),
        (None, None),
        ("soon", None),
        ("Thu, 01 Jan 1970 00:01:40 GMT", 40.0),
    ],
)
def test_parse_retry_after(value, expected):
    assert parse_retry_after(value, now=60.0) == expected


def test_retry_after_is_found_on_response_headers():
    class Response:
        headers = {"retry-after": "2"}

    class Error(Exception):
        response = Response()

    assert retry_after_of(Error()) == 2.0


def test_an_unreachable_server_reads_as_one_sentence():
    boom = ProviderError(
        "connection",
        "could not reach http://localhost:1234/v1 for openai/m",
        detail="Connection error.",
        advice="is the server running and the address right?",
        transient=True,
    )
    client = ScriptedClient().on("g0", *[Behaviour(raise_=boom)] * 4)
    _record, got = asyncio.run(run(fan_out(1), client, transient_retries=3, backoff_base=0.001))
    failed = got.first(ev.NodeFailed, "g0")
    assert failed.message == (
        "g0: could not reach http://localhost:1234/v1 for openai/m after 4 attempts "
        "(Connection error). Is the server running and the address right?"
    )


def test_one_attempt_is_singular():
    assert ProviderError("timeout", "x", detail="y").sentence(1) == "x after 1 attempt (y)"
