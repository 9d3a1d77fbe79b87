"""The built-in ``offline`` model: no key, no network, answers you can trace.

It answers any JSON schema with a valid object derived from the input, the
same way every time: strings quote the input's main text (so a user sees the
data flow through the graph), enums and Decision labels are chosen by a hash
of the input, numbers and booleans too. The node asking (its "voice") is part
of the answer, so two parallel branches given the same input visibly answer
as themselves rather than as copies of each other. It streams the answer token by token
with a configurable delay so the editor shows text filling in.

Two doors lead to it: :mod:`core.engine.offline_provider` plugs it into
litellm as the custom provider ``offline`` (the path every run takes, exactly
like a real model), and :class:`OfflineModelClient` calls it directly (for
benchmarks that measure the engine alone).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import re
from collections.abc import AsyncIterator
from typing import Any

from core.engine.model_client import ModelCall, StreamEnd
from core.engine.prompts import input_of

_TOKEN = re.compile(r"\s*[\w']+|\s*[^\w\s]+|\s+")
_SUBJECT_LIMIT = 80


def offline_answer(schema: dict[str, Any] | None, inputs: Any, voice: str | None = None) -> Any:
    """A deterministic answer to ``inputs`` that is valid for ``schema``.

    ``voice`` (the asking node's name) is woven into the text and the choices.
    """
    seed = json.dumps(inputs, sort_keys=True, default=str) + (f"\x00{voice}" if voice else "")
    digest = hashlib.sha256(seed.encode()).digest()
    filler = _Filler(_subject(inputs), digest, (schema or {}).get("$defs", {}), voice)
    if not schema:
        return {"answer": filler.text("answer")}
    return filler.fill("", schema)


def answer_text(
    messages: list[dict[str, Any]],
    response_format: dict[str, Any] | None,
    voice: str | None = None,
) -> str:
    """The JSON text the offline model answers a prompt with."""
    schema = None
    if response_format and isinstance(response_format.get("json_schema"), dict):
        schema = response_format["json_schema"].get("schema")
    elif response_format and isinstance(response_format.get("schema"), dict):
        schema = response_format["schema"]
    return json.dumps(offline_answer(schema, input_of(messages), voice), ensure_ascii=False)


def tokens(text: str) -> list[str]:
    """Split text into word-sized pieces (what the offline model streams)."""
    return _TOKEN.findall(text)


def count_prompt_tokens(messages: list[dict[str, Any]]) -> int:
    return sum(len(tokens(str(m.get("content", "")))) for m in messages)


async def stream_tokens(text: str, delay: float) -> AsyncIterator[str]:
    """Yield ``text`` piece by piece, ``delay`` seconds apart (0: all at once)."""
    pieces = tokens(text)
    if delay <= 0:
        yield text
        return
    for piece in pieces:
        await asyncio.sleep(delay)
        yield piece


class OfflineModelClient:
    """A :class:`~core.engine.model_client.ModelClient` answering every call with the
    offline model directly, without litellm. ``latency`` (seconds, or a function of
    the call) is waited before the first token; ``chunks`` splits the answer."""

    def __init__(self, latency: float | Any = 0.0, chunks: int | None = None) -> None:
        self.latency = latency
        self.chunks = chunks
        self.calls = 0

    def answer(self, call: ModelCall) -> str:
        """The text answering ``call`` (what the offline provider would stream)."""
        return answer_text(call.messages, call.response_format, call.node_name or None)

    async def stream(self, call: ModelCall) -> AsyncIterator[str | StreamEnd]:
        self.calls += 1
        latency = self.latency(call) if callable(self.latency) else self.latency
        if latency > 0:
            await asyncio.sleep(latency)
        text = self.answer(call)
        if self.chunks:
            size = max(1, -(-len(text) // self.chunks))
            for start in range(0, len(text), size):
                yield text[start : start + size]
        else:
            async for piece in stream_tokens(text, call.offline_delay):
                yield piece
        tokens_in, tokens_out = self.usage(call, text)
        yield StreamEnd("stop", tokens_in, tokens_out, 0.0)

    def usage(self, call: ModelCall, text: str) -> tuple[int, int]:
        """Tokens in and out, counted the way the offline provider counts them."""
        return count_prompt_tokens(call.messages), len(tokens(text))


# ------------------------------------------------------------------ filling
def _subject(inputs: Any) -> str:
    """The input's main text: its first non-empty string, else its JSON."""
    found = _first_string(inputs)
    if found is None:
        found = (
            json.dumps(inputs, ensure_ascii=False, default=str) if inputs is not None else "nothing"
        )
    found = " ".join(found.split())
    return found if len(found) <= _SUBJECT_LIMIT else found[: _SUBJECT_LIMIT - 1] + "…"


def _first_string(value: Any) -> str | None:
    if isinstance(value, str) and value.strip():
        return value
    if isinstance(value, dict):
        items = list(value.values())
    elif isinstance(value, list):
        items = value
    else:
        return None
    for item in items:
        found = _first_string(item)
        if found is not None:
            return found
    return None


class _Filler:
    def __init__(
        self, subject: str, digest: bytes, defs: dict[str, Any], voice: str | None = None
    ) -> None:
        self.subject = subject
        self.digest = digest
        self.defs = defs
        self.voice = voice

    def number(self, path: str) -> int:
        return int.from_bytes(hashlib.sha256(self.digest + path.encode()).digest()[:4], "big")

    def text(self, path: str) -> str:
        name = path.rsplit(".", 1)[-1].split("[", 1)[0] or "answer"
        lowered = name.lower()
        by = f" from {self.voice}" if self.voice else ""
        if "thinking" in lowered or "reason" in lowered:
            speaker = f" answering as {self.voice}" if self.voice else ""
            return (
                f"The input asks: “{self.subject}”. The offline model{speaker} does not "
                "reason; a real model would think it through step by step here."
            )
        if lowered.startswith("answer"):
            return f"Offline answer to “{self.subject}”{by}"
        return f"{name.replace('_', ' ').capitalize()} for “{self.subject}”{by}"

    def fill(self, path: str, schema: dict[str, Any]) -> Any:
        if "$ref" in schema:
            ref = schema["$ref"].rsplit("/", 1)[-1]
            return self.fill(path, self.defs.get(ref, {}))
        if "const" in schema:
            return schema["const"]
        if "enum" in schema and schema["enum"]:
            choices = schema["enum"]
            return choices[self.number(path) % len(choices)]
        for key in ("anyOf", "oneOf"):
            if key in schema:
                options = [s for s in schema[key] if s.get("type") != "null"] or schema[key]
                return self.fill(path, options[0])
        if "allOf" in schema and schema["allOf"]:
            return self.fill(path, schema["allOf"][0])
        kind = schema.get("type")
        if isinstance(kind, list):
            kind = next((k for k in kind if k != "null"), "string")
        if kind == "object" or "properties" in schema:
            return {
                name: self.fill(f"{path}.{name}" if path else name, prop)
                for name, prop in schema.get("properties", {}).items()
            }
        if kind == "array":
            low = int(schema.get("minItems", 0))
            high = int(schema.get("maxItems", max(low, 3)))
            count = min(high, max(low, 1 + self.number(path) % 2 + 1))
            return [self.fill(f"{path}[{i}]", schema.get("items", {})) for i in range(count)]
        if kind == "integer":
            return self._bounded(path, schema, 100)
        if kind == "number":
            if "minimum" in schema or "maximum" in schema:
                return float(self._bounded(path, schema, 100))
            return self._bounded(path, schema, 1000) / 10
        if kind == "boolean":
            return self.number(path) % 2 == 0
        if kind == "null":
            return None
        text = self.text(path)
        if "[" in path:
            text += f" ({int(path.rsplit('[', 1)[1].rstrip(']')) + 1})"
        return text

    def _bounded(self, path: str, schema: dict[str, Any], span: int) -> int:
        low = schema.get("minimum", 0)
        high = schema.get("maximum", low + span - 1)
        low, high = int(low), int(high)
        return low + self.number(path) % max(1, high - low + 1)
