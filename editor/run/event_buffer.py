"""Coalescing engine events into a few UI updates per second of streaming.

The engine calls its listener synchronously on the loop thread, which under
qasync is the UI thread, once per event: with 32 branches streaming 100 tokens
a second that is 3,200 calls a second. Updating widgets in each call would
stall the UI; so the listener only notes *which* nodes changed (a dict insert)
and starts a short single-shot timer. When the timer fires (every
:data:`FLUSH_INTERVAL_MS` at most, only while events keep coming) one
:class:`Batch` goes out, and the views read each changed node's current state
from the run record, which the engine updated before calling the listener.
So only the latest partial answer per node is ever drawn, and a token waits
at most one interval before it is on its way to the screen.

Events are dispatched on their ``kind`` string so this module does not import
the engine (the editor loads the engine only when a run needs it).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal

FLUSH_INTERVAL_MS = 16
"""At most this long between an event and the batch that shows it (one frame at 60 Hz)."""


@dataclass
class Batch:
    """What changed since the last flush.

    ``nodes``: ids of nodes with any event, in the order they first changed.
    ``retries``: the latest ``NodeRetrying`` event per node. ``started`` and
    ``finished`` (the ``RunFinished`` event) mark the run's ends.
    ``token_times``: ``time.perf_counter()`` of the first token per node that
    this batch is the first to show (for latency measurements).
    """

    run_id: str | None = None
    started: bool = False
    nodes: list[str] = field(default_factory=list)
    retries: dict[str, Any] = field(default_factory=dict)
    finished: Any = None
    token_times: dict[str, float] = field(default_factory=dict)
    events: int = 0

    @property
    def empty(self) -> bool:
        return not (self.started or self.nodes or self.finished is not None)


class EventBuffer(QObject):
    """Buffers one run's events; ``flushed(Batch)`` fires at most every interval.

    Pass :meth:`listener` to ``Engine.start``. ``run_t0`` is the
    ``time.perf_counter()`` at which the run's clock read zero (for drawing
    bars that grow while a node runs).
    """

    flushed = Signal(object)

    def __init__(self, interval_ms: int = FLUSH_INTERVAL_MS, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.flush)
        self._pending = Batch()
        self._dirty: dict[str, None] = {}
        self.run_t0: float | None = None
        self.total_events = 0
        self.on_event: Callable[[Any], None] | None = None  # a probe for benchmarks and tests
        self.closed = False  # set when the window goes away: later events are dropped

    def listener(self, event: Any) -> None:
        """The engine's listener: note what changed, arm the flush timer."""
        if self.closed:
            return
        kind = event.kind
        batch = self._pending
        batch.events += 1
        self.total_events += 1
        if kind == "token_delta":
            node_id = event.node_id
            if node_id not in batch.token_times:
                batch.token_times[node_id] = time.perf_counter()
            self._dirty[node_id] = None
        elif kind == "run_started":
            batch.started = True
            batch.run_id = event.run_id
            self.run_t0 = time.perf_counter() - event.elapsed
        elif kind == "run_finished":
            batch.finished = event
        else:
            node_id = getattr(event, "node_id", None)
            if node_id is not None:
                self._dirty[node_id] = None
                if kind == "node_retrying":
                    batch.retries[node_id] = event
        if self.on_event is not None:
            self.on_event(event)
        if not self._timer.isActive():
            self._timer.start()

    def flush(self) -> Batch | None:
        """Emit what is pending now (also called by the timer); None if nothing was."""
        self._timer.stop()
        batch = self._pending
        batch.nodes = list(self._dirty)
        if batch.empty:
            return None
        self._pending = Batch(run_id=batch.run_id)
        self._dirty = {}
        self.flushed.emit(batch)
        return batch

    @property
    def pending(self) -> bool:
        return bool(self._dirty) or self._pending.started or self._pending.finished is not None
