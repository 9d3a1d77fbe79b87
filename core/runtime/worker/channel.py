"""The protocol channel: one JSON object per line on the original stdout.

Everything else that prints (the user's code, synalinks' logs) is sent to
stderr once the worker claims stdout, so nothing can corrupt the protocol.
Part of the synalinks runtime worker (standard library and synalinks only).
"""

from __future__ import annotations

import json
import os
import sys

# The protocol's own channel is a duplicate of the original stdout; fd 1 is then
# pointed at stderr, so prints from user code or libraries (Python or C) never
# reach the protocol stream.
_PROTOCOL = sys.stdout  # replaced by claim_stdout() when the worker starts


def claim_stdout() -> None:
    """Keep the real stdout for the protocol and send fd 1 to stderr (done when
    the worker starts, not on import, so importing this file changes nothing)."""
    global _PROTOCOL
    _PROTOCOL = os.fdopen(os.dup(1), "w", encoding="utf-8", buffering=1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr


def send(message: dict) -> None:
    _PROTOCOL.write(json.dumps(message, ensure_ascii=False, default=_jsonable) + "\n")
    _PROTOCOL.flush()


def _jsonable(value):
    get_json = getattr(value, "get_json", None)
    if callable(get_json):
        return get_json()
    return str(value)


def as_json(value):
    """A module's output as plain JSON (None, one object, or a list of them)."""
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        return [as_json(v) for v in value]
    get_json = getattr(value, "get_json", None)
    return get_json() if callable(get_json) else value


def write_raw(text: str) -> None:
    """Write ``text`` as is (the fault tests' garbage line)."""
    _PROTOCOL.write(text)
    _PROTOCOL.flush()
