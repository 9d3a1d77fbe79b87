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


class NameAllocator:
    """Hands out :func:`unique_name` results for many names against a growing set
    of taken names (a paste of thousands of nodes), without re-counting from
    ``_1`` for each: names are only ever added, so every suffix below the last
    one found for a stem stays taken."""

    def __init__(self, taken: Iterable[str]) -> None:
        self.taken = set(taken)
        # stem -> (lo, hi): every suffix lo <= n < hi is known to be taken.
        self._known: dict[str, tuple[int, int]] = {}

    def take(self, base: str) -> str:
        """The name ``unique_name(base, taken)`` would give; it is taken from now on."""
        if base not in self.taken:
            self.taken.add(base)
            return base
        stem, start = _stem_and_start(base)
        lo, hi = self._known.get(stem, (start, start))
        if not lo <= start <= hi:
            lo = hi = start
        n = hi
        while f"{stem}_{n}" in self.taken:
            n += 1
        self._known[stem] = (lo, n + 1)
        name = f"{stem}_{n}"
        self.taken.add(name)
        return name


def _stem_and_start(base: str) -> tuple[str, int]:
    match = re.fullmatch(r"(.*?)_(\d+)", base)
    return (match.group(1), int(match.group(2)) + 1) if match else (base, 1)


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
    stem, start = _stem_and_start(base)
    n = start
    while f"{stem}_{n}" in taken_set:
        n += 1
    return f"{stem}_{n}"
