"""The one error type exporting raises: its ``str()`` is ready to show a user."""

from __future__ import annotations


class ExportError(ValueError):
    """A graph that cannot be exported as it is (the message says what to change)."""
