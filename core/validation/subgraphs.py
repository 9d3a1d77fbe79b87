"""Validation inside subgraphs: each definition the document uses is checked
once (however often it is used), and its diagnostics point at the inner node
with the path of Subgraph nodes that leads there."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from core.diagnostics import Diagnostic, warning
from core.model.graph import Graph
from core.model.subgraphs import SUBGRAPH_TYPE
from core.registry.registry import Registry
from core.schemas.flow import FlowAnalysis, analyse

Validator = Callable[[Graph, Registry, FlowAnalysis], list[Diagnostic]]


def definition_paths(root: Graph) -> dict[str, tuple[str, ...]]:
    """Each definition the document uses (directly or through others), with the
    ids of the Subgraph nodes that first lead to it, outermost first."""
    paths: dict[str, tuple[str, ...]] = {}
    frontier: list[tuple[Graph, tuple[str, ...]]] = [(root, ())]
    while frontier:
        following: list[tuple[Graph, tuple[str, ...]]] = []
        for graph, path in frontier:
            for node in graph.nodes.values():
                ref = node.params.get("definition") if node.type == SUBGRAPH_TYPE else None
                if isinstance(ref, str) and ref in root.subgraphs and ref not in paths:
                    paths[ref] = (*path, node.id)
                    following.append((root.subgraphs[ref], paths[ref]))
        frontier = following
    return paths


def subgraph_checks(root: Graph, flow: FlowAnalysis, validate_one: Validator) -> list[Diagnostic]:
    """Diagnostics of the document's Subgraph nodes' wiring and of every used
    definition (each once), addressed by path."""
    found = use_checks(root, flow)
    for definition_id, path in definition_paths(root).items():
        definition = root.subgraphs[definition_id]
        inner_flow = flow.subflow(definition_id) or analyse(definition, flow.registry)
        inner = validate_one(definition, flow.registry, inner_flow) + use_checks(
            definition, inner_flow
        )
        for d in inner:
            found.append(
                dataclasses.replace(
                    d,
                    message=f"in subgraph {definition.definition_name}: {d.message}",
                    path=path,
                    definition_id=definition_id,
                )
            )
    return found


def use_checks(graph: Graph, flow: FlowAnalysis) -> list[Diagnostic]:
    """What is fed to a Subgraph node should be what its Inputs expect: a data
    model with other fields runs, but the nodes inside see other fields."""
    found: list[Diagnostic] = []
    for node in graph.nodes.values():
        if node.type != SUBGRAPH_TYPE or node.id not in flow.params:
            continue
        inner = flow.subflow(flow.params[node.id].definition)  # type: ignore[attr-defined]
        if inner is None:
            continue
        for port in flow.input_ports(node.id):
            inner_input = inner.graph.nodes.get(port.name)
            expected = inner.schemas.get((port.name, "output")) if inner_input else None
            for edge in graph.incoming(node.id, port.name):
                given = flow.schemas.get((edge.source, edge.source_port))
                if expected is None or given is None:
                    continue
                if list(given.get("properties", {})) != list(expected.get("properties", {})):
                    found.append(
                        warning(
                            "subgraph_input_mismatch",
                            f"{node.name}: its input {port.display!r} expects the fields "
                            f"{_fields(expected)} but is given {_fields(given)}; feed it that "
                            "data model or change the subgraph's Input",
                            node.id,
                            port.name,
                        )
                    )
    return found


def _fields(schema: dict) -> str:
    names = list(schema.get("properties", {}))
    return ", ".join(names) if names else "no fields"


def merge_sorted(outer: list[Diagnostic], inner: list[Diagnostic]) -> list[Diagnostic]:
    """The document's diagnostics then the subgraphs', errors first."""
    return sorted([*outer, *inner], key=lambda d: not d.is_error)
