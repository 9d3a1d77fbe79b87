"""Numbers as the result views print them (one place, so every view agrees)."""

from __future__ import annotations

from editor.canvas.run_state import cost_text, format_seconds

__all__ = ["cost_text", "format_seconds", "seconds_text", "stats_text", "tokens_text"]


def seconds_text(seconds: float | None) -> str:
    return "" if seconds is None else format_seconds(seconds)


def tokens_text(tokens_in: int | None, tokens_out: int | None) -> str:
    """``120 in · 412 out`` (only the parts known)."""
    parts = []
    if tokens_in is not None:
        parts.append(f"{tokens_in:,} in")
    if tokens_out is not None:
        parts.append(f"{tokens_out:,} out")
    return " · ".join(parts)


def stats_text(
    elapsed: float | None, tokens_in: int | None, tokens_out: int | None, cost: float | None
) -> str:
    """``2.4 s · 812 tok · $0.0012``: a node's figures in one short line."""
    parts = []
    if elapsed is not None:
        parts.append(format_seconds(elapsed))
    total = (tokens_in or 0) + (tokens_out or 0)
    if tokens_in is not None or tokens_out is not None:
        parts.append(f"{total:,} tok")
    if cost is not None:
        parts.append(cost_text(cost))
    return " · ".join(parts)
