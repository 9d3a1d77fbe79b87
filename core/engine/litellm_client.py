"""Model calls through litellm: streaming, structured output, errors translated.

Every model, the offline one included, goes through ``litellm.acompletion``
with ``stream=True``. litellm's own retries are switched off (``num_retries=0``,
``max_retries=0``): the engine retries, so it can emit events and honour the
node timeout. Errors become :class:`~core.engine.errors.ProviderError` with a
kind, a transient flag, the Retry-After, and a message with no key in it.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
from collections.abc import AsyncIterator, Iterable, Mapping
from types import ModuleType
from typing import Any

from core.engine.errors import ProviderError
from core.engine.litellm_loader import is_loaded, is_primed, is_route_warm, load_litellm, prime
from core.engine.model_client import ModelCall, StreamEnd
from core.engine.options import OFFLINE_MODEL, is_offline
from core.engine.redact import REDACTED, redact
from core.engine.retry import retry_after_of

PLACEHOLDER_KEY = "none"
"""Sent to an ``api_base`` server when no key is set: local servers (llama.cpp,
vLLM, Ollama) ignore it, but the OpenAI client refuses to send a request without one."""


def litellm_model_name(model: str) -> str:
    """``offline`` becomes ``offline/default`` (litellm routes on the provider prefix)."""
    return f"{OFFLINE_MODEL}/default" if model == OFFLINE_MODEL else model


class LiteLLMClient:
    """The default :class:`~core.engine.model_client.ModelClient`.

    ``credentials`` maps key variable names (``OPENAI_API_KEY``...) to keys given
    explicitly, e.g. from the editor's provider settings. The key for a call's
    provider is passed to litellm as ``api_key`` (taking precedence over the
    environment, which is never changed), and every credential is redacted from
    error messages like the environment's keys.
    """

    def __init__(self, credentials: Mapping[str, str] | None = None) -> None:
        self._credentials = {
            name: value for name, value in (credentials or {}).items() if value and value.strip()
        }

    async def ready(self, models: Iterable[str] = ()) -> None:
        """Import litellm, prime its first call and warm the provider route of
        each of ``models`` now, in a worker thread, before a run starts (a
        no-op once done in this process)."""
        models = tuple(models)
        if not is_primed() or not all(is_offline(m) or is_route_warm(m) for m in models):
            await asyncio.to_thread(prime, models)

    async def _litellm(self) -> ModuleType:
        if is_loaded():
            return load_litellm()
        # The first import takes seconds: keep the event loop (and the editor) live.
        return await asyncio.to_thread(load_litellm)

    async def stream(self, call: ModelCall) -> AsyncIterator[str | StreamEnd]:
        litellm = await self._litellm()
        model = litellm_model_name(call.model)
        kwargs: dict[str, Any] = {
            "model": model,
            "messages": call.messages,
            "stream": True,
            "stream_options": {"include_usage": True},
            "num_retries": 0,
            "max_retries": 0,
        }
        if call.response_format is not None:
            kwargs["response_format"] = call.response_format
        if call.temperature is not None:
            kwargs["temperature"] = call.temperature
        if call.timeout is not None:
            kwargs["timeout"] = max(call.timeout, 0.001)
        offline = is_offline(call.model)
        if offline:
            kwargs["offline_delay"] = call.offline_delay
            kwargs["offline_voice"] = call.node_name
        else:
            if call.api_base:
                kwargs["api_base"] = call.api_base
            missing = missing_keys(litellm, model, call.api_base)
            given = self._credential_for(litellm, model, missing)
            if given is not None:
                kwargs["api_key"] = given
                missing = [name for name in missing if name not in self._credentials]
            if missing and not call.api_base:
                raise ProviderError(
                    "missing_api_key",
                    f"{call.model} needs {' and '.join(missing)}: set it in the environment or in a "
                    ".env file (never in the graph), or run with the offline model",
                )
            if missing and "api_key" not in kwargs:
                kwargs["api_key"] = PLACEHOLDER_KEY

        finish: str | None = None
        usage: Any = None
        response: Any = None
        try:
            response = await litellm.acompletion(**kwargs)
            async for chunk in response:
                if getattr(chunk, "usage", None):
                    usage = chunk.usage
                for choice in chunk.choices or ():
                    text = getattr(choice.delta, "content", None) if choice.delta else None
                    if text:
                        yield text
                    if choice.finish_reason:
                        finish = choice.finish_reason
        except ProviderError:
            raise
        except Exception as exc:  # every provider failure becomes one ProviderError
            raise self._scrubbed(translate_error(litellm, exc, call)) from None
        finally:
            if response is not None and hasattr(response, "aclose"):
                with contextlib.suppress(Exception):
                    await response.aclose()
        tokens_in = _int(usage, "prompt_tokens")
        tokens_out = _int(usage, "completion_tokens")
        cost = 0.0 if offline else _cost(litellm, model, tokens_in, tokens_out)
        yield StreamEnd(finish, tokens_in, tokens_out, cost)

    def _credential_for(self, litellm: ModuleType, model: str, missing: list[str]) -> str | None:
        """The given key for ``model``'s provider: one of the variables litellm
        misses, else the provider's conventional ``<PROVIDER>_API_KEY``."""
        if not self._credentials:
            return None
        for name in (*missing, conventional_key_name(litellm, model)):
            if name in self._credentials:
                return self._credentials[name]
        return None

    def _scrubbed(self, error: ProviderError) -> ProviderError:
        for value in self._credentials.values():
            if value:
                error.scrub(value, REDACTED)
        return error


