"""The one place that imports litellm.

litellm costs seconds of CPU to import and, unless told otherwise, fetches a
model price list from the network on import. So: nothing imports it at module
level; :func:`load_litellm` sets ``LITELLM_LOCAL_MODEL_COST_MAP`` first, quiets
its console chatter, registers the offline provider (idempotently) and caches
the module. :func:`prime` also makes litellm's costly first call; the editor's
warm-up and ``LiteLLMClient.ready`` run it in a worker thread, so no run's
nodes pay for either.
"""

from __future__ import annotations

import logging
import os
import threading
from types import ModuleType

_lock = threading.Lock()
_module: ModuleType | None = None
_primed = False


def load_litellm() -> ModuleType:
    """Import and configure litellm once; safe to call from any thread."""
    global _module
    if _module is not None:
        return _module
    with _lock:
        if _module is None:
            os.environ["LITELLM_LOCAL_MODEL_COST_MAP"] = "True"
            import litellm

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


def prime() -> None:
    """Import litellm and make one tiny offline completion on a private event
    loop, so litellm's first-call set-up (hundreds of ms of CPU) is paid here
    and not by a run's first node. Blocking and idempotent: call it in a worker
    thread (the editor's warm-up, ``LiteLLMClient.ready``)."""
    global _primed
    if _primed:
        return
    load_litellm()
    import asyncio

    asyncio.run(_first_call())
    _primed = True


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
