"""Driving a training in the runtime worker, keeping its logs and checkpoints.

The graph is exported (what trains is what is exported), the worker compiles
and fits it with Synalinks' optimizer and rewards, and every message it sends
is stored at once: each batch's and epoch's logs, and each epoch's trainable
state as a checkpoint. However the training ends (finished, stopped early
by Synalinks' callbacks, cancelled, the worker dying, the provider or a
reward failing) the checkpoints so far stay in the run store, the training's
status says how it ended in one sentence, and the graph is untouched: only
adopting a checkpoint (:class:`~core.commands.training_commands.AdoptCheckpoint`)
changes it.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from core.engine.options import RunOptions
from core.export.errors import ExportError
from core.registry.registry import Registry
from core.runtime import protocol as p
from core.runtime.backend import OfflineAccess, SynalinksBackend, graph_folder, project_paths
from core.runtime.client import WorkerError, WorkerPool, new_request_id
from core.store.trainings import Checkpoint, TrainingMeta, TrainingStore, TrainLog
from core.training.plan import TrainError, TrainPlan

OPTIMIZER_CLASSES = {
    "random_few_shot": "RandomFewShot",
    "greedy": "GreedyOptimizer",
    "evolutionary": "EvolutionaryOptimizer",
    "omega": "OMEGA",
}


@dataclass
class TrainProgress:
    """Where a training is, after each batch or epoch the worker reported."""

    training_id: str
    kind: str  # "batch", "epoch" or "end"
    epoch: int
    batch: int | None
    epochs: int
    batches_per_epoch: int
    logs: dict[str, float] = field(default_factory=dict)
    tokens: int = 0
    cost: float = 0.0
    elapsed: float = 0.0
    checkpoints: int = 0

    @property
    def done_batches(self) -> int:
        return self.epoch * self.batches_per_epoch + (
            (self.batch or 0) + 1 if self.kind == "batch" else self.batches_per_epoch
        )

    @property
    def eta(self) -> float | None:
        total = self.epochs * self.batches_per_epoch
        done = self.done_batches
        if not done or self.elapsed <= 0:
            return None
        return max(0.0, self.elapsed / done * (total - done))


@dataclass(frozen=True)
class TrainOutcome:
    training_id: str
    status: str  # finished, stopped, cancelled, failed
    message: str | None
    checkpoints: int
    final_logs: dict[str, float]


Progress = Callable[[TrainProgress], None]


class Trainer:
    """Runs :class:`~core.training.plan.TrainPlan` s on a worker pool."""

    def __init__(
        self,
        registry: Registry,
        store: TrainingStore,
        pool: WorkerPool,
        offline: OfflineAccess | None = None,
        run_options: RunOptions | None = None,
        *,
        judge_model: str | None = None,
        embedding_model: str | None = None,
    ) -> None:
        self.registry = registry
        self.store = store
        self.pool = pool
        self.offline = offline or OfflineAccess()
        self.run_options = run_options or RunOptions()
        self.judge_model = judge_model
        self.embedding_model = embedding_model

    async def _request(self, plan: TrainPlan, request_id: str) -> p.TrainRequest:
        backend = SynalinksBackend(
            self.registry, self.run_options, pool=self.pool, offline=self.offline
        )
        graph = plan.graph
        source = backend.source(graph)
        models = await backend.models(graph, self.run_options)
        options = self.run_options
        extra = [m for m in (self.judge_model, self.embedding_model) if m]
        if any(m == "offline" or m.startswith("offline/") for m in extra):
            models.setdefault(
                "offline", {"api_base": await self.offline.api_base(options.offline_delay)}
            )
        if self.judge_model:
            models["judge"] = {"model": self.judge_model, "api_base": options.api_base}
        if self.embedding_model:
            models["embedding"] = {"model": self.embedding_model, "api_base": options.api_base}
        o = plan.options
        budget = {}
        if o.budget_tokens:
            budget["max_tokens"] = o.budget_tokens
        if o.budget_cost:
            budget["max_cost"] = o.budget_cost
        return p.TrainRequest(
            id=request_id,
            source=source,
            models=models,
            nodes=_module_names(plan, self.registry),
            paths=project_paths(graph, options.project_dir),
            folder=graph_folder(graph, options.project_dir),
            train={
                "inputs": [e.inputs for e in plan.train],
                "expected": [e.expected for e in plan.train],
            },
            validation={
                "inputs": [e.inputs for e in plan.validation],
                "expected": [e.expected for e in plan.validation],
            },
            output_index=plan.output_index,
            rewards=[r.to_json() for r in plan.rewards],
            optimizer={"name": OPTIMIZER_CLASSES[o.optimizer], "config": o.optimizer_config},
            epochs=o.epochs,
            batch_size=o.batch_size,
            minibatch_size=o.minibatch_size,
            early_stopping=o.early_stopping,
            budget=budget or None,
        )

    async def run(self, plan: TrainPlan, progress: Progress | None = None) -> TrainOutcome:
        """Train; returns how it ended. A cancellation (``task.cancel()``) is
        recorded as ``cancelled`` with the checkpoints kept, then re-raised."""
        self.store.begin(
            TrainingMeta(
                id=plan.id,
                graph_name=plan.graph.meta.name,
                graph_hash=plan.graph_hash,
                dataset_path=str(plan.dataset_path),
                config=plan.config(),
                graph_path=plan.graph_path,
                estimate=plan.estimate.to_json(),
            )
        )
        state = TrainProgress(
            plan.id, "batch", 0, None, plan.options.epochs, plan.estimate.batches_per_epoch
        )
        request_id = new_request_id()
        worker = None
        start = time.perf_counter()
        try:
            request = await self._request(plan, request_id)
            worker = await self.pool.get()
            async for message in worker.request(request):
                if isinstance(message, p.TrainBatch):
                    self.store.log(
                        plan.id,
                        TrainLog(
                            "batch",
                            message.epoch,
                            message.batch,
                            message.logs,
                            message.tokens,
                            message.cost,
                            message.t,
                        ),
                    )
                    self._update(state, "batch", message, start, progress)
                elif isinstance(message, p.TrainEpoch):
                    self.store.log(
                        plan.id,
                        TrainLog(
                            "epoch",
                            message.epoch,
                            None,
                            message.logs,
                            message.tokens,
                            message.cost,
                            message.t,
                        ),
                    )
                    self.store.add_checkpoint(
                        Checkpoint(
                            plan.id,
                            message.epoch,
                            message.logs,
                            message.state,
                            message.tokens,
                            message.cost,
                        )
                    )
                    state.checkpoints += 1
                    self._update(state, "epoch", message, start, progress)
                elif isinstance(message, p.TrainResult):
                    status = "stopped" if message.stopped else "finished"
                    return self._end(plan, state, status, message.stopped, progress)
                elif isinstance(message, p.WorkerErrorMessage):
                    why = worker.redact(message.message)
                    return self._end(
                        plan,
                        state,
                        "failed",
                        f"Synalinks stopped the training: {why}. {_kept(state)}",
                        progress,
                    )
                elif isinstance(message, p.Cancelled):
                    return self._end(
                        plan, state, "cancelled", f"cancelled. {_kept(state)}", progress
                    )
        except asyncio.CancelledError:
            if worker is not None:
                await asyncio.shield(worker.cancel(request_id))
            self._end(plan, state, "cancelled", f"cancelled. {_kept(state)}", progress)
            raise
        except WorkerError as exc:
            return self._end(plan, state, "failed", f"{exc}. {_kept(state)}", progress)
        except TrainError as exc:
            return self._end(plan, state, "failed", str(exc), progress)
        except ExportError as exc:
            return self._end(
                plan, state, "failed", f"the graph cannot be exported: {exc}", progress
            )
        return self._end(
            plan,
            state,
            "failed",
            f"the Synalinks worker ended the training without a result. {_kept(state)}",
            progress,
        )

    def _update(
        self, state: TrainProgress, kind: str, message: Any, start: float, progress: Progress | None
    ) -> None:
        state.kind = kind
        state.epoch = message.epoch
        state.batch = getattr(message, "batch", None)
        state.logs = dict(message.logs)
        state.tokens = message.tokens
        state.cost = message.cost
        state.elapsed = time.perf_counter() - start
        if progress is not None:
            progress(state)

    def _end(
        self,
        plan: TrainPlan,
        state: TrainProgress,
        status: str,
        message: str | None,
        progress: Progress | None,
    ) -> TrainOutcome:
        self.store.finish(plan.id, status, message)
        state.kind = "end"
        if progress is not None:
            progress(state)
        return TrainOutcome(plan.id, status, message, state.checkpoints, dict(state.logs))


def _kept(state: TrainProgress) -> str:
    n = state.checkpoints
    if not n:
        return "No epoch had ended, so there is no checkpoint."
    return (
        f"The {n} checkpoint{'s' if n != 1 else ''} made so far {'are' if n != 1 else 'is'} kept."
    )


def _module_names(plan: TrainPlan, registry: Registry) -> list[str]:
    """The modules the worker routes to the offline model (a subgraph's inner ones too)."""
    from core.engine.engine import prepare_run
    from core.runtime.translate import RunTranslator

    try:
        prepared = prepare_run(plan.graph, registry, plan.train[0].inputs)
    except Exception as exc:  # RunRefused: the graph has errors
        raise TrainError(f"the graph cannot run: {exc}") from None
    return list(RunTranslator(prepared, "train", lambda e: None).modules)


__all__ = ["TrainError", "TrainOutcome", "TrainProgress", "Trainer"]
