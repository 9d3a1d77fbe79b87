"""Rewards: how well a predicted output matches the expected one, per row.

A reward is named as Synalinks names its class in snake case
(``exact_match`` for ``synalinks.rewards.ExactMatch``) with its constructor's
settings (``in_mask``, ``out_mask``, ``in_mask_pattern``, ``out_mask_pattern``,
...) and a weight. The built-in ones are computed here, with Synalinks'
exact semantics; every other Synalinks reward (``lm_as_judge``,
``cosine_similarity``, the rubrics...) is computed by the real library in the
runtime worker (:mod:`core.evaluation.runtime_rewards`).

Several rewards at once combine as ``synalinks.rewards.ComposableReward``
with its default ``mean`` reduction: the weighted mean
``sum(w_i * r_i) / sum(w_i)``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from core.evaluation.masks import apply_masks

MASK_KEYS = ("in_mask", "out_mask", "in_mask_pattern", "out_mask_pattern")


class RewardError(ValueError):
    """A reward that cannot be used as given (unknown name, bad settings)."""


def _exact_match(y_true: Any, y_pred: Any) -> float:
    """``synalinks.rewards.exact_match``: 1.0 when both JSON values are equal."""
    if y_pred is not None and y_true is not None and y_pred == y_true:
        return 1.0
    return 0.0


NATIVE: dict[str, Callable[[Any, Any], float]] = {"exact_match": _exact_match}
"""Rewards computed in this process: name -> function of (expected, predicted)."""

RUNTIME = (
    "cosine_similarity",
    "lm_as_judge",
    "program_as_judge",
    "rubrics_as_judge",
    "agent_as_judge",
    "rlm_as_judge",
    "deep_agent_as_judge",
    "answer_relevancy",
    "faithfulness",
    "hallucination",
    "summarization",
    "task_completion",
    "toxicity",
    "bias",
    "prompt_alignment",
)
"""Common Synalinks rewards that need the library (a language or embedding
model); any other name of ``synalinks.rewards`` is accepted too and checked
by the worker."""


def snake_case(name: str) -> str:
    """``ExactMatch`` -> ``exact_match`` (Synalinks' own naming of its rewards)."""
    name = name.strip()
    name = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name)
    return re.sub(r"[\s\-]+", "_", name).lower()


@dataclass(frozen=True)
class RewardSpec:
    """One reward of an evaluation: its name, weight and settings."""

    name: str
    weight: float = 1.0
    config: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", snake_case(self.name))
        if not re.fullmatch(r"[a-z][a-z0-9_]*", self.name):
            raise RewardError(f"{self.name!r} is not a reward name such as exact_match")
        if not (self.weight > 0):
            raise RewardError(f"the weight of {self.name} must be positive, got {self.weight}")
        for key in MASK_KEYS[:2]:
            value = self.config.get(key)
            if value is not None and not (
                isinstance(value, list) and all(isinstance(v, str) for v in value)
            ):
                raise RewardError(
                    f"{self.name}: {key} must be a list of field names, got {value!r}"
                )

    @property
    def native(self) -> bool:
        return self.name in NATIVE

    @property
    def label(self) -> str:
        """The column name in results: the reward's ``name`` setting, else its name."""
        return str(self.config.get("name") or self.name)

    def masks(self) -> dict[str, Any]:
        return {k: self.config.get(k) for k in MASK_KEYS}

    def has_masks(self) -> bool:
        return any(self.config.get(k) for k in MASK_KEYS)

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "weight": self.weight, "config": self.config}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RewardSpec:
        return cls(data["name"], float(data.get("weight", 1.0)), dict(data.get("config") or {}))

    def score(self, y_true: Any, y_pred: Any) -> float:
        """The reward for one row (native rewards only)."""
        function = NATIVE.get(self.name)
        if function is None:
            raise RewardError(f"{self.name} is computed by Synalinks in the runtime worker")
        y_true, y_pred = apply_masks(y_true, y_pred, **self.masks())
        return float(function(y_true, y_pred))


def parse_reward(text: str) -> RewardSpec:
    """``NAME``, ``NAME:WEIGHT``, ``NAME:{json settings}`` or
    ``NAME:WEIGHT:{json settings}`` (as the command line takes them)."""
    name, _, rest = text.partition(":")
    weight = 1.0
    config: dict[str, Any] = {}
    if rest and not rest.lstrip().startswith("{"):
        number, _, rest = rest.partition(":")
        try:
            weight = float(number)
        except ValueError:
            raise RewardError(
                f"{text!r}: the weight {number!r} is not a number; write NAME:WEIGHT, e.g. "
                "exact_match:2"
            ) from None
    if rest.strip():
        try:
            config = json.loads(rest)
        except ValueError as exc:
            raise RewardError(
                f"{text!r}: the settings are not JSON ({exc}); write e.g. "
                'exact_match:{"in_mask": ["answer"]}'
            ) from None
        if not isinstance(config, dict):
            raise RewardError(f"{text!r}: the settings must be a JSON object")
    if not name.strip():
        raise RewardError(f"{text!r}: give a reward name, e.g. exact_match")
    return RewardSpec(name, weight, config)


def combine(specs: Sequence[RewardSpec], values: Sequence[float]) -> float:
    """The row's overall score: ``ComposableReward``'s weighted mean."""
    total_weight = sum(s.weight for s in specs)
    return sum(s.weight * v for s, v in zip(specs, values, strict=True)) / total_weight


def with_default_masks(
    specs: Sequence[RewardSpec], expected_fields: Sequence[str]
) -> tuple[RewardSpec, ...]:
    """A reward with no mask of its own compares the fields the dataset gives
    (``in_mask``): the program's other fields (its ``thinking``, an agent's
    ``messages``) have nothing to be compared with. The settings written here
    are the ones reported, stored and given to Synalinks; a reward given any
    mask (``in_mask_pattern: ".*"`` compares everything) keeps its own."""
    return tuple(
        s
        if s.has_masks()
        else RewardSpec(s.name, s.weight, {**s.config, "in_mask": list(expected_fields)})
        for s in specs
    )
