"""A dataset file bound to the window's graph: which column feeds which field.

Plain Python (no widgets): the panel shows it, the mapping editor changes
its overrides, the run dialog reads them. When the mapping cannot be made
(no column for a required input, nothing to compare with) the reason is
kept as one sentence and the fields still show the columns their names
match, so the person sees what to fix.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.datasets import (
    ColumnMapping,
    DatasetError,
    DatasetFile,
    GraphTargets,
    RowMapper,
    auto_mapping,
    graph_targets,
)

EXPECTED = "expected."


@dataclass
class DatasetBinding:
    data: DatasetFile
    overrides: dict[str, str] = field(default_factory=dict)
    output: str = ""
    targets: GraphTargets | None = None
    mapping: ColumnMapping | None = None
    problem: str = ""

    @property
    def path(self) -> Path:
        return self.data.path

    def fields(self) -> list[tuple[str, str]]:
        """(key, label) per field a column can feed: input fields, then
        ``expected.<field>`` for the scored output's fields."""
        if self.targets is None:
            return []
        several = len(self.targets.inputs) > 1
        keys: list[tuple[str, str]] = []
        for target in self.targets.inputs:
            for f in target.spec.fields:
                key = f"{target.node}.{f.name}" if several else f.name
                keys.append((key, f"Input {key}"))
        for name in self.targets.expected_schema.get("properties", {}):
            keys.append((f"{EXPECTED}{name}", f"Expected {name}"))
        return keys

    def column_for(self, key: str) -> str | None:
        """The column feeding ``key`` now (an override, else the automatic match)."""
        if self.mapping is not None:
            if key.startswith(EXPECTED):
                return self.mapping.expected.get(key.removeprefix(EXPECTED))
            return self.mapping.inputs.get(key)
        if key in self.overrides:
            return self.overrides[key]
        name = key.removeprefix(EXPECTED).rsplit(".", 1)[-1].lower()
        by_lower = {c.lower(): c for c in self.data.columns}
        return by_lower.get(name)

    def mapper(self) -> RowMapper | None:
        if self.mapping is None or self.targets is None:
            return None
        return RowMapper(self.mapping, self.targets.inputs, self.targets.expected_schema)

    def counts_text(self) -> str:
        count = self.data.count()
        rows = "rows: unknown until read" if count is None else f"{count:,} rows"
        return f"{self.data.format.upper()} · {len(self.data.columns)} columns · {rows}"


def bind(
    data: DatasetFile,
    graph: Any,
    registry: Any,
    overrides: dict[str, str] | None = None,
    output: str = "",
) -> DatasetBinding:
    """Map ``data``'s columns to ``graph``'s Input and scored Output fields."""
    binding = DatasetBinding(data, dict(overrides or {}), output)
    try:
        binding.targets = graph_targets(graph, registry, output or None)
        binding.mapping = auto_mapping(
            data.columns,
            binding.targets.inputs,
            binding.targets.expected_schema,
            binding.overrides,
            source=data.path.name,
        )
    except DatasetError as exc:
        binding.problem = str(exc)
    return binding
