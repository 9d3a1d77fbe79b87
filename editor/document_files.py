"""Making documents: a new empty graph, or one read from a file (core does the reading)."""

from __future__ import annotations

from pathlib import Path

from core.files import load_graph
from core.model.graph import Graph
from core.registry import Registry
from editor.document import GraphDocument


def new_document(registry: Registry) -> GraphDocument:
    return GraphDocument(Graph(), registry)


def load_document(path: str | Path, registry: Registry) -> GraphDocument:
    """The document for ``path``; raises the core's GraphFileError, building nothing."""
    graph = load_graph(path, registry)
    return GraphDocument(graph, registry, path=Path(path).resolve())


def restored_document(graph: Graph, registry: Registry, source_path: str | None) -> GraphDocument:
    """A document for recovered work: it belongs to its original file (if any) and
    counts as unsaved until the user saves it."""
    document = GraphDocument(graph, registry, path=source_path)
    document.undo_stack.resetClean()
    return document
