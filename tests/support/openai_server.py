"""An OpenAI-compatible chat server on 127.0.0.1 for tests, that misbehaves on request.

It speaks just enough of ``POST /v1/chat/completions`` for litellm's
``openai/<any name>`` models: plain JSON replies and ``text/event-stream``
chunks (``{"choices":[{"delta":{"content":...}}]}``, a final chunk with
``finish_reason``, a usage chunk, then ``data: [DONE]``). By default it
answers every request with JSON that fits the request's ``response_format``
schema. Script what the next requests get, in order::

    async with OpenAIServer() as server:
        server.script(rate_limited(retry_after=0.2), ok())   # a 429, then a good answer
        ...  litellm model="openai/test", api_base=server.base_url, api_key="anything"
        assert len(server.requests) == 2

Replies: :func:`ok` (optionally fixed content, chunk size, per-chunk delay),
:func:`rate_limited` (429 + Retry-After), :func:`error` (any status),
:func:`cut` (the connection drops mid-stream), :func:`end_early` (the stream
ends cleanly but without finish_reason or [DONE]) and :func:`stall` (some
chunks, then silence). Once the script is used up, replies are :func:`ok`.

From synchronous code (a CLI under test) use :meth:`OpenAIServer.in_thread`,
which runs the server on its own loop in a background thread. Nothing here
ever listens beyond 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

from aiohttp import web

from core.engine.offline_model import offline_answer
from core.engine.prompts import input_of

ReplyKind = Literal["ok", "error", "cut", "end_early", "stall"]


@dataclass(frozen=True)
class Reply:
    """What the server does with one request (build it with the functions below)."""

    kind: ReplyKind = "ok"
    content: str | None = None
    chunk_size: int = 8
    delay: float = 0.0
    status: int = 200
    message: str = ""
    headers: tuple[tuple[str, str], ...] = ()
    after_chunks: int = 2
    seconds: float = 0.0
    finish_reason: str = "stop"


def ok(
    content: str | None = None,
    *,
    chunk_size: int = 8,
    delay: float = 0.0,
    finish_reason: str = "stop",
) -> Reply:
    """A good answer (``content`` or, by default, JSON fitting the requested schema),
    streamed ``chunk_size`` characters at a time, ``delay`` seconds apart."""
    return Reply(
        "ok", content=content, chunk_size=chunk_size, delay=delay, finish_reason=finish_reason
    )


def rate_limited(
    retry_after: float | str = 1, message: str = "Rate limit reached, slow down"
) -> Reply:
    """HTTP 429 with a Retry-After header (seconds, or an HTTP date string)."""
    return Reply("error", status=429, message=message, headers=(("Retry-After", str(retry_after)),))


def error(
    status: int = 500, message: str = "The server had an error processing your request"
) -> Reply:
    """An HTTP error with an OpenAI-shaped error body."""
    return Reply("error", status=status, message=message)


def cut(after_chunks: int = 2, content: str | None = None, chunk_size: int = 8) -> Reply:
    """Stream ``after_chunks`` chunks, then drop the connection (no terminating chunk)."""
    return Reply("cut", after_chunks=after_chunks, content=content, chunk_size=chunk_size)


def end_early(after_chunks: int = 2, content: str | None = None, chunk_size: int = 8) -> Reply:
    """Stream ``after_chunks`` chunks, then end the response cleanly without a
    finish_reason or ``[DONE]`` (a server that gave up quietly)."""
    return Reply("end_early", after_chunks=after_chunks, content=content, chunk_size=chunk_size)


def stall(seconds: float = 30.0, after_chunks: int = 1, content: str | None = None) -> Reply:
    """Stream ``after_chunks`` chunks, then say nothing for ``seconds`` (ended early
    when the server stops), then finish normally."""
    return Reply("stall", after_chunks=after_chunks, seconds=seconds, content=content)


@dataclass
class ReceivedRequest:
    """A request the server got: its JSON body, whether it carried a bearer key, and
    its Authorization header (tests check which key reached the provider)."""

    body: dict[str, Any]
    had_api_key: bool
    at: float
    authorization: str = ""


class OpenAIServer:
    """The server. ``answer(body) -> str`` overrides the default schema-filling answer."""

    def __init__(self, answer: Callable[[dict[str, Any]], str] | None = None) -> None:
        self._answer = answer or default_answer
        self._script: deque[Reply] = deque()
        self.requests: list[ReceivedRequest] = []
        self.port: int | None = None
        self._runner: web.AppRunner | None = None
        self._closing: asyncio.Event | None = None

    @property
    def authorizations(self) -> list[str]:
        """The Authorization header of every request so far, in order."""
        return [r.authorization for r in self.requests]

    # ---------------------------------------------------------------- script
    def script(self, *replies: Reply) -> OpenAIServer:
        """Queue replies for the next requests, in order."""
        self._script.extend(replies)
        return self

    @property
    def base_url(self) -> str:
        """The ``api_base`` to give litellm (``http://127.0.0.1:PORT/v1``)."""
        if self.port is None:
            raise RuntimeError("the server is not started")
        return f"http://127.0.0.1:{self.port}/v1"

    # ------------------------------------------------------------- lifecycle
    async def start(self) -> OpenAIServer:
        app = web.Application()
        app.router.add_post("/v1/chat/completions", self._handle)
        app.router.add_post("/chat/completions", self._handle)
        app.router.add_get("/v1/models", self._models)
        self._closing = asyncio.Event()
        self._runner = web.AppRunner(app, shutdown_timeout=0.5, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def stop(self) -> None:
        if self._closing is not None:
            self._closing.set()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> OpenAIServer:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @contextlib.contextmanager
    def in_thread(self) -> Iterator[OpenAIServer]:
        """Run on a private loop in a daemon thread (for synchronous callers)."""
        loop = asyncio.new_event_loop()
        ready = threading.Event()

        def serve() -> None:
            asyncio.set_event_loop(loop)
            loop.run_until_complete(self.start())
            ready.set()
            loop.run_forever()
            loop.run_until_complete(self.stop())
            loop.close()

        thread = threading.Thread(target=serve, name="openai-test-server", daemon=True)
        thread.start()
        if not ready.wait(10):
            raise RuntimeError("the test server did not start within 10 s")
        try:
            yield self
        finally:
            loop.call_soon_threadsafe(loop.stop)
            thread.join(10)

    # -------------------------------------------------------------- handlers
    async def _models(self, request: web.Request) -> web.Response:
        return web.json_response({"object": "list", "data": [{"id": "test", "object": "model"}]})

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        body = await request.json()
        auth = request.headers.get("Authorization", "")
        self.requests.append(
            ReceivedRequest(
                body, auth.startswith("Bearer ") and len(auth) > 7, time.monotonic(), auth
            )
        )
        reply = self._script.popleft() if self._script else ok()
        if reply.kind == "error":
            payload = {
                "error": {"message": reply.message, "type": "server_error", "code": reply.status}
            }
            return web.json_response(payload, status=reply.status, headers=dict(reply.headers))
        content = reply.content if reply.content is not None else self._answer(body)
        model = str(body.get("model", "test"))
        if not body.get("stream"):
            return web.json_response(_completion(model, content, reply.finish_reason, body))
        return await self._stream(request, body, reply, model, content)

    async def _stream(
        self, request: web.Request, body: dict[str, Any], reply: Reply, model: str, content: str
    ) -> web.StreamResponse:
        response = web.StreamResponse(
            headers={"Content-Type": "text/event-stream", "Cache-Control": "no-cache"}
        )
        await response.prepare(request)
        size = max(1, reply.chunk_size)
        pieces = [content[i : i + size] for i in range(0, len(content), size)] or [""]
        for index, piece in enumerate(pieces):
            if reply.kind in ("cut", "end_early") and index >= reply.after_chunks:
                if reply.kind == "cut":
                    assert request.transport is not None
                    request.transport.abort()  # no terminating chunk: the client sees a broken body
                    return response
                await response.write_eof()
                return response
            if reply.kind == "stall" and index == reply.after_chunks:
                assert self._closing is not None
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._closing.wait(), reply.seconds)
                if self._closing.is_set():
                    return response
            if reply.delay:
                await asyncio.sleep(reply.delay)
            await response.write(
                _sse(
                    _chunk(
                        model,
                        {"role": "assistant", "content": piece}
                        if index == 0
                        else {"content": piece},
                    )
                )
            )
        await response.write(_sse(_chunk(model, {}, reply.finish_reason)))
        if (body.get("stream_options") or {}).get("include_usage"):
            usage = _usage(body, content)
            await response.write(_sse({**_chunk(model, {}), "choices": [], "usage": usage}))
        await response.write(b"data: [DONE]\n\n")
        await response.write_eof()
        return response


def default_answer(body: dict[str, Any]) -> str:
    """JSON fitting the request's ``response_format`` schema, derived from its input."""
    response_format = body.get("response_format") or {}
    schema = (response_format.get("json_schema") or {}).get("schema")
    return json.dumps(offline_answer(schema, input_of(body.get("messages", []))))


def _sse(payload: dict[str, Any]) -> bytes:
    return f"data: {json.dumps(payload)}\n\n".encode()


def _chunk(model: str, delta: dict[str, Any], finish_reason: str | None = None) -> dict[str, Any]:
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish_reason}],
    }


def _usage(body: dict[str, Any], content: str) -> dict[str, int]:
    prompt = sum(len(str(m.get("content", "")).split()) for m in body.get("messages", []))
    completion = max(1, len(content) // 4)
    return {
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion,
    }


def _completion(
    model: str, content: str, finish_reason: str, body: dict[str, Any]
) -> dict[str, Any]:
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": finish_reason,
            }
        ],
        "usage": _usage(body, content),
    }
