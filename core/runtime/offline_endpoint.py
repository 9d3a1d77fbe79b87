"""The offline model behind an OpenAI-compatible endpoint on 127.0.0.1.

Synalinks 0.10 accepts only the model providers it knows, so the runtime
worker (and an exported script run by hand) reaches the built-in offline
model the way it reaches a real one: ``openai/offline--<voice>`` with
``api_base`` pointing here. The answer is the built-in engine's own
(:func:`~core.engine.offline_model.answer_text`), so both backends give the
same outputs; ``<voice>`` is the asking module's name, which the built-in
engine passes directly. The endpoint listens on loopback only and needs no
key (any key is accepted, none is logged).

``/v1/chat/completions`` answers plain JSON or, with ``"stream": true``,
server-sent chunks; a request with ``tools`` (an agent's turn) first calls
every tool once, then answers in words once their results are in. ``/d<seconds>/v1/...`` waits that long per token, so an
offline run on Synalinks takes time the way the streaming engine does.
``/v1/embeddings`` answers with the offline embedder
(:mod:`core.engine.offline_embeddings`), so knowledge bases embed and search
with no key and no network.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
import uuid
from typing import Any

from aiohttp import web

from core.engine.offline_embeddings import embed, words
from core.engine.offline_model import answer_text, count_prompt_tokens, offline_answer, tokens
from core.engine.prompts import input_of

VOICE_SEPARATOR = "--"


def voice_of(model: str) -> str | None:
    """``offline--branch_1`` (or ``openai/offline--branch_1``) -> ``branch_1``."""
    name = model.rsplit("/", 1)[-1]
    _, sep, voice = name.partition(VOICE_SEPARATOR)
    return voice or None if sep else None


class OfflineEndpoint:
    """Serve the offline model on ``127.0.0.1:<free port>``.

    Use ``async with OfflineEndpoint() as endpoint`` on a running loop, or
    :meth:`start_in_thread` from synchronous code (the CLI's helpers, scripts).
    ``api_base(delay)`` is the URL to give a language model.
    """

    def __init__(self, port: int = 0) -> None:
        self.port = port
        self.requests = 0
        self._runner: web.AppRunner | None = None
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def api_base(self, delay: float = 0.0) -> str:
        prefix = f"/d{delay:g}" if delay > 0 else ""
        return f"http://127.0.0.1:{self.port}{prefix}/v1"

    async def start(self) -> OfflineEndpoint:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_post("/v1/chat/completions", self._complete)
        app.router.add_post("/d{delay}/v1/chat/completions", self._complete)
        app.router.add_post("/v1/embeddings", self._embeddings)
        app.router.add_post("/d{delay}/v1/embeddings", self._embeddings)
        app.router.add_get("/v1/models", self._models)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", self.port)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> OfflineEndpoint:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    def start_in_thread(self) -> OfflineEndpoint:
        """Run on a loop of its own in a daemon thread (returns once listening)."""
        ready = threading.Event()

        def serve() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            loop.run_until_complete(self.start())
            ready.set()
            loop.run_forever()
            loop.run_until_complete(self.stop())
            loop.close()

        self._thread = threading.Thread(target=serve, name="offline-endpoint", daemon=True)
        self._thread.start()
        ready.wait(10)
        return self

    def stop_thread(self) -> None:
        if self._loop is not None and self._thread is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(5)
            self._thread = None

    async def _models(self, request: web.Request) -> web.Response:
        return web.json_response({"object": "list", "data": [{"id": "offline", "object": "model"}]})

    async def _embeddings(self, request: web.Request) -> web.Response:
        """OpenAI's embeddings API: ``input`` is a string or a list of strings."""
        self.requests += 1
        try:
            body = await request.json()
            texts = body.get("input")
        except (ValueError, TypeError, AttributeError):
            texts = None
        if isinstance(texts, str):
            texts = [texts]
        if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
            return web.json_response(
                {"error": {"message": "input must be a string or a list of strings"}},
                status=400,
            )
        counted = sum(len(words(t)) for t in texts)
        return web.json_response(
            {
                "object": "list",
                "model": str(body.get("model") or "offline"),
                "data": [
                    {"object": "embedding", "index": i, "embedding": embed(t)}
                    for i, t in enumerate(texts)
                ],
                "usage": {"prompt_tokens": counted, "total_tokens": counted},
            }
        )

    async def _complete(self, request: web.Request) -> web.StreamResponse:
        self.requests += 1
        try:
            body = await request.json()
            messages = list(body.get("messages") or [])
        except (ValueError, TypeError, AttributeError):
            return web.json_response(
                {"error": {"message": "the body must be a JSON chat-completions request"}},
                status=400,
            )
        try:
            delay = float(request.match_info.get("delay", 0))
        except ValueError:
            delay = 0.0
        model = str(body.get("model") or "offline")
        tools = body.get("tools") or []
        if tools and not body.get("response_format"):
            return web.json_response(self._tool_turn(model, messages, tools))
        text = answer_text(messages, body.get("response_format"), voice_of(model))
        pieces = tokens(text)
        usage = {
            "prompt_tokens": count_prompt_tokens(messages),
            "completion_tokens": len(pieces),
            "total_tokens": count_prompt_tokens(messages) + len(pieces),
        }
        if body.get("stream"):
            return await self._stream(request, model, pieces, usage, delay)
        if delay > 0:
            await asyncio.sleep(delay * len(pieces))
        return web.json_response(
            {
                "id": f"chatcmpl-{uuid.uuid4().hex}",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": model,
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": text},
                        "finish_reason": "stop",
                    }
                ],
                "usage": usage,
            }
        )

    def _tool_turn(self, model: str, messages: list, tools: list) -> dict[str, Any]:
        """An agent's turn: first call every tool once (arguments derived from the
        input, like any offline answer), then, once tool results are in, say so.
        Deterministic, so an agent with tools runs offline the same way every time."""
        voice = voice_of(model)
        last_user = max((i for i, m in enumerate(messages) if m.get("role") == "user"), default=-1)
        answered = any(m.get("role") == "tool" for m in messages[last_user + 1 :])
        ident = f"chatcmpl-{uuid.uuid4().hex}"
        if answered:
            results = [str(m.get("content", "")) for m in messages if m.get("role") == "tool"]
            message = {
                "role": "assistant",
                "content": f"The offline model{f' ({voice})' if voice else ''} called "
                f"{len(results)} tool(s) and read their results.",
            }
            finish = "stop"
        else:
            calls = []
            for index, tool in enumerate(tools):
                function = tool.get("function") or {}
                arguments = offline_answer(
                    function.get("parameters") or {"type": "object"}, input_of(messages), voice
                )
                calls.append(
                    {
                        "id": f"call_{index}_{uuid.uuid4().hex[:8]}",
                        "type": "function",
                        "function": {
                            "name": function.get("name", ""),
                            "arguments": json.dumps(arguments, ensure_ascii=False),
                        },
                    }
                )
            message = {"role": "assistant", "content": None, "tool_calls": calls}
            finish = "tool_calls"
        return {
            "id": ident,
            "object": "chat.completion",
            "created": int(time.time()),
            "model": model,
            "choices": [{"index": 0, "message": message, "finish_reason": finish}],
            "usage": {"prompt_tokens": count_prompt_tokens(messages), "completion_tokens": 8},
        }

    async def _stream(
        self,
        request: web.Request,
        model: str,
        pieces: list[str],
        usage: dict[str, int],
        delay: float,
    ) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
        await response.prepare(request)
        ident = f"chatcmpl-{uuid.uuid4().hex}"

        def chunk(delta: dict[str, Any], finish: str | None, extra: dict | None = None) -> bytes:
            payload = {
                "id": ident,
                "object": "chat.completion.chunk",
                "created": int(time.time()),
                "model": model,
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
                **(extra or {}),
            }
            return f"data: {json.dumps(payload, ensure_ascii=False)}\n\n".encode()

        await response.write(chunk({"role": "assistant", "content": ""}, None))
        for piece in pieces:
            if delay > 0:
                await asyncio.sleep(delay)
            await response.write(chunk({"content": piece}, None))
        await response.write(chunk({}, "stop", {"usage": usage}))
        await response.write(b"data: [DONE]\n\n")
        await response.write_eof()
        return response
