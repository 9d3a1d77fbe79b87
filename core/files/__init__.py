"""Versioned JSON graph files: atomic saves, step-by-step migrations, clear load errors."""

from core.files.errors import GraphFileError
from core.files.load import load_graph, loads_graph
from core.files.save import dumps_graph, save_graph
from core.files.serialize import FORMAT_NAME, FORMAT_VERSION, graph_from_document, graph_to_document

__all__ = [
    "FORMAT_NAME",
    "FORMAT_VERSION",
    "GraphFileError",
    "dumps_graph",
    "graph_from_document",
    "graph_to_document",
    "load_graph",
    "loads_graph",
    "save_graph",
]
