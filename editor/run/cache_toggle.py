"""The run toolbar's "Use cache" choice, and the node cache the editor's runs share.

One :class:`~core.store.node_cache.NodeCache` per store file and process, so
every window reads and writes the same store through one connection (windows
of other processes share the file through SQLite's locks). Unticking the
choice asks every model anew for the next runs, without forgetting what is
stored.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from core.store import NodeCache, default_store_path

_CACHES: dict[Path, NodeCache] = {}


def shared_cache(path: Path | None = None) -> NodeCache:
    """The process's node cache for ``path`` (default: the user's run store)."""
    path = Path(path or default_store_path())
    if path not in _CACHES:
        _CACHES[path] = NodeCache(path)
    return _CACHES[path]


class CacheToggle:
    """A checkable "Use cache" action (on by default) and the options it gives a run."""

    def __init__(self, parent: QWidget) -> None:
        self.action = QAction("Use cache", parent)
        self.action.setCheckable(True)
        self.action.setChecked(True)
        self.action.setToolTip(
            "Reuse a model node's result when it is asked exactly what it was asked "
            "before (its parameters, data models, model and inputs); untick to ask anew"
        )
        self._last: NodeCache | None = None

    @property
    def enabled(self) -> bool:
        return self.action.isChecked()

    def options(self) -> dict[str, object]:
        """The ``RunOptions`` fields for the next run."""
        self._last = shared_cache()
        return {"cache": self._last, "use_cache": self.enabled}

    def take_warning(self) -> str | None:
        """Why the store could not be used during the last run, once (None if it could)."""
        return self._last.take_warning() if self._last is not None else None