def conventional_key_name(litellm: ModuleType, model: str) -> str:
    """``<PROVIDER>_API_KEY`` for the provider litellm routes ``model`` to."""
    try:
        provider = litellm.get_llm_provider(model=model)[1]
    except Exception:  # unknown provider: guess from the prefix
        provider = model.split("/", 1)[0] if "/" in model else "openai"
    return f"{str(provider).upper()}_API_KEY"


def missing_keys(litellm: ModuleType, model: str, api_base: str | None) -> list[str]:
    """Environment variables ``model`` needs and lacks (server addresses excluded:
    those have defaults or come from ``api_base``)."""
    try:
        report = litellm.validate_environment(model=model, api_base=api_base)
    except Exception:  # unknown provider: let the call itself say what is wrong
        return []
    missing = [
        k for k in report.get("missing_keys", []) if not k.endswith(("_API_BASE", "_BASE_URL"))
    ]
    # validate_environment only checks presence; an empty variable is missing too.
    conventional = f"{model.split('/', 1)[0].upper()}_API_KEY" if "/" in model else "OPENAI_API_KEY"
    if not missing and conventional in os.environ and not os.environ[conventional].strip():
        missing.append(conventional)
    return missing


def translate_error(litellm: ModuleType, exc: Exception, call: ModelCall) -> ProviderError:
    """One :class:`ProviderError` for any exception litellm raised."""
    status = getattr(exc, "status_code", None)
    status = status if isinstance(status, int) else None
    detail = _clean(getattr(exc, "message", None) or str(exc) or type(exc).__name__)
    where = call.api_base or "the provider"
    e = litellm.exceptions
    if isinstance(exc, (e.AuthenticationError, e.PermissionDeniedError)):
        return ProviderError(
            "authentication",
            f"{where} rejected the API key for {call.model}",
            detail=detail,
            advice="check the key in the environment or .env file",
            status_code=status,
        )
    if isinstance(exc, e.RateLimitError):
        return ProviderError(
            "rate_limited",
            f"{where} is rate limiting {call.model}",
            detail=f"HTTP 429: {detail}",
            advice="wait or lower the concurrency limit",
            transient=True,
            retry_after=retry_after_of(exc),
            status_code=429,
        )
    if isinstance(exc, e.Timeout):
        return ProviderError(
            "timeout", f"{where} did not answer in time", detail=detail, status_code=status
        )
    if isinstance(exc, e.NotFoundError):
        return ProviderError(
            "bad_request",
            f"{where} does not know {call.model}",
            detail=detail,
            advice="check the model name",
            status_code=status,
        )
    if _looks_truncated(exc):
        return ProviderError(
            "truncated_stream",
            f"{where} closed the stream before the answer was complete",
            detail=detail,
            transient=True,
            status_code=status,
        )
    if isinstance(exc, e.APIConnectionError) or _is_connection_error(exc):
        return ProviderError(
            "connection",
            f"could not reach {where} for {call.model}",
            detail=detail,
            advice="is the server running and the address right?",
            transient=True,
            retry_after=retry_after_of(exc),
            status_code=status,
        )
    if status is not None and (status >= 500 or status in (408, 409)):
        return ProviderError(
            "provider_error",
            f"{where} failed to answer {call.model}",
            detail=f"HTTP {status}: {detail}",
            advice="try again later",
            transient=True,
            retry_after=retry_after_of(exc),
            status_code=status,
        )
    if isinstance(exc, (e.BadRequestError, e.UnprocessableEntityError)) or (
        status and 400 <= status < 500
    ):
        return ProviderError(
            "bad_request",
            f"{where} refused the request for {call.model}",
            detail=detail,
            advice="check the model name and that it supports JSON-schema output",
            status_code=status,
        )
    return ProviderError(
        "provider_error",
        f"calling {call.model} failed: {type(exc).__name__}: {detail}",
        status_code=status,
    )


