"""Two evaluations of the same dataset, row by row.

Rows pair by their index in the file (the dataset must be the same bytes);
only rows scored in both count. For each pair the difference is
``B - A`` of the combined score (or of one reward): a win for B when it is
positive, a loss when negative, a tie at zero. The mean difference comes
with a paired t confidence interval (95% by default), the usual test for
"did this change help" on the same examples.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from core.evaluation.results import Stat
from core.evaluation.stats import t_quantile
from core.store.evaluations import EvalMeta, EvalStore


class CompareError(ValueError):
    """The two evaluations cannot be compared; ``str()`` says why."""


@dataclass
class RowDiff:
    index: int
    a: float
    b: float

    @property
    def diff(self) -> float:
        return self.b - self.a


@dataclass
class Comparison:
    a: EvalMeta
    b: EvalMeta
    reward: str | None
    wins: int = 0
    losses: int = 0
    ties: int = 0
    only_a: int = 0
    """Rows scored in A but not in B (failed, invalid or not run there), and the reverse."""
    only_b: int = 0
    mean_a: float = 0.0
    mean_b: float = 0.0
    mean_diff: float = 0.0
    ci_low: float | None = None
    ci_high: float | None = None
    confidence: float = 0.95
    rows: list[RowDiff] = field(default_factory=list)
    """Pairs that differ (all pairs with ``keep_all``), in row order."""

    @property
    def pairs(self) -> int:
        return self.wins + self.losses + self.ties

    def to_json(self) -> dict[str, Any]:
        return {
            "a": self.a.id,
            "b": self.b.id,
            "reward": self.reward or "score",
            "pairs": self.pairs,
            "wins": self.wins,
            "losses": self.losses,
            "ties": self.ties,
            "only_a": self.only_a,
            "only_b": self.only_b,
            "mean_a": self.mean_a,
            "mean_b": self.mean_b,
            "mean_diff": self.mean_diff,
            "ci": [self.ci_low, self.ci_high],
            "confidence": self.confidence,
            "rows": [{"row": r.index, "a": r.a, "b": r.b, "diff": r.diff} for r in self.rows],
        }


def compare(
    store: EvalStore,
    a: str,
    b: str,
    *,
    reward: str | None = None,
    confidence: float = 0.95,
    keep_all: bool = False,
) -> Comparison:
    """Compare evaluation ``b`` against ``a`` (ids or unique prefixes)."""
    meta_a, meta_b = _find(store, a), _find(store, b)
    if meta_a.dataset_hash != meta_b.dataset_hash:
        raise CompareError(
            f"evaluations {meta_a.id} and {meta_b.id} ran on different datasets "
            f"({meta_a.dataset_path} and {meta_b.dataset_path}, or the file changed between "
            "them); compare evaluations of the same file"
        )
    result = Comparison(meta_a, meta_b, reward, confidence=confidence)
    stat_a, stat_b, stat_d = Stat(), Stat(), Stat()
    rows_a = _scores(store, meta_a, reward)
    rows_b = _scores(store, meta_b, reward)
    next_a, next_b = next(rows_a, None), next(rows_b, None)
    while next_a is not None or next_b is not None:
        if next_b is None or (next_a is not None and next_a[0] < next_b[0]):
            result.only_a += next_a[1] is not None
            next_a = next(rows_a, None)
            continue
        if next_a is None or next_b[0] < next_a[0]:
            result.only_b += next_b[1] is not None
            next_b = next(rows_b, None)
            continue
        (index, value_a), (_, value_b) = next_a, next_b
        next_a, next_b = next(rows_a, None), next(rows_b, None)
        if value_a is None or value_b is None:
            result.only_a += value_a is not None
            result.only_b += value_b is not None
            continue
        stat_a.add(value_a)
        stat_b.add(value_b)
        pair = RowDiff(index, value_a, value_b)
        stat_d.add(pair.diff)
        if pair.diff > 0:
            result.wins += 1
        elif pair.diff < 0:
            result.losses += 1
        else:
            result.ties += 1
        if keep_all or pair.diff != 0:
            result.rows.append(pair)
    result.mean_a, result.mean_b, result.mean_diff = stat_a.mean, stat_b.mean, stat_d.mean
    if stat_d.n >= 2:
        half = t_quantile(0.5 + confidence / 2, stat_d.n - 1) * stat_d.std / math.sqrt(stat_d.n)
        result.ci_low, result.ci_high = stat_d.mean - half, stat_d.mean + half
    return result


def _find(store: EvalStore, eval_id: str) -> EvalMeta:
    meta = store.find(eval_id)
    if meta is None:
        raise CompareError(f"no evaluation {eval_id!r} in the run store {store.path}")
    return meta


def _scores(store: EvalStore, meta: EvalMeta, reward: str | None):
    for row in store.rows(meta.id):
        if row.status != "scored":
            yield row.index, None
        elif reward is None:
            yield row.index, row.score
        else:
            if reward not in row.rewards:
                raise CompareError(
                    f"evaluation {meta.id} has no reward {reward!r}; it has "
                    f"{', '.join(row.rewards) or 'none'}"
                )
            yield row.index, float(row.rewards[reward])
