"""Upgrades of older graph documents, one version step at a time.

``MIGRATIONS[n]`` turns a version-``n`` document (a plain dict, already
parsed from JSON) into a version-``n + 1`` document. Loading applies the steps
in order up to :data:`~core.files.serialize.FORMAT_VERSION`, so a file from
any older release opens. Version 1 is the first format: no steps yet. When the
format changes, bump ``FORMAT_VERSION``, add the step here and a test file of
the old version under ``tests/core/files/``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Document = dict[str, Any]
Migration = Callable[[Document], Document]

MIGRATIONS: dict[int, Migration] = {}


def migrate(document: Document, version: int, target: int, steps: dict[int, Migration]) -> Document:
    """Apply ``steps`` from ``version`` up to ``target``; raise KeyError for a gap."""
    while version < target:
        step = steps[version]
        document = step(document)
        version += 1
        document["version"] = version
    return document
