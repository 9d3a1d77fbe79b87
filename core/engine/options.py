"""Run-wide settings: one frozen value the editor's run dialog and the CLI both fill."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.store.node_cache import NodeCache

OFFLINE_MODEL = "offline"
"""The built-in model's name (see :mod:`core.engine.offline_model`)."""


@dataclass(frozen=True, slots=True)
class RunOptions:
    """How to run a graph. Every field has a default that works offline.

    model_override:
        Use this model for every node, whatever the graph says (``"offline"``
        runs a graph without keys or network). ``None`` keeps each node's model.
    api_base:
        Server for OpenAI-compatible models (llama.cpp, vLLM, Ollama...);
        ``None`` keeps the graph's ``api_base``.
    max_concurrency:
        How many model calls may be in flight at once, run-wide.
    node_timeout:
        Seconds a node may run (retries included) before it fails with
        ``timeout``; ``None`` for no limit. Time spent waiting for a model-call
        slot does not count.
    transient_retries:
        Retries after a 429, a 5xx, a dropped connection or a truncated stream.
    format_retries:
        Retries after an answer that is not JSON or does not fit the data model
        (the error is fed back to the model).
    backoff_base, backoff_max:
        Exponential backoff: the n-th retry waits ``backoff_base * 2**n`` seconds
        (with jitter), at most ``backoff_max``; a Retry-After from the provider
        is honoured up to ``retry_after_max``.
    offline_delay:
        Seconds between two tokens of the offline model (0 streams at once).
    project_dir:
        The graph file's folder: the graph's tools are imported from there (and
        from their own folders, relative to it). None: the current folder.
    cache, use_cache:
        The node cache (:class:`~core.store.node_cache.NodeCache`) a model node
        looks in before calling its model, and stores its result in after; None
        for no cache. ``use_cache=False`` ignores it for one run (neither read
        nor written), keeping the object for the next.
    """

    model_override: str | None = None
    api_base: str | None = None
    max_concurrency: int = 128
    node_timeout: float | None = 120.0
    transient_retries: int = 3
    format_retries: int = 2
    backoff_base: float = 0.5
    backoff_max: float = 20.0
    retry_after_max: float = 60.0
    offline_delay: float = 0.015
    project_dir: str | None = None
    cache: NodeCache | None = None
    use_cache: bool = True

    def __post_init__(self) -> None:
        if self.max_concurrency < 1:
            raise ValueError(f"max_concurrency must be at least 1, got {self.max_concurrency}")
        if self.node_timeout is not None and self.node_timeout <= 0:
            raise ValueError(f"node_timeout must be positive or None, got {self.node_timeout}")
        for name in ("transient_retries", "format_retries"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must be 0 or more, got {getattr(self, name)}")
        if self.offline_delay < 0:
            raise ValueError(f"offline_delay must be 0 or more, got {self.offline_delay}")


def resolve_model(node_model: str, graph_default: str, override: str | None) -> str:
    """The model a node really uses: the run's override, else its own, else the graph's."""
    model = (override or "").strip() or (node_model or "").strip() or (graph_default or "").strip()
    return model or OFFLINE_MODEL


def is_offline(model: str) -> bool:
    """Whether ``model`` names the built-in offline model (``offline`` or ``offline/<name>``)."""
    return model == OFFLINE_MODEL or model.startswith(OFFLINE_MODEL + "/")
