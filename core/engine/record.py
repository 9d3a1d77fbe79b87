"""The run record: what happened to every node, built only from events.

The engine keeps one :class:`RunRecord` per run and feeds it each event before
the listeners hear it, so the record and the event stream can never disagree;
an editor that only sees events can build the very same record with
:meth:`RunRecord.apply`. Results live here, never on the graph.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from core.engine import events as ev


class NodeState(StrEnum):
    PENDING = "pending"
    QUEUED = "queued"
    RUNNING = "running"
    FINISHED = "finished"
    FAILED = "failed"
    SKIPPED = "skipped"
    CANCELLED = "cancelled"

    @property
    def is_final(self) -> bool:
        return self in _FINAL


_FINAL = {NodeState.FINISHED, NodeState.FAILED, NodeState.SKIPPED, NodeState.CANCELLED}


@dataclass(slots=True)
class PromptRecord:
    """One request a node sent to its model and the text that came back.

    ``exact``: these are the call's very arguments (the built-in engine), not
    what a library saw before building its own request (Synalinks' hooks).
    ``response`` is the raw answer of that attempt (so far, while it streams)."""

    attempt: int
    model: str | None
    messages: list[dict[str, Any]]
    response_format: Any = None
    exact: bool = True
    response: str = ""


@dataclass(slots=True)
class NodeRecord:
    """One node's state and result in one run (times are seconds since run start)."""

    node_id: str
    node_name: str
    state: NodeState = NodeState.PENDING
    model: str | None = None
    queued_at: float | None = None
    started_at: float | None = None
    ended_at: float | None = None
    outputs: dict[str, Any] = field(default_factory=dict)
    result: Any = None
    raw_text: str = ""
    partial: dict[str, Any] | None = None
    attempt: int = 0
    error_kind: str | None = None
    error: str | None = None
    tokens_in: int | None = None
    tokens_out: int | None = None
    cost: float | None = None
    duration: float | None = None
    steps: list[dict[str, Any]] = field(default_factory=list)  # an agent's tool calls
    cached: bool = False  # the result came from the node cache
    pinned: bool = False  # the node did not run: its pinned output was handed on
    reused_from: str | None = None  # the earlier run whose output was handed on
    prompts: list[PromptRecord] = field(default_factory=list)  # one per model request

    @property
    def ok(self) -> bool:
        return self.state is NodeState.FINISHED


@dataclass(repr=False)
class RunRecord:
    """A whole run: per-node records, outputs in program order, totals."""

    run_id: str
    graph_name: str = ""
    status: str = "running"  # then one of events.RunStatus
    nodes: dict[str, NodeRecord] = field(default_factory=dict)
    outputs: tuple[Any, ...] = ()
    duration: float | None = None
    tokens_in: int = 0
    tokens_out: int = 0
    cost: float | None = None
    events: int = 0

    def __repr__(self) -> str:  # short: a record can hold thousands of nodes
        return f"RunRecord(run_id={self.run_id!r}, status={self.status!r}, nodes={len(self.nodes)})"

    # ------------------------------------------------------------- queries
    def node(self, node_id: str) -> NodeRecord:
        return self.nodes[node_id]

    def by_name(self, name: str) -> NodeRecord:
        for record in self.nodes.values():
            if record.node_name == name:
                return record
        raise KeyError(f"no node named {name!r} in run {self.run_id}")

    def in_state(self, state: NodeState) -> list[NodeRecord]:
        return [r for r in self.nodes.values() if r.state is state]

    @property
    def succeeded(self) -> bool:
        return self.status == "succeeded"

    # -------------------------------------------------------------- events
    def apply(self, event: ev.Event) -> None:
        """Update the record with one event (events of other runs are ignored)."""
        if event.run_id != self.run_id:
            return
        self.events += 1
        handler = _RUN_HANDLERS.get(type(event))
        if handler is not None:
            handler(self, event)
            return
        handler = _NODE_HANDLERS.get(type(event))
        if handler is not None:
            node = self.nodes.get(event.node_id)  # type: ignore[attr-defined]
            if node is None:
                node = self.nodes[event.node_id] = NodeRecord(event.node_id, event.node_name)  # type: ignore[attr-defined]
            handler(node, event)


def _run_started(record: RunRecord, event: ev.RunStarted) -> None:
    record.graph_name = event.graph_name
    record.status = "running"
    record.nodes = {nid: NodeRecord(nid, name) for nid, name in event.nodes}


def _run_finished(record: RunRecord, event: ev.RunFinished) -> None:
    record.status = event.status
    record.outputs = event.outputs
    record.duration = event.duration
    record.tokens_in, record.tokens_out, record.cost = event.tokens_in, event.tokens_out, event.cost


_RUN_HANDLERS: dict[type, Any] = {ev.RunStarted: _run_started, ev.RunFinished: _run_finished}


# One small function per node event (a dict lookup beats a chain of isinstance
# checks: a 1,000-node run applies thousands of events).
def _queued(node: NodeRecord, event: ev.NodeQueued) -> None:
    node.state, node.queued_at = NodeState.QUEUED, event.elapsed


def _started(node: NodeRecord, event: ev.NodeStarted) -> None:
    node.state, node.started_at, node.model = NodeState.RUNNING, event.elapsed, event.model
    node.attempt = 1 if event.model else 0


def _prompt(node: NodeRecord, event: ev.NodePrompt) -> None:
    node.prompts.append(
        PromptRecord(
            event.attempt,
            event.model,
            event.messages,
            event.response_format,
            event.exact,
            event.response or "",
        )
    )


def _delta(node: NodeRecord, event: ev.TokenDelta) -> None:
    node.raw_text, node.attempt = event.raw, event.attempt
    if event.partial is not None:
        node.partial = event.partial
    if node.prompts and node.prompts[-1].attempt == event.attempt:
        node.prompts[-1].response = event.raw


def _progress(node: NodeRecord, event: ev.NodeProgress) -> None:
    node.steps.append(event.step)


def _retrying(node: NodeRecord, event: ev.NodeRetrying) -> None:
    node.attempt = event.attempt
    node.raw_text, node.partial = "", None


def _finished(node: NodeRecord, event: ev.NodeFinished) -> None:
    node.state, node.ended_at = NodeState.FINISHED, event.elapsed
    node.outputs, node.result, node.duration = event.outputs, event.result, event.duration
    node.tokens_in, node.tokens_out, node.cost = event.tokens_in, event.tokens_out, event.cost
    node.cached = event.cached
    node.pinned, node.reused_from = event.pinned, event.reused_from


def _failed(node: NodeRecord, event: ev.NodeFailed) -> None:
    node.state, node.ended_at, node.duration = NodeState.FAILED, event.elapsed, event.duration
    node.error_kind, node.error = event.error_kind, event.message
    node.raw_text = event.raw_text or node.raw_text
    if node.prompts and event.raw_text and not node.prompts[-1].response:
        node.prompts[-1].response = event.raw_text
    node.tokens_in, node.tokens_out, node.cost = event.tokens_in, event.tokens_out, event.cost


def _skipped(node: NodeRecord, event: ev.NodeSkipped) -> None:
    node.state, node.ended_at, node.error = NodeState.SKIPPED, event.elapsed, event.reason


def _cancelled(node: NodeRecord, event: ev.NodeCancelled) -> None:
    node.state, node.ended_at = NodeState.CANCELLED, event.elapsed


_NODE_HANDLERS: dict[type, Any] = {
    ev.NodeQueued: _queued,
    ev.NodeStarted: _started,
    ev.NodePrompt: _prompt,
    ev.TokenDelta: _delta,
    ev.NodeProgress: _progress,
    ev.NodeRetrying: _retrying,
    ev.NodeFinished: _finished,
    ev.NodeFailed: _failed,
    ev.NodeSkipped: _skipped,
    ev.NodeCancelled: _cancelled,
}
