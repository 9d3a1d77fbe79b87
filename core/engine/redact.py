"""Keep API keys out of everything the engine says.

Provider error messages sometimes echo part of the request, key included.
Before a message reaches an event, a log line or the CLI, every value of a
key-like environment variable and every key-shaped string (the patterns graph
files are checked against) is replaced by ``[redacted]``.
"""

from __future__ import annotations

import os
import re

from core.files.secrets import KEY_PATTERNS

_SECRET_NAME = re.compile(r"(KEY|TOKEN|SECRET|PASSWORD|CREDENTIAL)", re.IGNORECASE)
_MIN_SECRET_LENGTH = 8
REDACTED = "[redacted]"


def redact(text: str) -> str:
    """``text`` with every known or key-shaped secret replaced."""
    if not text:
        return text
    for name, value in os.environ.items():
        if len(value) >= _MIN_SECRET_LENGTH and _SECRET_NAME.search(name) and value in text:
            text = text.replace(value, REDACTED)
    for _what, pattern in KEY_PATTERNS:
        text = pattern.sub(REDACTED, text)
    return text
