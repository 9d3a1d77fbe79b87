"""Loading the language-model stack off the UI thread, once per process.

Every model call (the offline model included) goes through litellm, whose
import costs seconds of CPU and whose first completion costs seconds more, in
synchronous code on the calling thread. Done on the UI thread that would
freeze the window; so a worker thread imports the engine and litellm and makes
one offline completion on a private event loop. The editor starts it when the
Run dialog opens (the person is typing an input meanwhile), never at start-up,
and a run waits for it before the engine starts.
"""

from __future__ import annotations

import threading
from concurrent.futures import Future

_lock = threading.Lock()
_future: Future[None] | None = None


def start() -> Future[None]:
    """Begin warming up (once); the future completes when the stack is ready
    (with the exception if loading failed: the run then reports it per node)."""
    global _future
    with _lock:
        if _future is None:
            _future = Future()
            threading.Thread(
                target=_warm, args=(_future,), name="litellm-warm-up", daemon=True
            ).start()
        return _future


def is_ready() -> bool:
    return _future is not None and _future.done()


def _warm(future: Future[None]) -> None:
    try:
        from core.engine.litellm_loader import prime

        prime()
    except BaseException as exc:  # reported to whoever waits; never kills the thread silently
        future.set_exception(exc)
    else:
        future.set_result(None)
