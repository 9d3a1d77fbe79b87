"""The graph: nodes, edges, data models and metadata, and the only way to change them.

Every mutation goes through a method here so that listeners (the editor's
bridge, the problems panel) hear about it. Higher-level edits with undo live in
:mod:`core.commands`; these methods are deliberately small and exact so that a
command and its undo are each a couple of calls.

Edge order matters: the edges into a list port (the inputs of a merge) are
ordered by their position in :attr:`Graph.edges`, which files keep.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from core.model import changes as ch
from core.model import subgraphs as sg
from core.model.data_models import DataModelSpec
from core.model.dataset_refs import DatasetRef
from core.model.resources import EmbeddingModelSpec, KnowledgeBaseSpec, ToolSpec


def new_id() -> str:
    """A fresh stable id (uuid4 hex), never derived from memory addresses."""
    return uuid.uuid4().hex


@dataclass(slots=True, eq=True)
class Node:
    """One module instance on the canvas. Mutated only through :class:`Graph`.

    ``variables`` is what Synalinks trained into the module (instructions,
    few-shot examples...): its slice of the program's state tree, kept as
    Synalinks wrote it so an export gives the program back what it learnt.

    ``pinned`` is an output set by hand (``{port: value}``), or None: a run
    uses it instead of running the node, so the nodes downstream can be
    iterated on without calling anything upstream.
    """

    id: str
    type: str
    name: str
    params: dict[str, Any] = field(default_factory=dict)
    position: tuple[float, float] = (0.0, 0.0)
    variables: dict[str, Any] = field(default_factory=dict)
    pinned: dict[str, Any] | None = None

    def copy(self) -> Node:
        return Node(
            self.id,
            self.type,
            self.name,
            _copy_json(self.params),
            self.position,
            _copy_json(self.variables),
            _copy_json(self.pinned) if self.pinned is not None else None,
        )


@dataclass(frozen=True, slots=True)
class Edge:
    """A connection from ``source``'s output port to ``target``'s input port."""

    id: str
    source: str
    source_port: str
    target: str
    target_port: str


class GraphMeta(BaseModel):
    """Graph-wide settings. ``example_input`` is what a run starts from by default;
    ``tools`` are the user's functions that agent and Action nodes may call;
    ``embedding_models`` and ``knowledge_bases`` are what the knowledge nodes
    (retrievers, ``EmbedKnowledge``, ``VectorRAGAgent``...) refer to by name;
    ``datasets`` are the files it is evaluated on (path relative to the graph
    when beside it, column mapping, scored output).

    With one Input node ``example_input`` is that Input's data model as a JSON
    object; with several, an object keyed by Input node name.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = "untitled"
    description: str = ""
    default_model: str = "offline"
    api_base: str | None = None
    example_input: dict[str, Any] = Field(default_factory=dict)
    tools: tuple[ToolSpec, ...] = ()
    embedding_models: tuple[EmbeddingModelSpec, ...] = ()
    knowledge_bases: tuple[KnowledgeBaseSpec, ...] = ()
    datasets: tuple[DatasetRef, ...] = ()


class GraphError(ValueError):
    """An edit that would break the graph's own invariants (a programming error)."""


