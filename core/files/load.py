"""Reading graph files: every failure is one clear :class:`GraphFileError`.

Synalinks' own saved programs (``program.save``) open here too, through
:mod:`core.files.synalinks_program`, with the same limits and the same errors.

Never a traceback and never a partial graph: the file is read in full, size
and nesting are bounded before anything is built, the version is migrated,
and the graph is assembled privately (see ``graph_from_document``).
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from core.files.errors import GraphFileError
from core.files.migrations import MIGRATIONS, Migration, MigrationFailed, MigrationGap, migrate
from core.files.serialize import FORMAT_NAME, FORMAT_VERSION, DocumentError, graph_from_document
from core.files.synalinks_program import ProgramFileError, graph_from_program, is_synalinks_program
from core.gc_pause import paused_gc
from core.model.graph import Graph
from core.registry.registry import Registry

MAX_FILE_BYTES = 20 * 1024 * 1024
"""Graph files hold structure, not data: 20 MB is thousands of nodes with room to spare."""

MAX_DEPTH = 64
"""Deepest nesting a graph document needs is about 8; anything far deeper is not ours."""


def load_graph(
    path: str | Path,
    registry: Registry,
    *,
    migrations: dict[int, Migration] | None = None,
    current_version: int = FORMAT_VERSION,
) -> Graph:
    """Read, check, migrate and build the graph in ``path``."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise GraphFileError(path, "no such file") from None
    except OSError as exc:
        raise GraphFileError(path, f"cannot read it: {exc.strerror or exc}") from None
    if path.is_dir():
        raise GraphFileError(path, "is a folder, not a graph file")
    if size > MAX_FILE_BYTES:
        raise GraphFileError(
            path,
            f"is {size / 1024 / 1024:.1f} MB; graph files are at most "
            f"{MAX_FILE_BYTES // 1024 // 1024} MB, so this is not a graph file",
        )
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise GraphFileError(path, f"cannot read it: {exc.strerror or exc}") from None
    return loads_graph(
        raw, registry, source=path, migrations=migrations, current_version=current_version
    )


def loads_graph(
    data: bytes | str,
    registry: Registry,
    *,
    source: str | Path | None = None,
    migrations: dict[int, Migration] | None = None,
    current_version: int = FORMAT_VERSION,
) -> Graph:
    """Build a graph from file content (``source`` names it in errors)."""
    with paused_gc():  # building a big graph allocates much and frees nothing
        return _loads(data, registry, source, migrations, current_version)


def _loads(
    data: bytes | str,
    registry: Registry,
    source: str | Path | None,
    migrations: dict[int, Migration] | None,
    current_version: int,
) -> Graph:
    if len(data) > MAX_FILE_BYTES:
        raise GraphFileError(source, f"is larger than {MAX_FILE_BYTES // 1024 // 1024} MB")
    document = _parse(data, source)
    if not isinstance(document, dict):
        raise GraphFileError(
            source, "is not a Synalinks Canvas graph (the top level is not an object)"
        )
    fmt = document.get("format")
    if fmt is None and is_synalinks_program(document):
        try:
            return graph_from_program(document, registry)
        except ProgramFileError as exc:
            raise GraphFileError(source, f"cannot open this Synalinks program: {exc}") from None
    if fmt != FORMAT_NAME:
        raise GraphFileError(
            source,
            f"is not a Synalinks Canvas graph (format is {fmt!r}, expected {FORMAT_NAME!r})",
        )
    version = document.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 0:
        raise GraphFileError(
            source, f"has an invalid format version {version!r} (expected a whole number like 1)"
        )
    if version > current_version:
        raise GraphFileError(
            source,
            f"was saved by a newer Synalinks Canvas (file version {version}, this version reads "
            f"up to {current_version}); update Synalinks Canvas to open it",
        )
    steps = MIGRATIONS if migrations is None else migrations
    try:
        document = migrate(document, version, current_version, steps)
    except MigrationGap as exc:
        raise GraphFileError(
            source,
            f"is in file version {version}, and this Synalinks Canvas has no upgrade from version "
            f"{exc.version} to {exc.version + 1}; open it with the release that wrote it and save it again",
        ) from None
    except MigrationFailed as exc:
        raise GraphFileError(
            source, f"could not upgrade it from file version {version}: {exc}"
        ) from None
    try:
        return graph_from_document(document, registry)
    except DocumentError as exc:
        raise GraphFileError(source, str(exc)) from None


def _parse(data: bytes | str, source: str | Path | None) -> Any:
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise GraphFileError(
                source, f"is not UTF-8 text (bad byte at offset {exc.start}); is it a graph file?"
            ) from None
    else:
        text = data
    if not text.strip():
        raise GraphFileError(source, "is empty")
    try:
        document = json.loads(text, parse_constant=_refuse_constant)
    except _NonFiniteNumber as exc:
        raise GraphFileError(
            source, f"is not valid JSON: {exc.args[0]} is not a number JSON allows"
        ) from None
    except RecursionError:
        raise GraphFileError(
            source, f"nests deeper than {MAX_DEPTH} levels; it is not a graph file"
        ) from None
    except json.JSONDecodeError as exc:
        # An unterminated string always runs to the end of the text (a raw
        # line break inside one is a different error), so it means truncation.
        if exc.msg.startswith("Unterminated") or (
            exc.msg.startswith("Expecting") and exc.pos >= len(text.rstrip())
        ):
            raise GraphFileError(
                source,
                f"ends early at line {exc.lineno} column {exc.colno} (truncated? "
                "an interrupted copy or save); restore it from a backup",
            ) from None
        raise GraphFileError(
            source, f"is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        ) from None
    problem = _shape_problem(document, MAX_DEPTH)
    if problem is not None:
        raise GraphFileError(source, problem)
    return document


class _NonFiniteNumber(ValueError):
    pass


def _refuse_constant(name: str) -> Any:
    """``NaN``/``Infinity`` are Python's extension, not JSON: refuse them."""
    raise _NonFiniteNumber(name)


def _shape_problem(value: Any, limit: int) -> str | None:
    """Why a parsed document cannot be ours: nesting past ``limit`` levels, or a
    number too large for a float (``1e999`` parses as infinity). One iterative
    walk (no recursion, so hostile input cannot blow the stack)."""
    too_large = "has a number too large to store (like 1e999); it is not a graph file"
    if isinstance(value, float) and not math.isfinite(value):
        return too_large
    if not isinstance(value, (dict, list)):
        return None
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return f"nests deeper than {limit} levels; it is not a graph file"
        for child in item.values() if isinstance(item, dict) else item:
            if isinstance(child, (dict, list)):
                stack.append((child, depth + 1))
            elif isinstance(child, float) and not math.isfinite(child):
                return too_large
    return None
