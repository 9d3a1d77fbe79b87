"""What to do about DuckDB's errors on a knowledge base file, in the user's words.

DuckDB says what went wrong (``... is not a valid DuckDB database file``,
``Could not set lock on file ...``) but not what to do in Synalinks Canvas;
these hints are appended to its message wherever it reaches the user (a run
on the Synalinks backend, the Knowledge panel).
"""

from __future__ import annotations

HINTS = (
    (
        "not a valid DuckDB database file",
        "the knowledge base's file is not a DuckDB database: choose another file (or a new "
        "one) in Graph settings → Knowledge bases",
    ),
    (
        "Could not set lock on file",
        "another process has this DuckDB file open for writing (a running program, or the "
        "Synalinks worker after a run): close it, or stop the worker, and try again",
    ),
    (
        "Conflicting lock is held",
        "another process has this DuckDB file open for writing (a running program, or the "
        "Synalinks worker after a run): close it, or stop the worker, and try again",
    ),
    (
        "Permission denied",
        "the DuckDB file cannot be opened with your permissions: check its folder's rights",
    ),
)


def knowledge_hint(message: str) -> str:
    """``message`` with what to do appended, when it is a known DuckDB file error."""
    for needle, hint in HINTS:
        if needle in message:
            return f"{message.rstrip('!. ')}; {hint}"
    return message