class Graph:
    """The document. Holds plain data; knows nothing of drawing or running.

    A document may hold subgraph definitions (:attr:`subgraphs`): graphs of
    their own, each stored once and used by any number of Subgraph nodes (in
    the document or in other definitions). A definition has an ``owner`` (the
    document) and shares the owner's data models, settings and definitions:
    only its nodes, edges, name and description are its own. Its changes are
    told to its own listeners, then to the owner's as :class:`InSubgraph`.
    """

    def __init__(
        self,
        meta: GraphMeta | None = None,
        *,
        owner: Graph | None = None,
        definition_id: str | None = None,
        name: str = "",
        description: str = "",
    ) -> None:
        if owner is not None and owner.owner is not None:
            raise GraphError("a subgraph definition belongs to the document, not to another one")
        self.owner: Graph | None = owner
        self.definition_id: str | None = definition_id if owner is not None else None
        self.definition_name = name
        self.definition_description = description
        self._meta: GraphMeta = meta or GraphMeta()
        self._data_models: dict[str, DataModelSpec] = {}
        self._subgraphs: dict[str, Graph] = {}
        self._interface: dict[str, Any] | None = None  # a definition's ports, last seen
        self.nodes: dict[str, Node] = {}
        self.edges: dict[str, Edge] = {}
        # Data models the editor picked for new nodes (node id -> name), so their
        # cards can say the choice was not the user's; never saved.
        self.auto_data_models: dict[str, str] = {}
        self._listeners: list[ch.Listener] = []
        self._incoming: dict[str, list[Edge]] | None = None
        self._outgoing: dict[str, list[Edge]] | None = None
        # Node name -> ids. Names should be unique (editing keeps them so), but a
        # hand-edited or imported file may repeat one: validation reports it.
        self._names: dict[str, list[str]] = {}

    # ------------------------------------------------------- document-wide parts
    @property
    def root(self) -> Graph:
        """The document: ``self``, or the owner of a definition."""
        return self.owner if self.owner is not None else self

    @property
    def is_definition(self) -> bool:
        return self.owner is not None

    @property
    def meta(self) -> GraphMeta:
        return self.root._meta

    @meta.setter
    def meta(self, value: GraphMeta) -> None:
        self.root._meta = value

    @property
    def data_models(self) -> dict[str, DataModelSpec]:
        return self.root._data_models

    @data_models.setter
    def data_models(self, value: dict[str, DataModelSpec]) -> None:
        self.root._data_models = value

    @property
    def subgraphs(self) -> dict[str, Graph]:
        """Subgraph definitions by id (the document's, from any of its graphs)."""
        return self.root._subgraphs

    def graphs(self) -> list[Graph]:
        """The document and every definition, the document first."""
        return [self.root, *self.root._subgraphs.values()]

    # ----------------------------------------------------------------- listening
    def subscribe(self, listener: ch.Listener) -> None:
        self._listeners.append(listener)

    def unsubscribe(self, listener: ch.Listener) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def _emit(self, change: ch.GraphChange) -> None:
        for listener in list(self._listeners):
            listener(change)
        if self.owner is not None:
            if self.definition_id in self.owner._subgraphs:
                sg.after_change(self, change)
                self.owner._emit(ch.InSubgraph(self.definition_id, change))
        elif self._subgraphs and isinstance(change, (ch.NodeAdded, ch.NodeParamsChanged)):
            sg.refresh_use(self, change.node_id)

    # ------------------------------------------------------------------ queries
    def node(self, node_id: str) -> Node:
        try:
            return self.nodes[node_id]
        except KeyError:
            raise GraphError(f"no node with id {node_id!r}") from None

    def node_by_name(self, name: str) -> Node | None:
        ids = self._names.get(name)
        return self.nodes[ids[0]] if ids else None

    def name_taken(self, name: str, ignore: str | None = None) -> bool:
        """Whether a node other than ``ignore`` already has ``name``."""
        return any(i != ignore for i in self._names.get(name, ()))

    def nodes_of_type(self, type_name: str) -> list[Node]:
        return [n for n in self.nodes.values() if n.type == type_name]

    def incoming(self, node_id: str, port: str | None = None) -> list[Edge]:
        """Edges into ``node_id`` (optionally one port), in graph order."""
        if self._incoming is None:
            self._rebuild_adjacency()
        edges = self._incoming.get(node_id, [])  # type: ignore[union-attr]
        return [e for e in edges if e.target_port == port] if port is not None else list(edges)

    def outgoing(self, node_id: str, port: str | None = None) -> list[Edge]:
        """Edges out of ``node_id`` (optionally one port), in graph order."""
        if self._outgoing is None:
            self._rebuild_adjacency()
        edges = self._outgoing.get(node_id, [])  # type: ignore[union-attr]
        return [e for e in edges if e.source_port == port] if port is not None else list(edges)

    def edges_of(self, node_ids: Iterable[str]) -> list[Edge]:
        """Every edge touching any of ``node_ids``, in graph order."""
        wanted = set(node_ids)
        return [e for e in self.edges.values() if e.source in wanted or e.target in wanted]

    def find_edge(
        self, source: str, source_port: str, target: str, target_port: str
    ) -> Edge | None:
        for e in self.outgoing(source, source_port):
            if e.target == target and e.target_port == target_port:
                return e
        return None

    def edge_index(self, edge_id: str) -> int:
        return list(self.edges).index(edge_id)

    def iter_names(self) -> Iterator[str]:
        return iter(self._names)

    def _forget_name(self, name: str, node_id: str) -> None:
        ids = self._names[name]
        ids.remove(node_id)
        if not ids:
            del self._names[name]

    def _rebuild_adjacency(self) -> None:
        incoming: dict[str, list[Edge]] = {}
        outgoing: dict[str, list[Edge]] = {}
        for e in self.edges.values():
            incoming.setdefault(e.target, []).append(e)
            outgoing.setdefault(e.source, []).append(e)
        self._incoming, self._outgoing = incoming, outgoing

    def _edges_changed(self) -> None:
        self._incoming = self._outgoing = None

    # ------------------------------------------------------------------- nodes
    def add_node(self, node: Node, index: int | None = None) -> None:
        if node.id in self.nodes:
            raise GraphError(f"a node with id {node.id!r} already exists")
        self.nodes = _insert(self.nodes, node.id, node, index)
        self._names.setdefault(node.name, []).append(node.id)
        self._emit(ch.NodeAdded(node.id))

    def remove_node(self, node_id: str) -> tuple[Node, int]:
        """Remove a node that has no edges left; return it and its former index."""
        node = self.node(node_id)
        if self.incoming(node_id) or self.outgoing(node_id):
            raise GraphError(f"remove the edges of {node.name!r} before the node")
        index = _index_of(self.nodes, node_id)
        del self.nodes[node_id]
        self._forget_name(node.name, node_id)
        self._emit(ch.NodeRemoved(node_id))
        return node, index

    def remove_nodes(self, node_ids: Iterable[str]) -> list[tuple[Node, int]]:
        """Remove several edge-less nodes at once; return ``(node, former index)``
        pairs in ascending index order (what :meth:`restore_nodes` takes).

        One pass over the graph, where removing one node at a time costs a scan
        each: deleting thousands of nodes stays linear.
        """
        position = {node_id: i for i, node_id in enumerate(self.nodes)}
        wanted = sorted(dict.fromkeys(node_ids), key=lambda n: position.get(n, -1))
        for node_id in wanted:
            node = self.node(node_id)
            if self.incoming(node_id) or self.outgoing(node_id):
                raise GraphError(f"remove the edges of {node.name!r} before the node")
        removed = [(self.nodes[n], position[n]) for n in wanted]
        gone = set(wanted)
        self.nodes = {k: v for k, v in self.nodes.items() if k not in gone}
        for node, _index in removed:
            self._forget_name(node.name, node.id)
        for node, _index in removed:
            self._emit(ch.NodeRemoved(node.id))
        return removed

    def restore_nodes(self, items: Iterable[tuple[Node, int]]) -> None:
        """Put back nodes removed by :meth:`remove_nodes`, at their former indexes."""
        items = sorted(items, key=lambda item: item[1])
        for node, _index in items:
            if node.id in self.nodes:
                raise GraphError(f"a node with id {node.id!r} already exists")
        self.nodes = _insert_many(self.nodes, [(i, n.id, n) for n, i in items])
        for node, _index in items:
            self._names.setdefault(node.name, []).append(node.id)
            self._emit(ch.NodeAdded(node.id))

    def move_node(self, node_id: str, position: tuple[float, float]) -> None:
        node = self.node(node_id)
        x, y = float(position[0]), float(position[1])
        if not (math.isfinite(x) and math.isfinite(y)):
            raise GraphError(f"{node.name}: position {position!r} is not a finite point")
        node.position = (x, y)
        self._emit(ch.NodeMoved(node_id))

    def rename_node(self, node_id: str, name: str) -> None:
        node = self.node(node_id)
        if name == node.name:
            return
        old = node.name
        self._forget_name(old, node_id)
        node.name = name
        self._names.setdefault(name, []).append(node_id)
        self._emit(ch.NodeRenamed(node_id, old))

    def set_params(self, node_id: str, values: dict[str, Any]) -> dict[str, Any]:
        """Set some parameters; return their previous values (missing keys map to
        the :data:`MISSING` marker so undo can delete them again)."""
        node = self.node(node_id)
        previous = {k: node.params.get(k, MISSING) for k in values}
        for key, value in values.items():
            if value is MISSING:
                node.params.pop(key, None)
            else:
                node.params[key] = _copy_json(value)
        self._emit(ch.NodeParamsChanged(node_id, tuple(values)))
        return previous

    def set_variables(self, node_id: str, variables: dict[str, Any]) -> dict[str, Any]:
        """Replace a node's trained state; return the previous one (for undo)."""
        node = self.node(node_id)
        previous = node.variables
        node.variables = _copy_json(variables)
        self._emit(ch.NodeVariablesChanged(node_id))
        return previous

    def set_pinned(self, node_id: str, outputs: dict[str, Any] | None) -> dict[str, Any] | None:
        """Pin ``outputs`` (``{port: value}``) on a node, or unpin it with None;
        return what was pinned before (for undo)."""
        node = self.node(node_id)
        previous = node.pinned
        node.pinned = _copy_json(outputs) if outputs is not None else None
        self._emit(ch.NodePinChanged(node_id))
        return previous

    # ------------------------------------------------------------------- edges
    def add_edge(self, edge: Edge, index: int | None = None) -> None:
        if edge.id in self.edges:
            raise GraphError(f"an edge with id {edge.id!r} already exists")
        for end in (edge.source, edge.target):
            if end not in self.nodes:
                raise GraphError(f"edge {edge.id!r} refers to missing node {end!r}")
        appended = index is None or index >= len(self.edges)
        self.edges = _insert(self.edges, edge.id, edge, index)
        if appended and self._incoming is not None and self._outgoing is not None:
            # Last in graph order is last in each node's lists: keep the cache
            # (rebuilding it after every edit made building a graph quadratic).
            self._incoming.setdefault(edge.target, []).append(edge)
            self._outgoing.setdefault(edge.source, []).append(edge)
        else:
            self._edges_changed()
        self._emit(ch.EdgeAdded(edge.id))

    def remove_edge(self, edge_id: str) -> tuple[Edge, int]:
        """Remove an edge; return it and its former index (for exact undo)."""
        try:
            edge = self.edges[edge_id]
        except KeyError:
            raise GraphError(f"no edge with id {edge_id!r}") from None
        index = _index_of(self.edges, edge_id)
        del self.edges[edge_id]
        if self._incoming is not None and self._outgoing is not None:
            self._incoming[edge.target].remove(edge)
            self._outgoing[edge.source].remove(edge)
        self._emit(ch.EdgeRemoved(edge_id, edge.source, edge.target))
        return edge, index

    def remove_edges(self, edge_ids: Iterable[str]) -> list[tuple[Edge, int]]:
        """Remove several edges at once; return ``(edge, former index)`` pairs in
        ascending index order (what :meth:`restore_edges` takes). Linear in the
        graph size however many edges go."""
        position = {edge_id: i for i, edge_id in enumerate(self.edges)}
        wanted = list(dict.fromkeys(edge_ids))
        for edge_id in wanted:
            if edge_id not in position:
                raise GraphError(f"no edge with id {edge_id!r}")
        wanted.sort(key=position.__getitem__)
        removed = [(self.edges[e], position[e]) for e in wanted]
        gone = set(wanted)
        self.edges = {k: v for k, v in self.edges.items() if k not in gone}
        self._edges_changed()
        for edge, _index in removed:
            self._emit(ch.EdgeRemoved(edge.id, edge.source, edge.target))
        return removed

    def restore_edges(self, items: Iterable[tuple[Edge, int]]) -> None:
        """Put back edges removed by :meth:`remove_edges`, at their former indexes."""
        items = sorted(items, key=lambda item: item[1])
        for edge, _index in items:
            if edge.id in self.edges:
                raise GraphError(f"an edge with id {edge.id!r} already exists")
            for end in (edge.source, edge.target):
                if end not in self.nodes:
                    raise GraphError(f"edge {edge.id!r} refers to missing node {end!r}")
        self.edges = _insert_many(self.edges, [(i, e.id, e) for e, i in items])
        self._edges_changed()
        for edge, _index in items:
            self._emit(ch.EdgeAdded(edge.id))

    def replace_edge(self, edge: Edge) -> Edge:
        """Swap the edge with ``edge.id`` for ``edge`` in place (same slot in the
        order); return the old one. Used when a port is renamed under an edge
        (a Branch label moved), so merge input order is untouched."""
        old = self.edges.get(edge.id)
        if old is None:
            raise GraphError(f"no edge with id {edge.id!r}")
        for end in (edge.source, edge.target):
            if end not in self.nodes:
                raise GraphError(f"edge {edge.id!r} refers to missing node {end!r}")
        self.edges[edge.id] = edge
        if (
            self._incoming is not None
            and self._outgoing is not None
            and ((old.source, old.target) == (edge.source, edge.target))
        ):
            for lists, key in ((self._incoming, edge.target), (self._outgoing, edge.source)):
                row = lists[key]
                row[row.index(old)] = edge
        else:
            self._edges_changed()
        self._emit(ch.EdgeRemoved(old.id, old.source, old.target))
        self._emit(ch.EdgeAdded(edge.id))
        return old

    def reorder_edges(self, edge_ids: list[str]) -> list[str]:
        """Put ``edge_ids`` (all into one node) in this relative order, keeping the
        slots they occupy in the graph order. Returns the previous order."""
        if not edge_ids:
            return []
        edges = [self.edges[e] for e in edge_ids]
        targets = {e.target for e in edges}
        if len(targets) != 1:
            raise GraphError("reorder_edges takes edges into one node")
        keys = list(self.edges)
        position = {edge_id: i for i, edge_id in enumerate(keys)}
        slots = sorted(position[e] for e in edge_ids)
        previous = [keys[i] for i in slots]
        for slot, edge_id in zip(slots, edge_ids, strict=True):
            keys[slot] = edge_id
        self.edges = {k: self.edges[k] for k in keys}
        self._edges_changed()
        self._emit(ch.EdgesReordered(targets.pop()))
        return previous

    # ------------------------------------------------------------- data models
    def set_data_model(self, spec: DataModelSpec, index: int | None = None) -> None:
        """Add or replace (same name) a data model."""
        if self.owner is not None:  # data models are the document's
            return self.owner.set_data_model(spec, index)
        if spec.name in self.data_models and index is None:
            self.data_models[spec.name] = spec
        else:
            self.data_models = _insert(self.data_models, spec.name, spec, index)
        self._emit(ch.DataModelChanged(spec.name))

    def remove_data_model(self, name: str) -> tuple[DataModelSpec, int]:
        if self.owner is not None:
            return self.owner.remove_data_model(name)
        spec = self.data_models[name]
        index = list(self.data_models).index(name)
        del self.data_models[name]
        self._emit(ch.DataModelChanged(name))
        return spec, index

    def rename_data_model(self, old: str, new: str) -> None:
        """Rename a data model in place (keeping its position). References in node
        parameters are the caller's job (see ``RenameDataModel``)."""
        if self.owner is not None:
            return self.owner.rename_data_model(old, new)
        if new == old:
            return
        if old not in self.data_models:
            raise GraphError(f"no data model named {old!r}")
        if new in self.data_models:
            raise GraphError(f"a data model named {new!r} already exists")
        spec = self.data_models[old].model_copy(update={"name": new})
        self.data_models = {
            (new if k == old else k): (spec if k == old else v) for k, v in self.data_models.items()
        }
        self._emit(ch.DataModelChanged(new, old_name=old))

    # -------------------------------------------------------------------- meta
    def set_meta(self, **values: Any) -> dict[str, Any]:
        """Change graph settings; return their previous values (for undo)."""
        if self.owner is not None:  # settings are the document's
            return self.owner.set_meta(**values)
        unknown = sorted(set(values) - set(GraphMeta.model_fields))
        if unknown:
            raise GraphError(
                f"unknown graph setting {', '.join(unknown)}; known: {', '.join(GraphMeta.model_fields)}"
            )
        meta = GraphMeta.model_validate({**self.meta.model_dump(), **values})
        previous = {k: getattr(self.meta, k) for k in values}
        self.meta = meta
        self._emit(ch.MetaChanged(tuple(values)))
        return previous

    # ------------------------------------------------------ subgraph definitions
    def new_definition(
        self, name: str, description: str = "", definition_id: str | None = None
    ) -> Graph:
        """An empty definition owned by this document (not yet in its table:
        fill it, then :meth:`add_subgraph`)."""
        return Graph(
            owner=self.root,
            definition_id=definition_id or new_id(),
            name=name,
            description=description,
        )

    def add_subgraph(self, definition: Graph, index: int | None = None) -> None:
        """Put ``definition`` in the document's table (at ``index`` when given).
        Every Subgraph node that uses it takes its ports from it."""
        root = self.root
        if definition.owner is not root or definition.definition_id is None:
            raise GraphError("a subgraph definition must be made by this document's new_definition")
        if definition.definition_id in root._subgraphs:
            raise GraphError(f"a subgraph with id {definition.definition_id!r} already exists")
        root._subgraphs = _insert(root._subgraphs, definition.definition_id, definition, index)
        sg.refresh_uses(root, definition.definition_id)
        for node in definition.nodes.values():
            if node.type == sg.SUBGRAPH_TYPE:
                sg.refresh_use(definition, node.id)
        root._emit(ch.SubgraphAdded(definition.definition_id))

    def remove_subgraph(self, definition_id: str) -> tuple[Graph, int]:
        """Take a definition out of the table; return it and its former index.
        Refused while a Subgraph node uses it."""
        root = self.root
        definition = root._subgraphs.get(definition_id)
        if definition is None:
            raise GraphError(f"no subgraph with id {definition_id!r}")
        uses = sg.uses_of(root, definition_id)
        if uses:
            graph, node = uses[0]
            where = "the graph" if graph is root else f"subgraph {graph.definition_name!r}"
            raise GraphError(
                f"subgraph {definition.definition_name!r} is used by {node.name!r} in {where}"
            )
        index = list(root._subgraphs).index(definition_id)
        del root._subgraphs[definition_id]
        root._emit(ch.SubgraphRemoved(definition_id))
        return definition, index

    def set_subgraph_info(self, definition_id: str, **values: str) -> dict[str, str]:
        """Rename or describe a definition (``name=``, ``description=``); return the
        previous values (for undo)."""
        definition = self.root._subgraphs.get(definition_id)
        if definition is None:
            raise GraphError(f"no subgraph with id {definition_id!r}")
        unknown = sorted(set(values) - {"name", "description"})
        if unknown:
            raise GraphError(
                f"unknown subgraph setting {', '.join(unknown)}; known: name, description"
            )
        previous = {}
        for key, value in values.items():
            attribute = f"definition_{key}"
            previous[key] = getattr(definition, attribute)
            setattr(definition, attribute, str(value))
        self.root._emit(ch.SubgraphChanged(definition_id, tuple(values)))
        return previous


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


