"""Resources a program refers to that are not nodes: tools, embedding models
and knowledge bases.

A tool is an async Python function of the user's project, named by module
and function and found in ``folder`` (relative to the graph file; empty is
the graph's own folder). The graph keeps only these names: the function is
imported and checked by the Synalinks runtime worker, never by the editor,
because it is the user's code.
"""

from __future__ import annotations

import re
from pathlib import Path

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


METRICS = ("cosine", "l2sq", "ip")
"""The vector distances Synalinks' knowledge bases accept (``metric=``)."""


class EmbeddingModelSpec(BaseModel):
    """``synalinks.EmbeddingModel(model=..., api_base=...)``, named so knowledge
    bases and ``EmbedKnowledge`` nodes can share one. ``offline`` is Synalinks
    Canvas' own deterministic embedder (served on loopback to the worker)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(description="What knowledge bases and nodes call it by.")
    model: str = Field("offline", description="A litellm embedding model, or offline.")
    api_base: str | None = Field(None, description="Server URL for the model, if any.")

    @field_validator("name")
    @classmethod
    def _identifier(cls, value: str) -> str:
        if not _IDENTIFIER.match(value):
            raise ValueError(f"{value!r} is not a Python identifier")
        return value

    @field_validator("model")
    @classmethod
    def _model(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("an embedding model needs a model name (or offline)")
        return value.strip()


class KnowledgeBaseSpec(BaseModel):
    """``synalinks.KnowledgeBase(uri="duckdb://<path>", data_models=[...], ...)``.

    ``path`` is the DuckDB file, relative to the graph's folder when it lies
    beside the graph (so the graph and its data move together), absolute
    otherwise. ``data_models`` name the graph's data models that are its
    tables; ``embedding_model`` names one of the graph's embedding models
    (empty: none, so only full-text and regex searches work).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(description="What nodes call it by.")
    path: str = Field(description="The DuckDB file (relative to the graph when beside it).")
    data_models: tuple[str, ...] = Field((), description="The graph's data models it stores.")
    embedding_model: str = Field("", description="One of the graph's embedding models.")
    metric: str = Field("cosine", description="Vector distance: cosine, l2sq or ip.")

    @field_validator("name")
    @classmethod
    def _identifier(cls, value: str) -> str:
        if not _IDENTIFIER.match(value):
            raise ValueError(f"{value!r} is not a Python identifier")
        return value

    @field_validator("path")
    @classmethod
    def _path(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("a knowledge base needs the path of its DuckDB file")
        if value.startswith("~"):
            raise ValueError(
                f"knowledge base path {value!r} starts with ~: give it relative to the graph "
                "or as a full path"
            )
        if "://" in value:
            raise ValueError(
                f"knowledge base path {value!r} is a URI: give the DuckDB file's path (the "
                "export writes duckdb:// itself)"
            )
        return value

    @field_validator("metric")
    @classmethod
    def _metric(cls, value: str) -> str:
        if value not in METRICS:
            raise ValueError(f"metric {value!r} is not one of {', '.join(METRICS)}")
        return value

    def file(self, graph_folder: str | Path | None) -> Path:
        """The DuckDB file on disk, a relative path taken from ``graph_folder``
        (the current folder for an unsaved graph)."""
        path = Path(self.path)
        if path.is_absolute():
            return path
        return Path(graph_folder or ".").resolve() / path


def path_for_graph(file: str | Path, graph_folder: str | Path | None) -> str:
    """How a graph records ``file``: relative (POSIX style) when it lies in the
    graph's folder or below it, absolute otherwise."""
    file = Path(file).resolve()
    if graph_folder:
        try:
            return file.relative_to(Path(graph_folder).resolve()).as_posix()
        except ValueError:
            pass
    return str(file)
