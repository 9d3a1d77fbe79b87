"""The one place that imports litellm.

litellm costs seconds of CPU to import and, unless told otherwise, fetches a
model price list from the network on import. So: nothing imports it at module
level; :func:`load_litellm` sets ``LITELLM_LOCAL_MODEL_COST_MAP`` first, quiets
its console chatter, registers the offline provider (idempotently) and caches
the module. :func:`prime` also makes litellm's costly first call, and warms
each provider route a run will use; the editor's warm-up and
``LiteLLMClient.ready`` run it in a worker thread, so no run's nodes pay for
any of it.

The import runs with the cyclic garbage collector paused: the import creates
hundreds of thousands of objects, and the full collections they trigger each
hold the GIL for 100-400 ms, which froze the editor's UI thread while a
background thread imported. Afterwards the imported objects are frozen
(``gc.freeze``) so later collections never walk them again.
"""

from __future__ import annotations

import gc
import logging
import os
import threading
from collections.abc import Iterable
from types import ModuleType

_lock = threading.Lock()
_module: ModuleType | None = None
_primed = False
_warm_routes: set[str] = set()

WARMABLE_PROVIDERS = frozenset(
    {
        "openai",
        "anthropic",
        "mistral",
        "groq",
        "deepseek",
        "openrouter",
        "ollama",
        "ollama_chat",
        "hosted_vllm",
        "lm_studio",
        "together_ai",
        "fireworks_ai",
        "xai",
    }
)
"""Providers whose litellm handler honours ``api_base``, so a warm-up call can be
kept on loopback; others are left cold rather than risk a real request."""

REFUSING_BASE = "http://127.0.0.1:9/v1"
"""The discard port on loopback: nothing listens, so a call there fails at once,
having run the provider's whole client-side path (and sent nothing anywhere)."""


def load_litellm() -> ModuleType:
    """Import and configure litellm once; safe to call from any thread."""
    global _module
    if _module is not None:
        return _module
    with _lock:
        if _module is None:
            os.environ["LITELLM_LOCAL_MODEL_COST_MAP"] = "True"
            collecting = gc.isenabled()
            gc.disable()
            try:
                import litellm
            finally:
                if collecting:
                    gc.freeze()
                    gc.enable()

            litellm.suppress_debug_info = True  # no "Give Feedback / Get Help" banners
            litellm.telemetry = False
            logging.getLogger("LiteLLM").setLevel(logging.WARNING)
            register_offline_provider(litellm)
            _module = litellm
    return _module


def register_offline_provider(litellm: ModuleType) -> None:
    """Install the offline provider in ``litellm.custom_provider_map``; calling it
    again replaces the entry rather than adding a second one."""
    from core.engine.offline_provider import PROVIDER, OfflineProvider

    others = [p for p in (litellm.custom_provider_map or []) if p.get("provider") != PROVIDER]
    litellm.custom_provider_map = [
        *others,
        {"provider": PROVIDER, "custom_handler": OfflineProvider()},
    ]
    from litellm.utils import custom_llm_setup

    custom_llm_setup()


def is_loaded() -> bool:
    return _module is not None


def warm_up() -> None:
    """Import litellm now (blocking; run it in a thread, e.g. ``asyncio.to_thread``)."""
    load_litellm()


def is_primed() -> bool:
    return _primed


def prime(models: Iterable[str] = ()) -> None:
    """Import litellm and make one tiny offline completion on a private event
    loop, so litellm's first-call set-up (hundreds of ms of CPU) is paid here
    and not by a run's first node; then warm the route of each of ``models``
    (see :func:`warm_route`). Blocking and idempotent: call it in a worker
    thread (the editor's warm-up, ``LiteLLMClient.ready``)."""
    global _primed
    import asyncio

    from core.engine.options import is_offline

    if not _primed:
        load_litellm()
        asyncio.run(_first_call())
        _primed = True
    for model in models:
        if not is_offline(model) and route_of(model) not in _warm_routes:
            asyncio.run(warm_route(model))


def route_of(model: str) -> str:
    """The provider litellm routes ``model`` to (``openai/gpt-4o`` and
    ``gpt-4o`` -> ``openai``); the model itself when litellm cannot tell."""
    try:
        return load_litellm().get_llm_provider(model)[1]
    except Exception:  # an unknown model: its call will say so
        return model


def is_route_warm(model: str) -> bool:
    """Whether ``model``'s route needs no more warming (warmed, or not warmable)."""
    route = route_of(model)
    return route in _warm_routes or route not in WARMABLE_PROVIDERS


async def warm_route(model: str) -> None:
    """Pay a provider route's first-call cost now: litellm imports the
    provider's modules, builds its SDK client classes and HTTP transport on the
    first call of a process. One call to ``model`` aimed at a loopback port
    where nothing listens runs all of that and fails at once, without a key
    and without sending anything off the machine. Offline models need nothing."""
    from core.engine.options import is_offline

    if is_offline(model):
        return
    route = route_of(model)
    if route in _warm_routes or route not in WARMABLE_PROVIDERS:
        return
    _warm_routes.add(route)
    litellm = load_litellm()
    try:
        response = await litellm.acompletion(
            model=model,
            messages=[{"role": "user", "content": "warm-up"}],
            stream=True,
            api_base=REFUSING_BASE,
            api_key="warm-up",
            num_retries=0,
            max_retries=0,
            timeout=2.0,
        )
        async for _chunk in response:
            pass
    except Exception:  # expected: nothing listens there; the route's set-up is done
        logging.getLogger(__name__).debug("route warm-up for %s ended", model, exc_info=True)


async def _first_call() -> None:
    from core.engine.litellm_client import LiteLLMClient
    from core.engine.model_client import ModelCall

    call = ModelCall(
        model="offline",
        messages=[{"role": "system", "content": "warm-up"}, {"role": "user", "content": "{}"}],
        response_format=None,
    )
    async for _piece in LiteLLMClient().stream(call):
        pass
