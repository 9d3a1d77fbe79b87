"""What a run tells its listeners, live and in order.

Plain slotted dataclasses, so the editor can hand them across a Qt signal and
the CLI can print them as NDJSON (:meth:`Event.to_json`). They are not
``frozen``: a frozen dataclass pays ``object.__setattr__`` per field, which
tripled the cost of creating one, and a 128-branch run creates over a thousand;
nothing mutates an event after it is emitted. Every event carries
the run's id and ``elapsed``, seconds since the run started on the monotonic
clock; node events also carry the node's id and name.

Order guarantees for one node: ``NodeQueued`` < ``NodeStarted`` <
``NodePrompt`` < ``TokenDelta``... (a ``NodePrompt`` per attempt, a ``NodeRetrying``
between attempts) < exactly one of ``NodeFinished``,
``NodeFailed``, ``NodeCancelled`` (``NodeProgress`` steps come between start and end). A node that never gets its inputs gets a
single ``NodeSkipped`` (or ``NodeCancelled`` when the run is cancelled first).
``RunStarted`` comes first and ``RunFinished`` last, after every node's end.

Values inside events (outputs, partial objects) are shared with the run
record: treat them as read-only.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from typing import Any, ClassVar, Literal

from core.engine.errors import ErrorKind

RunStatus = Literal["succeeded", "failed", "cancelled"]


@dataclass(slots=True, kw_only=True)
class Event:
    """Base of every event. ``kind`` names the event in JSON."""

    kind: ClassVar[str] = "event"
    run_id: str
    elapsed: float

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind}
        for f in fields(self):
            data[f.name] = getattr(self, f.name)
        return data

    def to_json(self) -> str:
        """One line of JSON (no newline inside), for NDJSON streams."""
        return json.dumps(self.to_dict(), ensure_ascii=False, default=_jsonable)


@dataclass(slots=True, kw_only=True)
class NodeEvent(Event):
    node_id: str
    node_name: str


@dataclass(slots=True, kw_only=True)
class RunStarted(Event):
    """The run began. ``nodes`` lists ``(node_id, node_name)`` of every node that
    will get an end event, so a listener can reset them all to pending."""

    kind: ClassVar[str] = "run_started"
    graph_name: str
    nodes: tuple[tuple[str, str], ...]
    inputs: dict[str, Any]
    model_override: str | None = None


@dataclass(slots=True, kw_only=True)
class NodeQueued(NodeEvent):
    """All the node's inputs are ready; it waits for a model-call slot if it needs one."""

    kind: ClassVar[str] = "node_queued"
    node_type: str


@dataclass(slots=True, kw_only=True)
class NodeStarted(NodeEvent):
    """The node is running. ``model`` is the model it will call (None if it calls none)."""

    kind: ClassVar[str] = "node_started"
    node_type: str
    model: str | None = None


@dataclass(slots=True, kw_only=True)
class NodePrompt(NodeEvent):
    """What a model-calling node sent to its model for one attempt, so a person
    can read the exact request (keys redacted).

    ``messages`` are the chat messages (``role``, ``content``), ``response_format``
    the structured-output request sent with them. ``exact`` is True when these are
    the very arguments of the model call (the built-in engine); the Synalinks
    backend reports the messages and output schema its hooks see, from which
    Synalinks builds the wire request itself (``exact`` False), and also the
    parsed ``response`` (the built-in engine's response streams in ``TokenDelta``).
    """

    kind: ClassVar[str] = "node_prompt"
    model: str | None
    messages: list[dict[str, Any]]
    response_format: Any = None
    attempt: int = 1
    exact: bool = True
    response: str | None = None


@dataclass(slots=True, kw_only=True)
class TokenDelta(NodeEvent):
    """New text from the model. ``raw`` is the whole text of this attempt so far and
    ``partial`` the object parsed from it (unfinished strings included), or None
    while nothing parses yet. ``attempt`` starts at 1; a retry starts ``raw`` anew.
    Pieces that arrive together (one network read) come as one delta whose
    ``text`` holds them all."""

    kind: ClassVar[str] = "token_delta"
    text: str
    raw: str
    partial: dict[str, Any] | None
    attempt: int = 1


