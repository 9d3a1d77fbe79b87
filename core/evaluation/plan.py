"""An evaluation before it runs: the graph checked, the dataset opened and
mapped, the rewards settled, and the id that makes running it again resume it."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.datasets import (
    ColumnMapping,
    DatasetFile,
    GraphTargets,
    RowMapper,
    auto_mapping,
    graph_targets,
    open_dataset,
)
from core.evaluation.rewards import RewardSpec, with_default_masks
from core.model.graph import Graph
from core.registry.registry import Registry

DEFAULT_CONCURRENCY = 8
MAX_CONCURRENCY = 256


@dataclass(frozen=True)
class EvalOptions:
    """How to evaluate.

    rewards: the rewards (weighted); default exact match.
    concurrency: rows in flight at once (default 8, at most 256).
    limit: evaluate only the first ``limit`` rows of the file.
    budget_tokens, budget_cost: stop starting rows once this session's rows
        used this many tokens (in + out) or this much cost (USD); rows
        already running finish and are kept, the rest stay for a resume.
    output: the Output node scored (default: the first).
    mapping: field -> column overrides (see :func:`core.datasets.auto_mapping`).
    fresh: forget the stored rows of the same evaluation and start over.
    """

    rewards: tuple[RewardSpec, ...] = (RewardSpec("exact_match"),)
    concurrency: int = DEFAULT_CONCURRENCY
    limit: int | None = None
    budget_tokens: int | None = None
    budget_cost: float | None = None
    output: str | None = None
    mapping: dict[str, str] = field(default_factory=dict)
    fresh: bool = False

    def __post_init__(self) -> None:
        if not 1 <= self.concurrency <= MAX_CONCURRENCY:
            raise ValueError(
                f"concurrency must be between 1 and {MAX_CONCURRENCY}, got {self.concurrency}"
            )
        if self.limit is not None and self.limit < 1:
            raise ValueError(f"limit must be at least 1, got {self.limit}")
        if self.budget_tokens is not None and self.budget_tokens < 1:
            raise ValueError(f"the token budget must be at least 1, got {self.budget_tokens}")
        if self.budget_cost is not None and self.budget_cost <= 0:
            raise ValueError(f"the cost budget must be positive, got {self.budget_cost}")
        if not self.rewards:
            raise ValueError("give at least one reward (e.g. exact_match)")


@dataclass(frozen=True)
class EvalPlan:
    """Everything an evaluation needs, checked; ``id`` names it in the store."""

    id: str
    graph: Graph
    graph_hash: str
    graph_path: str | None
    dataset: DatasetFile
    dataset_hash: str
    targets: GraphTargets
    mapping: ColumnMapping
    mapper: RowMapper
    rewards: tuple[RewardSpec, ...]
    options: EvalOptions
    backend: str
    model: str | None
    total_rows: int | None
    scoring: dict[str, Any] = field(default_factory=dict)
    """The models Synalinks' rewards use (``judge_model``, ``embedding_model``)."""

    def config(self) -> dict[str, Any]:
        """What the store keeps (and compare and export show) of the settings."""
        return {
            "rewards": [r.to_json() for r in self.rewards],
            "mapping": self.mapping.to_json(),
            "output": self.targets.output.name,
            "backend": self.backend,
            "model": self.model,
            "limit": self.options.limit,
            "scoring": self.scoring,
        }


def graph_digest(graph: Graph) -> str:
    """A digest of what decides a graph's results: its document without layout."""
    from core.files import graph_to_document

    document = graph_to_document(graph)
    document.pop("version", None)
    for node in document.get("nodes", []):
        node.pop("position", None)
    meta = document.get("meta", {})
    meta.pop("description", None)
    text = json.dumps(document, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def file_digest(path: Path) -> str:
    """A digest of the file's bytes (read in blocks: flat memory for any size)."""
    digest = hashlib.blake2b(digest_size=20)
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def make_plan(
    graph: Graph,
    registry: Registry,
    dataset_path: str | Path,
    options: EvalOptions | None = None,
    *,
    graph_path: str | Path | None = None,
    backend: str = "builtin",
    model: str | None = None,
    api_base: str | None = None,
    scoring: dict[str, Any] | None = None,
) -> EvalPlan:
    """Check and settle an evaluation; raises
    :class:`~core.datasets.DatasetError` (file or mapping unusable) with a
    user-ready sentence. ``scoring`` names the models Synalinks' rewards use
    (``judge_model``, ``embedding_model``): part of what the evaluation is."""
    options = options or EvalOptions()
    dataset = open_dataset(dataset_path)
    targets = graph_targets(graph, registry, options.output)
    mapping = auto_mapping(
        dataset.columns,
        targets.inputs,
        targets.expected_schema,
        options.mapping,
        source=str(dataset.path),
    )
    mapper = RowMapper(mapping, targets.inputs, targets.expected_schema)
    rewards = with_default_masks(options.rewards, list(mapping.expected))
    graph_hash = graph_digest(graph)
    dataset_hash = file_digest(dataset.path)
    count = dataset.count()
    total = (
        count
        if options.limit is None
        else (options.limit if count is None else min(count, options.limit))
    )
    identity = {
        "graph": graph_hash,
        "dataset": dataset_hash,
        "mapping": {"inputs": mapping.inputs, "expected": mapping.expected},
        "output": targets.output.name,
        "rewards": [r.to_json() for r in rewards],
        "backend": backend,
        "model": model,
        "api_base": api_base,
        "scoring": scoring or {},
    }
    eval_id = hashlib.sha256(json.dumps(identity, sort_keys=True).encode()).hexdigest()[:16]
    return EvalPlan(
        id=eval_id,
        graph=graph,
        graph_hash=graph_hash,
        graph_path=str(Path(graph_path).resolve()) if graph_path else None,
        dataset=dataset,
        dataset_hash=dataset_hash,
        targets=targets,
        mapping=mapping,
        mapper=mapper,
        rewards=rewards,
        options=options,
        backend=backend,
        model=model,
        total_rows=total,
        scoring=dict(scoring or {}),
    )
