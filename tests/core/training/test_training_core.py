"""Training's parts that need no worker: the plan and its estimate, the
checkpoint store, mapping a state tree to nodes, the diff, adopting."""

from __future__ import annotations

import json
import sqlite3

import pytest

from core.commands.training_commands import AdoptCheckpoint
from core.evaluation.rewards import RewardSpec
from core.files import load_graph
from core.registry import default_registry
from core.runtime import protocol as p
from core.store.trainings import Checkpoint, TrainingMeta, TrainingStore, TrainLog
from core.training import (
    TrainError,
    TrainOptions,
    diff_states,
    graph_state,
    make_train_plan,
    node_variables,
)
from tests.support.example_datasets import ROOT

GRAPH = ROOT / "saved_graphs" / "chain_of_thought.json"
DATA = ROOT / "saved_graphs" / "datasets" / "chain_of_thought.jsonl"


def state(instructions: str, examples: list) -> dict:
    return {
        "trainable_variables": {
            "generator_solve": {
                "state_generator_solve": {
                    "instructions": instructions,
                    "examples": [{"inputs": i, "outputs": o, "reward": 1.0} for i, o in examples],
                    "candidates": [],
                }
            }
        }
    }


@pytest.fixture
def graph():
    return load_graph(GRAPH, default_registry())


def test_plan_holds_out_the_last_rows_and_estimates_the_calls(graph):
    registry = default_registry()
    options = TrainOptions(epochs=2, batch_size=4, validation_split=0.2)
    plan = make_train_plan(graph, registry, DATA, options, model="offline")
    assert (len(plan.train), len(plan.validation)) == (19, 5)
    assert [e.index for e in plan.validation] == [19, 20, 21, 22, 23]
    assert plan.rewards == (RewardSpec("exact_match", 1.0, {"in_mask": ["answer"]}),)
    e = plan.estimate
    # 5 batches of 4; each: 4 rows + 2 x minibatch of 4; then 5 validation rows; x2 epochs.
    assert e.batches_per_epoch == 5
    assert e.program_runs == (5 * (4 + 2 * 4) + 5) * 2
    assert e.model_calls == e.program_runs  # one language-model module
    assert e.cost == 0.0 and e.tokens > 0
    proposing = make_train_plan(
        graph, registry, DATA, TrainOptions(epochs=2, batch_size=4, optimizer="omega")
    )
    assert proposing.estimate.model_calls == e.model_calls + 5 * 2


def test_plan_refuses_what_cannot_train(graph, tmp_path):
    registry = default_registry()
    with pytest.raises(TrainError, match="not an optimizer"):
        make_train_plan(graph, registry, DATA, TrainOptions(optimizer="adam"))
    one = tmp_path / "one.jsonl"
    one.write_text('{"problem": "a", "answer": "b"}\n{"nope": 1}\n')
    with pytest.raises(TrainError, match="1 skipped"):
        make_train_plan(graph, registry, one, TrainOptions())


def test_checkpoints_are_kept_and_best_is_the_earliest_highest(tmp_path):
    store = TrainingStore(tmp_path / "runs.sqlite")
    store.begin(TrainingMeta("t1", "g", "h", "d.csv", {"epochs": 3}))
    store.log("t1", TrainLog("batch", 0, 0, {"reward": 0.5}, 10, 0.0, 1.0))
    for epoch, val in enumerate([0.4, 0.8, 0.8]):
        store.add_checkpoint(
            Checkpoint("t1", epoch, {"reward": 0.5, "val_reward": val}, state(f"v{epoch}", []))
        )
    store.finish("t1", "cancelled", "cancelled. The 3 checkpoints made so far are kept.")
    store.close()
    again = TrainingStore(tmp_path / "runs.sqlite")
    assert again.find("t").status == "cancelled"
    assert again.checkpoint("t1", "best").epoch == 1
    assert again.checkpoint("t1", "last").epoch == 2
    assert again.checkpoint("t1", 0).state == state("v0", [])
    assert [entry.logs for entry in again.logs("t1", "batch")] == [{"reward": 0.5}]
    again.close()


def test_an_older_store_gains_the_training_tables(tmp_path):
    path = tmp_path / "runs.sqlite"
    TrainingStore(path).close()
    conn = sqlite3.connect(path)
    conn.execute("DROP TABLE checkpoints")
    conn.execute("DROP TABLE train_logs")
    conn.execute("DROP TABLE trainings")
    conn.execute("DROP INDEX IF EXISTS eval_rows_by_score")  # a later step's
    conn.execute("UPDATE schema_version SET version = 3")
    conn.commit()
    conn.close()
    store = TrainingStore(path)
    assert store.trainings() == []
    store.close()


def test_adopting_writes_each_slice_and_undo_gives_back_the_graph(graph):
    solve = next(n for n in graph.nodes.values() if n.name == "solve")
    before = json.loads(json.dumps(solve.variables))
    tree = state("Learnt.", [({"problem": "q"}, {"answer": "a"})])
    assert node_variables(graph, tree) == {solve.id: tree["trainable_variables"]}
    command = AdoptCheckpoint(tree, "epoch 2")
    command.redo(graph)
    assert graph.node(solve.id).variables["trainable_variables"] == tree["trainable_variables"]
    assert graph_state(graph) == tree
    command.undo(graph)
    assert graph.node(solve.id).variables == before


def test_the_diff_shows_instructions_as_text_and_examples_added_and_removed():
    a = state("Solve it.\nBe brief.", [({"problem": "q1"}, {"answer": "a1"})])
    b = state("Solve it.\nBe precise.", [({"problem": "q2"}, {"answer": "a2"})])
    (diff,) = diff_states(a, b)
    assert diff.module == "generator_solve"
    assert "-Be brief." in diff.instructions_diff and "+Be precise." in diff.instructions_diff
    assert diff.examples_added == [({"problem": "q2"}, {"answer": "a2"})]
    assert diff.examples_removed == [({"problem": "q1"}, {"answer": "a1"})]
    (same,) = diff_states(a, a)
    assert not same.changed and "(unchanged)" in same.describe()


def test_the_training_messages_are_checked():
    epoch = p.parse_worker_line(
        json.dumps(
            {"type": "train_epoch", "id": "r", "epoch": 0, "logs": {"val_reward": 0.5}, "state": {}}
        )
    )
    assert isinstance(epoch, p.TrainEpoch) and epoch.logs == {"val_reward": 0.5}
    end = p.parse_worker_line('{"type": "train_result", "id": "r", "epochs": 2}')
    assert isinstance(end, p.TERMINAL)
    with pytest.raises(p.ProtocolError, match="malformed 'train_batch'"):
        p.parse_worker_line('{"type": "train_batch", "id": "r"}')
