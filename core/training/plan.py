"""Settling a training before it starts: the rows, the split, the settings, the estimate.

The dataset is read and mapped the way an evaluation reads it
(:mod:`core.datasets`); rows that do not fit the graph are skipped and
counted, never sent. Without a validation file, the last
``validation_split`` of the rows are held out (where Synalinks' own
``validation_split`` would take them), so the held-out rows are known here:
the editor and the tests can score them again.
"""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.datasets import (
    DatasetError,
    Example,
    RowMapper,
    RowProblem,
    auto_mapping,
    graph_targets,
    open_dataset,
)
from core.evaluation.plan import graph_digest
from core.evaluation.rewards import RewardSpec, with_default_masks
from core.model.graph import Graph
from core.registry.registry import Registry
from core.training.estimate import Estimate, estimate_training

OPTIMIZER_NAMES = ("random_few_shot", "greedy", "evolutionary", "omega")
"""The optimizers of synalinks 0.10 as the command line names them."""


class TrainError(Exception):
    """A training that cannot start or went wrong; ``str()`` is the sentence to show."""


@dataclass(frozen=True)
class TrainOptions:
    rewards: tuple[RewardSpec, ...] = (RewardSpec("exact_match"),)
    optimizer: str = "random_few_shot"
    optimizer_config: dict[str, Any] = field(default_factory=dict)
    epochs: int = 1
    batch_size: int = 1
    minibatch_size: int | None = 4
    validation_split: float = 0.2
    output: str | None = None
    mapping: dict[str, str] = field(default_factory=dict)
    early_stopping: dict[str, Any] | None = None
    budget_tokens: int | None = None
    budget_cost: float | None = None
    limit: int | None = None

    def problem(self) -> str | None:
        if self.optimizer not in OPTIMIZER_NAMES:
            return (
                f"{self.optimizer!r} is not an optimizer of synalinks 0.10; choose one of "
                + ", ".join(OPTIMIZER_NAMES)
            )
        if self.epochs < 1:
            return f"--epochs must be at least 1, got {self.epochs}"
        if self.batch_size < 1:
            return f"--batch-size must be at least 1, got {self.batch_size}"
        if not 0.0 < self.validation_split < 1.0:
            return f"the validation split must be between 0 and 1, got {self.validation_split}"
        return None


@dataclass
class TrainPlan:
    id: str
    graph: Graph
    graph_hash: str
    graph_path: str | None
    dataset_path: Path
    validation_path: Path | None
    output_index: int
    output_name: str
    expected_schema: dict[str, Any]
    rewards: tuple[RewardSpec, ...]
    options: TrainOptions
    train: list[Example]
    validation: list[Example]
    skipped: list[RowProblem]
    estimate: Estimate
    model: str | None = None

    def config(self) -> dict[str, Any]:
        """The settings as stored with the training."""
        o = self.options
        return {
            "optimizer": o.optimizer,
            "optimizer_config": o.optimizer_config,
            "rewards": [r.to_json() for r in self.rewards],
            "epochs": o.epochs,
            "batch_size": o.batch_size,
            "minibatch_size": o.minibatch_size,
            "output": self.output_name,
            "validation": str(self.validation_path) if self.validation_path else None,
            "validation_split": None if self.validation_path else o.validation_split,
            "train_rows": len(self.train),
            "validation_rows": len(self.validation),
            "skipped_rows": len(self.skipped),
            "early_stopping": o.early_stopping,
            "budget_tokens": o.budget_tokens,
            "budget_cost": o.budget_cost,
            "model": self.model,
        }


def _examples(path: Path, graph: Graph, registry: Registry, options: TrainOptions):
    data = open_dataset(path)
    targets = graph_targets(graph, registry, options.output)
    mapping = auto_mapping(
        data.columns, targets.inputs, targets.expected_schema, options.mapping, source=str(path)
    )
    mapper = RowMapper(mapping, targets.inputs, targets.expected_schema)
    examples: list[Example] = []
    problems: list[RowProblem] = []
    for item in mapper.examples(data.rows()):
        if options.limit is not None and len(examples) + len(problems) >= options.limit:
            break
        (examples if isinstance(item, Example) else problems).append(item)
    return data, targets, mapping, examples, problems


def make_train_plan(
    graph: Graph,
    registry: Registry,
    dataset_path: str | Path,
    options: TrainOptions | None = None,
    *,
    validation_path: str | Path | None = None,
    graph_path: str | Path | None = None,
    model: str | None = None,
) -> TrainPlan:
    """Read, map and split the rows; raises :class:`TrainError` or
    :class:`~core.datasets.DatasetError` with a user-ready sentence."""
    options = options or TrainOptions()
    problem = options.problem()
    if problem:
        raise TrainError(problem)
    data, targets, mapping, examples, skipped = _examples(
        Path(dataset_path), graph, registry, options
    )
    input_nodes = {t.node for t in targets.inputs}
    if len(input_nodes) != 1:
        raise TrainError(
            f"{graph.meta.name} has {len(input_nodes)} Inputs; training feeds one Input: "
            "merge them into one data model"
        )
    if validation_path is not None:
        _, _, _, validation, more = _examples(Path(validation_path), graph, registry, options)
        skipped += more
        train = examples
    else:
        held = math.ceil(len(examples) * options.validation_split)
        train, validation = examples[: len(examples) - held], examples[len(examples) - held :]
    if not train or not validation:
        raise TrainError(
            f"training needs rows to learn from and rows to validate on; {data.path.name} gave "
            f"{len(train)} and {len(validation)} usable rows ({len(skipped)} skipped): add rows "
            "or change --validation-split"
        )
    rewards = with_default_masks(options.rewards, list(mapping.expected))
    return TrainPlan(
        id=uuid.uuid4().hex[:16],
        graph=graph,
        graph_hash=graph_digest(graph),
        graph_path=str(Path(graph_path).resolve()) if graph_path else None,
        dataset_path=data.path,
        validation_path=Path(validation_path).resolve() if validation_path else None,
        output_index=targets.output_index,
        output_name=targets.output.name,
        expected_schema=targets.expected_schema,
        rewards=tuple(rewards),
        options=options,
        train=train,
        validation=validation,
        skipped=skipped,
        estimate=estimate_training(graph, registry, train, validation, options, model),
        model=model,
    )


__all__ = [
    "DatasetError",
    "OPTIMIZER_NAMES",
    "TrainError",
    "TrainOptions",
    "TrainPlan",
    "make_train_plan",
]
