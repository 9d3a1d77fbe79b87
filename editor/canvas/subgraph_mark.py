"""How a Subgraph card shows what it is: a second card edge peeking out from
behind it (a stack: one card standing for a whole graph) and a caption under
its ports naming the definition and how many nodes use it, since an edit
inside changes every one of them."""

from __future__ import annotations

from PySide6.QtGui import QPainter, QPainterPath

from core.model.graph import Graph, Node
from core.model.subgraphs import SUBGRAPH_TYPE, definition_of, uses_of

STACK_OFFSET = 5.0


def subgraph_caption(graph: Graph, node: Node) -> str:
    """``"summarise · used 2×"`` for a Subgraph node ("" for any other node): the
    header already says Subgraph, the caption which one and how shared it is."""
    if node.type != SUBGRAPH_TYPE:
        return ""
    definition = definition_of(graph, node)
    if definition is None:
        return "missing subgraph"
    uses = len(uses_of(graph.root, definition.definition_id))
    return f"{definition.definition_name} · used {uses}×"


def paint_stack(
    painter: QPainter, kit, card: QPainterPath, outline: QPainterPath, far: bool = False
) -> None:
    """The card behind the card: drawn first, offset down and right, in the
    card's colours with the header's colour as its edge."""
    painter.save()
    painter.translate(STACK_OFFSET, STACK_OFFSET)
    if far:
        painter.setBrush(kit.outline_brush)
        painter.drawRect(card.boundingRect())
    else:
        painter.setBrush(kit.outline_brush)
        painter.drawPath(outline)
        painter.setBrush(kit.card_brush)
        painter.drawPath(card)
    painter.restore()
