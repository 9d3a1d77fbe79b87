"""Running an evaluation: every dataset row through the graph, scored, stored.

Rows run ``concurrency`` at a time on a backend (the built-in
:class:`~core.engine.Engine` or the
:class:`~core.runtime.backend.SynalinksBackend`), each as an ordinary run of
the graph; the graph is checked once, and each row only has its input
checked. A finished row is written to the store at once (its own
transaction), so a cancel or a crash loses at most the rows in flight, and
running the same evaluation again (same :attr:`EvalPlan.id`) runs only the
rows that have no result.

A row whose program fails is stored ``failed`` with the provider's message
and is not scored (it counts apart, never as 0); a dataset row that does
not fit is stored ``invalid`` with the reason. The dataset is read lazily
and results stream to the store, so memory does not grow with the rows.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol

from core.datasets import DatasetError, Example, RowProblem
from core.engine.engine import PreparedRun, Runner
from core.engine.errors import InputError, RunRefused
from core.engine.options import RunOptions
from core.engine.record import RunRecord
from core.evaluation.plan import EvalPlan
from core.evaluation.progress import EvalProgress
from core.evaluation.rewards import RewardSpec, combine
from core.program_input import resolve_inputs
from core.store.evaluations import EvalMeta, EvalRow, EvalStore

log = logging.getLogger(__name__)

ProgressCallback = Callable[[EvalProgress], None]


class EvalError(Exception):
    """The evaluation cannot run as asked; ``str()`` is the sentence to show."""


class RewardScorer(Protocol):
    """Computes rewards this process does not (Synalinks' own, in the worker)."""

    async def score(
        self,
        rewards: Sequence[RewardSpec],
        expected: Any,
        predicted: Any,
        schema: dict[str, Any] | None = None,
    ) -> list[float]:
        """One value per reward for this row (``schema``: the scored output's)."""
        ...


@dataclass(frozen=True)
class EvalOutcome:
    """How a session of an evaluation ended: ``status`` is finished, cancelled
    or budget (stopped by the token or cost budget; resume to go on)."""

    eval_id: str
    status: str
    progress: EvalProgress


class Evaluator:
    """Runs evaluation plans on one backend and one store."""

    def __init__(
        self,
        runner: Runner,
        store: EvalStore,
        *,
        run_options: RunOptions | None = None,
        scorer: RewardScorer | None = None,
    ) -> None:
        self.runner = runner
        self.store = store
        self.run_options = run_options
        self.scorer = scorer

    def start(self, plan: EvalPlan, progress: ProgressCallback | None = None) -> EvalHandle:
        """Start on the running loop; returns at once."""
        task = asyncio.get_running_loop().create_task(
            self.run(plan, progress), name=f"evaluation {plan.id}"
        )
        return EvalHandle(plan.id, task)

    async def run(self, plan: EvalPlan, progress: ProgressCallback | None = None) -> EvalOutcome:
        """Run the rows that have no result yet. Cancelling the awaiting task stops
        the rows in flight (their results are not kept) and marks it cancelled."""
        others = [r.name for r in plan.rewards if not r.native]
        if others and self.scorer is None:
            raise EvalError(
                f"{', '.join(others)} is computed by Synalinks itself: a Synalinks environment "
                "is needed (Settings → Synalinks environment, or --python PATH)"
            )
        meta = EvalMeta(
            id=plan.id,
            graph_name=plan.graph.meta.name,
            graph_hash=plan.graph_hash,
            dataset_path=str(plan.dataset.path.resolve()),
            dataset_hash=plan.dataset_hash,
            config=plan.config(),
            graph_path=plan.graph_path,
            total_rows=plan.total_rows,
        )
        self.store.begin(meta, fresh=plan.options.fresh)
        session = _Session(self, plan, progress)
        return await session.run()


class _Session:
    """One pass over the dataset (a first run or a resume)."""

    def __init__(self, evaluator: Evaluator, plan: EvalPlan, callback: ProgressCallback | None):
        self.ev = evaluator
        self.store = evaluator.store
        self.plan = plan
        self.callback = callback
        self.prepared: PreparedRun | None = None
        self.run_options = row_options(
            evaluator.run_options or evaluator.runner.options, plan.options.concurrency
        )
        counts = self.store.counts(plan.id)
        self.scored, self.failed, self.invalid = (
            counts["scored"],
            counts["failed"],
            counts["invalid"],
        )
        self.resumed = sum(counts.values())
        self.finished_here = 0
        self.tokens_in = self.tokens_out = 0
        self.cost: float | None = None
        self.started = time.monotonic()
        self.tasks: set[asyncio.Task] = set()
        self.done = _Bitmap()
        for index in self.store.done_indices(plan.id):
            self.done.add(index)

    # ------------------------------------------------------------- the pass
    async def run(self) -> EvalOutcome:
        plan = self.plan
        status = "finished"
        limit = plan.options.limit
        try:
            self._report()
            try:
                for item in plan.mapper.examples(plan.dataset.rows()):
                    if limit is not None and item.index >= limit:
                        break
                    if item.index in self.done:
                        continue
                    if self._over_budget():
                        status = "budget"
                        break
                    if isinstance(item, RowProblem):
                        self._write(
                            EvalRow(item.index, "invalid", line=item.line, error=item.reason)
                        )
                        continue
                    while len(self.tasks) >= plan.options.concurrency:
                        await self._settle(asyncio.FIRST_COMPLETED)
                    if self._over_budget():
                        status = "budget"
                        break
                    task = asyncio.get_running_loop().create_task(self._row(item))
                    self.tasks.add(task)
                    if len(self.tasks) < plan.options.concurrency:
                        await asyncio.sleep(0)  # let a started row reach its first await
            except DatasetError as exc:
                raise EvalError(str(exc)) from None
            await self._settle(asyncio.ALL_COMPLETED)
        except BaseException as exc:
            for task in self.tasks:
                task.cancel()
            await asyncio.gather(*self.tasks, return_exceptions=True)
            self.tasks.clear()
            stopped = "cancelled" if isinstance(exc, asyncio.CancelledError) else "failed"
            self.store.set_status(plan.id, stopped)
            self._report(stopped)
            if isinstance(exc, RunRefused):
                lines = "; ".join(d.message for d in exc.diagnostics)
                raise EvalError(
                    f"the graph has errors; fix them before evaluating: {lines}"
                ) from None
            raise
        total = None
        if status == "finished":
            total = self.scored + self.failed + self.invalid
        self.store.set_status(plan.id, status, total)
        return EvalOutcome(plan.id, status, self._report(status))

    async def _settle(self, when: str) -> None:
        if not self.tasks:
            return
        finished, self.tasks = await asyncio.wait(self.tasks, return_when=when)
        for task in finished:
            task.result()  # a bug in row handling must surface, not vanish

    def _over_budget(self) -> bool:
        options = self.plan.options
        if (
            options.budget_tokens is not None
            and self.tokens_in + self.tokens_out >= options.budget_tokens
        ):
            return True
        return options.budget_cost is not None and (self.cost or 0.0) >= options.budget_cost

    # -------------------------------------------------------------- one row
    async def _row(self, example: Example) -> None:
        plan = self.plan
        started = time.monotonic()
        try:
            prepared = self._prepared_for(example.inputs)
        except InputError as exc:
            self._write(
                EvalRow(
                    example.index,
                    "invalid",
                    line=example.line,
                    inputs=example.inputs,
                    expected=example.expected,
                    error=f"the input does not fit: {exc}",
                )
            )
            return
        record = await self.ev.runner.run(prepared, options=self.run_options)
        row = EvalRow(
            example.index,
            "scored",
            line=example.line,
            inputs=example.inputs,
            expected=example.expected,
            tokens_in=record.tokens_in,
            tokens_out=record.tokens_out,
            cost=record.cost,
            trace=_trace(record),
        )
        self.tokens_in += record.tokens_in or 0
        self.tokens_out += record.tokens_out or 0
        if record.cost is not None:
            self.cost = (self.cost or 0.0) + record.cost
        if record.status != "succeeded":
            row.status, row.error = "failed", _failure(record)
        else:
            outputs = record.outputs
            index = plan.targets.output_index
            row.predicted = outputs[index] if index < len(outputs) else None
            try:
                row.rewards = await self._score(example.expected, row.predicted)
            except Exception as exc:  # a judge model that failed: the row is not scored
                row.status, row.error = "failed", f"scoring failed: {exc}"
            else:
                row.score = combine(plan.rewards, [row.rewards[r.label] for r in plan.rewards])
        row.duration = time.monotonic() - started
        self._write(row)

    def _prepared_for(self, inputs: Any) -> PreparedRun:
        if self.prepared is None:
            self.prepared = self.ev.runner.prepare(self.plan.graph, inputs)
            return self.prepared
        by_node = resolve_inputs(self.prepared.graph, inputs)
        by_name = {self.prepared.graph.nodes[nid].name: v for nid, v in by_node.items()}
        return replace(self.prepared, inputs_by_node=by_node, inputs_by_name=by_name)

    async def _score(self, expected: Any, predicted: Any) -> dict[str, float]:
        rewards = self.plan.rewards
        values: dict[str, float] = {}
        remote = [r for r in rewards if not r.native]
        if remote:
            scorer = self.ev.scorer
            assert scorer is not None  # checked before the evaluation started
            scores = await scorer.score(
                remote, expected, predicted, schema=self.plan.targets.expected_schema
            )
            values.update({r.label: float(v) for r, v in zip(remote, scores, strict=True)})
        for reward in rewards:
            if reward.native:
                values[reward.label] = reward.score(expected, predicted)
        return {r.label: values[r.label] for r in rewards}

    # ------------------------------------------------------------ reporting
    def _write(self, row: EvalRow) -> None:
        self.store.write_row(self.plan.id, row)
        self.done.add(row.index)
        self.finished_here += 1
        if row.status == "scored":
            self.scored += 1
        elif row.status == "failed":
            self.failed += 1
        else:
            self.invalid += 1
        self._report()

    def _report(self, status: str = "running") -> EvalProgress:
        elapsed = time.monotonic() - self.started
        done = self.scored + self.failed + self.invalid
        rate = self.finished_here / elapsed if elapsed > 0 else 0.0
        total = self.plan.total_rows
        eta = None
        if total is not None and rate > 0:
            eta = max(0.0, (total - done) / rate)
        snapshot = EvalProgress(
            eval_id=self.plan.id,
            done=done,
            scored=self.scored,
            failed=self.failed,
            invalid=self.invalid,
            resumed=self.resumed,
            total=total,
            in_flight=len(self.tasks),
            elapsed=elapsed,
            rate=rate,
            eta=eta,
            tokens_in=self.tokens_in,
            tokens_out=self.tokens_out,
            cost=self.cost,
            status=status,
        )
        if self.callback is not None:
            try:
                self.callback(snapshot)
            except Exception:  # a broken progress display must not stop the evaluation
                log.exception("evaluation progress callback failed")
        return snapshot


CALLS_IN_FLIGHT = 256
"""At most this many model calls in flight across all rows and nodes: each row's
run gets an equal share (a 3-node chain at 64 rows keeps all of its calls)."""


def row_options(options: RunOptions, concurrency: int) -> RunOptions:
    """The options of one row's run: its share of :data:`CALLS_IN_FLIGHT`."""
    share = max(1, CALLS_IN_FLIGHT // concurrency)
    if options.max_concurrency <= share:
        return options
    return replace(options, max_concurrency=share)


class EvalHandle:
    """An evaluation started with :meth:`Evaluator.start`."""

    def __init__(self, eval_id: str, task: asyncio.Task[EvalOutcome]) -> None:
        self.eval_id = eval_id
        self.task = task

    def cancel(self) -> None:
        """Stop: rows in flight are cancelled (and run again on resume)."""
        self.task.cancel()

    def done(self) -> bool:
        return self.task.done()

    async def wait(self) -> EvalOutcome | None:
        """The outcome, or None when it was cancelled."""
        try:
            return await asyncio.shield(self.task)
        except asyncio.CancelledError:
            if not self.task.cancelled():
                raise
            return None


class _Bitmap:
    """A set of row indices in one bit each: resuming a million-row evaluation
    costs 125 kB, not a Python set."""

    def __init__(self) -> None:
        self.bits = bytearray()

    def add(self, index: int) -> None:
        byte = index >> 3
        if byte >= len(self.bits):
            self.bits.extend(bytes(byte - len(self.bits) + 1 + len(self.bits) // 2))
        self.bits[byte] |= 1 << (index & 7)

    def __contains__(self, index: int) -> bool:
        byte = index >> 3
        return byte < len(self.bits) and bool(self.bits[byte] & (1 << (index & 7)))


def _failure(record: RunRecord) -> str:
    """The first failed node's message (the provider's words), else the run's status."""
    for node in record.nodes.values():
        if node.state == "failed" and node.error:
            return f"{node.node_name}: {node.error}"
    return f"the run ended {record.status}"


def _trace(record: RunRecord) -> dict[str, Any]:
    """Each node's state, result, time and usage: the row's trace for the canvas."""
    return {
        node.node_name: {
            "state": str(node.state),
            "result": node.result,
            "duration": node.duration,
            "tokens_in": node.tokens_in,
            "tokens_out": node.tokens_out,
            "cost": node.cost,
            "error": node.error,
            "cached": node.cached,
        }
        for node in record.nodes.values()
    }
