"""Refuse to write API keys into graph files.

Keys belong in the environment, a ``.env`` file or the user's settings. A graph
is shared, committed and exported; a key pasted into an instruction or a model
field would leak with it. We look for the shapes providers give their keys.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from typing import Any

KEY_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("an Anthropic API key", re.compile(r"sk-ant-[A-Za-z0-9_\-]{20,}")),
    ("an OpenAI-style API key", re.compile(r"\bsk-(?:proj-|svcacct-)?[A-Za-z0-9_\-]{20,}")),
    ("a Google API key", re.compile(r"\bAIza[0-9A-Za-z_\-]{30,}")),
    ("a Groq API key", re.compile(r"\bgsk_[A-Za-z0-9]{20,}")),
    ("a Hugging Face token", re.compile(r"\bhf_[A-Za-z0-9]{30,}")),
    ("an xAI API key", re.compile(r"\bxai-[A-Za-z0-9]{20,}")),
    ("a GitHub token", re.compile(r"\bgh[pousr]_[A-Za-z0-9]{30,}")),
    ("an AWS access key id", re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b")),
    ("a Slack token", re.compile(r"\bxox[abprs]-[A-Za-z0-9\-]{10,}")),
    ("a bearer token", re.compile(r"\bBearer\s+[A-Za-z0-9_\-.=]{20,}")),
)


# One alternation, one search per string (ten separate searches made saving a
# big graph spend most of its time here). At one position the earlier shape
# wins, so an Anthropic key is named as such, not as an OpenAI-style one.
_ANY_KEY = re.compile("|".join(f"(?P<k{i}>{p.pattern})" for i, (_w, p) in enumerate(KEY_PATTERNS)))


def find_secret(value: Any, path: str = "") -> tuple[str, str] | None:
    """First ``(where, what)`` for a key-like string anywhere in ``value``."""
    for where, text in _strings(value, path):
        match = _ANY_KEY.search(text)
        if match:
            return where or "(top level)", KEY_PATTERNS[int(match.lastgroup[1:])][0]
    return None


def find_unencodable(value: Any, path: str = "") -> str | None:
    """Where a string UTF-8 cannot encode (a lone surrogate) sits in ``value``."""
    for where, text in _strings(value, path):
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            return where or "(top level)"
    return None


def find_non_finite(value: Any, path: str = "") -> str | None:
    """Where a NaN or infinite float sits in ``value``."""
    if isinstance(value, float):
        return None if math.isfinite(value) else (path or "(top level)")
    if isinstance(value, dict):
        items = ((f"{path}.{k}" if path else str(k), v) for k, v in value.items())
    elif isinstance(value, (list, tuple)):
        items = ((f"{path}[{i}]", v) for i, v in enumerate(value))
    else:
        return None
    for where, item in items:
        found = find_non_finite(item, where)
        if found:
            return found
    return None


def _strings(value: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(str(key), f"{path}.{key}" if path else str(key))
            yield from _strings(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from _strings(item, f"{path}[{index}]")
