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
    ("a password in a URL", re.compile(r"://[^/\s:@]+:[^/\s@]+@")),
)


KEY_PREFIXES: tuple[str, ...] = (
    "sk-",
    "AIza",
    "gsk_",
    "hf_",
    "xai-",
    "ghp_",
    "gho_",
    "ghu_",
    "ghs_",
    "ghr_",
    "AKIA",
    "ASIA",
    "xox",
    "Bearer",
    "://",
)
"""A literal every key shape above begins with (tests hold the two lists together)."""
_ANY_PREFIX = re.compile("|".join(re.escape(p) for p in KEY_PREFIXES))

# One alternation, one search per string (ten separate searches made saving a
# big graph spend most of its time here). At one position the earlier shape
# wins, so an Anthropic key is named as such, not as an OpenAI-style one.
_ANY_KEY = re.compile("|".join(f"(?P<k{i}>{p.pattern})" for i, (_w, p) in enumerate(KEY_PATTERNS)))


def find_secret(value: Any, path: str = "") -> tuple[str, str] | None:
    """First ``(where, what)`` for a key-like string anywhere in ``value``.

    Every key shape starts with a fixed prefix (``sk-``, ``AIza``...). The
    common case, no key, is one scan for those prefixes over all the text
    joined by NUL (which no key can span); the full patterns then run only on
    the strings around a prefix, and only a real hit pays for the walk that
    names the place. (Ten full patterns over all the text cost seconds on a
    10,000-node graph.)
    """
    joined = "\0".join(_all_strings(value))
    for hit in _ANY_PREFIX.finditer(joined):
        start = joined.rfind("\0", 0, hit.start()) + 1
        end = joined.find("\0", hit.end())
        if _ANY_KEY.search(joined[start : end if end >= 0 else len(joined)]):
            break
    else:
        return None
    for where, text in _strings(value, path):
        match = _ANY_KEY.search(text)
        if match:
            return where or "(top level)", KEY_PATTERNS[int(match.lastgroup[1:])][0]
    return None  # pragma: no cover - the joined search and the walk see the same strings


def _all_strings(value: Any) -> list[str]:
    """Every string in ``value``, dict keys included (no paths: the fast pass)."""
    found: list[str] = []
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
            found.extend(k for k in item if isinstance(k, str))
        elif isinstance(item, (list, tuple)):
            children = item
        else:
            if isinstance(item, str):
                found.append(item)
            continue
        for child in children:
            if isinstance(child, str):
                found.append(child)
            elif isinstance(child, (dict, list, tuple)):
                stack.append(child)
    return found


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
