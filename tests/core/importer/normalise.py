"""Compare graphs by content: node ids replaced by names, positions dropped."""

from __future__ import annotations

from typing import Any

from core.files import graph_to_document
from core.model.graph import Graph


def normalised(
    graph: Graph, *, model: str | None = None, positions: bool = False
) -> dict[str, Any]:
    """The graph's document with ids replaced by node names (edge order kept: it is
    the order of merge inputs); ``model`` replaces the default model."""
    document = graph_to_document(graph)
    names = {n["id"]: n["name"] for n in document["nodes"]}
    for node in document["nodes"]:
        del node["id"]
        if not positions:
            del node["position"]
    for edge in document["edges"]:
        del edge["id"]
        edge["source"] = names[edge["source"]]
        edge["target"] = names[edge["target"]]
    document["nodes"].sort(key=lambda n: n["name"])
    document["edges"].sort(
        key=lambda e: (e["target"], e["target_port"])
    )  # stable: keeps merge order
    if model is not None:
        document["meta"]["default_model"] = model
    # The datasets a graph is evaluated on are not part of the program: a script
    # has none to import.
    document["meta"].pop("datasets", None)
    return document
