"""Writing graph files: deterministic bytes, secrets refused, atomic replace."""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path

from core.files.errors import GraphFileError
from core.files.secrets import find_non_finite, find_secret, find_unencodable
from core.files.serialize import graph_to_document
from core.gc_pause import paused_gc
from core.model.graph import Graph


def dumps_graph(graph: Graph) -> str:
    """The exact text of ``graph``'s file: sorted keys, two-space indent, final newline.

    Raises :class:`GraphFileError` when a field holds something shaped like an
    API key (keys never go into graph files).
    """
    with paused_gc():
        return _dumps(graph)


def _dumps(graph: Graph) -> str:
    document = graph_to_document(graph)
    found = find_secret(document)
    if found:
        where, what = found
        raise GraphFileError(
            None,
            f"refusing to save: {where} contains what looks like {what}. Keys belong in the "
            "environment, a .env file or Settings, never in a graph file; remove it and save again",
        )
    try:
        text = json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False, allow_nan=False)
    except ValueError:
        where = find_non_finite(document) or "a value"
        raise GraphFileError(
            None,
            f"refusing to save: {where} is not a finite number (NaN or infinity), which JSON "
            "cannot hold; change it and save again",
        ) from None
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        where = find_unencodable(document) or "a text"
        raise GraphFileError(
            None,
            f"refusing to save: {where} holds a broken character (a lone UTF-16 surrogate) that "
            "UTF-8 cannot store; retype that text and save again",
        ) from None
    return text + "\n"


def save_graph(graph: Graph, path: str | Path) -> None:
    """Save atomically: write a temporary file beside ``path``, fsync, rename over.

    A crash or a full disk leaves either the old file or the new one, never a
    half-written one.
    """
    path = Path(path)
    try:
        text = dumps_graph(graph)
    except GraphFileError as exc:
        raise GraphFileError(path, exc.problem) from None
    atomic_write_text(path, text)


def atomic_write_text(path: str | Path, text: str) -> None:
    """Replace ``path`` with ``text`` atomically; raise GraphFileError on failure."""
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    tmp_name = None
    try:
        mode = path.stat().st_mode & 0o777 if path.exists() else _default_mode()
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, mode)
        os.replace(tmp_name, path)
        tmp_name = None
        _fsync_directory(directory)
    except OSError as exc:
        raise GraphFileError(path, f"could not save: {exc.strerror or exc}") from None
    finally:
        if tmp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)


def _default_mode() -> int:
    """The mode a plain ``open(path, "w")`` would give (mkstemp uses 0600)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _fsync_directory(directory: Path) -> None:
    """Make the rename itself durable (a no-op where directories cannot be opened)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
