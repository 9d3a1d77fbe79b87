"""Validate with Synalinks: build the exported program in the worker, symbolically.

The worker builds the program from the exporter's code (no model is called:
building a Synalinks program runs its modules on symbolic data models), so
Synalinks' own build errors are found before a run. Each one becomes a
:class:`~core.diagnostics.Diagnostic` on the nodes its message names (graph
node names are Synalinks module names), or on the graph when it names none.
A program whose modules do not match the graph's is reported too.
"""

from __future__ import annotations

import re

from core.diagnostics import Diagnostic, error
from core.export.errors import ExportError
from core.export.python_script import export_python
from core.model.graph import Graph
from core.registry.registry import Registry
from core.runtime import protocol as p
from core.runtime.client import WorkerError, WorkerPool, new_request_id

BUILD_ERROR = "synalinks-build"
EXPORT_ERROR = "synalinks-export"
MISSING_MODULE = "synalinks-missing-module"


async def check_with_synalinks(
    graph: Graph, registry: Registry, pool: WorkerPool
) -> list[Diagnostic]:
    """Synalinks' verdict on ``graph``: an empty list when it builds.

    Raises :class:`~core.runtime.client.WorkerError` when the worker itself
    cannot be used (no environment, crashed...)."""
    try:
        source = export_python(graph, registry)
    except ExportError as exc:
        return [error(EXPORT_ERROR, f"cannot be exported for Synalinks: {exc}")]
    names = [n.name for n in graph.nodes.values()]
    modules = [
        n.name
        for n in graph.nodes.values()
        if n.type != "Input" and not registry.get(n.type).is_program_output
    ]
    worker = await pool.get()
    request = p.BuildRequest(
        id=new_request_id(), source=source, models={"override": {"model": "offline"}}, nodes=modules
    )
    async for message in worker.request(request):
        if isinstance(message, p.WorkerErrorMessage):
            return _build_errors(graph, names, worker.redact(message.message))
        if isinstance(message, p.Built):
            built = {m.name for m in message.modules}
            return [
                error(
                    MISSING_MODULE,
                    f"{name}: Synalinks built the program without this module; "
                    "check that it reaches an Output",
                    node.id,
                )
                for node in graph.nodes.values()
                if (name := node.name) in modules and name not in built
            ]
    raise WorkerError("protocol", "the worker ended the build without an answer")


def _build_errors(graph: Graph, names: list[str], message: str) -> list[Diagnostic]:
    text = f"Synalinks cannot build the program: {message}"
    named = [
        node
        for node in graph.nodes.values()
        if re.search(rf"(?<![\w]){re.escape(node.name)}(?![\w])", message)
    ]
    if not named:
        return [error(BUILD_ERROR, text)]
    return [error(BUILD_ERROR, text, node.id) for node in named]
