"""Watching a program run: synalinks hooks that report each module call.

Node modules report their start and end (with output, usage and warnings),
inner decisions and tool calls are reported for the node that holds them, and
a cancelled run stops at the next module or model call.
Part of the synalinks runtime worker (standard library and synalinks only).
"""

from __future__ import annotations

import asyncio
import contextvars
import time

from channel import as_json, send

_RUN = contextvars.ContextVar("canvas_run", default=None)
_OWNER = contextvars.ContextVar("canvas_owner", default=None)


class RunState:
    """What one run reports: its id, its clock and the modules it watches."""

    def __init__(self, request_id: str, nodes: set[str]) -> None:
        self.id = request_id
        self.nodes = nodes
        self.t0 = time.perf_counter()
        self.usage: dict[str, list] = {}
        self.warnings: dict[str, str] = {}
        self.cancelled = False

    def check_cancelled(self) -> None:
        """Stop a cancelled run at the next module call: synalinks retries a model
        call on any exception (tenacity), a cancellation included, so cancelling
        the task alone can leave a run going for another attempt or two."""
        if self.cancelled:
            raise asyncio.CancelledError

    def elapsed(self) -> float:
        return time.perf_counter() - self.t0

    def add_usage(self, owner: str, usage: dict) -> None:
        tally = self.usage.setdefault(owner, [0, 0, None])
        tally[0] += int(usage.get("input_tokens") or 0)
        tally[1] += int(usage.get("output_tokens") or 0)
        if usage.get("cost") is not None:
            tally[2] = (tally[2] or 0.0) + float(usage["cost"])


def capture_warnings() -> None:
    """Keep each warning synalinks gives during a module's call (it returns None
    with only a warning when every model retry fails), so the failure the
    editor shows says why."""
    import warnings

    shown = warnings.showwarning

    def show(message, category, filename, lineno, file=None, line=None):
        run, owner = _RUN.get(), _OWNER.get()
        if run is not None and owner is not None:
            run.warnings[owner] = str(message)[-2000:]
        shown(message, category, filename, lineno, file, line)

    warnings.showwarning = show
    warnings.simplefilter("always")


