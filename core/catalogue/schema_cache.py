"""Output schemas Synalinks itself computed, for modules the canvas cannot derive.

A generated node's output schema depends on the module, its parameters and
the schemas it receives; for most Synalinks modules only the library knows
it (a SelfCritique adds ``critique`` and ``reward``, a retriever its own
result model). Each time the worker builds a program (Validate with
Synalinks, a run on the Synalinks backend) it reports every module's output
schema; they are kept here under a key of exactly what decides them, so the
canvas shows what flows, and validation checks it, without asking again.
The cache is bounded (least recently used entries go first) and may be
kept in a JSON file between sessions.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections import OrderedDict
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

LIMIT = 4096


def schema_key(type_name: str, params: dict[str, Any], inputs: dict[str, list[Any]]) -> str:
    text = json.dumps([type_name, params, inputs], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


class SchemaCache:
    def __init__(self, path: Path | None = None, limit: int = LIMIT) -> None:
        self.path = path
        self.limit = limit
        self._entries: OrderedDict[str, Any] = OrderedDict()
        self.version = 0  # bumped on every change, so views know to re-analyse
        if path is not None:
            self._load(path)

    def attach(self, path: Path) -> None:
        """Keep this cache in ``path`` from now on, adding what it already holds
        (entries learnt in this session stay the most recent)."""
        learnt = list(self._entries.items())
        self._entries.clear()
        self.path = path
        self._load(path)
        for key, schema in learnt:
            self._entries[key] = schema
            self._entries.move_to_end(key)
        while len(self._entries) > self.limit:
            self._entries.popitem(last=False)

    def get(self, key: str) -> Any | None:
        if key in self._entries:
            self._entries.move_to_end(key)
            return self._entries[key]
        return None

    def put(self, key: str, schema: Any) -> bool:
        """Remember ``schema``; True when it is new or changed."""
        if key in self._entries and self._entries[key] == schema:
            self._entries.move_to_end(key)
            return False
        self._entries[key] = schema
        self._entries.move_to_end(key)
        while len(self._entries) > self.limit:
            self._entries.popitem(last=False)
        self.version += 1
        return True

    def __len__(self) -> int:
        return len(self._entries)

    def save(self) -> None:
        if self.path is None:
            return
        from core.files.save import atomic_write_text

        try:
            atomic_write_text(self.path, json.dumps({"version": 1, "entries": self._entries}))
        except OSError as exc:  # a cache: losing it costs a rebuild, never the user's work
            log.warning("cannot save the schema cache %s: %s", self.path, exc)

    def _load(self, path: Path) -> None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return
        except (OSError, ValueError) as exc:
            log.warning("ignoring an unreadable schema cache %s: %s", path, exc)
            return
        entries = data.get("entries") if isinstance(data, dict) else None
        if isinstance(entries, dict):
            for key, schema in list(entries.items())[-self.limit :]:
                if isinstance(key, str) and (schema is None or isinstance(schema, dict)):
                    self._entries[key] = schema
