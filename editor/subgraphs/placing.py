"""Placing subgraph uses from the palette and quick-add.

The registry's plain "Subgraph" type would make a node that uses nothing, so
the palette and quick-add list instead "New subgraph" (an empty definition and
one use of it, one undo step) and one entry per definition of the graph (a new
use of it). Their keys travel where node type names do (drag and drop, the
view's ``add_node``) with a prefix no type name has.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.commands import AddNode, SubgraphError, make_subgraph_node, new_subgraph_command
from core.model.graph import Graph
from core.model.subgraphs import SUBGRAPH_TYPE, uses_of, would_recurse

if TYPE_CHECKING:
    from PySide6.QtCore import QPointF

    from editor.canvas.view import CanvasView

KEY_PREFIX = "subgraph:"
NEW_KEY = KEY_PREFIX + "new"
NEW_TITLE = "New subgraph"
NEW_DESCRIPTION = "An empty subgraph and a node that uses it: double-click the node to fill it in."


def is_subgraph_key(key: str) -> bool:
    return key.startswith(KEY_PREFIX)


def definition_key(definition_id: str) -> str:
    return KEY_PREFIX + "use:" + definition_id


def subgraph_choices(graph: Graph | None) -> list[tuple[str, str, str]]:
    """``(key, title, description)`` for "New subgraph" and each definition a
    node of ``graph`` may use (not one that would contain itself)."""
    choices = [(NEW_KEY, NEW_TITLE, NEW_DESCRIPTION)]
    if graph is None:
        return choices
    root = graph.root
    for definition_id, definition in graph.subgraphs.items():
        if would_recurse(graph, definition_id):
            continue
        uses = len(uses_of(root, definition_id))
        about = definition.definition_description or "A subgraph of this graph"
        choices.append(
            (
                definition_key(definition_id),
                definition.definition_name,
                f"{about} (used {uses}×). Adds another use: editing it changes every use.",
            )
        )
    return choices


def add_subgraph_use(view: CanvasView, key: str, point: QPointF) -> str:
    """Add what ``key`` names at ``point`` on ``view``; the new node's id ("" if refused)."""
    from editor.canvas.paint_kit import CARD_WIDTH, HEADER_HEIGHT
    from editor.canvas.scene import snap

    graph = view.document.graph
    x, y = point.x() - CARD_WIDTH / 2, point.y() - HEADER_HEIGHT / 2
    if view.canvas_scene.snap_to_grid:
        x, y = snap(x), snap(y)
    position = (float(round(x)), float(round(y)))
    try:
        if key == NEW_KEY:
            command, _definition, node = new_subgraph_command(graph, "subgraph", position)
        else:
            definition_id = key.removeprefix(KEY_PREFIX + "use:")
            node = make_subgraph_node(graph, definition_id, position)
            command = AddNode(node)
    except SubgraphError as exc:
        view.statusMessage.emit(f"Cannot add the subgraph: {exc}")
        return ""
    if not view.canvas_scene.push(command):
        return ""
    view.select_nodes([node.id])
    view.statusMessage.emit(f"Added {node.name} (double-click it to edit the subgraph)")
    return node.id


def hidden_type(type_name: str) -> bool:
    """Node types the palette and quick-add list through the entries above instead."""
    return type_name == SUBGRAPH_TYPE
