"""Faults while training on the real synalinks: the worker killed mid-training,
a cancel, a reward Synalinks refuses, rows that do not fit. Each ends with one
sentence, the checkpoints made so far stay in the store, the graph is untouched."""

from __future__ import annotations

import asyncio
import os
import signal

import pytest

from core.engine.options import RunOptions
from core.evaluation.plan import graph_digest
from core.evaluation.rewards import RewardSpec
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
SMALL = TrainOptions(epochs=3, batch_size=4, limit=10, validation_split=0.2)


def train(tmp_path, options, on_progress=None, cancel_after_epoch=False):
    registry = default_registry()
    graph = load_graph(GRAPH, registry)
    digest = graph_digest(graph)
    plan = make_train_plan(graph, registry, DATA, options, model="offline")
    store = TrainingStore(tmp_path / "runs.sqlite")

    async def go():
        pool, offline = WorkerPool(str(require_synalinks_python())), OfflineAccess()
        trainer = Trainer(registry, store, pool, offline, RunOptions(model_override="offline"))
        try:
            task = asyncio.ensure_future(trainer.run(plan, lambda s: on_progress(s, pool, task)))
            return await task
        finally:
            await pool.close()
            await offline.close()

    try:
        outcome = asyncio.run(go())
    except asyncio.CancelledError:
        outcome = None
    meta = store.training(plan.id)
    checkpoints = store.checkpoints(plan.id)
    store.close()
    assert graph_digest(graph) == digest  # only adopting changes the graph
    return outcome, meta, checkpoints


def test_a_worker_killed_mid_training_keeps_the_checkpoints(tmp_path):
    def kill_after_first_epoch(state, pool, task):
        if state.kind == "epoch" and state.epoch == 0:
            os.kill(pool.worker.pid, signal.SIGKILL)

    outcome, meta, checkpoints = train(tmp_path, SMALL, kill_after_first_epoch)
    assert outcome.status == "failed" and meta.status == "failed"
    assert "worker" in meta.message and "was killed (SIGKILL)" in meta.message
    assert "The 1 checkpoint made so far is kept." in meta.message
    assert [c.epoch for c in checkpoints] == [0]
    assert checkpoints[0].state["trainable_variables"]


def test_cancelling_keeps_the_checkpoints(tmp_path):
    def cancel_after_first_epoch(state, pool, task):
        if state.kind == "epoch" and state.epoch == 0:
            task.cancel()

    outcome, meta, checkpoints = train(tmp_path, SMALL, cancel_after_first_epoch)
    assert outcome is None  # the cancellation reaches the caller
    assert meta.status == "cancelled"
    assert meta.message == "cancelled. The 1 checkpoint made so far is kept."
    assert [c.epoch for c in checkpoints] == [0]


def test_a_reward_synalinks_refuses_fails_with_its_message(tmp_path):
    options = TrainOptions(
        rewards=(RewardSpec("exact_match", 1.0, {"no_such_setting": 1}),),
        epochs=1,
        batch_size=4,
        limit=10,
    )
    outcome, meta, checkpoints = train(tmp_path, options, lambda *a: None)
    assert outcome.status == "failed"
    assert meta.message.startswith("Synalinks stopped the training: TypeError")
    assert "no_such_setting" in meta.message
    assert meta.message.endswith("No epoch had ended, so there is no checkpoint.")
    assert checkpoints == []


def test_rows_that_do_not_fit_are_skipped_and_counted(tmp_path):
    data = tmp_path / "rows.jsonl"
    good = DATA.read_text().splitlines()[:10]
    data.write_text("\n".join([*good[:5], '{"question": "no problem field"}', *good[5:]]) + "\n")
    plan = make_train_plan(load_graph(GRAPH, default_registry()), default_registry(), data)
    assert len(plan.skipped) == 1 and plan.skipped[0].index == 5
    assert len(plan.train) + len(plan.validation) == 10
    assert plan.config()["skipped_rows"] == 1


def test_a_provider_that_answers_nothing_stops_the_training_with_its_reason(tmp_path):
    registry = default_registry()
    graph = load_graph(GRAPH, registry)
    options = TrainOptions(epochs=1, batch_size=2, limit=4, validation_split=0.5)
    plan = make_train_plan(graph, registry, DATA, options, model="openai/canvas-test")
    store = TrainingStore(tmp_path / "runs.sqlite")
    # Nothing listens on port 9 of loopback: every call is refused at once.
    run_options = RunOptions(model_override="openai/canvas-test", api_base="http://127.0.0.1:9/v1")

    async def go():
        pool = WorkerPool(str(require_synalinks_python()))
        pool.configure(pool.python, {"OPENAI_API_KEY": "loopback-test-key"})
        try:
            return await Trainer(registry, store, pool, OfflineAccess(), run_options).run(plan)
        finally:
            await pool.close()

    outcome = asyncio.run(go())
    meta = store.training(plan.id)
    store.close()
    assert outcome.status == "failed"
    assert "the language model answered none of the 2 rows of a batch" in meta.message
    assert "No epoch had ended" in meta.message
    assert "Connection error" in meta.message  # the provider's own words
