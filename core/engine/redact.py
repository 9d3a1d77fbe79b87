"""Keep API keys out of everything the engine says.

Provider error messages sometimes echo part of the request, key included.
Before a message reaches an event, a log line or the CLI, every value of a
key-like environment variable and every key-shaped string (the patterns graph
files are checked against) is replaced by ``[redacted]``.

Every key shape begins with a fixed prefix (``sk-``, ``AIza``...), so the
patterns run only on text holding one: the prompts of a 1,000-node run are
redacted for the price of a substring scan.
"""

from __future__ import annotations

import os
import re
from typing import Any

from core.files.secrets import KEY_PATTERNS, KEY_PREFIXES

_SECRET_NAME = re.compile(r"(KEY|TOKEN|SECRET|PASSWORD|CREDENTIAL)", re.IGNORECASE)
_MIN_SECRET_LENGTH = 8
_ANY_PREFIX = re.compile("|".join(re.escape(p) for p in KEY_PREFIXES))
REDACTED = "[redacted]"


def secret_values() -> list[str]:
    """The values of the key-like environment variables now (reading the
    environment is most of the cost of redacting a short text: callers that
    redact many texts take this once and pass it on)."""
    return _secret_values()


def _secret_values() -> list[str]:
    return [
        value
        for name, value in os.environ.items()
        if len(value) >= _MIN_SECRET_LENGTH and _SECRET_NAME.search(name)
    ]


def _redact(text: str, secrets: list[str]) -> str:
    for value in secrets:
        if value in text:
            text = text.replace(value, REDACTED)
    if _ANY_PREFIX.search(text):
        for _what, pattern in KEY_PATTERNS:
            text = pattern.sub(REDACTED, text)
    return text


def redact(text: str) -> str:
    """``text`` with every known or key-shaped secret replaced."""
    if not text:
        return text
    return _redact(text, _secret_values())


def redact_messages(
    messages: list[dict[str, Any]], secrets: list[str] | None = None
) -> list[dict[str, Any]]:
    """Chat messages with secrets replaced in their text (a copy). ``secrets``:
    what :func:`secret_values` gave (read now when None). Content given as parts
    (OpenAI's list of ``{"type": "text", "text": ...}``) has each part's text
    redacted."""
    if secrets is None:
        secrets = _secret_values()
    redacted = []
    for message in messages:
        content = message.get("content")
        if isinstance(content, str):
            content = _redact(content, secrets)
        elif isinstance(content, list):
            content = [
                {**part, "text": _redact(part["text"], secrets)}
                if isinstance(part, dict) and isinstance(part.get("text"), str)
                else part
                for part in content
            ]
        redacted.append({**message, "content": content})
    return redacted
