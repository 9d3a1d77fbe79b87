"""Synalinks' own rewards, computed by the real library in the runtime worker.

The built-in rewards (:data:`~core.evaluation.rewards.NATIVE`) are computed
in this process; every other one (``lm_as_judge``, ``cosine_similarity``,
the rubrics...) is sent to the worker as a ``score`` request with the pair,
the scored output's schema and the models it may need: a judge language
model and an embedding model, the offline model answering through the
loopback endpoint. A reward that fails for a row (the judge's model failed,
a missing embedding model) fails that row with Synalinks' message; it is
never a silent 0.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

from core.engine.options import is_offline
from core.evaluation.rewards import RewardSpec
from core.runtime import protocol as p
from core.runtime.client import WorkerError, WorkerPool, new_request_id


class RewardFailed(Exception):
    """A Synalinks reward could not score a row; ``str()`` says why."""


class RuntimeScorer:
    """A :class:`~core.evaluation.runner.RewardScorer` backed by a worker pool."""

    def __init__(
        self,
        pool: WorkerPool,
        offline: Any,
        *,
        judge_model: str | None = None,
        embedding_model: str | None = None,
        api_base: str | None = None,
        offline_delay: float = 0.0,
    ) -> None:
        self.pool = pool
        self.offline = offline
        self.judge_model = judge_model
        self.embedding_model = embedding_model
        self.api_base = api_base
        self.offline_delay = offline_delay

    async def _models(self) -> dict[str, Any]:
        models: dict[str, Any] = {}
        if self.judge_model:
            models["judge"] = {"model": self.judge_model, "api_base": self.api_base}
        if self.embedding_model:
            models["embedding"] = {"model": self.embedding_model, "api_base": self.api_base}
        if any(is_offline(m) for m in (self.judge_model or "", self.embedding_model or "")):
            models["offline"] = {"api_base": await self.offline.api_base(self.offline_delay)}
        return models

    async def score(
        self,
        rewards: Sequence[RewardSpec],
        expected: Any,
        predicted: Any,
        schema: dict[str, Any] | None = None,
    ) -> list[float]:
        request = p.ScoreRequest(
            id=new_request_id(),
            rewards=[r.to_json() for r in rewards],
            pairs=[{"expected": expected, "predicted": predicted}],
            schema=schema,
            models=await self._models(),
        )
        worker = None
        try:
            worker = await self.pool.get()
            async for message in worker.request(request):
                if isinstance(message, p.Scores):
                    result = message.results[0] if message.results else {}
                    if "error" in result:
                        raise RewardFailed(worker.redact(str(result["error"])))
                    return [float(v) for v in result["values"]]
                if isinstance(message, p.WorkerErrorMessage):
                    raise RewardFailed(worker.redact(message.message))
                if isinstance(message, p.Cancelled):
                    raise asyncio.CancelledError
        except asyncio.CancelledError:
            if worker is not None:
                await asyncio.shield(worker.cancel(request.id))
            raise
        except WorkerError as exc:
            raise RewardFailed(str(exc)) from None
        raise RewardFailed("the Synalinks worker ended the scoring without a result")
