"""Knowledge bases whose DuckDB file is missing when a program would search it.

Synalinks opens a knowledge base's file by creating it when it is absent, so
a retriever over a file that is not there searches an empty base and finds
nothing, with no error. Before a run on the Synalinks backend, each node
that reads a knowledge base whose file does not exist gets one error saying
how to fill it, unless the program itself writes that base (an
``UpdateKnowledge`` node), which is how a base starts.
"""

from __future__ import annotations

from pathlib import Path

from core.diagnostics import Diagnostic, error
from core.model.graph import Graph
from core.registry.registry import Registry, UnknownNodeType

MISSING_FILE = "knowledge-file-missing"
WRITERS = frozenset({"UpdateKnowledge"})


def missing_files(graph: Graph, registry: Registry, folder: str | Path | None) -> list[Diagnostic]:
    readers: dict[str, list] = {}
    written: set[str] = set()
    for node in graph.nodes.values():
        try:
            node_type = registry.get(node.type)
        except UnknownNodeType:
            continue
        for plan in getattr(node_type, "plans", None) or ():
            name = node.params.get(plan.name) if plan.kind == "knowledge_base" else None
            if not name:
                continue
            if node_type.type_name in WRITERS:
                written.add(name)
            else:
                readers.setdefault(name, []).append(node)
    problems = []
    for kb in graph.meta.knowledge_bases:
        if kb.name not in readers or kb.name in written:
            continue
        path = kb.file(folder)
        if path.exists():
            continue
        for node in readers[kb.name]:
            problems.append(
                error(
                    MISSING_FILE,
                    f"{node.name}: knowledge base {kb.name} has no file yet ({path}), so there "
                    "is nothing to search; fill it first (a program with UpdateKnowledge, or "
                    "python -m core.knowledge.seed INGEST_GRAPH RECORDS.json) or choose another "
                    "file in Graph settings → Knowledge bases",
                    node.id,
                )
            )
    return problems
