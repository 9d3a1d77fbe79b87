"""Find Node (Ctrl+F): jump to a node of the graph by typing part of its name.

On a graph of hundreds of nodes the one you want is rarely on screen. The
popup lists the graph's nodes, best match first (name prefix, then name
substring, then type, then the letters in order, so ``b2`` finds
``branch_2``); picking one selects it and centres the view on it.
"""

from __future__ import annotations

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QWidget

from editor.canvas.search_popup import Entry, SearchPopup, dot_icon
from editor.document import GraphDocument

MAX_LISTED = 200
"""More rows than this help nobody: the popup asks for more letters instead."""


def rank(name: str, type_title: str, query: str) -> int | None:
    """How well a node matches ``query`` (lower is better; None: no match)."""
    q = query.strip().lower()
    if not q:
        return 0
    name = name.lower()
    if name.startswith(q):
        return 0
    if q in name:
        return 1
    if q in type_title.lower():
        return 2
    letters = iter(name)
    if all(c in letters for c in q.replace(" ", "")):
        return 3
    return None


class FindNodePopup(SearchPopup):
    """Pick a node of ``document``'s graph: emits ``chosen(node_id)``."""

    def __init__(self, document: GraphDocument, parent: QWidget | None = None) -> None:
        super().__init__("Node name or type…", parent, width=340)
        self.setObjectName("findNode")
        self.document = document
        self._icons: dict[str, QIcon] = {}
        self._more = 0

    def entries(self, query: str) -> list[Entry]:
        graph, registry = self.document.graph, self.document.registry
        ranked = []
        for node in graph.nodes.values():
            node_type = registry.get(node.type) if node.type in registry else None
            title = node_type.title if node_type is not None else node.type
            score = rank(node.name, title, query)
            if score is not None:
                ranked.append((score, node.name.lower(), node, title, node_type))
        ranked.sort(key=lambda r: (r[0], r[1]))
        self._more = max(0, len(ranked) - MAX_LISTED)
        return [
            Entry(node.id, f"{node.name}  ·  {title}", self._icon(node_type))
            for _score, _name, node, title, node_type in ranked[:MAX_LISTED]
        ]

    def describe(self, key: str) -> str:
        node = self.document.graph.nodes.get(key)
        if node is None:
            return ""
        parts = [node.type]
        data_model = node.params.get("data_model")
        if isinstance(data_model, str) and data_model:
            parts.append(data_model)
        problems = self.document.diagnostics_for(key)
        if problems:
            parts.append(f"{len(problems)} problem{'s' if len(problems) != 1 else ''}")
        if self._more:
            parts.append(f"{self._more} more not listed: type more of the name")
        return " · ".join(parts)

    def no_match_text(self) -> str:
        if not self.document.graph.nodes:
            return "The graph has no nodes yet."
        return "No node has that name or type."

    def _icon(self, node_type) -> QIcon:
        color = node_type.color if node_type is not None else "#888888"
        if color not in self._icons:
            self._icons[color] = dot_icon(color)
        return self._icons[color]
