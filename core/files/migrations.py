"""Upgrades of older graph documents, one version step at a time.

``MIGRATIONS[n]`` turns a version-``n`` document (a plain dict, already
parsed from JSON) into a version-``n + 1`` document. Loading applies the steps
in order up to :data:`~core.files.serialize.FORMAT_VERSION`, so a file from
any older release opens. Version 1 is the first format; version 2 adds tools;
version 3 adds a node's trained ``variables``; version 4 adds a node's
``pinned`` output; version 5 adds the graph's embedding models and
knowledge bases; version 6 adds the graph's datasets; version 7 adds
subgraph definitions (``subgraphs``); version 8 lets a field hold another
data model and keep a default. When the
format changes, bump ``FORMAT_VERSION``, add the step here and a test file of
the old version under ``tests/core/files/``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Document = dict[str, Any]
Migration = Callable[[Document], Document]


def _v1_to_v2(document: Document) -> Document:
    """Version 2 adds ``meta.tools`` (the user's tool functions); version-1 files
    have none, and the default (no tools) is right for them."""
    return {**document, "version": 2}


def _v2_to_v3(document: Document) -> Document:
    """Version 3 adds a node's ``variables`` (what Synalinks trained into it:
    instructions, few-shot examples); version-2 nodes were never trained, and
    the default (none) is right for them."""
    return {**document, "version": 3}


def _v3_to_v4(document: Document) -> Document:
    """Version 4 adds a node's ``pinned`` output (set by hand, used by runs
    instead of running the node); version-3 nodes have none."""
    return {**document, "version": 4}


def _v4_to_v5(document: Document) -> Document:
    """Version 5 adds ``meta.embedding_models`` and ``meta.knowledge_bases``;
    earlier graphs had neither (a knowledge node could not be configured), and
    the default (none) is right for them."""
    return {**document, "version": 5}


def _v5_to_v6(document: Document) -> Document:
    """Version 6 adds ``meta.datasets`` (the files a graph is evaluated on);
    earlier graphs had none, and the default (none) is right for them."""
    return {**document, "version": 6}


def _v6_to_v7(document: Document) -> Document:
    """Version 7 adds ``subgraphs``, the table of subgraph definitions that
    Subgraph nodes use by id; earlier graphs had none, and the default (none)
    is right for them."""
    return {**document, "version": 7}


def _v7_to_v8(document: Document) -> Document:
    """Version 8 lets a data model field hold another data model (``data_model``)
    and keep a ``default``; version-7 fields had neither, and the default (none)
    is right for them."""
    return {**document, "version": 8}


MIGRATIONS: dict[int, Migration] = {
    1: _v1_to_v2,
    2: _v2_to_v3,
    3: _v3_to_v4,
    4: _v4_to_v5,
    5: _v5_to_v6,
    6: _v6_to_v7,
    7: _v7_to_v8,
}


class MigrationGap(LookupError):
    """No step upgrades documents of ``version`` (a file older than any release
    that can still be read, or a step missing from the table)."""

    def __init__(self, version: int, target: int) -> None:
        super().__init__(version)
        self.version = version
        self.target = target


class MigrationFailed(ValueError):
    """A step that could not handle the document it was given."""


def migrate(document: Document, version: int, target: int, steps: dict[int, Migration]) -> Document:
    """Apply ``steps`` from ``version`` up to ``target``.

    Raises :class:`MigrationGap` when a step is missing and
    :class:`MigrationFailed` when one breaks (its error kept as the cause), so
    a bug inside a step is never reported as a missing step.
    """
    for needed in range(version, target):
        if needed not in steps:
            raise MigrationGap(needed, target)
    while version < target:
        try:
            document = steps[version](document)
        except Exception as exc:
            raise MigrationFailed(f"the upgrade from version {version} failed: {exc}") from exc
        if not isinstance(document, dict):
            raise MigrationFailed(f"the upgrade from version {version} did not give a document")
        version += 1
        document["version"] = version
    return document
