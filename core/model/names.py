"""Names of nodes, data models and fields: they become Python identifiers on export."""

from __future__ import annotations

import keyword
import re
from collections.abc import Iterable


def is_identifier(name: str) -> bool:
    """True for a valid, non-keyword Python identifier (ASCII, as Synalinks names)."""
    return bool(name) and name.isascii() and name.isidentifier() and not keyword.iskeyword(name)


def identifier_problem(name: str) -> str | None:
    """Return why ``name`` cannot be a node or data-model name, or None when it can."""
    if not name:
        return "the name is empty"
    if not name.isascii():
        return f"{name!r} has non-ASCII characters; use letters, digits and underscores"
    if not name.isidentifier():
        return (
            f"{name!r} is not a Python identifier; use letters, digits and underscores, "
            "not starting with a digit"
        )
    if keyword.iskeyword(name):
        return f"{name!r} is a Python keyword"
    return None


def sanitize_identifier(text: str, fallback: str = "node") -> str:
    """Turn arbitrary text into a valid identifier (lower_snake), never empty."""
    cleaned = re.sub(r"[^0-9a-zA-Z_]+", "_", text.strip()).strip("_")
    cleaned = re.sub(r"_+", "_", cleaned)
    if not cleaned:
        cleaned = fallback
    if cleaned[0].isdigit():
        cleaned = f"{fallback}_{cleaned}"
    if keyword.iskeyword(cleaned):
        cleaned += "_"
    return cleaned


def unique_name(base: str, taken: Iterable[str]) -> str:
    """``base`` if free, else ``base_1``, ``base_2``... (the first free one).

    A base that already ends in ``_<n>`` counts up from there, so duplicating
    ``branch_1`` gives ``branch_2`` rather than ``branch_1_1``.
    """
    # Sets and dicts are used as they are: copying them made naming each new
    # node of a big graph cost a pass over every name.
    taken_set = taken if isinstance(taken, (set, frozenset, dict)) else set(taken)
    if base not in taken_set:
        return base
    match = re.fullmatch(r"(.*?)_(\d+)", base)
    stem, start = (match.group(1), int(match.group(2)) + 1) if match else (base, 1)
    n = start
    while f"{stem}_{n}" in taken_set:
        n += 1
    return f"{stem}_{n}"
