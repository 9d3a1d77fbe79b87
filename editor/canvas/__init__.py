"""The node canvas: cards, ports, wires and canvas editing.

``CanvasView`` (in :mod:`editor.canvas.view`) is the widget to embed; its
module docstring lists the public API. Everything else here is its parts:
``scene`` (items kept in step with the document), ``node_item``/``port_item``/
``edge_item`` (drawing), ``card`` (what a card shows), ``wiring`` (drags and
the core's connection rules), ``quick_add``, ``editing``/``arrange`` (edits as
core commands), ``context_menu`` (right-click menus) with ``rename`` (in-place
renaming), ``insert_node`` (a new node put on an edge) and ``lineage``
(upstream/downstream), ``run_state`` (run overlays), ``paint_kit`` (pens per theme).
"""

from editor.canvas.view import NODE_TYPE_MIME, CanvasView

__all__ = ["NODE_TYPE_MIME", "CanvasView"]
