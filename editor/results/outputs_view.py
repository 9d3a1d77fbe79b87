"""The Outputs page: one result panel per Output node, side by side in output
order, then, while a run goes, the model nodes running that no Output shows
(:mod:`editor.results.live_panels`), then a panel for the node selected on the
canvas.

Panels share the width equally down to a readable minimum; past that the row
scrolls sideways (a 32-output graph stays usable, and panels scrolled out of
sight cost no painting). The views never hold results: :meth:`refresh` reads
the run entry's record for the nodes that changed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from editor.results.live_panels import LivePanels
from editor.results.panel_content import content_for, output_source
from editor.results.result_panel import ResultPanel
from editor.run.history import RunEntry
from editor.theme import Theme

EMPTY_HINT = "Run the graph (Ctrl+R) to see results"
PANEL_MIN_WIDTH = 250
EAGER_PANELS = 4  # built at once (what fits on screen); the rest a few per event-loop turn
PANELS_PER_TURN = 3


class OutputsView(QWidget):
    settingsRequested = Signal()

    def __init__(self, theme: Callable[[], Theme], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._theme = theme
        self.entry: RunEntry | None = None
        self.panels: dict[str, ResultPanel] = {}  # Output node id -> panel, in output order
        self._slots: dict[str, QFrame] = {}  # outputs whose panel is still being built
        self._headings: dict[str, tuple[str, str]] = {}
        self._watch: dict[str, set[str]] = {}  # panel key -> node ids it shows
        self.selected_id: str | None = None
        self.hint = QLabel(EMPTY_HINT, self)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setEnabled(False)
        self.hint.setWordWrap(True)

        self.row = QWidget()
        self.row_layout = QHBoxLayout(self.row)
        self.row_layout.setContentsMargins(6, 6, 6, 6)
        self.row_layout.setSpacing(6)
        self.selected_panel = self._new_panel("Selected node", "")
        self.selected_panel.setObjectName("selectedResultPanel")
        self.selected_panel.hide()
        self.row_layout.addWidget(self.selected_panel, 1)
        self.live = LivePanels(self._new_panel, self._place_live, self._remove_live, self._shown)
        self.scroll = QScrollArea(self)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.scroll.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setWidget(self.row)
        self.scroll.horizontalScrollBar().valueChanged.connect(lambda _v: self._render_visible())
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.hint)
        self.pages.addWidget(self.scroll)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)

    # ------------------------------------------------------------- entries
    def show_entry(self, entry: RunEntry | None) -> None:
        """Show ``entry`` (panels rebuilt when its outputs differ from the shown ones)."""
        self.entry = entry
        if self.live.clear():
            self._update_min_width()
        if entry is None:
            self.pages.setCurrentWidget(self.hint)
            return
        from core.nodes.program_io import program_outputs

        outputs = program_outputs(entry.graph)
        wanted = [node.id for node in outputs]
        if [*self.panels, *self._slots] != wanted:
            self._clear_panels()
            for index, node in enumerate(outputs):
                if index < EAGER_PANELS:
                    self.panels[node.id] = self._new_panel(node.name, "")
                    self.row_layout.insertWidget(index, self.panels[node.id], 1)
                else:  # a light stand-in, replaced by its panel a moment later
                    slot = QFrame(self.row)
                    slot.setFrameShape(QFrame.Shape.StyledPanel)
                    slot.setMinimumWidth(PANEL_MIN_WIDTH)
                    self._slots[node.id] = slot
                    self.row_layout.insertWidget(index, slot, 1)
            if self._slots:
                QTimer.singleShot(0, self._build_more)
        self._headings = {}
        self._watch = {}
        for index, node in enumerate(outputs):
            source = output_source(entry.graph, node)
            self._headings[node.id] = (
                f"{index + 1}. {node.name}",
                f"\u2190 {source.name} \u00b7 {source.type}" if source else "not connected",
            )
            self._watch[node.id] = {node.id} | ({source.id} if source else set())
            if node.id in self.panels:
                self.panels[node.id].set_heading(*self._headings[node.id])
                self.panels[node.id].reset()
        self.hint.setText(
            EMPTY_HINT
            if outputs
            else "This graph has no Output node: select a node to see its result"
        )
        self.pages.setCurrentWidget(self.scroll if outputs or self.selected_id else self.hint)
        self._update_min_width()
        self.set_selected(self.selected_id)
        self.refresh(None)

    def _build_more(self) -> None:
        """Replace a few stand-ins by their panels, then yield to the event loop:
        a graph with many outputs never freezes the window while its panels are built."""
        for key in list(self._slots)[:PANELS_PER_TURN]:
            slot = self._slots.pop(key)
            index = self.row_layout.indexOf(slot)
            self.row_layout.removeWidget(slot)
            slot.deleteLater()
            panel = self._new_panel(*self._headings.get(key, ("", "")))
            self.row_layout.insertWidget(index, panel, 1)
            self.panels[key] = panel
            if self.entry is not None:
                panel.show_content(content_for(self.entry, key), render=self._on_screen(panel))
        if self._slots:
            QTimer.singleShot(0, self._build_more)
        else:
            order = {key: i for i, key in enumerate(self._headings)}
            self.panels = dict(sorted(self.panels.items(), key=lambda item: order.get(item[0], 0)))

    def _clear_panels(self) -> None:
        for widget in [*self.panels.values(), *self._slots.values()]:
            self.row_layout.removeWidget(widget)
            widget.deleteLater()
        self.panels, self._slots = {}, {}

    def refresh(self, changed: Iterable[str] | None, now: float | None = None) -> None:
        """Update the panels showing any of ``changed`` (every panel when None)."""
        entry = self.entry
        if entry is None:
            return
        changed_set = None if changed is None else set(changed)
        if self.live.update(entry, changed_set, self._on_screen, now):
            self._update_min_width()
            if self.live.panels:
                self.pages.setCurrentWidget(self.scroll)
            elif not self.panels and not self.selected_panel.isVisibleTo(self.row):
                self.pages.setCurrentWidget(self.hint)
        for key, panel in self.panels.items():
            if changed_set is None or self._watch.get(key, set()) & changed_set:
                panel.show_content(content_for(entry, key, now), render=self._on_screen(panel))
        if self.selected_id is not None and self.selected_panel.isVisible():
            watched = self._watch.get("selected", set())
            if changed_set is None or watched & changed_set:
                self.selected_panel.show_content(
                    content_for(entry, self.selected_id, now),
                    render=self._on_screen(self.selected_panel),
                )

    def _on_screen(self, panel: ResultPanel) -> bool:
        """Whether any of ``panel`` is in view (text of panels scrolled away waits)."""
        return not panel.visibleRegion().isEmpty()

    def _render_visible(self) -> None:
        for panel in [*self.panels.values(), *self.live.panels.values(), self.selected_panel]:
            if panel.isVisible() and self._on_screen(panel):
                panel.render_pending()

    def refresh_running(self, now: float | None = None) -> None:
        """Tick elapsed times of panels whose node is still running."""
        running = [k for k, p in self.panels.items() if p.content.state in ("running", "queued")]
        if self.selected_id is not None and self.selected_panel.content.state in (
            "running",
            "queued",
        ):
            running.extend(self._watch.get("selected", set()))
        ids: set[str] = set(self.live.running_ids())
        for key in running:
            ids |= self._watch.get(key, {key})
        if ids:
            self.refresh(ids, now)

    # ------------------------------------------------------------ selection
    def set_selected(self, node_id: str | None) -> None:
        """Show ``node_id``'s panel after the outputs (hidden when None)."""
        self.selected_id = node_id
        entry = self.entry
        if node_id is None or entry is None:
            self.selected_panel.hide()
            self._watch.pop("selected", None)
            if entry is not None and not self.panels:
                self.pages.setCurrentWidget(self.hint)
            self._update_min_width()
            return
        node = entry.node(node_id)
        watch = {node_id}
        if node is None:
            self.selected_panel.set_heading(
                "Selected node", f"not part of {entry.title} (added after it started)"
            )
        else:
            subtitle = node.type
            if node.type == "Output":
                source = output_source(entry.graph, node)
                if source is not None:
                    watch.add(source.id)
                    subtitle = f"Output \u2190 {source.name}"
            self.selected_panel.set_heading(f"Selected: {node.name}", subtitle)
        self._watch["selected"] = watch
        if node_id in self.live.panels:  # one panel per node: the selection's
            self.live.drop(node_id)
            self._update_min_width()
        self.selected_panel.reset("")
        self.selected_panel.show()
        self.pages.setCurrentWidget(self.scroll)
        self._update_min_width()
        self.selected_panel.show_content(content_for(entry, node_id))

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self._render_visible()

    def showEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        self._render_visible()

    # ------------------------------------------------------------ internals
    def _new_panel(self, title: str, subtitle: str) -> ResultPanel:
        panel = ResultPanel(title, subtitle, self._theme, self.row)
        panel.setMinimumWidth(PANEL_MIN_WIDTH)
        panel.settingsRequested.connect(self.settingsRequested)
        return panel

    def _place_live(self, panel: ResultPanel) -> None:
        """A running branch's panel goes after the Outputs, before the selected node's."""
        self.row_layout.insertWidget(self.row_layout.indexOf(self.selected_panel), panel, 1)

    def _remove_live(self, panel: ResultPanel) -> None:
        self.row_layout.removeWidget(panel)
        panel.hide()
        panel.deleteLater()

    def _shown(self) -> set[str]:
        """Nodes the Output panels and the selected node's panel already show."""
        shown: set[str] = set()
        for watched in self._watch.values():
            shown |= watched
        return shown

    def _update_min_width(self) -> None:
        count = (
            len(self.panels)
            + len(self.live.panels)
            + len(self._slots)
            + (1 if self.selected_panel.isVisibleTo(self.row) else 0)
        )
        margins = self.row_layout.contentsMargins()
        spacing = self.row_layout.spacing()
        self.row.setMinimumWidth(
            count * PANEL_MIN_WIDTH + max(0, count - 1) * spacing + margins.left() + margins.right()
        )
