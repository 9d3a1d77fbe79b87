"""The Synalinks worker and offline endpoint one editor process shares.

Importing synalinks takes the worker seconds, so every window of the process
uses one :class:`~core.runtime.client.WorkerPool` (and one loopback offline
endpoint), created on first need, started ahead of time when the person
picks the Synalinks backend or opens the Run dialog with it, and shut down
when the editor quits. Finding the environment spawns a Python process, so it
runs in a thread; everything else is asyncio on the qasync loop, and the
window never waits on a process.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from core.runtime.backend import OfflineAccess
    from core.runtime.client import WorkerPool

log = logging.getLogger(__name__)

NO_ENVIRONMENT = (
    "No Python environment with synalinks 0.10 was found: choose or create one in "
    "Settings (Synalinks environment), or set SYNALINKS_CANVAS_PYTHON, then run again"
)


class RuntimeUnavailable(Exception):
    """No usable Synalinks environment; ``str()`` says what to do."""


class SynalinksRuntime:
    """Lazily made pool and offline endpoint; ``finder`` replaces the
    environment search (tests)."""

    def __init__(self, finder: Callable[[str | None], Any] | None = None) -> None:
        self.finder = finder
        self._pool: WorkerPool | None = None
        self._offline: OfflineAccess | None = None
        self._located: tuple[str, str] | None = None  # (the setting, the interpreter found)
        self._warming: asyncio.Task | None = None

    @property
    def pool(self) -> WorkerPool:
        if self._pool is None:
            from core.runtime.client import WorkerPool

            self._pool = WorkerPool()
        return self._pool

    @property
    def offline(self) -> OfflineAccess:
        if self._offline is None:
            from core.runtime.backend import OfflineAccess

            self._offline = OfflineAccess()
        return self._offline

    @property
    def worker_ready(self) -> bool:
        """A worker is running (the next run starts at once)."""
        return self._pool is not None and self._pool.worker is not None

    async def locate(self, setting: str) -> str:
        """The interpreter to run: the one the running worker uses when the setting
        has not changed, else the environment search's answer (in a thread)."""
        if self._located is not None and self._located[0] == setting and self.worker_ready:
            return self._located[1]
        finder = self.finder or _find_environment
        try:
            found = await asyncio.to_thread(finder, setting or None)
        except Exception as exc:  # the search's own errors are user-ready messages
            raise RuntimeUnavailable(str(exc)) from None
        if found is None:
            raise RuntimeUnavailable(NO_ENVIRONMENT)
        problem = getattr(found, "problem", None)
        if problem:
            raise RuntimeUnavailable(f"{problem} (Settings → Synalinks environment)")
        self._located = (setting, str(found.python))
        return self._located[1]

    async def ready(self, setting: str, secrets: Mapping[str, str]) -> WorkerPool:
        """The pool, configured for ``setting`` and ``secrets``, its worker running.
        Raises :class:`RuntimeUnavailable` or
        :class:`~core.runtime.client.WorkerError` (user-ready messages)."""
        python = await self.locate(setting)
        pool = self.pool
        pool.configure(python, dict(secrets))
        await pool.get()
        return pool

    def warm(self, setting: str, secrets: Mapping[str, str]) -> asyncio.Task | None:
        """Start the worker in the background (None when it runs or is starting, or
        when no loop runs). A failure is only logged: the run reports it."""
        if self.worker_ready or (self._warming is not None and not self._warming.done()):
            return None
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return None
        self._warming = loop.create_task(self._warm(setting, dict(secrets)), name="synalinks warm")
        return self._warming

    async def _warm(self, setting: str, secrets: dict[str, str]) -> None:
        from core.runtime.client import WorkerError

        try:
            await self.ready(setting, secrets)
        except (RuntimeUnavailable, WorkerError) as exc:
            log.info("the Synalinks worker did not start ahead of the run: %s", exc)

    async def close(self) -> None:
        """Stop the worker and the offline endpoint (the editor quits)."""
        if self._warming is not None and not self._warming.done():
            self._warming.cancel()
        if self._pool is not None:
            await self._pool.close()
        if self._offline is not None:
            await self._offline.close()


def _find_environment(setting: str | None) -> Any:
    from core.runtime.environment import find_environment

    return find_environment(setting)
