"""Copy and paste as JSON, so nodes travel between windows and applications.

A copy holds the chosen nodes, the edges among them and the data models they
use. Pasting gives fresh ids and free names, reuses an identical data model,
and renames a clashing different one (``Answer`` -> ``Answer_1``) so pasted
nodes keep the shape they had.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from core.commands.base import Macro
from core.commands.data_model_commands import SetDataModel
from core.commands.edge_commands import AddEdge
from core.commands.node_commands import AddNode
from core.files.serialize import EdgeDoc, NodeDoc, graph_to_document
from core.model.data_models import DataModelSpec
from core.model.graph import Edge, Graph, Node, new_id
from core.model.names import NameAllocator, unique_name
from core.registry.registry import Registry, UnknownNodeType

CLIPBOARD_FORMAT = "synalinks-canvas-clipboard"
CLIPBOARD_MIME = "application/x-synalinks-canvas"


class ClipboardDoc(BaseModel):
    model_config = ConfigDict(extra="forbid")
    format: str
    version: int = 1
    data_models: list[DataModelSpec] = Field(default_factory=list)
    nodes: list[NodeDoc] = Field(default_factory=list)
    edges: list[EdgeDoc] = Field(default_factory=list)


def copy_document(graph: Graph, registry: Registry, node_ids: list[str]) -> dict[str, Any]:
    """The clipboard document for ``node_ids`` (edges only among them)."""
    wanted = set(node_ids) & graph.nodes.keys()
    chosen = [n for n in graph.nodes.values() if n.id in wanted]
    full = graph_to_document(graph)
    used: list[str] = []
    for node in chosen:
        try:
            node_type = registry.get(node.type)
            refs = node_type.data_model_refs(node_type.parse_params(node))
        except (UnknownNodeType, ValueError):
            refs = []
        used += [r for r in refs if r not in used]
    return {
        "format": CLIPBOARD_FORMAT,
        "version": 1,
        "data_models": [d for d in full["data_models"] if d["name"] in used],
        "nodes": [n for n in full["nodes"] if n["id"] in wanted],
        "edges": [e for e in full["edges"] if e["source"] in wanted and e["target"] in wanted],
    }


def copy_text(graph: Graph, registry: Registry, node_ids: list[str]) -> str:
    return json.dumps(copy_document(graph, registry, node_ids), indent=1, sort_keys=True)


def parse_clipboard(text: str) -> ClipboardDoc:
    """Parse clipboard text; raise ValueError with a reason when it is not ours."""
    try:
        data = json.loads(text)
        doc = ClipboardDoc.model_validate(data)
    except (json.JSONDecodeError, ValidationError, RecursionError, TypeError) as exc:
        raise ValueError(
            f"the clipboard does not hold Synalinks Canvas nodes ({exc.__class__.__name__})"
        ) from None
    if doc.format != CLIPBOARD_FORMAT:
        raise ValueError("the clipboard does not hold Synalinks Canvas nodes")
    ids = [n.id for n in doc.nodes]
    if len(set(ids)) != len(ids):
        raise ValueError("the clipboard holds two nodes with the same id; copy the nodes again")
    names = [d.name for d in doc.data_models]
    if len(set(names)) != len(names):
        raise ValueError(
            "the clipboard holds two data models with the same name; copy the nodes again"
        )
    return doc


def paste_command(
    graph: Graph,
    registry: Registry,
    doc: ClipboardDoc,
    offset: tuple[float, float] = (40.0, 40.0),
) -> tuple[Macro, list[str]]:
    """The paste as one undoable step, and the ids of the nodes it creates."""
    commands: list = []
    renamed: dict[str, str] = {}
    # Reserve the clipboard's own names too: a renamed model must not land on
    # the name of another model being pasted (Answer -> Answer_1 while the
    # clipboard also holds an Answer_1).
    taken_models = set(graph.data_models) | {spec.name for spec in doc.data_models}
    for spec in doc.data_models:
        existing = graph.data_models.get(spec.name)
        if existing == spec:
            continue
        if existing is not None:
            new_name = unique_name(spec.name, taken_models)
            renamed[spec.name] = new_name
            spec = spec.model_copy(update={"name": new_name})
        taken_models.add(spec.name)
        commands.append(SetDataModel(spec))

    ids: dict[str, str] = {}
    names = NameAllocator(graph.iter_names())
    for item in doc.nodes:
        try:
            node_type = registry.get(item.type)
        except UnknownNodeType as exc:
            raise ValueError(f"cannot paste {item.name!r}: {exc.message}") from None
        params = dict(item.params)
        for field in node_type.param_fields():
            value = params.get(field.name)
            if field.widget == "data_model" and isinstance(value, str) and value in renamed:
                params[field.name] = renamed[params[field.name]]
        name = names.take(item.name)
        ids[item.id] = new_id()
        position = (item.position[0] + offset[0], item.position[1] + offset[1])
        commands.append(AddNode(Node(ids[item.id], item.type, name, params, position)))
    for item in doc.edges:
        if item.source in ids and item.target in ids:
            edge = Edge(
                new_id(), ids[item.source], item.source_port, ids[item.target], item.target_port
            )
            commands.append(AddEdge(edge))
    count = len(ids)
    return Macro(f"Paste {count} node{'s' if count != 1 else ''}", commands), list(ids.values())
