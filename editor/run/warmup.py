"""Loading the language-model stack off the UI thread, once per process.

Every model call (the offline model included) goes through litellm, whose
import costs seconds of CPU and whose first completion costs seconds more, in
synchronous code on the calling thread. Done on the UI thread that would
freeze the window; so a worker thread imports the engine and litellm and makes
one offline completion on a private event loop, then warms the provider route
of the graph's models. The editor starts it once it has been idle for a moment
after showing the first graph (:func:`start_when_idle`), or when the Run
dialog opens if that comes first; never during start-up itself. A run waits
for it before the engine starts.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from concurrent.futures import Future

IDLE_DELAY_MS = 2000
"""After the first graph is shown: long enough for the window to settle and the
person to start looking, short enough to be done before most first runs."""

_lock = threading.Lock()
_future: Future[None] | None = None


def start(models: Iterable[str] = ()) -> Future[None]:
    """Begin warming up (once), warming the routes of ``models`` too; the
    future completes when the stack is ready (with the exception if loading
    failed: the run then reports it per node). A run warms any other route
    itself, before its clock starts."""
    global _future
    with _lock:
        if _future is None:
            _future = Future()
            threading.Thread(
                target=_warm, args=(_future, tuple(models)), name="litellm-warm-up", daemon=True
            ).start()
        return _future


def start_when_idle(window, delay_ms: int = IDLE_DELAY_MS) -> None:
    """Warm up once ``delay_ms`` have passed after start-up, for the models of
    ``window``'s graph (the first Run then streams at once)."""
    from PySide6.QtCore import QTimer

    def begin() -> None:
        document = getattr(window, "document", None)
        start(graph_models(document.graph) if document is not None else ())

    QTimer.singleShot(delay_ms, window, begin)


def graph_models(graph) -> set[str]:
    """The models a graph names (its default and each node's own); offline included."""
    models = {graph.meta.default_model or "offline"}
    for node in graph.nodes.values():
        model = node.params.get("language_model") if isinstance(node.params, dict) else None
        if isinstance(model, str) and model.strip():
            models.add(model.strip())
    return models


def is_ready() -> bool:
    return _future is not None and _future.done()


def _warm(future: Future[None], models: tuple[str, ...]) -> None:
    try:
        from core.engine.litellm_loader import prime

        prime(models)
    except BaseException as exc:  # reported to whoever waits; never kills the thread silently
        future.set_exception(exc)
    else:
        future.set_result(None)
