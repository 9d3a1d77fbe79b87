"""Writing a graph as Synalinks' own saved program (``program.save``), via the worker.

Only Synalinks can write its format faithfully (each module's full config,
its state tree), so the worker builds the exported program, learnt
variables included (see :mod:`core.export.variables`), and saves it. The
worker writes a temporary file beside the target, which replaces the target
only once the save succeeded: a failure leaves the old file as it was.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from pathlib import Path

from core.export.python_script import export_python
from core.model.graph import Graph
from core.registry.registry import Registry
from core.runtime import protocol as p
from core.runtime.client import WorkerError, WorkerPool, new_request_id


async def save_synalinks_program(
    graph: Graph,
    registry: Registry,
    path: str | Path,
    pool: WorkerPool,
    paths: list[str] | None = None,
) -> None:
    """Write ``graph`` to ``path`` (``.json``) as ``synalinks.Program.load`` reads it.

    Raises :class:`~core.export.errors.ExportError` when the graph cannot be
    exported, :class:`ValueError` for a path Synalinks refuses, and
    :class:`~core.runtime.client.WorkerError` when the worker cannot save it."""
    target = Path(path).resolve()
    if target.suffix.lower() != ".json":
        raise ValueError(f"{path}: a Synalinks program file ends in .json (Synalinks requires it)")
    source = export_python(graph, registry)
    temporary = target.with_name(f".{target.stem}.{uuid.uuid4().hex[:8]}.tmp.json")
    worker = await pool.get()
    # Knowledge bases' DuckDB files given relative to the graph are found from its
    # folder (the first of ``paths``, as the command line passes it).
    folder = (paths or [None])[0] if graph.meta.knowledge_bases else None
    request = p.SaveRequest(
        id=new_request_id(),
        source=source,
        path=str(temporary),
        paths=list(paths or []),
        folder=folder,
    )
    try:
        async for message in worker.request(request):
            if isinstance(message, p.WorkerErrorMessage):
                raise WorkerError(
                    "request_failed",
                    f"Synalinks could not save the program: {worker.redact(message.message)}",
                    message.traceback,
                )
            if isinstance(message, p.Saved):
                os.replace(temporary, target)
                return
        raise WorkerError("protocol", "the worker ended the save without an answer")
    finally:
        with contextlib.suppress(OSError):
            temporary.unlink()
