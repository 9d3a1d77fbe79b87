"""Reading a model's JSON answer, while it streams and once it is complete.

Partial parsing is pydantic-core's (``allow_partial="trailing-strings"`` keeps
the string still being written, so ``thinking`` fills in live); we only find
where the object starts, since models sometimes open with a code fence or a
sentence despite being told not to.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic_core import from_json


class NotJson(ValueError):
    """The complete answer holds no JSON object."""


def parse_partial(raw: str) -> dict[str, Any] | None:
    """The object parsed so far from an unfinished answer, or None if none yet."""
    start = raw.find("{")
    if start < 0:
        return None
    try:
        value = from_json(raw[start:], allow_partial="trailing-strings")
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def parse_complete(raw: str) -> Any:
    """The JSON value of a finished answer.

    Accepts a bare object, or one wrapped in a Markdown code fence or prose:
    the outermost ``{...}`` is taken. Raises :class:`NotJson` with the parser's
    reason otherwise.
    """
    text = raw.strip()
    try:
        # pydantic-core's parser is several times faster than json's; on failure
        # json parses again to word the reason.
        return from_json(text)
    except ValueError:
        pass
    try:
        return json.loads(text)
    except json.JSONDecodeError as first:
        start, end = text.find("{"), text.rfind("}")
        if 0 <= start < end:
            try:
                return json.loads(text[start : end + 1])
            except json.JSONDecodeError as exc:
                raise NotJson(
                    f"it is not valid JSON ({exc.msg} at character {exc.pos + start})"
                ) from None
        if not text:
            raise NotJson("it is empty") from None
        raise NotJson(f"it is not a JSON object ({first.msg} at character {first.pos})") from None
