"""Why a node failed, in words a person can act on.

Every failure the engine reports carries an :data:`ErrorKind` (so the editor
can pick an icon and the CLI an exit code) and a message that says what went
wrong and what to do. Provider errors are translated once, in
:mod:`core.engine.litellm_client`, into :class:`ProviderError`; everything the
retry loop gives up on becomes a :class:`NodeRunError`.
"""

from __future__ import annotations

from typing import Literal

from core.program_input import InputError  # noqa: F401  (re-exported: part of the engine API)

ErrorKind = Literal[
    "missing_api_key",  # the provider needs a key that is not set
    "authentication",  # the provider rejected the key
    "bad_request",  # the provider refused the request (unknown model, bad parameter...)
    "rate_limited",  # 429 after every retry
    "provider_error",  # 5xx after every retry
    "connection",  # the server could not be reached, or dropped the connection
    "truncated_stream",  # the stream closed before the answer was complete
    "timeout",  # the node ran longer than the per-node timeout
    "invalid_output",  # the answer was not JSON, or did not fit the data model
    "node_error",  # the node itself failed (e.g. Concat given None)
]


class ProviderError(Exception):
    """A model call that failed; ``transient`` ones are worth retrying.

    ``retry_after`` is the provider's Retry-After in seconds, when it sent one.
    ``message`` never contains an API key (see :mod:`core.engine.redact`).
    """

    def __init__(
        self,
        kind: ErrorKind,
        message: str,
        *,
        transient: bool = False,
        retry_after: float | None = None,
        status_code: int | None = None,
    ) -> None:
        super().__init__(message)
        self.kind: ErrorKind = kind
        self.message = message
        self.transient = transient
        self.retry_after = retry_after
        self.status_code = status_code


class NodeRunError(Exception):
    """A node that failed for good; ``raw_text`` keeps the model's last answer."""

    def __init__(self, kind: ErrorKind, message: str, raw_text: str = "") -> None:
        super().__init__(message)
        self.kind: ErrorKind = kind
        self.message = message
        self.raw_text = raw_text


class RunRefused(ValueError):
    """The graph has validation errors; the run never started.

    ``diagnostics`` are the errors (see :mod:`core.validation`).
    """

    def __init__(self, diagnostics: list) -> None:
        self.diagnostics = diagnostics
        lines = [d.message for d in diagnostics]
        super().__init__(
            f"the graph has {len(lines)} error(s); fix them before running:\n  "
            + "\n  ".join(lines)
        )
