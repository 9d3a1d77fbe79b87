"""Plain-Python change notices a :class:`~core.model.graph.Graph` sends its listeners.

The editor turns these into Qt signals in one bridge module; tests and the
engine can listen without Qt. Each notice names what changed, never how to
redraw it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class NodeAdded:
    node_id: str


@dataclass(frozen=True, slots=True)
class NodeRemoved:
    node_id: str


@dataclass(frozen=True, slots=True)
class NodeMoved:
    node_id: str


@dataclass(frozen=True, slots=True)
class NodeRenamed:
    node_id: str
    old_name: str


@dataclass(frozen=True, slots=True)
class NodeParamsChanged:
    node_id: str
    keys: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class NodePinChanged:
    """A node's pinned output was set, changed or removed."""

    node_id: str


@dataclass(frozen=True, slots=True)
class NodeVariablesChanged:
    """A node's trained state (instructions, few-shot examples…) was edited."""

    node_id: str


@dataclass(frozen=True, slots=True)
class EdgeAdded:
    edge_id: str


@dataclass(frozen=True, slots=True)
class EdgeRemoved:
    edge_id: str
    source: str
    target: str


@dataclass(frozen=True, slots=True)
class EdgesReordered:
    target: str


@dataclass(frozen=True, slots=True)
class DataModelChanged:
    """A data model was added, removed, renamed or edited (``name`` is the new name)."""

    name: str
    old_name: str | None = None


@dataclass(frozen=True, slots=True)
class MetaChanged:
    keys: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SubgraphAdded:
    """A subgraph definition entered the document's table."""

    definition_id: str


@dataclass(frozen=True, slots=True)
class SubgraphRemoved:
    definition_id: str


@dataclass(frozen=True, slots=True)
class SubgraphChanged:
    """A definition's own name or description changed (``keys`` says which)."""

    definition_id: str
    keys: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class InSubgraph:
    """``change`` happened inside the definition ``definition_id`` (told to the
    document's listeners after the definition's own)."""

    definition_id: str
    change: object


GraphChange = (
    NodeAdded
    | NodeRemoved
    | NodeMoved
    | NodeRenamed
    | NodeParamsChanged
    | NodePinChanged
    | NodeVariablesChanged
    | EdgeAdded
    | EdgeRemoved
    | EdgesReordered
    | DataModelChanged
    | MetaChanged
    | SubgraphAdded
    | SubgraphRemoved
    | SubgraphChanged
    | InSubgraph
)
Listener = Callable[[GraphChange], None]
