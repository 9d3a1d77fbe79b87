"""The one place that imports litellm.

litellm costs seconds of CPU to import and, unless told otherwise, fetches a
model price list from the network on import. So: nothing imports it at module
level; :func:`load_litellm` sets ``LITELLM_LOCAL_MODEL_COST_MAP`` first, quiets
its console chatter, registers the offline provider (idempotently) and caches
the module. The editor can call :func:`warm_up` in a worker thread so the
first run does not pay the import.
"""

from __future__ import annotations

import logging
import os
import threading
from types import ModuleType

_lock = threading.Lock()
_module: ModuleType | None = None


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
