"""What a result panel shows for one node of one run, read from the run record.

Kept apart from the widgets so the rules are plain functions: an Output's
panel streams the node that feeds it (the Output itself only passes the value
on), a failure shows the provider's message and the raw text, a skipped node
says which upstream node it waited for. Nothing here is stored: panels call
:func:`content_for` again whenever the record changed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from core.engine.record import NodeRecord
    from core.model.graph import Graph, Node
    from editor.run.history import RunEntry

DISPLAY_STATE = {
    "pending": "waiting",
    "queued": "queued",
    "running": "running",
    "finished": "done",
    "failed": "failed",
    "skipped": "skipped",
    "cancelled": "cancelled",
}
"""Record states as the canvas and the panels name them."""

NO_VALUE = (
    "No value (None): the branch leading here was not taken, or a merge had nothing "
    "to pass on, so nothing ran. Synalinks returns None the same way."
)


def display_state(record: NodeRecord) -> str:
    """The record's state as shown: a node that finished with no value (None,
    e.g. on a Branch's untaken path) is ``empty``, not ``done``."""
    state = DISPLAY_STATE.get(str(record.state), str(record.state))
    if state == "done" and record.result is None:
        return "empty"
    return state


@dataclass(frozen=True)
class PanelContent:
    """One panel's content at one moment (``state`` uses :data:`DISPLAY_STATE` names)."""

    state: str = "waiting"
    raw: str = ""
    partial: dict[str, Any] | None = None
    has_final: bool = False
    final: Any = None
    message: str = ""
    message_kind: str = ""  # "error", "warning" or "info"
    error_kind: str | None = None
    elapsed: float | None = None
    tokens_in: int | None = None
    tokens_out: int | None = None
    cost: float | None = None
    model: str | None = None
    attempt: int = 0
    # What the node sent its model (the Prompt page); ``prompt_sig`` changes
    # whenever the prompts do (a new attempt, more response text).
    prompts: tuple = field(default=(), compare=False)
    prompt_sig: tuple[int, int] = (0, 0)
    cached: bool = False
    pinned: bool = False
    reused_from: str | None = None
    backend: str = "builtin"

    @property
    def live_value(self) -> Any:
        """The value to show now: the final one, else the partial object."""
        return self.final if self.has_final else self.partial

    def final_json(self) -> str:
        return json_text(self.final) if self.has_final else ""


def json_text(value: Any) -> str:
    """Pretty JSON as the JSON view and the copy button give it."""
    return json.dumps(value, indent=2, ensure_ascii=False, default=str)


def output_source(graph: Graph, output: Node) -> Node | None:
    """The node feeding an Output (the one whose answer streams into its panel)."""
    edges = graph.incoming(output.id)
    return graph.nodes.get(edges[0].source) if edges else None


def content_for(entry: RunEntry, node_id: str, now: float | None = None) -> PanelContent:
    """The content of ``node_id``'s panel in ``entry`` (an Output shows its source)."""
    node = entry.node(node_id)
    record = entry.node_record(node_id)
    if node is None:
        return PanelContent(
            state="waiting", message="This node was not part of the run.", message_kind="info"
        )
    if node.type == "Output":
        source = output_source(entry.graph, node)
        source_record = entry.node_record(source.id) if source is not None else None
        return _output_content(entry, record, source.id if source else None, source_record, now)
    return _node_content(entry, node_id, record, now)


def _node_content(
    entry: RunEntry, node_id: str, record: NodeRecord | None, now: float | None
) -> PanelContent:
    if record is None:
        if entry.stopped_early:
            return PanelContent(
                state="cancelled",
                message="The run was cancelled before it started.",
                message_kind="info",
            )
        return PanelContent(state="waiting")
    state = display_state(record)
    message, kind = "", ""
    if state == "empty":
        message, kind = NO_VALUE, "info"
    elif state == "failed":
        message, kind = record.error or "failed", "error"
    elif state == "skipped":
        message, kind = _sentence(record.error or "not run"), "info"
    elif state == "cancelled":
        message, kind = "Cancelled.", "info"
    elif state == "running" and node_id in entry.retry_notes:
        message, kind = entry.retry_notes[node_id], "warning"
    elif state == "running" and record.steps:
        message, kind = _steps_text(record.steps), "info"
    return PanelContent(
        state=state,
        raw=record.raw_text,
        partial=record.partial,
        has_final=state == "done",
        final=record.result if state == "done" else None,
        message=message,
        message_kind=kind,
        error_kind=record.error_kind,
        elapsed=_elapsed(entry, record, now),
        tokens_in=record.tokens_in,
        tokens_out=record.tokens_out,
        cost=record.cost,
        model=record.model,
        attempt=record.attempt,
        prompts=tuple(record.prompts),
        prompt_sig=(
            len(record.prompts),
            len(record.prompts[-1].response) if record.prompts else 0,
        ),
        cached=record.cached,
        pinned=record.pinned,
        reused_from=record.reused_from,
        backend=entry.backend,
    )


def _output_content(
    entry: RunEntry,
    record: NodeRecord | None,
    source_id: str | None,
    source: NodeRecord | None,
    now: float | None,
) -> PanelContent:
    if source is None or source_id is None:
        return _node_content(entry, record.node_id if record else "", record, now)
    shown = _node_content(entry, source_id, source, now)
    if record is not None and str(record.state) == "finished":
        # The Output's value is what the program returns; the source gave the stream.
        if record.result is None:
            return _replace(
                shown,
                state="empty",
                has_final=False,
                final=None,
                message=NO_VALUE,
                message_kind="info",
            )
        return _replace(
            shown, state="done", has_final=True, final=record.result, message="", message_kind=""
        )
    if (
        record is not None
        and str(record.state) == "cancelled"
        and shown.state not in ("failed", "done")
    ):
        return _replace(shown, state="cancelled", message="Cancelled.", message_kind="info")
    if record is not None and str(record.state) == "skipped" and shown.state == "done":
        return _replace(
            shown,
            state="skipped",
            message=_sentence(record.error or "not run"),
            message_kind="info",
        )
    if shown.state in ("done", "empty"):
        # The source is done and the Output takes its value on the next step.
        return _replace(shown, state="running")
    return shown


def _steps_text(steps: list[dict[str, Any]], shown: int = 6) -> str:
    """An agent's tool calls so far, the latest last (earlier ones counted)."""
    from core.engine.events import describe_step

    lines = [_upper_first(describe_step(step, width=90)) for step in steps[-shown:]]
    if len(steps) > shown:
        lines.insert(0, f"… {len(steps) - shown} earlier call(s)")
    return "\n".join(lines)


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _replace(content: PanelContent, **changes: Any) -> PanelContent:
    from dataclasses import replace

    return replace(content, **changes)


def _elapsed(entry: RunEntry, record: NodeRecord, now: float | None) -> float | None:
    if record.started_at is None:
        return None
    if record.ended_at is not None:
        return (
            record.duration if record.duration is not None else record.ended_at - record.started_at
        )
    return max(0.0, entry.elapsed_now(now) - record.started_at)


def _sentence(text: str) -> str:
    text = text.strip()
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".") if text else text
