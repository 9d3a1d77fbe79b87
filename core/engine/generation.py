"""One structured answer from a model, with streaming and bounded retries.

The loop every language-model node runs (through ``RunContext.generate``):
report what is sent (messages and response format, for the Prompt page),
stream the answer, reporting each piece with the partially parsed object;
check the finished text against the output schema; then

- an answer that is not JSON or does not fit: ask again with the problem fed
  back, at most ``format_retries`` times, then fail keeping the raw text;
- a transient provider error (429, 5xx, dropped connection, truncated
  stream): wait (exponential backoff with jitter, Retry-After honoured) and
  try again, at most ``transient_retries`` times;
- anything else (missing key, bad request...): fail at once.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any, Protocol

from core.engine.errors import ErrorKind, NodeRunError, ProviderError, count
from core.engine.model_client import ModelCall, ModelClient, StreamEnd
from core.engine.options import RunOptions, is_offline
from core.engine.partial_json import NotJson, parse_complete, parse_partial
from core.engine.prompts import build_messages, correction_messages
from core.engine.retry import backoff_delay
from core.engine.structured_output import (
    AnswerInvalid,
    check_answer,
    response_format_for,
    schema_key,
)
from core.registry.node_type import GenerationRequest


class Reporter(Protocol):
    """Where the loop reports progress (the scheduler turns these into events)."""

    def prompt(
        self, model: str, messages: list[dict[str, Any]], response_format: Any, attempt: int
    ) -> None: ...

    def delta(self, text: str, raw: str, partial: dict[str, Any] | None, attempt: int) -> None: ...

    def retrying(self, reason: ErrorKind, message: str, attempt: int, delay: float) -> None: ...


@dataclass
class Usage:
    """Tokens and cost summed over every attempt of a node (None while unknown)."""

    tokens_in: int | None = None
    tokens_out: int | None = None
    cost: float | None = None
    attempts: int = 0

    def add(self, end: StreamEnd) -> None:
        if end.tokens_in is not None:
            self.tokens_in = (self.tokens_in or 0) + end.tokens_in
        if end.tokens_out is not None:
            self.tokens_out = (self.tokens_out or 0) + end.tokens_out
        if end.cost is not None:
            self.cost = (self.cost or 0.0) + end.cost


async def generate(
    request: GenerationRequest,
    *,
    model: str,
    api_base: str | None,
    client: ModelClient,
    options: RunOptions,
    reporter: Reporter,
    usage: Usage,
    deadline: float | None = None,
) -> dict[str, Any]:
    """The answer to ``request``, valid for its output schema; raises :class:`NodeRunError`."""
    loop = asyncio.get_running_loop()
    schema = request.output_schema
    key = schema_key(schema)
    messages = build_messages(request, key)
    response_format = response_format_for(model, schema, key)
    format_failures = transient_failures = 0
    while True:
        usage.attempts += 1
        attempt = usage.attempts
        call = ModelCall(
            model=model,
            messages=messages,
            response_format=response_format,
            temperature=request.temperature,
            api_base=None if is_offline(model) else api_base,
            timeout=None if deadline is None else deadline - loop.time(),
            offline_delay=options.offline_delay,
            node_id=request.node_id,
            node_name=request.node_name,
        )
        reporter.prompt(model, messages, response_format, attempt)
        raw_holder = [""]
        try:
            end = await _stream_once(client, call, reporter, attempt, usage, raw_holder)
            raw = raw_holder[0]
            problem = _finish_problem(end)
            if problem is None:
                try:
                    return check_answer(parse_complete(raw), schema, key)
                except (NotJson, AnswerInvalid) as exc:
                    problem = str(exc)
            if format_failures >= options.format_retries:
                raise NodeRunError(
                    "invalid_output",
                    f"{request.node_name}: the answer did not fit the output schema after "
                    f"{count(attempt, 'attempt')}: {problem}. The raw text is kept; try a "
                    "stronger model or clearer instructions",
                    raw,
                )
            format_failures += 1
            messages = [*messages, *correction_messages(raw, problem)]
            reporter.retrying("invalid_output", problem, attempt + 1, 0.0)
        except ProviderError as exc:
            raw = raw_holder[0]
            if not exc.transient or transient_failures >= options.transient_retries:
                said = exc.sentence(attempt if exc.transient else None)
                raise NodeRunError(exc.kind, f"{request.node_name}: {said}", raw) from None
            delay = backoff_delay(
                transient_failures,
                base=options.backoff_base,
                maximum=options.backoff_max,
                retry_after=exc.retry_after,
                retry_after_max=options.retry_after_max,
            )
            transient_failures += 1
            reporter.retrying(exc.kind, exc.message, attempt + 1, delay)
            await asyncio.sleep(delay)


async def _stream_once(
    client: ModelClient,
    call: ModelCall,
    reporter: Reporter,
    attempt: int,
    usage: Usage,
    raw_holder: list[str],
) -> StreamEnd:
    """Stream one attempt; ``raw_holder[0]`` keeps the text even when it fails.

    The first piece of each turn of the event loop is reported at once (the
    time to the first token is untouched); pieces arriving after it in the same
    turn (a client yielding several without giving the loop a turn, as with a
    network buffer) are reported together at the next turn: the text is the
    same, but the partial JSON, re-parsed from the start at every delta, is
    parsed once per burst instead of once per piece. Whatever is pending is
    reported before the attempt ends, however it ends, so deltas always come
    before the node's next event."""
    end: StreamEnd | None = None
    pending: list[str] = []
    in_burst = False  # a piece was reported in this turn of the loop
    loop = asyncio.get_running_loop()

    def report() -> None:
        if pending:
            text = "".join(pending)
            pending.clear()
            reporter.delta(text, raw_holder[0], parse_partial(raw_holder[0]), attempt)

    def next_turn() -> None:
        nonlocal in_burst
        in_burst = False
        report()

    try:
        async for piece in client.stream(call):
            if isinstance(piece, StreamEnd):
                end = piece
                continue
            if piece:
                raw_holder[0] += piece
                pending.append(piece)
                if not in_burst:
                    in_burst = True
                    report()
                    loop.call_soon(next_turn)
    finally:
        report()
    if end is None:
        end = StreamEnd(None)
    usage.add(end)
    if end.finish_reason is None:
        raise ProviderError(
            "truncated_stream",
            "the stream closed before the model said it was done",
            detail="a dropped connection or a crashed server",
            advice="the partial answer was not used",
            transient=True,
        )
    return end


def _finish_problem(end: StreamEnd) -> str | None:
    """Why a cleanly finished stream still cannot be used, if it cannot."""
    if end.finish_reason == "length":
        return "it was cut off at the model's output token limit; answer more briefly"
    if end.finish_reason == "content_filter":
        return "the provider withheld it (content filter)"
    return None
