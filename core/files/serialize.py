"""Graph <-> plain document (the JSON structure of a graph file and of the clipboard).

The document schema is a set of strict pydantic models, so a malformed file
fails with the path of the first bad value (``nodes[3].name``) rather than
with a KeyError deep in the editor.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from core.model.data_models import DataModelSpec
from core.model.graph import Edge, Graph, GraphMeta, Node
from core.model.subgraphs import SUBGRAPH_TYPE, without_interface
from core.registry.node_type import ParamsError
from core.registry.registry import Registry, UnknownNodeType

FORMAT_NAME = "synalinks-canvas-graph"
FORMAT_VERSION = 8

_ID = Field(pattern=r"^[A-Za-z0-9_\-]{1,64}$")
FiniteFloat = Annotated[float, Field(allow_inf_nan=False)]


class NodeDoc(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = _ID
    type: str
    name: str
    params: dict[str, Any] = Field(default_factory=dict)
    position: tuple[FiniteFloat, FiniteFloat] = (0.0, 0.0)
    variables: dict[str, Any] = Field(default_factory=dict)
    """What Synalinks trained into the module (written only when there is some)."""
    pinned: dict[str, Any] | None = None
    """An output set by hand, ``{port: value}``, that runs use instead of running
    the node (written only on pinned nodes)."""


class EdgeDoc(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = _ID
    source: str
    source_port: str
    target: str
    target_port: str


class SubgraphDoc(BaseModel):
    """One subgraph definition: a graph of its own, used by Subgraph nodes by id."""

    model_config = ConfigDict(extra="forbid")
    id: str = _ID
    name: str
    description: str = ""
    nodes: list[NodeDoc] = Field(default_factory=list)
    edges: list[EdgeDoc] = Field(default_factory=list)


class GraphDoc(BaseModel):
    model_config = ConfigDict(extra="forbid")
    format: str
    version: int
    meta: GraphMeta = Field(default_factory=GraphMeta)
    data_models: list[DataModelSpec] = Field(default_factory=list)
    nodes: list[NodeDoc] = Field(default_factory=list)
    edges: list[EdgeDoc] = Field(default_factory=list)
    subgraphs: list[SubgraphDoc] = Field(default_factory=list)


class DocumentError(ValueError):
    """A document whose content is wrong (the caller adds the file name)."""


def graph_to_document(graph: Graph) -> dict[str, Any]:
    """The current-version document for ``graph`` (plain JSON-ready data)."""
    document = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "meta": _meta_document(graph),
        "data_models": [spec.model_dump(mode="json") for spec in graph.data_models.values()],
        **_nodes_and_edges(graph),
    }
    if graph.subgraphs:  # graphs without subgraphs keep the files they had
        document["subgraphs"] = [
            {
                "id": definition.definition_id,
                "name": definition.definition_name,
                "description": definition.definition_description,
                **_nodes_and_edges(definition),
            }
            for definition in graph.subgraphs.values()
        ]
    return document


def _nodes_and_edges(graph: Graph) -> dict[str, Any]:
    return {
        "nodes": [_node_document(node) for node in graph.nodes.values()],
        "edges": [
            {
                "id": e.id,
                "source": e.source,
                "source_port": e.source_port,
                "target": e.target,
                "target_port": e.target_port,
            }
            for e in graph.edges.values()
        ],
    }


def _meta_document(graph: Graph) -> dict[str, Any]:
    meta = graph.meta.model_dump(mode="json")
    if not meta.get("datasets"):  # written only when the graph has some
        meta.pop("datasets", None)
    return meta


def _node_document(node: Node) -> dict[str, Any]:
    document = {
        "id": node.id,
        "type": node.type,
        "name": node.name,
        # A Subgraph node's ports are its definition's: the file keeps only which.
        "params": without_interface(node.params) if node.type == SUBGRAPH_TYPE else node.params,
        "position": [round(node.position[0], 1), round(node.position[1], 1)],
    }
    if node.variables:  # most nodes were never trained: their files stay as they were
        document["variables"] = node.variables
    if node.pinned is not None:
        document["pinned"] = node.pinned
    return document


def graph_from_document(document: Any, registry: Registry) -> Graph:
    """Build a graph from a current-version document; raise :class:`DocumentError`.

    Either the whole graph is built or nothing is: the graph is assembled
    privately and returned only once every check passed.
    """
    try:
        doc = GraphDoc.model_validate(document)
    except ValidationError as exc:
        raise DocumentError(_first_error(exc)) from None
    _check_unique("data model name", [d.name for d in doc.data_models])
    _check_unique("node id", [n.id for n in doc.nodes])
    _check_unique("edge id", [e.id for e in doc.edges])

    graph = Graph(doc.meta)
    for spec in doc.data_models:
        graph.data_models[spec.name] = spec
    _fill(graph, doc.nodes, doc.edges, registry, "")
    _check_unique("subgraph id", [d.id for d in doc.subgraphs])
    for item in doc.subgraphs:
        where = f"subgraph {item.name!r}: "
        _check_unique(f"{where}node id", [n.id for n in item.nodes])
        _check_unique(f"{where}edge id", [e.id for e in item.edges])
        definition = graph.new_definition(item.name, item.description, item.id)
        _fill(definition, item.nodes, item.edges, registry, where)
        graph.add_subgraph(definition)
    return graph


def _fill(
    graph: Graph, nodes: list[NodeDoc], edges: list[EdgeDoc], registry: Registry, where: str
) -> None:
    """Add the nodes and edges of one graph (the document or a definition)."""
    for item in nodes:
        try:
            node_type = registry.get(item.type)
        except UnknownNodeType as exc:
            raise DocumentError(f"{where}node {item.name!r} has an {exc.message}") from None
        node = Node(
            item.id, item.type, item.name, item.params, item.position, item.variables, item.pinned
        )
        try:
            # Normalise (fill defaults) when valid; invalid values are kept as
            # written so the user can see and fix them (validation reports them).
            node.params = node_type.parse_params(node).model_dump(mode="json")
        except ParamsError:
            pass
        graph.add_node(node)
    for item in edges:
        for end in (item.source, item.target):
            if end not in graph.nodes:
                raise DocumentError(
                    f"{where}edge {item.id!r} refers to node {end!r}, which is not in the file"
                )
        graph.add_edge(Edge(item.id, item.source, item.source_port, item.target, item.target_port))


def _check_unique(what: str, values: list[str]) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise DocumentError(f"two entries share the {what} {value!r}; each must be unique")
        seen.add(value)


def _first_error(exc: ValidationError) -> str:
    first = exc.errors()[0]
    where = _location(first.get("loc", ()))
    message = first.get("msg", "invalid value")
    if first.get("type") == "missing":
        return f"{where}: required entry is missing"
    if first.get("type") == "extra_forbidden":
        return f"{where}: unexpected entry (not part of the graph format)"
    return f"{where}: {message}"


def _location(loc: tuple[Any, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "document"
