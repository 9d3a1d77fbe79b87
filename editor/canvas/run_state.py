"""Run states shown on cards: what a card says about its last run.

The run record lives in the engine, never in the graph; the run view tells
the canvas what to show through ``CanvasView.set_node_run_state`` and this
module turns that into the few strings a card paints. The running animation
is driven by one timer for the whole scene (:class:`RunTicker`), not one per
card: a 500-node run costs one timer, and only running cards repaint.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, QTimer

from editor.theme import RUN_STATES

SYMBOLS = {
    "waiting": "\u25cc",  # ◌ (result panels, before a node is reached)
    "queued": "\u25cb",  # ○
    "running": "\u25cf",  # ●
    "done": "\u2713",  # ✓
    "empty": "\u2205",  # ∅
    "failed": "\u2715",  # ✕
    "skipped": "\u2013",  # –
    "cancelled": "\u25a0",  # ■
}


CACHED = "cached"
"""The mark of a node whose result came from the node cache (pill, timeline, report)."""

LABELS = {"empty": "no value"}
"""How a state reads where its name would not say it (a node that gave None)."""


def state_label(state: str) -> str:
    """``✓ done``, ``∅ no value``...: the symbol and words a chip or pill shows."""
    return f"{SYMBOLS.get(state, '')} {LABELS.get(state, state)}".strip()


@dataclass(frozen=True, slots=True)
class RunView:
    state: str
    elapsed: float | None = None
    tokens: int | None = None
    cost: float | None = None
    cached: bool | str = False  # replayed from the node cache (or this mark: "pinned"...)

    def __post_init__(self) -> None:
        if self.state not in RUN_STATES:
            raise ValueError(
                f"unknown run state {self.state!r}; use one of {', '.join(RUN_STATES)}"
            )

    def pill_text(self) -> str:
        """``✓ done · 2.4 s · 812 tok · $0.0012`` (only the parts known)."""
        parts = [state_label(self.state)]
        if self.cached:
            parts.append(self.cached if isinstance(self.cached, str) else CACHED)
        if self.elapsed is not None:
            parts.append(format_seconds(self.elapsed))
        if self.tokens is not None:
            parts.append(f"{self.tokens:,} tok")
        if self.cost is not None:
            parts.append(cost_text(self.cost))
        return " \u00b7 ".join(parts)


def cost_text(cost: float | None) -> str:
    """``$0.0012``; ``$0`` for a free call (the offline model); empty when unknown."""
    if cost is None:
        return ""
    if cost == 0:
        return "$0"
    return f"${cost:.4f}" if cost < 1 else f"${cost:.2f}"


def format_seconds(seconds: float) -> str:
    if seconds < 10:
        return f"{seconds:.1f} s"
    if seconds < 120:
        return f"{seconds:.0f} s"
    return f"{int(seconds // 60)} min {int(seconds % 60):02d} s"


class RunTicker(QObject):
    """One timer for every running card; it stops itself when none is running."""

    INTERVAL_MS = 50

    def __init__(self, on_tick: Callable[[float], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._on_tick = on_tick
        self._timer = QTimer(self)
        self._timer.setInterval(self.INTERVAL_MS)
        self._timer.timeout.connect(self._tick)
        self.phase = 0.0

    def set_running(self, any_running: bool) -> None:
        if any_running and not self._timer.isActive():
            self._timer.start()
        elif not any_running and self._timer.isActive():
            self._timer.stop()

    @property
    def active(self) -> bool:
        return self._timer.isActive()

    def _tick(self) -> None:
        self.phase = (self.phase + 1.0) % 1000.0
        self._on_tick(self.phase)
