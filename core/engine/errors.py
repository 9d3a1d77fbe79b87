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

    The message is kept in parts (what failed, the provider's own ``detail``,
    the ``advice``) so that a node that gave up can say how often it tried in
    the middle of one sentence (see :meth:`sentence`) rather than tacking the
    count of attempts onto the end of the advice.
    """

    def __init__(
        self,
        kind: ErrorKind,
        message: str,
        *,
        detail: str = "",
        advice: str = "",
        transient: bool = False,
        retry_after: float | None = None,
        status_code: int | None = None,
    ) -> None:
        self.fact = message
        self.detail = detail.strip().rstrip(".").strip()
        self.advice = advice.strip().rstrip(".")
        self.message = message + (f" ({self.detail})" if self.detail else "")
        if self.advice:
            self.message += f"; {self.advice}"
        super().__init__(self.message)
        self.kind: ErrorKind = kind
        self.transient = transient
        self.retry_after = retry_after
        self.status_code = status_code

    def scrub(self, secret: str, replacement: str) -> None:
        """Replace ``secret`` everywhere the error keeps text (a provider may echo a key)."""
        self.fact = self.fact.replace(secret, replacement)
        self.detail = self.detail.replace(secret, replacement)
        self.advice = self.advice.replace(secret, replacement)
        self.message = self.message.replace(secret, replacement)
        self.args = (self.message,)

    def sentence(self, attempts: int | None = None) -> str:
        """The failure as one sentence: what failed, after how many attempts,
        the provider's words in parentheses, then what to do."""
        text = self.fact
        if attempts:
            text += f" after {count(attempts, 'attempt')}"
        if self.detail:
            text += f" ({self.detail})"
        if not self.advice:
            return text
        advice = self.advice[0].upper() + self.advice[1:]
        ending = "" if advice.endswith(("?", "!")) else "."
        return f"{text}. {advice}{ending}"


def count(n: int, noun: str) -> str:
    """``1 attempt``, ``4 attempts``: numbers in messages read as words do."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


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
