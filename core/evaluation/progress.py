"""What an evaluation reports as it goes: rows done, rate, ETA, tokens, cost."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class EvalProgress:
    """A snapshot of a running evaluation (counts include resumed rows).

    ``done`` = scored + failed + invalid; ``rate`` is rows per second finished
    by this session; ``eta`` seconds, None while unknown (no rate yet, or a
    JSON file whose length is not known); tokens and cost are this session's."""

    eval_id: str
    done: int
    scored: int
    failed: int
    invalid: int
    resumed: int
    total: int | None
    in_flight: int
    elapsed: float
    rate: float
    eta: float | None
    tokens_in: int
    tokens_out: int
    cost: float | None
    status: str = "running"

    @property
    def tokens(self) -> int:
        return self.tokens_in + self.tokens_out

    def to_json(self) -> dict[str, Any]:
        return {"kind": "eval_progress", **asdict(self)}
