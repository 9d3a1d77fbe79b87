"""Quick-add: a small searchable list of node types that pops up at the cursor.

Opened by Tab, by a double-click on empty canvas, and by dropping a wire on
empty canvas (then only the types that can take that wire are listed, so
whatever is picked arrives connected). It lists what the registry holds, in
palette order; typing filters by title, type name, category and description.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QWidget

from core.model.subgraphs import SUBGRAPH_TYPE
from core.registry import Registry
from core.registry.node_type import NodeType
from editor.canvas.search_popup import Entry, SearchPopup, dot_icon


def rank(node_type: NodeType, query: str) -> int | None:
    """How well ``node_type`` matches ``query`` (lower is better; None: no match)."""
    q = query.strip().lower()
    if not q:
        return 0
    title, name = node_type.title.lower(), node_type.type_name.lower()
    if title.startswith(q) or name.startswith(q):
        return 0
    if q in title or q in name:
        return 1
    if q in node_type.category.lower():
        return 2
    if q in node_type.description.lower():
        return 3
    letters = iter(title)
    if all(c in letters for c in q.replace(" ", "")):  # subsequence: "cot" -> Chain of Thought
        return 4
    return None


def _rank_text(title: str, about: str, query: str, as_type: int | None) -> int | None:
    """How well a subgraph entry matches: by its own name, then as a subgraph."""
    q = query.strip().lower()
    if not q or title.lower().startswith(q):
        return 0
    if q in title.lower():
        return 1
    if as_type is not None:
        return as_type
    return 3 if q in about.lower() else None


class QuickAddPopup(SearchPopup):
    """Pick a node type. Emits ``chosen(type_name)`` or ``dismissed()``."""

    def __init__(self, registry: Registry, parent: QWidget | None = None) -> None:
        super().__init__("Search node types…", parent)
        self.setObjectName("quickAdd")
        self.heading.setObjectName("quickAddHeading")
        self.description.setObjectName("quickAddDescription")
        self.registry = registry
        self._allowed: dict[str, str] | None = None
        self._icons = {t.type_name: dot_icon(t.color) for t in registry}
        # () -> [(key, title, description)]: entries the open graph adds (its
        # subgraphs); types these stand for are not listed themselves.
        self.graph_entries: Callable[[], list[tuple[str, str, str]]] | None = None
        self._extra: dict[str, tuple[str, str]] = {}

    def open_at(
        self, global_pos: QPoint, allowed: dict[str, str] | None = None, heading: str = ""
    ) -> None:
        """Show at ``global_pos``; ``allowed`` limits the list to those types."""
        self._allowed = allowed
        self.popup(global_pos, heading or "Add a node")

    def visible_types(self) -> list[str]:
        return self.keys()

    def entries(self, query: str) -> list[Entry]:
        extra = self.graph_entries() if self.graph_entries is not None else []
        self._extra = {key: (title, about) for key, title, about in extra}
        ranked = []
        for order, node_type in enumerate(self.registry):
            if self._allowed is not None and node_type.type_name not in self._allowed:
                continue
            if extra and node_type.type_name == SUBGRAPH_TYPE:
                if self._allowed is None:  # a new use has no wire to take yet
                    as_type = rank(node_type, query)
                    for k, (key, title, about) in enumerate(extra):
                        score = _rank_text(title, about, query, as_type)
                        if score is not None:
                            icon = self._icons[SUBGRAPH_TYPE]
                            ranked.append((score, order + k / 1000, Entry(key, title, icon, about)))
                continue
            score = rank(node_type, query)
            if score is not None:
                entry = Entry(
                    node_type.type_name,
                    node_type.title,
                    self._icons[node_type.type_name],
                    node_type.description,
                )
                ranked.append((score, order, entry))
        return [e for _score, _order, e in sorted(ranked, key=lambda r: (r[0], r[1]))]

    def describe(self, key: str) -> str:
        if key in self._extra:
            return f"Subgraph · {self._extra[key][1]}"
        node_type = self.registry.get(key)
        return f"{node_type.category} · {node_type.description}"

    def no_match_text(self) -> str:
        if self._allowed is not None and not self._allowed:
            return "No node type can take this connection."
        return "No node type matches."
