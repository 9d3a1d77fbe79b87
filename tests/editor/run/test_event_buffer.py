"""Coalescing: thousands of engine events become one batch per flush, naming each
changed node once, keeping only the latest retry per node."""

from __future__ import annotations

from core.engine import events as ev
from editor.run.event_buffer import EventBuffer


def _delta(node: str, raw: str) -> ev.TokenDelta:
    return ev.TokenDelta(
        run_id="r", elapsed=0.1, node_id=node, node_name=node, text=raw[-1:], raw=raw, partial=None
    )


def test_a_burst_of_events_is_one_batch_per_flush(qtbot):
    buffer = EventBuffer(interval_ms=10_000)  # flushed by hand here
    batches = []
    buffer.flushed.connect(batches.append)
    buffer.listener(
        ev.RunStarted(
            run_id="r", elapsed=0.0, graph_name="g", nodes=(("a", "a"), ("b", "b")), inputs={}
        )
    )
    for i in range(500):
        buffer.listener(_delta("a", "x" * (i + 1)))
        buffer.listener(_delta("b", "y" * (i + 1)))
    buffer.listener(
        ev.NodeRetrying(
            run_id="r",
            elapsed=0.2,
            node_id="b",
            node_name="b",
            reason="rate_limited",
            message="first",
            attempt=2,
            delay=0.1,
        )
    )
    buffer.listener(
        ev.NodeRetrying(
            run_id="r",
            elapsed=0.3,
            node_id="b",
            node_name="b",
            reason="rate_limited",
            message="second",
            attempt=3,
            delay=0.1,
        )
    )
    assert batches == [] and buffer.pending
    batch = buffer.flush()
    assert batches == [batch]
    assert batch.started and batch.run_id == "r" and batch.events == 1003
    assert batch.nodes == ["a", "b"]
    assert batch.retries["b"].message == "second"
    assert set(batch.token_times) == {"a", "b"}
    assert buffer.run_t0 is not None
    assert buffer.flush() is None and not buffer.pending  # nothing new


def test_the_timer_flushes_soon_after_the_first_event(qtbot):
    buffer = EventBuffer(interval_ms=5)
    with qtbot.waitSignal(buffer.flushed, timeout=1000) as signal:
        buffer.listener(_delta("a", "x"))
    assert signal.args[0].nodes == ["a"]


def test_a_closed_buffer_drops_events(qtbot):
    buffer = EventBuffer(interval_ms=5)
    buffer.closed = True
    buffer.listener(_delta("a", "x"))
    assert not buffer.pending and buffer.flush() is None
