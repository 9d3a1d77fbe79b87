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
    graph: Graph, registry: Registry, pool: WorkerPool, project_dir: str | None = None
) -> list[Diagnostic]:
    """Synalinks' verdict on ``graph``: an empty list when it builds.

    Raises :class:`~core.runtime.client.WorkerError` when the worker itself
    cannot be used (no environment, crashed...)."""
    try:
        source = export_python(graph, registry)
    except ExportError as exc:
        return [error(EXPORT_ERROR, f"cannot be exported for Synalinks: {exc}")]
    modules = [
        n.name
        for n in graph.nodes.values()
        if n.type != "Input" and not registry.get(n.type).is_program_output
    ]
    from core.runtime.backend import graph_folder, project_paths

    worker = await pool.get()
    paths = project_paths(graph, project_dir)
    problems = await check_tools(graph, worker, paths)
    if problems:
        return problems
    request = p.BuildRequest(
        id=new_request_id(),
        source=source,
        models={"override": {"model": "offline"}},
        nodes=modules,
        paths=paths,
        folder=graph_folder(graph, project_dir),
    )
    async for message in worker.request(request):
        if isinstance(message, p.WorkerErrorMessage):
            text = worker.redact(message.message)
            node = node_at_line(graph, source, message.line)
            if node is not None:
                return [error(BUILD_ERROR, f"Synalinks cannot build {node.name}: {text}", node.id)]
            return _build_errors(graph, modules, text)
        if isinstance(message, p.Built):
            remember_schemas(graph, registry, message.modules)
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


TOOL_PROBLEM = "tool-problem"


async def describe_tools(worker, tools, paths: list[str]) -> list[p.ToolInfo]:
    """The worker's look at the graph's tools (imported there, never here)."""
    request = p.ToolsRequest(
        id=new_request_id(),
        tools=[t.model_dump(include={"name", "module", "function"}) for t in tools],
        paths=paths,
    )
    async for message in worker.request(request):
        if isinstance(message, p.Tools):
            return message.tools
        if isinstance(message, p.WorkerErrorMessage):
            raise WorkerError("request_failed", worker.redact(message.message))
    raise WorkerError("protocol", "the worker ended the tools request without an answer")


async def check_tools(graph: Graph, worker, paths: list[str]) -> list[Diagnostic]:
    """One diagnostic per tool that does not import or is not a proper tool, on
    every node that uses it (or on the graph when none does yet)."""
    if not graph.meta.tools:
        return []
    found = await describe_tools(worker, graph.meta.tools, paths)
    problems: list[Diagnostic] = []
    for info in found:
        if not info.problem:
            continue
        users = [n for n in graph.nodes.values() if _uses_tool(n, info.name)]
        text = f"tool {info.name}: {info.problem}"
        problems += [error(TOOL_PROBLEM, f"{n.name}: {text}", n.id) for n in users] or [
            error(TOOL_PROBLEM, text)
        ]
    return problems


def _uses_tool(node, name: str | None) -> bool:
    for key in ("tools", "tool"):
        value = node.params.get(key)
        if value == name or (isinstance(value, list) and name in value):
            return True
    return False


def remember_schemas(graph: Graph, registry: Registry, modules: list[p.ModuleInfo]) -> int:
    """Keep the output schema Synalinks gave each generated module, under what
    decides it; returns how many were new. Nodes are taken in flow order and the
    flow re-analysed after each new schema, since a module's key includes the
    schemas it receives from the modules before it."""
    from core.catalogue.node_types import CatalogueModuleType
    from core.schemas.flow import analyse

    schemas = {m.name: m.output_schema for m in modules}
    flow = analyse(graph, registry)
    learnt = 0
    for node_id in list(flow.order):
        node_type = flow.types.get(node_id)
        node = graph.nodes[node_id]
        if not isinstance(node_type, CatalogueModuleType) or node.name not in schemas:
            continue
        key = node_type.schema_key(flow.params[node_id], flow.input_schemas(node_id))
        if node_type.schemas.put(key, schemas[node.name]):
            learnt += 1
            flow = analyse(graph, registry)
    return learnt


def node_at_line(graph: Graph, source: str, line: int | None):
    """The node whose statement holds ``line`` of the exported ``source``: the
    first ``name="..."`` from that line on (each module's call names it)."""
    if not line:
        return None
    for text in source.splitlines()[line - 1 :]:
        found = re.search(r'\bname="([^"]+)"', text)
        if found:
            return graph.node_by_name(found.group(1))
    return None


def _build_errors(graph: Graph, modules: list[str], message: str) -> list[Diagnostic]:
    """Without a line, the module nodes the message names (quoted or as words)."""
    text = f"Synalinks cannot build the program: {message}"
    named = [
        node
        for node in graph.nodes.values()
        if node.name in modules and re.search(rf"(?<![\w]){re.escape(node.name)}(?![\w])", message)
    ]
    if not named:
        return [error(BUILD_ERROR, text)]
    return [error(BUILD_ERROR, text, node.id) for node in named]
