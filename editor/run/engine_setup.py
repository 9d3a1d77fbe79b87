"""Assembling the engine for one run from the editor's choices.

The toolbar's model choice becomes ``RunOptions.model_override``; the API base
from the provider settings is used only when the graph names none (a graph
that points at its own server keeps it); the stored keys go to the model
client as ``credentials`` (never into the options, the events or the process
environment). Tests and benchmarks may pass extra option fields and their
own model client.

The Synalinks backend takes the same options; its keys reach the worker
process's environment when the run configures the shared pool.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from core.engine import Engine, RunOptions
    from core.model.graph import Graph
    from core.registry import Registry
    from core.runtime.backend import SynalinksBackend
    from editor.run.provider_settings import ProviderSettings
    from editor.run.synalinks_runtime import SynalinksRuntime


def build_engine(
    registry: Registry,
    graph: Graph,
    *,
    model_override: str | None,
    providers: ProviderSettings,
    overrides: Mapping[str, Any] | None = None,
    client_factory: Callable[[dict[str, str]], Any] | None = None,
) -> Engine:
    from core.engine import Engine

    options = run_options(graph, model_override, providers, overrides)
    keys = providers.keys()
    if client_factory is not None:
        client = client_factory(keys)
    else:
        from core.engine.litellm_client import LiteLLMClient

        client = LiteLLMClient(credentials=keys)
    return Engine(registry, options, model_client=client)


def build_backend(
    registry: Registry,
    graph: Graph,
    *,
    model_override: str | None,
    providers: ProviderSettings,
    runtime: SynalinksRuntime,
    overrides: Mapping[str, Any] | None = None,
) -> SynalinksBackend:
    """The Synalinks backend on the process's shared worker and offline endpoint."""
    from core.runtime.backend import SynalinksBackend

    options = run_options(graph, model_override, providers, overrides)
    return SynalinksBackend(registry, options, pool=runtime.pool, offline=runtime.offline)


def run_options(
    graph: Graph,
    model_override: str | None,
    providers: ProviderSettings,
    overrides: Mapping[str, Any] | None,
) -> RunOptions:
    from core.engine import RunOptions

    return RunOptions(
        model_override=model_override,
        api_base=None if graph.meta.api_base else providers.api_base,
        **dict(overrides or {}),
    )
