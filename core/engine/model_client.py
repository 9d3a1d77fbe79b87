"""The seam between the engine and whatever answers model calls.

The engine only needs "stream this call's text, then tell me how it ended".
:class:`~core.engine.litellm_client.LiteLLMClient` does it through litellm
(real providers and the offline model alike); tests and benchmarks may plug in
another client (e.g. :class:`~core.engine.offline_model.OfflineModelClient`) to
measure the engine without litellm in the way. A client raises
:class:`~core.engine.errors.ProviderError` for failures and never retries:
retrying is the engine's job (:mod:`core.engine.generation`).
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True, slots=True)
class ModelCall:
    """One request: ``model`` is resolved (override applied); ``timeout`` is the
    time the node has left, for the HTTP layer; ``node_id``/``node_name`` say who
    asks (for clients that log or route per node)."""

    model: str
    messages: list[dict[str, Any]]
    response_format: dict[str, Any] | None
    temperature: float | None = None
    api_base: str | None = None
    timeout: float | None = None
    offline_delay: float = 0.0
    node_id: str = ""
    node_name: str = ""


@dataclass(frozen=True, slots=True)
class StreamEnd:
    """How a stream ended. ``finish_reason`` None means the stream closed without
    saying it was done (truncated)."""

    finish_reason: str | None
    tokens_in: int | None = None
    tokens_out: int | None = None
    cost: float | None = None


class ModelClient(Protocol):
    def stream(self, call: ModelCall) -> AsyncIterator[str | StreamEnd]:
        """Yield text pieces as they arrive, then exactly one :class:`StreamEnd`."""
        ...


async def make_ready(client: ModelClient, models: Iterable[str] = ()) -> None:
    """Let ``client`` do its one-time set-up (``async def ready()``, optional;
    ``ready(models)`` when it takes the run's models, to warm their provider
    routes) before a run's clock starts, so a first run's node times and
    timeouts do not include, say, importing litellm (seconds of CPU) or a
    provider's first-call set-up. A set-up that fails is left to the calls
    themselves, which fail per node with their own message."""
    ready = getattr(client, "ready", None)
    if ready is None:
        return
    try:
        if inspect.signature(ready).parameters:
            await ready(tuple(models))
        else:
            await ready()
    except Exception:  # the nodes' own calls then fail and say why, node by node
        logging.getLogger(__name__).debug("model client set-up failed", exc_info=True)