def make_hooks(synalinks):
    """Hook classes built on synalinks' own ``Hook`` (imported late: the worker
    says hello before synalinks has loaded)."""

    class NodeHook(synalinks.hooks.Hook):
        """Reports the calls of one module that is a node of the graph."""

        def __init__(self, name: str) -> None:
            super().__init__()
            self.name = name
            self.tokens = {}

        def on_call_begin(self, call_id, parent_call_id=None, inputs=None, kwargs=None):
            run = _RUN.get()
            if run is None or self.name not in run.nodes:
                return
            run.check_cancelled()
            self.tokens[call_id] = _OWNER.set(self.name)
            send(
                {
                    "type": "module_started",
                    "id": run.id,
                    "module": self.name,
                    "call": str(call_id),
                    "t": run.elapsed(),
                    "inputs": as_json(list(inputs or ())),
                }
            )

        def on_call_end(self, call_id, parent_call_id=None, outputs=None, exception=None):
            run = _RUN.get()
            token = self.tokens.pop(call_id, None)
            if run is None or self.name not in run.nodes:
                return
            if token is not None:
                try:
                    _OWNER.reset(token)
                except ValueError:  # ended in another context than it began
                    pass
            tokens_in, tokens_out, cost = run.usage.pop(self.name, (None, None, None))
            message = {
                "id": run.id,
                "module": self.name,
                "call": str(call_id),
                "t": run.elapsed(),
                "tokens_in": tokens_in,
                "tokens_out": tokens_out,
                "cost": cost,
            }
            warning = run.warnings.pop(self.name, None)
            if warning:
                message["warning"] = warning
            if exception is not None:
                send({"type": "module_failed", "message": str(exception), **message})
            else:
                send({"type": "module_finished", "output": as_json(outputs), **message})

    class UsageHook(synalinks.hooks.Hook):
        """Adds each language-model call's usage to the node that made it, reports
        what the call was given and answered (the chat messages and output schema
        Synalinks builds its request from, as its own Recorder hook sees them), and
        stops a cancelled run before another model call."""

        def __init__(self) -> None:
            super().__init__()
            self.prompts = {}

        def on_call_begin(self, call_id, parent_call_id=None, inputs=None, kwargs=None):
            run = _RUN.get()
            if run is not None:
                run.check_cancelled()
                if _OWNER.get() is not None:
                    schema = (kwargs or {}).get("schema")
                    self.prompts[call_id] = (chat_messages(inputs), as_json(schema))

        def on_call_end(self, call_id, parent_call_id=None, outputs=None, exception=None):
            run, owner = _RUN.get(), _OWNER.get()
            prompt = self.prompts.pop(call_id, None)
            if run is None or owner is None:
                return
            usage = last_call_usage()
            if usage:
                run.add_usage(owner, usage)
            if prompt is not None and prompt[0] is not None:
                send(
                    {
                        "type": "module_detail",
                        "id": run.id,
                        "module": owner,
                        "detail": "prompt",
                        "value": {
                            "messages": prompt[0],
                            "schema": prompt[1],
                            "response": None if exception is not None else as_json(outputs),
                            "error": str(exception) if exception is not None else None,
                        },
                    }
                )

    class DetailHook(synalinks.hooks.Hook):
        """Reports what an inner module of a node computed (a Branch's decision)."""

        def __init__(self, owner: str, detail: str) -> None:
            super().__init__()
            self.owner = owner
            self.detail = detail

        def on_call_end(self, call_id, parent_call_id=None, outputs=None, exception=None):
            run = _RUN.get()
            if run is None or self.owner not in run.nodes or exception is not None:
                return
            send(
                {
                    "type": "module_detail",
                    "id": run.id,
                    "module": self.owner,
                    "detail": self.detail,
                    "value": as_json(outputs),
                }
            )

    class ToolHook(synalinks.hooks.Hook):
        """Reports each call an agent makes to one of its tools, as it ends: the
        tool, its arguments, its result and how long it took."""

        def __init__(self, owner: str, tool: str) -> None:
            super().__init__()
            self.owner = owner
            self.tool = tool
            self.calls: dict[str, tuple[float, object]] = {}

        def on_call_begin(self, call_id, parent_call_id=None, inputs=None, kwargs=None):
            run = _RUN.get()
            if run is not None and self.owner in run.nodes:
                arguments = {k: v for k, v in (kwargs or {}).items() if k != "training"}
                self.calls[call_id] = (time.perf_counter(), as_json(arguments))

        def on_call_end(self, call_id, parent_call_id=None, outputs=None, exception=None):
            run = _RUN.get()
            began = self.calls.pop(call_id, None)
            if run is None or began is None:
                return
            send(
                {
                    "type": "module_detail",
                    "id": run.id,
                    "module": self.owner,
                    "detail": "tool_call",
                    "value": {
                        "tool": self.tool,
                        "arguments": began[1],
                        "result": as_json(outputs),
                        "error": exception,
                        "seconds": time.perf_counter() - began[0],
                        "t": run.elapsed(),
                    },
                }
            )

    return NodeHook, UsageHook, DetailHook, ToolHook


def tools_of(module, synalinks) -> list:
    """The ``synalinks.Tool`` modules an agent or Action holds."""
    found = []
    held = getattr(module, "tools", None)
    if isinstance(held, dict):
        found += [t for t in held.values() if isinstance(t, synalinks.Tool)]
    elif isinstance(held, (list, tuple)):
        found += [t for t in held if isinstance(t, synalinks.Tool)]
    single = getattr(module, "tool", None)
    if isinstance(single, synalinks.Tool):
        found.append(single)
    return found


def chat_messages(inputs):
    """The chat messages a language-model call was given (``role`` and
    ``content`` of each, as plain JSON), or None when they cannot be read."""
    if not inputs:
        return None
    first = inputs[0] if isinstance(inputs, (list, tuple)) else inputs
    data = first.get_json() if hasattr(first, "get_json") else first
    messages = data.get("messages") if isinstance(data, dict) else None
    if not isinstance(messages, list):
        return None
    kept = []
    for message in messages:
        if isinstance(message, dict):
            kept.append({k: as_json(v) for k, v in message.items() if v is not None})
    return kept


def last_call_usage():
    try:
        from synalinks.src.modules.language_models.language_model import current_call_usage
    except ImportError:  # another synalinks: usage unknown, never wrong
        return None
    return current_call_usage()
