"""Synalinks' own stopping callbacks end a training early, and say why."""

from __future__ import annotations

import asyncio

import pytest

from core.engine.options import RunOptions
from core.files import load_graph
from core.registry import default_registry
from core.runtime.backend import OfflineAccess
from core.runtime.client import WorkerPool
from core.store.trainings import TrainingStore
from core.training import Trainer, TrainOptions, make_train_plan
from tests.support.example_datasets import ROOT
from tests.support.synalinks_runner import require_synalinks_python

pytestmark = pytest.mark.synalinks

GRAPH = ROOT / "saved_graphs" / "chain_of_thought.json"
DATA = ROOT / "saved_graphs" / "datasets" / "chain_of_thought.jsonl"


def test_a_token_budget_stops_after_the_batch_that_spent_it(tmp_path):
    registry = default_registry()
    graph = load_graph(GRAPH, registry)
    options = TrainOptions(epochs=3, batch_size=2, limit=10, budget_tokens=1)
    plan = make_train_plan(graph, registry, DATA, options, model="offline")
    store = TrainingStore(tmp_path / "runs.sqlite")
    batches = []

    async def go():
        pool, offline = WorkerPool(str(require_synalinks_python())), OfflineAccess()
        trainer = Trainer(registry, store, pool, offline, RunOptions(model_override="offline"))
        try:
            return await trainer.run(
                plan, lambda s: batches.append(s.batch) if s.kind == "batch" else None
            )
        finally:
            await pool.close()
            await offline.close()

    outcome = asyncio.run(go())
    meta = store.training(plan.id)
    checkpoints = store.checkpoints(plan.id)
    store.close()
    assert outcome.status == "stopped" and meta.status == "stopped"
    assert meta.message.startswith("token budget reached (")
    assert batches == [0]  # 4 batches an epoch, 3 epochs: it stopped after the first
    # Synalinks still ends the epoch it stopped in: its state is kept as a checkpoint.
    assert [c.epoch for c in checkpoints] == [0]
