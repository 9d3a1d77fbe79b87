"""Checks of the graph's own resources: embedding models and knowledge bases.

A knowledge base names the graph's data models (its tables) and one of its
embedding models; names must be unique within each kind, because nodes and
the exported script refer to them by name.
"""

from __future__ import annotations

from collections import Counter

from core.diagnostics import Diagnostic, error
from core.model.graph import Graph

UNKNOWN_RESOURCE = "unknown-resource"
DUPLICATE_RESOURCE = "duplicate-resource"


def resource_checks(graph: Graph) -> list[Diagnostic]:
    meta = graph.meta
    found: list[Diagnostic] = []
    for what, names in (
        ("embedding model", [m.name for m in meta.embedding_models]),
        ("knowledge base", [k.name for k in meta.knowledge_bases]),
    ):
        for name, count in Counter(names).items():
            if count > 1:
                found.append(
                    error(
                        DUPLICATE_RESOURCE,
                        f"{count} {what}s are named {name!r}; rename all but one in Graph "
                        "settings (nodes refer to them by name)",
                    )
                )
    models = {m.name for m in meta.embedding_models}
    for kb in meta.knowledge_bases:
        if kb.embedding_model and kb.embedding_model not in models:
            found.append(
                error(
                    UNKNOWN_RESOURCE,
                    f"knowledge base {kb.name}: no embedding model named {kb.embedding_model!r} "
                    "in this graph; add it in Graph settings → Embedding models or choose none",
                )
            )
        for name in kb.data_models:
            if name not in graph.data_models:
                found.append(
                    error(
                        UNKNOWN_RESOURCE,
                        f"knowledge base {kb.name}: its table {name!r} is not a data model of "
                        "this graph; create it in the data-models panel or remove it from the "
                        "knowledge base",
                    )
                )
    return found
