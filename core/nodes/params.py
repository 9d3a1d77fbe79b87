"""Helpers for declaring node parameters as pydantic fields with inspector hints."""

from __future__ import annotations

from typing import Any

from pydantic import ConfigDict, Field

STRICT = ConfigDict(extra="forbid")


def param(
    default: Any = "",
    *,
    title: str,
    description: str,
    widget: str = "line",
    **constraints: Any,
) -> Any:
    """A parameter field: ``widget`` tells the inspector how to edit it."""
    return Field(
        default,
        title=title,
        description=description,
        json_schema_extra={"widget": widget},
        **constraints,
    )