_PREFIX = re.compile(r"^(?:litellm\.\w+:\s*|\w+Error:\s*|\w+Exception\s*-\s*)+")


def _clean(message: str) -> str:
    """A provider message without litellm's class-name prefixes, short, key-free."""
    text = _PREFIX.sub("", " ".join(str(message).split()))
    if len(text) > 300:
        text = text[:297] + "..."
    return redact(text)


def _is_connection_error(exc: BaseException) -> bool:
    names = {type(e).__name__ for e in _chain(exc)}
    return bool(
        names
        & {
            "ConnectError",
            "ReadError",
            "RemoteProtocolError",
            "ClientPayloadError",
            "ServerDisconnectedError",
            "ClientConnectionError",
            "ConnectionResetError",
            "ClientOSError",
            "TransferEncodingError",
        }
    )


def _looks_truncated(exc: BaseException) -> bool:
    """A stream that broke off: a body cut mid-way, or litellm noticing no finish_reason."""
    markers = (
        "incomplete",
        "peer closed",
        "transferencodingerror",
        "clientpayloaderror",
        "stream ended before",
        "midstreamfallbackerror",
        "not enough data",
    )
    for item in _chain(exc):
        text = f"{type(item).__name__} {item}".lower()
        if any(marker in text for marker in markers):
            return True
    return False


def _chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen and len(seen) < 10:
        seen.append(current)
        current = (
            getattr(current, "original_exception", None) or current.__cause__ or current.__context__
        )
    return seen


def _int(usage: Any, name: str) -> int | None:
    value = getattr(usage, name, None) if usage is not None else None
    if value is None and isinstance(usage, dict):
        value = usage.get(name)
    return int(value) if isinstance(value, (int, float)) else None


def _cost(
    litellm: ModuleType, model: str, tokens_in: int | None, tokens_out: int | None
) -> float | None:
    if tokens_in is None and tokens_out is None:
        return None
    try:
        prompt, completion = litellm.cost_per_token(
            model=model, prompt_tokens=tokens_in or 0, completion_tokens=tokens_out or 0
        )
    except Exception:  # a model litellm has no price for
        return None
    return float(prompt + completion)
