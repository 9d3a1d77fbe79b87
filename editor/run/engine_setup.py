"""Assembling the engine for one run from the editor's choices.

The toolbar's model choice becomes ``RunOptions.model_override``; the API base
from the provider settings is used only when the graph names none (a graph
that points at its own server keeps it); the stored keys go to the model
client as ``credentials`` (never into the options, the events or the process
environment). Tests and benchmarks may pass extra option fields and their
own model client.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from core.engine import Engine
    from core.model.graph import Graph
    from core.registry import Registry
    from editor.run.provider_settings import ProviderSettings


def build_engine(
    registry: Registry,
    graph: Graph,
    *,
    model_override: str | None,
    providers: ProviderSettings,
    overrides: Mapping[str, Any] | None = None,
    client_factory: Callable[[dict[str, str]], Any] | None = None,
) -> Engine:
    from core.engine import Engine, RunOptions

    options = RunOptions(
        model_override=model_override,
        api_base=None if graph.meta.api_base else providers.api_base,
        **dict(overrides or {}),
    )
    keys = providers.keys()
    if client_factory is not None:
        client = client_factory(keys)
    else:
        from core.engine.litellm_client import LiteLLMClient

        client = LiteLLMClient(credentials=keys)
    return Engine(registry, options, model_client=client)
