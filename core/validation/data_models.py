"""Data models that cannot be compiled: a nested data model missing or circular.

A node whose data model is broken gets an error (it cannot run); a broken data
model that no node uses is a warning, so it never blocks a run it plays no part in.
"""

from __future__ import annotations

from core.diagnostics import Diagnostic, error, warning
from core.model.data_models import DataModelError, dependencies
from core.model.graph import Graph
from core.schemas.flow import FlowAnalysis


def data_model_checks(graph: Graph, flow: FlowAnalysis) -> list[Diagnostic]:
    broken: dict[str, str] = {}
    for spec in graph.data_models.values():
        if spec.nested_names():
            try:
                dependencies(spec, graph.data_models)
            except DataModelError as exc:
                broken[spec.name] = str(exc)
    if not broken:
        return []
    found: list[Diagnostic] = []
    used: set[str] = set()
    for node in graph.nodes.values():
        node_type, params = flow.types.get(node.id), flow.params.get(node.id)
        if node_type is None or params is None:
            continue
        for ref in node_type.data_model_refs(params):
            if ref in broken:
                used.add(ref)
                found.append(error("invalid_data_model", f"{node.name}: {broken[ref]}", node.id))
    for name, reason in broken.items():
        if name not in used:
            found.append(warning("invalid_data_model", f"{reason[:1].upper()}{reason[1:]}"))
    return found
