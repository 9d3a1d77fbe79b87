"""The Prompt page of a result view: what a node sent to its model, and what came back.

For each attempt: the chat messages exactly as the engine passed them to the
model call (keys already redacted by the engine), the structured-output
request sent with them, then the raw text the model answered. A retry after a
bad answer is a second attempt whose messages end with that answer and what
was wrong with it. The Synalinks backend reports what its hooks see of each
model call when it ends (the messages and the output schema Synalinks builds
its request from, and the parsed answer); the page says so. When no prompt exists (a cached result, a
node that calls no model), the page says why instead of showing nothing.

Text only grows at the end while an answer streams (the raw response is the
last thing written), so the page's view appends instead of re-laying out.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from core.engine.record import PromptRecord

RULE = "\u2500\u2500"  # ──

CACHED = (
    "Replayed from the node cache: no model was called in this run, so no prompt was "
    "sent. Untick Run \u2192 Use cache to ask the model again and see the prompt."
)
PINNED = (
    "Pinned: this node handed on the output pinned on it without calling its model, "
    "so no prompt was sent. Unpin it to see what it asks."
)
NO_MODEL = "This node calls no language model: it sends no prompt."
SYNALINKS_SILENT = (
    "The Synalinks worker reported no model call for this node, so there is no prompt "
    "to show (its module may answer without a language model)."
)
WAITING = "The messages sent to the model appear here when the node starts."


def prompt_placeholder(
    state: str,
    cached: bool,
    model: str | None,
    backend: str,
    *,
    pinned: bool = False,
    reused_from: str | None = None,
) -> str:
    """Why there is no prompt to show (a sentence for the empty page)."""
    if pinned:
        return PINNED
    if reused_from:
        return (
            f"Reused: this node handed on its output from an earlier run ({reused_from}) "
            "without running, so no prompt was sent in this run."
        )
    if cached:
        return CACHED
    if state in ("waiting", "queued"):
        return WAITING
    if state in ("skipped", "cancelled"):
        return "Not run: no prompt was sent."
    if model is None:
        return NO_MODEL
    if state == "running":
        return (
            "Synalinks reports each model call when it ends."
            if backend == "synalinks"
            else "Preparing the request…"
        )
    if backend == "synalinks":
        return SYNALINKS_SILENT
    return "No prompt was recorded for this node."


def prompt_text(prompts: Sequence[PromptRecord]) -> str:
    """Every attempt's request and raw answer, as one plain text."""
    parts: list[str] = []
    for prompt in prompts:
        parts.append(_attempt_text(prompt, len(prompts) > 1))
    return "\n\n".join(parts)


def _attempt_text(prompt: PromptRecord, numbered: bool) -> str:
    head = f"Attempt {prompt.attempt} \u00b7 " if numbered else ""
    how = (
        "sent exactly as shown"
        if prompt.exact
        else "as Synalinks' hooks saw it: Synalinks builds the request from these"
    )
    lines = [f"{head}model {prompt.model or 'unknown'} \u00b7 {how}"]
    for message in prompt.messages:
        lines.append("")
        lines.append(f"{RULE} {str(message.get('role', 'message'))} {RULE}")
        lines.append(_content_text(message.get("content")))
    if prompt.response_format is not None:
        title = "response format" if prompt.exact else "output schema"
        lines.append("")
        lines.append(f"{RULE} {title} {RULE}")
        lines.append(json.dumps(prompt.response_format, indent=2, ensure_ascii=False, default=str))
    lines.append("")
    lines.append(f"{RULE} raw response {RULE}")
    lines.append(prompt.response)
    return "\n".join(lines)


def _content_text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):  # content parts
        return "\n".join(
            str(part.get("text", "")) if isinstance(part, dict) else str(part) for part in content
        )
    return json.dumps(content, indent=2, ensure_ascii=False, default=str)
