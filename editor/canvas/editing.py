"""Canvas edits as core commands: delete, disconnect, align, auto-layout, paste offsets.

Each function reads the graph (and card sizes the view passes in) and
returns one command, or None when there is nothing to do, so every canvas
edit is exactly one undo step and the functions are testable without a view.
"""

from __future__ import annotations

from core.commands import Command, Macro, MoveNodes, RemoveEdges, RemoveNodes
from core.commands.clipboard import ClipboardDoc
from core.layout import layered_layout
from core.model.graph import Graph
from editor.canvas.arrange import Rect, align_positions, pack_columns

COLUMN_GAP = 110.0  # horizontal space between the cards of two layers
ROW_GAP = 36.0  # vertical space between two cards of one layer


def delete_command(graph: Graph, node_ids: list[str], edge_ids: list[str]) -> Command | None:
    """Remove nodes (with their edges) and other selected edges, as one step."""
    nodes = [n for n in node_ids if n in graph.nodes]
    gone = set(nodes)
    edges = [
        e
        for e in edge_ids
        if e in graph.edges
        and graph.edges[e].source not in gone
        and graph.edges[e].target not in gone
    ]
    commands: list[Command] = []
    if edges:
        commands.append(RemoveEdges(edges))
    if nodes:
        commands.append(RemoveNodes(nodes))
    if not commands:
        return None
    if len(commands) == 1:
        return commands[0]
    return Macro("Delete", commands)


def disconnect_command(graph: Graph, node_ids: list[str]) -> RemoveEdges | None:
    """Remove every edge touching ``node_ids`` (the nodes stay), as one step;
    None when they have no edge."""
    edges = [e.id for e in graph.edges_of(n for n in node_ids if n in graph.nodes)]
    if not edges:
        return None
    return RemoveEdges(edges, "Disconnect all")


def _moves(graph: Graph, positions: dict[str, tuple[float, float]], text: str) -> MoveNodes | None:
    moves = {}
    for node_id, (x, y) in positions.items():
        old = tuple(graph.nodes[node_id].position)
        new = (float(round(x)), float(round(y)))
        if new != old:
            moves[node_id] = (old, new)
    if not moves:
        return None
    command = MoveNodes(moves)
    command.text = text
    return command


def align_command(graph: Graph, rects: dict[str, Rect], mode: str) -> MoveNodes | None:
    """Align or distribute the cards in ``rects`` (see :func:`align_positions`)."""
    label = mode.replace("_", " ").replace("hcenter", "centres").replace("vcenter", "middles")
    return _moves(graph, align_positions(rects, mode), f"Align {label}")


def layout_command(
    graph: Graph, rects: dict[str, Rect], node_ids: list[str] | None = None
) -> MoveNodes | None:
    """Auto-layout (layered, left to right) of ``node_ids`` (all when None),
    keeping the top-left of what is laid out where it was."""
    chosen = [n for n in (node_ids if node_ids is not None else list(graph.nodes)) if n in rects]
    if not chosen:
        return None
    width = max(rects[n][2] for n in chosen)
    tallest = max(rects[n][3] for n in chosen)
    origin = (min(rects[n][0] for n in chosen), min(rects[n][1] for n in chosen))
    positions = layered_layout(
        graph, chosen, origin=origin, column_gap=width + COLUMN_GAP, row_gap=tallest + ROW_GAP
    )
    packed = pack_columns(positions, {n: rects[n][3] for n in positions}, ROW_GAP)
    # pack_columns centres columns on the tallest; keep the top where it was.
    top = min(p[1] for p in packed.values())
    packed = {k: (x, y - top + origin[1]) for k, (x, y) in packed.items()}
    return _moves(graph, packed, "Auto-layout")


def paste_offset(
    doc: ClipboardDoc, at: tuple[float, float] | None, serial: int
) -> tuple[float, float]:
    """Where pasted nodes go: their top-left at ``at`` (the cursor) when given,
    else shifted down-right of the originals, a step more for each repeat."""
    if at is not None and doc.nodes:
        left = min(n.position[0] for n in doc.nodes)
        top = min(n.position[1] for n in doc.nodes)
        return (round(at[0] - left), round(at[1] - top))
    step = 40.0 * max(1, serial)
    return (step, step)
