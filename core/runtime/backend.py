"""The Synalinks backend: runs a graph on the real library, with the engine's interface.

``SynalinksBackend`` has the built-in :class:`~core.engine.Engine`'s
``prepare`` / ``start`` / ``run``, returns the same
:class:`~core.engine.RunHandle` and emits the same events, so the editor and
the CLI drive either one the same way. A run:

1. checks the graph and the input exactly as the built-in engine does;
2. exports the graph to Python with the exporter (what runs is what is
   exported: one meaning of a graph);
3. asks the worker (:class:`~core.runtime.client.WorkerPool`) to build that
   program, routing modules on the ``offline`` model to the loopback
   endpoint (:class:`~core.runtime.offline_endpoint.OfflineEndpoint`), and
   to run it on the inputs;
4. turns the worker's reports into events (:mod:`core.runtime.translate`).

Cancelling the run's task interrupts the worker's run; a worker that does
not stop within :data:`~core.runtime.client.CANCEL_GRACE` is killed. A
worker that dies or misbehaves fails the run with one message, and the next
run starts a fresh worker.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from core.engine import events as ev
from core.engine.engine import PreparedRun, Runner, emitter, prepare_run
from core.engine.errors import RunRefused
from core.engine.options import RunOptions, is_offline
from core.engine.record import RunRecord
from core.export.errors import ExportError
from core.export.python_script import export_python
from core.knowledge.errors import knowledge_hint
from core.model.graph import Graph
from core.registry.registry import Registry
from core.runtime import protocol as p
from core.runtime.client import WorkerError, WorkerPool, new_request_id
from core.runtime.translate import RunTranslator

Listener = Callable[[ev.Event], None]

SCOPED_ONLY_BUILTIN = (
    "Running to or from a node uses the built-in engine; choose Built-in engine in the "
    "toolbar (or run without --backend synalinks)."
)
PINNED_ONLY_BUILTIN = (
    "{name} is pinned, and pinned outputs are used by the built-in engine only: unpin it to "
    "run on Synalinks, or choose Built-in engine."
)


def builtin_only(prepared: PreparedRun, scope: Any = None) -> list:
    """Errors for what only the built-in engine does: a run to or from a node,
    and pinned outputs (the worker runs the whole exported program)."""
    from core.diagnostics import error

    if scope is not None and not scope.whole:
        return [error("scoped_run", SCOPED_ONLY_BUILTIN)]
    return [
        error("pinned_output", PINNED_ONLY_BUILTIN.format(name=prepared.graph.nodes[n].name), n)
        for n, preset in prepared.presets.items()
        if preset.pinned
    ]


class OfflineAccess:
    """Starts the offline endpoint on the running loop the first time a run needs it."""

    def __init__(self) -> None:
        self._endpoint = None
        self._lock = asyncio.Lock()

    async def api_base(self, delay: float) -> str:
        async with self._lock:
            if self._endpoint is None:
                from core.runtime.offline_endpoint import OfflineEndpoint

                self._endpoint = await OfflineEndpoint().start()
        return self._endpoint.api_base(delay)

    async def close(self) -> None:
        if self._endpoint is not None:
            await self._endpoint.stop()
            self._endpoint = None


class SynalinksBackend(Runner):
    name = "synalinks"
    task_prefix = "synalinks run"

    def __init__(
        self,
        registry: Registry,
        options: RunOptions | None = None,
        *,
        pool: WorkerPool,
        offline: OfflineAccess | None = None,
    ) -> None:
        self.registry = registry
        self.options = options or RunOptions()
        self.pool = pool
        self.offline = offline or OfflineAccess()

    def prepare(self, graph: Graph, inputs: Any | None = None, scope: Any = None) -> PreparedRun:
        """The built-in engine's checks (:func:`~core.engine.engine.prepare_run`).

        The worker runs the whole exported program: a run to or from a node, or
        over pinned outputs, is the built-in engine's, and is refused here rather
        than run as something else."""
        prepared = prepare_run(graph, self.registry, inputs)
        errors = builtin_only(prepared, scope)
        if not errors and prepared.graph.meta.knowledge_bases:
            from core.knowledge.files import missing_files

            folder = Path(self.options.project_dir or os.getcwd())
            errors = missing_files(prepared.graph, self.registry, folder)
        if errors:
            raise RunRefused(errors)
        return prepared

    def source(self, graph: Graph) -> str:
        """The exported program, or :class:`ExportError` (a user-ready message)."""
        return export_python(graph, self.registry)

    async def models(self, graph: Graph, options: RunOptions) -> dict[str, Any]:
        """How the worker picks models: the run's override, and where the
        offline model answers (only when some node uses it)."""
        override = (options.model_override or "").strip()
        used = {override} if override else _graph_models(graph)
        models: dict[str, Any] = {}
        if override:
            models["override"] = {"model": override, "api_base": options.api_base}
        embeds_offline = any(is_offline(m.model) for m in graph.meta.embedding_models)
        if any(is_offline(m) for m in used) or embeds_offline:
            models["offline"] = {"api_base": await self.offline.api_base(options.offline_delay)}
        return models

    async def _execute(
        self,
        prepared: PreparedRun,
        record: RunRecord,
        listener: Listener | None,
        options: RunOptions,
    ) -> RunRecord:
        emit = emitter(record, listener)
        translator = RunTranslator(prepared, record.run_id, emit, options.model_override)
        translator.begin()
        request_id = new_request_id()
        worker = None
        try:
            source = self.source(prepared.graph)
            models = await self.models(prepared.graph, options)
            worker = await self.pool.get()
            request = p.RunRequest(
                id=request_id,
                source=source,
                models=models,
                inputs=translator.input_values(),
                nodes=translator.modules,
                paths=project_paths(prepared.graph, options.project_dir),
                folder=graph_folder(prepared.graph, options.project_dir),
            )
            async for message in worker.request(request):
                if isinstance(message, p.RunResult):
                    translator.finish("succeeded", message.outputs, None)
                    return record
                if isinstance(message, p.WorkerErrorMessage):
                    translator.finish(
                        None,
                        None,
                        "Synalinks stopped the program: "
                        + knowledge_hint(worker.redact(message.message)),
                    )
                    return record
                if isinstance(message, p.Cancelled):
                    translator.finish("cancelled", None, None)
                    return record
                if isinstance(message, p.Modules):
                    from core.runtime.build_check import remember_schemas

                    remember_schemas(prepared.graph, self.registry, message.modules)
                    continue
                translator.on_message(message)
        except asyncio.CancelledError:
            if worker is not None:
                await asyncio.shield(worker.cancel(request_id))
            translator.finish("cancelled", None, None)
            raise
        except (WorkerError, ExportError) as exc:
            translator.finish(None, None, str(exc))
            return record
        translator.finish(None, None, "the Synalinks worker ended the run without a result")
        return record


def project_paths(graph: Graph, project_dir: str | None) -> list[str]:
    """Where the graph's tools are imported from: each tool's folder (relative to
    the graph's folder), then the graph's folder itself; nothing for a graph
    without tools (the worker then imports no code of the user's)."""
    if not graph.meta.tools:
        return []
    base = Path(project_dir or os.getcwd()).resolve()
    paths: list[str] = []
    for tool in graph.meta.tools:
        folder = str((base / tool.folder).resolve())
        if folder not in paths:
            paths.append(folder)
    if str(base) not in paths:
        paths.append(str(base))
    return paths


def graph_folder(graph: Graph, project_dir: str | None) -> str | None:
    """The folder knowledge-base files are found from (the graph's), when the
    graph has knowledge bases; None leaves the worker where it is."""
    if not graph.meta.knowledge_bases:
        return None
    return str(Path(project_dir or os.getcwd()).resolve())


def _graph_models(graph: Graph) -> set[str]:
    models = {graph.meta.default_model or "offline"}
    for node in graph.nodes.values():
        model = node.params.get("language_model") if isinstance(node.params, dict) else None
        if model:
            models.add(str(model))
    return models
