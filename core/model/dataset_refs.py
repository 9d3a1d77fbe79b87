"""The datasets a graph remembers: where each file is and how its columns map.

A path is kept relative to the graph file when the dataset lies beside it
(in its folder or below), so a project folder moves or is shared whole;
elsewhere it is absolute. Only the path and the mapping are kept: the rows
stay in the file.
"""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator


class DatasetRef(BaseModel):
    """One dataset of the graph."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    path: str = Field(description="The file, relative to the graph's folder when beside it.")
    mapping: dict[str, str] = Field(
        default_factory=dict,
        description="Field -> column overrides (Input fields, or expected.<field>); "
        "fields not named here map by name.",
    )
    output: str = Field("", description="The Output node scored (empty: the first Output).")

    @field_validator("path")
    @classmethod
    def _not_empty(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("a dataset path cannot be empty")
        return value


def dataset_path_for(graph_file: str | Path | None, dataset: str | Path) -> str:
    """How a graph saved at ``graph_file`` should name ``dataset``: relative
    (with forward slashes) when it lies in the graph's folder or below it,
    else absolute."""
    target = Path(dataset).resolve()
    if graph_file is None:
        return str(target)
    base = Path(graph_file).resolve().parent
    try:
        return target.relative_to(base).as_posix()
    except ValueError:
        return str(target)


def resolve_dataset_path(graph_file: str | Path | None, ref: DatasetRef | str) -> Path:
    """The file a reference points at, reading a relative path from the graph's folder."""
    path = Path(os.path.expanduser(ref.path if isinstance(ref, DatasetRef) else ref))
    if path.is_absolute() or graph_file is None:
        return path
    return Path(graph_file).resolve().parent / path
