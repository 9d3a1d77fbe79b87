"""The Open Recent list: most recent first, no duplicates, missing files pruned."""

from __future__ import annotations

import os
from pathlib import Path

from editor.settings import Settings

MAX_RECENT = 10


class RecentFiles:
    """Reads and writes the recent list through :class:`Settings`."""

    def __init__(self, settings: Settings, limit: int = MAX_RECENT) -> None:
        self._settings = settings
        self._limit = limit

    def paths(self) -> list[str]:
        """Existing recent files, most recent first; missing ones are forgotten."""
        stored = self._settings.recent_files
        present = [p for p in stored if os.path.isfile(p)]
        if present != stored:
            self._settings.recent_files = present
        return present

    def add(self, path: str | Path) -> None:
        resolved = str(Path(path).resolve())
        paths = [resolved, *(p for p in self._settings.recent_files if p != resolved)]
        self._settings.recent_files = paths[: self._limit]

    def remove(self, path: str | Path) -> None:
        resolved = str(Path(path).resolve())
        self._settings.recent_files = [p for p in self._settings.recent_files if p != resolved]

    def clear(self) -> None:
        self._settings.recent_files = []
