"""Acceptance: RandomFewShot training of the chain-of-thought example on its
dataset, with the deterministic offline model on loopback. The validation
score training reports equals ``program.evaluate()`` of the Synalinks program
file written from the adopted checkpoint, under the real synalinks; that file
and the exported script carry exactly the checkpoint's variables."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess

import pytest

from core.cli import main
from core.export.python_script import export_python
from core.files import load_graph
from core.registry import default_registry
from core.runtime.client import WorkerPool
from core.runtime.offline_endpoint import OfflineEndpoint
from core.runtime.saved_programs import save_synalinks_program
from core.store.trainings import TrainingStore
from core.training.trainer import _module_names
from tests.support.example_datasets import ROOT
from tests.support.synalinks_runner import require_synalinks_python

pytestmark = pytest.mark.synalinks

GRAPH = ROOT / "saved_graphs" / "chain_of_thought.json"
DATA = ROOT / "saved_graphs" / "datasets" / "chain_of_thought.jsonl"
SCRIPT = ROOT / "tests" / "core" / "training" / "synalinks_trained_script.py"


def run_script(request: dict) -> dict:
    env = {**os.environ, "LITELLM_LOCAL_MODEL_COST_MAP": "True", "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("PYTHONPATH", None)
    done = subprocess.run(
        [str(require_synalinks_python()), "-I", str(SCRIPT)],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_random_few_shot_training_scores_what_synalinks_scores(tmp_path, capsys):
    out = tmp_path / "trained.json"
    code = main(
        [
            "train",
            str(GRAPH),
            "--data",
            str(DATA),
            "--reward",
            "exact_match",
            "--optimizer",
            "random_few_shot",
            "--epochs",
            "2",
            "--batch-size",
            "4",
            "--model",
            "offline",
            "--json",
            "--adopt",
            "best",
            "-o",
            str(out),
            "--cache-dir",
            str(tmp_path),
            "--python",
            str(require_synalinks_python()),
        ]
    )
    lines = [json.loads(line) for line in capsys.readouterr().out.strip().splitlines()]
    summary = lines[-1]
    assert code == 0, summary
    assert summary["status"] == "finished"
    batches = [e for e in lines if e["kind"] == "batch"]
    epochs = [e for e in lines if e["kind"] == "epoch"]
    assert len(batches) == 2 * 5 and len(epochs) == 2
    assert all("reward" in b["logs"] for b in batches)
    final = summary["final"]["val_reward"]
    assert 0.0 < final < 1.0  # some validation rows right, some wrong
    assert [c["epoch"] for c in summary["checkpoints"]] == [0, 1]

    store = TrainingStore(tmp_path / "runs.sqlite")
    best = store.checkpoint(summary["id"], "best")
    store.close()
    assert summary["adopted"]["epoch"] == best.epoch
    learnt = best.state["trainable_variables"]
    examples = next(iter(next(iter(learnt.values())).values()))["examples"]
    assert examples, "RandomFewShot picked no examples"

    registry = default_registry()
    adopted = load_graph(out, registry)
    original = load_graph(GRAPH, registry)
    program_file = tmp_path / "trained_program.json"

    async def save():
        pool = WorkerPool(str(require_synalinks_python()))
        try:
            await save_synalinks_program(adopted, registry, program_file, pool)
        finally:
            await pool.close()

    asyncio.run(save())
    rows = [json.loads(line) for line in DATA.read_text().splitlines() if line.strip()]
    validation = [rows[i] for i in summary["validation_rows"]]
    server = OfflineEndpoint().start_in_thread()
    try:
        from core.training.plan import make_train_plan

        plan = make_train_plan(original, registry, DATA)
        theirs = run_script(
            {
                "program_file": str(program_file),
                "source": export_python(adopted, registry),
                "api_base": server.api_base(0.0),
                "nodes": _module_names(plan, registry),
                "rewards": [{"name": "exact_match", "config": {"in_mask": ["answer"]}}],
                "inputs": [{"problem": r["problem"]} for r in validation],
                "expected": [{"answer": r["answer"]} for r in validation],
            }
        )
    finally:
        server.stop_thread()
    assert theirs["reward"] == pytest.approx(final)
    assert theirs["reward"] == pytest.approx(best.logs["val_reward"])
    assert theirs["loaded"] == json.loads(json.dumps(learnt))
    assert theirs["exported"] == json.loads(json.dumps(learnt))
