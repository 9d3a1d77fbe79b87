"""An evaluation's results: mean ± standard deviation per reward, counts,
usage, a histogram, and the per-row table exported to CSV or JSONL.

Everything is computed from the store as a stream (one pass, Welford's
running mean and variance), so a summary of 100,000 rows holds one row at a
time. Failed and invalid rows are counted apart and never enter a mean.
"""

from __future__ import annotations

import csv
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.store.evaluations import EvalMeta, EvalStore


@dataclass
class Stat:
    """Running mean and sample standard deviation of one reward."""

    n: int = 0
    mean: float = 0.0
    _m2: float = 0.0
    min: float | None = None
    max: float | None = None

    def add(self, value: float) -> None:
        self.n += 1
        delta = value - self.mean
        self.mean += delta / self.n
        self._m2 += delta * (value - self.mean)
        self.min = value if self.min is None else min(self.min, value)
        self.max = value if self.max is None else max(self.max, value)

    @property
    def std(self) -> float:
        """Sample standard deviation (n - 1); 0 for fewer than two rows."""
        return math.sqrt(self._m2 / (self.n - 1)) if self.n > 1 else 0.0

    def to_json(self) -> dict[str, Any]:
        return {"n": self.n, "mean": self.mean, "std": self.std, "min": self.min, "max": self.max}


@dataclass
class EvalSummary:
    """What an evaluation scored. ``rewards`` by label (in the evaluation's
    order), ``score`` the weighted combination."""

    meta: EvalMeta
    counts: dict[str, int]
    rewards: dict[str, Stat] = field(default_factory=dict)
    score: Stat = field(default_factory=Stat)
    tokens_in: int = 0
    tokens_out: int = 0
    cost: float | None = None
    duration: float = 0.0
    failures: list[tuple[int, str]] = field(default_factory=list)
    """The first failed or invalid rows (index, reason), for a short report."""

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.meta.id,
            "status": self.meta.status,
            "graph": self.meta.graph_name,
            "dataset": self.meta.dataset_path,
            "config": self.meta.config,
            "counts": self.counts,
            "rewards": {k: v.to_json() for k, v in self.rewards.items()},
            "score": self.score.to_json(),
            "tokens_in": self.tokens_in,
            "tokens_out": self.tokens_out,
            "cost": self.cost,
            "duration": self.duration,
            "failures": [{"row": i, "reason": r} for i, r in self.failures],
        }


def reward_labels(meta: EvalMeta) -> list[str]:
    return [
        str((r.get("config") or {}).get("name") or r["name"])
        for r in meta.config.get("rewards", [])
    ]


def summarize(store: EvalStore, eval_id: str, *, failures: int = 10) -> EvalSummary:
    """The summary of a stored evaluation (``eval_id`` or a unique prefix)."""
    meta = store.find(eval_id)
    if meta is None:
        raise LookupError(f"no evaluation {eval_id!r} in the run store {store.path}")
    summary = EvalSummary(meta, store.counts(meta.id))
    labels = reward_labels(meta)
    summary.rewards = {label: Stat() for label in labels}
    for row in store.rows(meta.id):
        summary.tokens_in += row.tokens_in or 0
        summary.tokens_out += row.tokens_out or 0
        summary.duration += row.duration or 0.0
        if row.cost is not None:
            summary.cost = (summary.cost or 0.0) + row.cost
        if row.status != "scored":
            if len(summary.failures) < failures:
                summary.failures.append((row.index, f"{row.status}: {row.error}"))
            continue
        for label in labels:
            value = row.rewards.get(label)
            if value is not None:
                summary.rewards[label].add(float(value))
        if row.score is not None:
            summary.score.add(row.score)
    return summary


def histogram(
    store: EvalStore, eval_id: str, reward: str | None = None, bins: int = 10
) -> list[tuple[float, float, int]]:
    """``bins`` equal bins over [0, 1] (widened to the values' range) of the
    combined score or one reward: (low, high, count) each."""
    values_min, values_max = 0.0, 1.0
    counts = [0] * bins
    values = []
    for row in store.rows(eval_id, status="scored"):
        value = row.score if reward is None else row.rewards.get(reward)
        if value is None:
            continue
        values.append(float(value))
    if values:
        values_min, values_max = min(values_min, min(values)), max(values_max, max(values))
    width = (values_max - values_min) / bins or 1.0
    for value in values:
        counts[min(bins - 1, int((value - values_min) / width))] += 1
    return [(values_min + i * width, values_min + (i + 1) * width, counts[i]) for i in range(bins)]


EXPORT_COLUMNS = ("row", "status", "score", "error", "duration", "tokens_in", "tokens_out", "cost")


def export_rows(store: EvalStore, eval_id: str, path: str | Path, fmt: str | None = None) -> int:
    """Write the per-row table to ``path`` (``csv`` or ``jsonl``, from the
    extension unless given); returns the number of rows written. In CSV the
    inputs, expected and predicted values are JSON text, each reward a column."""
    meta = store.find(eval_id)
    if meta is None:
        raise LookupError(f"no evaluation {eval_id!r} in the run store {store.path}")
    path = Path(path)
    fmt = (fmt or path.suffix.lstrip(".")).lower()
    if fmt not in ("csv", "jsonl"):
        raise ValueError(f"cannot export to {fmt!r}: use a .csv or .jsonl file")
    labels = reward_labels(meta)
    written = 0
    tmp = path.with_name(path.name + ".part")
    with tmp.open("w", encoding="utf-8", newline="") as handle:
        if fmt == "jsonl":
            for row in store.rows(meta.id):
                handle.write(json.dumps(row.to_json(), ensure_ascii=False) + "\n")
                written += 1
        else:
            writer = csv.writer(handle)
            writer.writerow(
                ["row", "status", "inputs", "expected", "predicted", *labels, *EXPORT_COLUMNS[2:]]
            )
            for row in store.rows(meta.id):
                data = row.to_json()
                writer.writerow(
                    [
                        row.index,
                        row.status,
                        _cell(row.inputs),
                        _cell(row.expected),
                        _cell(row.predicted),
                        *[row.rewards.get(label, "") for label in labels],
                        *["" if data[c] is None else data[c] for c in EXPORT_COLUMNS[2:]],
                    ]
                )
                written += 1
    tmp.replace(path)
    return written


def _cell(value: Any) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False)


def progress_line(progress: Any) -> str:
    """One line for a terminal: rows, rate, ETA, tokens, cost."""
    total = f"/{progress.total}" if progress.total is not None else ""
    eta = f" ETA {_clock(progress.eta)}" if progress.eta is not None else ""
    cost = f" ${progress.cost:.4f}" if progress.cost else ""
    failed = f" {progress.failed} failed" if progress.failed else ""
    invalid = f" {progress.invalid} invalid" if progress.invalid else ""
    return (
        f"{progress.done}{total} rows{failed}{invalid} · {progress.rate:.1f} rows/s{eta} · "
        f"{progress.tokens:,} tokens{cost}"
    )


def _clock(seconds: float) -> str:
    seconds = int(round(seconds))
    if seconds >= 3600:
        return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"
    return f"{seconds // 60}:{seconds % 60:02d}"
