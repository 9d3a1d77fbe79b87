"""Panels for the branches running now, next to the Outputs.

An Output's panel streams the node that feeds it, but most model nodes feed
no Output directly (the three branches of ``fork_merge`` feed a merge): while
they run, nothing of them would be seen. :class:`LivePanels` adds a panel for
each model-calling node that is running and not already shown (by an Output's
panel or the selected node's), so parallel branches are seen streaming side by
side in every graph. To stay uncluttered:

- at most :data:`MAX_LIVE` of them; a branch that ended gives its place to one
  that starts (the ended one stays, showing its result, until then);
- when the run ends they go, and the page settles on the Outputs (each
  node's result is still on its card, and one click away: select the node).

Panels are read from the run record like every other panel
(:func:`~editor.results.panel_content.content_for`); nothing is stored here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from editor.results.panel_content import content_for

if TYPE_CHECKING:
    from editor.results.result_panel import ResultPanel
    from editor.run.history import RunEntry

MAX_LIVE = 4
ENDED = ("finished", "failed", "skipped", "cancelled")


class LivePanels:
    """The running branches' panels of one Outputs page (see the module docstring).

    ``new_panel(title, subtitle)`` makes a panel, ``place(panel)`` puts it in
    the row (after the Outputs), ``remove(panel)`` takes it out; ``shown()``
    gives the node ids other panels already show."""

    def __init__(
        self,
        new_panel: Callable[[str, str], ResultPanel],
        place: Callable[[ResultPanel], None],
        remove: Callable[[ResultPanel], None],
        shown: Callable[[], set[str]],
    ) -> None:
        self._new_panel = new_panel
        self._place = place
        self._remove = remove
        self._shown = shown
        self.panels: dict[str, ResultPanel] = {}  # node id -> panel, oldest first

    def clear(self) -> bool:
        """Remove every live panel; True when there were some."""
        had = bool(self.panels)
        for panel in self.panels.values():
            self._remove(panel)
        self.panels = {}
        return had

    def update(
        self,
        entry: RunEntry | None,
        changed: Iterable[str] | None,
        on_screen: Callable[[ResultPanel], bool],
        now: float | None = None,
    ) -> bool:
        """Follow ``entry`` after its record changed for ``changed`` nodes (None:
        any). True when panels were added or removed (the row's width changes)."""
        if entry is None or entry.record is None or not entry.active:
            return self.clear()
        record = entry.record
        ids = list(record.nodes) if changed is None else list(changed)
        altered = False
        starting = [
            node_id
            for node_id in ids
            if node_id not in self.panels
            and (node := record.nodes.get(node_id)) is not None
            and str(node.state) == "running"
            and node.model is not None
        ]
        if len(starting) > 1:  # started together: in the run's order, not the events'
            order = {node_id: k for k, node_id in enumerate(record.nodes)}
            starting.sort(key=lambda node_id: order.get(node_id, 0))
        shown = self._shown() if starting else set()
        for node_id in starting:
            node = record.nodes[node_id]
            if node_id in shown or not self._make_room(record):
                continue
            graph_node = entry.node(node_id)
            kind = graph_node.type if graph_node is not None else ""
            panel = self._new_panel(node.node_name, f"{kind} \u00b7 shown while it runs")
            self._place(panel)
            self.panels[node_id] = panel
            altered = True
            panel.show_content(content_for(entry, node_id, now), render=True)
        for node_id, panel in self.panels.items():
            if changed is None or node_id in ids:
                panel.show_content(content_for(entry, node_id, now), render=on_screen(panel))
        return altered

    def drop(self, node_id: str) -> None:
        """Remove ``node_id``'s panel (another panel shows that node now)."""
        panel = self.panels.pop(node_id, None)
        if panel is not None:
            self._remove(panel)

    def running_ids(self) -> set[str]:
        """Nodes of live panels still going (their clocks tick)."""
        return {k for k, p in self.panels.items() if p.content.state in ("running", "queued")}

    def _make_room(self, record) -> bool:
        if len(self.panels) < MAX_LIVE:
            return True
        for node_id in self.panels:  # oldest first
            node = record.nodes.get(node_id)
            if node is not None and str(node.state) in ENDED:
                self._remove(self.panels.pop(node_id))
                return True
        return False