@dataclass(slots=True, kw_only=True)
class NodeProgress(NodeEvent):
    """A step of a running node that is not text: an agent called a tool.

    ``step`` is plain JSON: ``{"kind": "tool_call", "tool", "arguments",
    "result", "error", "seconds"}``. The Synalinks backend reports these as
    each call ends (the built-in engine runs no agents)."""

    kind: ClassVar[str] = "node_progress"
    step: dict[str, Any]


@dataclass(slots=True, kw_only=True)
class NodeRetrying(NodeEvent):
    """An attempt failed and another follows after ``delay`` seconds.

    ``reason`` is the error kind of the failed attempt (``rate_limited``,
    ``invalid_output``...); ``attempt`` is the number of the next one.
    """

    kind: ClassVar[str] = "node_retrying"
    reason: ErrorKind
    message: str
    attempt: int
    delay: float


@dataclass(slots=True, kw_only=True)
class NodeFinished(NodeEvent):
    """The node produced its outputs.

    ``outputs`` maps each output port to its value (None on a branch not
    taken); ``result`` is what a result panel shows (the answer, a Branch's
    decision, an Output's value). Tokens and cost are None when unknown.
    ``cached`` is True when the result came from the node cache (no model call);
    ``pinned`` when the node did not run and handed on the output pinned on it;
    ``reused_from`` names the earlier run whose output it handed on (a run from
    a node further down).
    """

    kind: ClassVar[str] = "node_finished"
    outputs: dict[str, Any]
    result: Any
    duration: float
    tokens_in: int | None = None
    tokens_out: int | None = None
    cost: float | None = None
    attempts: int = 0
    cached: bool = False
    pinned: bool = False
    reused_from: str | None = None


@dataclass(slots=True, kw_only=True)
class NodeFailed(NodeEvent):
    """The node failed; its dependents will be skipped. ``raw_text`` keeps the
    model's last answer (for an answer that did not fit the data model)."""

    kind: ClassVar[str] = "node_failed"
    error_kind: ErrorKind
    message: str
    duration: float
    raw_text: str = ""
    tokens_in: int | None = None
    tokens_out: int | None = None
    cost: float | None = None


@dataclass(slots=True, kw_only=True)
class NodeSkipped(NodeEvent):
    """The node did not run because ``cause_name`` (upstream) failed or was skipped."""

    kind: ClassVar[str] = "node_skipped"
    reason: str
    cause_id: str
    cause_name: str


@dataclass(slots=True, kw_only=True)
class NodeCancelled(NodeEvent):
    """The run was cancelled before this node ended. ``was_running`` tells whether
    it had started (a model call was stopped) or was still waiting."""

    kind: ClassVar[str] = "node_cancelled"
    was_running: bool


@dataclass(slots=True, kw_only=True)
class RunFinished(Event):
    """The run ended. ``outputs`` follow the program's output order (None where an
    output's node did not finish); ``counts`` maps node states to how many."""

    kind: ClassVar[str] = "run_finished"
    status: RunStatus
    outputs: tuple[Any, ...]
    duration: float
    tokens_in: int
    tokens_out: int
    cost: float | None
    counts: dict[str, int]


EVENT_TYPES: tuple[type[Event], ...] = (
    RunStarted,
    NodeQueued,
    NodeStarted,
    NodePrompt,
    TokenDelta,
    NodeProgress,
    NodeRetrying,
    NodeFinished,
    NodeFailed,
    NodeSkipped,
    NodeCancelled,
    RunFinished,
)
"""Every concrete event type, for listeners that dispatch on type."""


def describe_step(step: dict[str, Any], width: int = 100) -> str:
    """``called count_words(text='…') → {"words": 3} in 0.01 s`` (cut to ``width``)."""
    arguments = ", ".join(f"{k}={v!r}" for k, v in (step.get("arguments") or {}).items())
    if step.get("error"):
        outcome = f"failed: {step['error']}"
    else:
        outcome = "→ " + json.dumps(step.get("result"), ensure_ascii=False)
    text = f"called {step.get('tool')}({arguments}) {outcome}"
    text = text if len(text) <= width else text[: width - 1] + "…"
    return f"{text} in {float(step.get('seconds') or 0):.2f} s"


def _jsonable(value: Any) -> Any:
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    return str(value)
