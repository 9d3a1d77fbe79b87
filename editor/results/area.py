"""The Results dock: the shown run's outputs, its timeline, and the run history.

Three pages under one summary line:

- **Outputs**: a result panel per Output node, side by side, plus the node
  selected on the canvas (:mod:`editor.results.outputs_view`);
- **Timeline**: one bar per node on a shared time axis (:mod:`editor.results.timeline`);
- **History**: this session's runs; reopen one, or compare two
  (:mod:`editor.results.history_view`).

The area shows one run at a time, the *shown* entry: the live run while it
goes, or an earlier one reopened from the history (a "Back to latest run"
button then returns). It reads results from the entry's run record and never
stores any. The pages are built on first use so the window opens without them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QStackedWidget,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from editor.results.elided_label import ElidedLabel
from editor.run.history import RunEntry, RunHistory
from editor.theme import Theme, system_theme

EMPTY_HINT = "Run the graph (Ctrl+R) to see results"


class ResultsArea(QWidget):
    settingsRequested = Signal()
    nodeRequested = Signal(str)
    compareRequested = Signal(object, object)
    shownEntryChanged = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._theme_fn: Callable[[], Theme] | None = None
        self._default_theme: Theme | None = None
        self._history: RunHistory | None = None
        self.live: RunEntry | None = None
        self.shown: RunEntry | None = None
        self.tabs: QTabWidget | None = None
        self._selected: str | None = None  # kept while the pages are not built yet
        self.hint = QLabel(EMPTY_HINT, self)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setEnabled(False)
        self._stack = QStackedWidget(self)
        self._stack.addWidget(self.hint)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._stack)

    # ---------------------------------------------------------------- set-up
    def set_theme_provider(self, theme: Callable[[], Theme]) -> None:
        self._theme_fn = theme

    def theme(self) -> Theme:
        if self._theme_fn is not None:
            return self._theme_fn()
        if self._default_theme is None:
            self._default_theme = system_theme()
        return self._default_theme

    def set_history(self, history: RunHistory) -> None:
        self._history = history
        if self.tabs is not None:
            self.history_view.set_history(history)

    def set_kept(self, source, summaries: list) -> None:
        """The graph's runs kept from earlier sessions (see ``HistoryView.set_kept``):
        with some, the pages appear, on History when no run is shown yet."""
        if not summaries and self.tabs is None:
            return
        self._ensure_built()
        self.history_view.set_kept(source, summaries)
        if summaries and self.shown is None:
            self.tabs.setCurrentWidget(self.history_view)

    def _ensure_built(self) -> None:
        if self.tabs is not None:
            return
        from editor.results.history_view import HistoryView
        from editor.results.outputs_view import OutputsView
        from editor.results.timeline import TimelineView

        page = QWidget(self)
        self.summary = ElidedLabel("", page)
        self.summary.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.latest_button = QToolButton(page)
        self.latest_button.setText("Back to latest run")
        self.latest_button.setAutoRaise(True)
        self.latest_button.hide()
        self.latest_button.clicked.connect(lambda: self.show_entry(self.live))
        self.outputs = OutputsView(self.theme, page)
        self.outputs.selected_id = self._selected  # a node selected before the first run
        self.outputs.settingsRequested.connect(self.settingsRequested)
        self.timeline = TimelineView(self.theme, page)
        self.timeline.nodeClicked.connect(self.nodeRequested)
        self.history_view = HistoryView(page)
        self.history_view.showRequested.connect(self.reopen)
        self.history_view.compareRequested.connect(self.compareRequested)
        self.tabs = QTabWidget(page)
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.outputs, "Outputs")
        self.tabs.addTab(self.timeline, "Timeline")
        self.tabs.addTab(self.history_view, "History")
        self.tabs.currentChanged.connect(lambda _i: self._refresh_current())
        corner = QWidget(page)
        corner_layout = QHBoxLayout(corner)
        corner_layout.setContentsMargins(0, 0, 6, 0)
        corner_layout.addWidget(self.latest_button)
        corner_layout.addWidget(self.summary)
        self.tabs.setCornerWidget(corner, Qt.Corner.TopRightCorner)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.tabs)
        self._stack.addWidget(page)
        self._stack.setCurrentWidget(page)
        if self._history is not None:
            self.history_view.set_history(self._history)

    # ----------------------------------------------------------------- runs
    def begin(self, entry: RunEntry) -> None:
        """A new run: show it live on the Outputs page."""
        self._ensure_built()
        self.live = entry
        self.show_entry(entry)
        assert self.tabs is not None
        if self.tabs.currentWidget() is self.history_view:
            self.tabs.setCurrentWidget(self.outputs)

    def show_entry(self, entry: RunEntry | None) -> None:
        """Show ``entry``'s results (the live run, or one reopened from the history)."""
        self._ensure_built()
        self.shown = entry
        self.outputs.show_entry(entry)
        self.timeline.set_entry(entry)
        self.latest_button.setVisible(
            entry is not None and self.live is not None and entry is not self.live
        )
        self._fit_corner()
        self._summarise()
        self.shownEntryChanged.emit(entry)

    def reopen(self, entry: RunEntry) -> None:
        """Bring an earlier run's results back (from the History page)."""
        self.show_entry(entry)
        assert self.tabs is not None
        self.tabs.setCurrentWidget(self.outputs)

    def refresh(
        self, entry: RunEntry, changed: Iterable[str] | None, now: float | None = None
    ) -> None:
        """``entry``'s record changed for ``changed`` nodes (None: anything)."""
        if entry is not self.shown or self.tabs is None:
            return
        self.outputs.refresh(changed, now)
        if self.tabs.currentWidget() is self.timeline:
            self.timeline.refresh()
        self._summarise(now)

    def tick(self, entry: RunEntry, now: float | None = None) -> None:
        """Time passes while ``entry`` runs: elapsed figures and growing bars."""
        if entry is not self.shown or self.tabs is None:
            return
        self.outputs.refresh_running(now)
        if self.tabs.currentWidget() is self.timeline:
            self.timeline.refresh()
        self._summarise(now)

    def set_selected(self, node_id: str | None) -> None:
        self._selected = node_id
        if self.tabs is not None:
            self.outputs.set_selected(node_id)

    def forget_live(self) -> None:
        """The window shows another graph: clear the pages (history stays)."""
        self.live = None
        if self.tabs is not None:
            self.show_entry(None)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self._fit_corner()

    # ------------------------------------------------------------ internals
    def _fit_corner(self) -> None:
        """The summary gets what the tabs leave (elided), never their room."""
        if self.tabs is None:
            return
        room = self.width() - self.tabs.tabBar().sizeHint().width() - 24
        self.summary.setMaximumWidth(
            max(60, room - self.latest_button.sizeHint().width() * self.latest_button.isVisible())
        )
        self.tabs.cornerWidget(Qt.Corner.TopRightCorner).setMaximumWidth(max(60, room))

    def _refresh_current(self) -> None:
        if self.tabs is not None and self.tabs.currentWidget() is self.timeline:
            self.timeline.refresh()

    def _summarise(self, now: float | None = None) -> None:
        entry = self.shown
        if entry is None:
            self.summary.setText("")
            return
        self.summary.setText(summary_line(entry, now))


def summary_line(entry: RunEntry, now: float | None = None) -> str:
    """``Run 2 · running · 1.4 s · 3 of 5 nodes ended · models: graph's own``."""
    from editor.results.formatting import cost_text, format_seconds

    parts = [entry.title, entry.status]
    record = entry.record
    if record is not None:
        parts.append(format_seconds(entry.elapsed_now(now)))
        ended = sum(
            1
            for r in record.nodes.values()
            if r.state in ("finished", "failed", "skipped", "cancelled")
        )
        if entry.active:
            parts.append(f"{ended} of {len(record.nodes)} nodes ended")
        else:
            failed = sum(1 for r in record.nodes.values() if r.state == "failed")
            if failed:
                parts.append(f"{failed} failed")
            total = record.tokens_in + record.tokens_out
            if total:
                parts.append(f"{total:,} tokens")
            if record.cost:
                parts.append(cost_text(record.cost))
    parts.append(f"models: {entry.model_label}")
    return " \u00b7 ".join(parts)
