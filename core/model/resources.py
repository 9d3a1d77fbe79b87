"""Resources a program refers to that are not nodes: the user's own tools.

A tool is an async Python function of the user's project, named by module
and function and found in ``folder`` (relative to the graph file; empty is
the graph's own folder). The graph keeps only these names: the function is
imported and checked by the Synalinks runtime worker, never by the editor,
because it is the user's code.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field, field_validator

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_MODULE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")


class ToolSpec(BaseModel):
    """``from <module> import <function>``, wrapped as ``synalinks.Tool(<function>)``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(description="What nodes call it by (the function's name by default).")
    module: str = Field(description="The dotted module path, e.g. my_tools or pkg.tools.")
    function: str = Field(description="The async function in that module.")
    folder: str = Field(
        "", description="Folder the module is imported from, relative to the graph."
    )

    @field_validator("name", "function")
    @classmethod
    def _identifier(cls, value: str) -> str:
        if not _IDENTIFIER.match(value):
            raise ValueError(f"{value!r} is not a Python identifier")
        return value

    @field_validator("module")
    @classmethod
    def _module(cls, value: str) -> str:
        if not _MODULE.match(value):
            raise ValueError(f"{value!r} is not a dotted module path such as my_tools or pkg.tools")
        return value

    @field_validator("folder")
    @classmethod
    def _relative(cls, value: str) -> str:
        if value.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", value) or "~" in value:
            raise ValueError(
                f"tool folder {value!r} must be relative to the graph file (no absolute or home "
                "paths: the graph must open on other machines)"
            )
        return value
