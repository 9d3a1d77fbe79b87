"""How long to wait before retrying a transient provider error.

Exponential backoff with "equal jitter" (half fixed, half random) so that 128
branches rate-limited together do not all come back in the same instant; a
Retry-After from the provider wins when it asks for longer, up to a cap.
"""

from __future__ import annotations

import email.utils
import random
import time
from collections.abc import Mapping
from typing import Any


def backoff_delay(
    retry: int,
    *,
    base: float,
    maximum: float,
    retry_after: float | None = None,
    retry_after_max: float = 60.0,
    rng: random.Random | None = None,
) -> float:
    """Seconds to wait before retry number ``retry`` (0 for the first retry)."""
    ceiling = min(maximum, base * (2**retry))
    delay = ceiling / 2 + (rng or random).uniform(0, ceiling / 2)
    if retry_after is not None and retry_after > 0:
        delay = max(delay, min(retry_after, retry_after_max))
    return delay


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds from a Retry-After header: a number of seconds or an HTTP date."""
    if value is None:
        return None
    value = str(value).strip()
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        parsed = email.utils.parsedate_tz(value)
        if parsed is None:
            return None
        seconds = email.utils.mktime_tz(parsed) - (time.time() if now is None else now)
    return max(0.0, seconds)


def retry_after_of(exc: BaseException) -> float | None:
    """The Retry-After (seconds) an HTTP error carries, looking where litellm and
    the openai SDK keep response headers."""
    for headers in _headers_of(exc):
        for key in ("retry-after-ms", "retry-after"):
            raw = _get(headers, key)
            if raw is not None:
                seconds = parse_retry_after(raw)
                if seconds is not None:
                    return seconds / 1000 if key.endswith("-ms") else seconds
    return None


def _headers_of(exc: BaseException) -> list[Any]:
    found = []
    response = getattr(exc, "response", None)
    if response is not None and getattr(response, "headers", None) is not None:
        found.append(response.headers)
    for attr in ("litellm_response_headers", "headers"):
        value = getattr(exc, attr, None)
        if value is not None:
            found.append(value)
    return found


def _get(headers: Any, key: str) -> str | None:
    if isinstance(headers, Mapping) or hasattr(headers, "get"):
        try:
            value = headers.get(key)
            if value is None and isinstance(headers, Mapping):
                value = next((v for k, v in headers.items() if str(k).lower() == key), None)
            return None if value is None else str(value)
        except Exception:  # odd header containers: ignore rather than fail a retry
            return None
    return None