def _insert(mapping: dict, key: str, value: Any, index: int | None) -> dict:
    """Return ``mapping`` with ``key`` set, at ``index`` when given (a new dict)."""
    if index is None or index >= len(mapping):
        mapping[key] = value
        return mapping
    items = [(k, v) for k, v in mapping.items() if k != key]
    items.insert(index, (key, value))
    return dict(items)


def _index_of(mapping: dict, key: str) -> int:
    """Position of ``key``: O(1) for the last one (what undoing an add removes,
    so undoing a big paste stays linear), a scan otherwise."""
    if next(reversed(mapping)) == key:
        return len(mapping) - 1
    return list(mapping).index(key)


def _insert_many(mapping: dict, items: list[tuple[int, str, Any]]) -> dict:
    """A new dict: ``mapping`` with each ``(index, key, value)`` put at ``index``
    (indexes ascending, counted in the result), in one pass."""
    result: dict = {}
    rest = iter(mapping.items())
    filled = 0
    for index, key, value in items:
        while filled < index:
            try:
                k, v = next(rest)
            except StopIteration:
                break
            result[k] = v
            filled += 1
        result[key] = value
        filled += 1
    for k, v in rest:
        result[k] = v
    return result


def _copy_json(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _copy_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_copy_json(v) for v in value]
    return value
