"""Synalinks' own rewards through the runtime worker, and whole evaluations on
the Synalinks backend, checked against ``program.evaluate()`` under synalinks."""

from __future__ import annotations

import json

import pytest

from core.cli import main
from core.export.python_script import export_python
from core.files import load_graph
from core.registry import default_registry
from core.store.evaluations import EvalStore
from tests.core.evaluation.test_acceptance_synalinks import endpoint, synalinks_evaluate
from tests.support.example_datasets import FOLDER, ROOT

pytestmark = pytest.mark.synalinks
endpoint = endpoint  # the loopback offline model, one per module

GRAPH = ROOT / "saved_graphs" / "parallel_branches.json"
DATA = FOLDER / "parallel_branches.csv"


def _eval(capsys, *extra):
    code = main(["eval", str(GRAPH), "--data", str(DATA), "--json", "--limit", "6", *extra])
    lines = [json.loads(line) for line in capsys.readouterr().out.strip().splitlines()]
    return code, lines[-1]


def _rows(tmp_path, eval_id):
    store = EvalStore(tmp_path / "runs.sqlite")
    try:
        return list(store.rows(eval_id))
    finally:
        store.close()


def _synalinks(endpoint, rows, rewards):
    registry = default_registry()
    graph = load_graph(GRAPH, registry)
    return synalinks_evaluate(
        {
            "source": export_python(graph, registry),
            "api_base": endpoint.api_base(0.0),
            "nodes": [n.name for n in graph.nodes.values()],
            "output_index": 0,
            "rewards": rewards,
            "inputs": [r.inputs for r in rows],
            "expected": [r.expected for r in rows],
        }
    )


@pytest.fixture(autouse=True)
def _data_dir(monkeypatch, tmp_path):
    monkeypatch.setenv("SYNALINKS_CANVAS_DATA_DIR", str(tmp_path))


def test_lm_as_judge_and_cosine_similarity_with_weights_equal_synalinks(endpoint, tmp_path, capsys):
    code, summary = _eval(
        capsys,
        "--reward",
        "exact_match:2",
        "--reward",
        "lm_as_judge",
        "--reward",
        "cosine_similarity",
        "--judge-model",
        "offline",
        "--embedding-model",
        "offline",
        "--no-cache",
    )
    assert code == 0, summary
    assert summary["counts"] == {"scored": 6, "failed": 0, "invalid": 0}
    assert set(summary["rewards"]) == {"exact_match", "lm_as_judge", "cosine_similarity"}
    rows = _rows(tmp_path, summary["id"])
    for row in rows:
        assert 0.0 <= row.rewards["lm_as_judge"] <= 1.0
        assert -1.0 <= row.rewards["cosine_similarity"] <= 1.0
    specs = {r["name"]: r for r in summary["config"]["rewards"]}
    # Synalinks' ComposableReward with the two scalar rewards gives our weighted score...
    theirs = _synalinks(endpoint, rows, [specs["exact_match"], specs["lm_as_judge"]])
    ours = [(2 * r.rewards["exact_match"] + r.rewards["lm_as_judge"]) / 3 for r in rows]
    assert theirs["per_sample"] == pytest.approx(ours)
    # ...and cosine similarity alone (synalinks 0.10's ComposableReward cannot hold it:
    # it calls the reward unreduced and gets an array) gives our per-row values.
    theirs = _synalinks(endpoint, rows, [specs["cosine_similarity"]])
    assert theirs["per_sample"] == pytest.approx([r.rewards["cosine_similarity"] for r in rows])


def test_a_judge_that_fails_fails_its_rows_instead_of_scoring_zero(tmp_path, capsys):
    code, summary = _eval(
        capsys,
        "--reward",
        "lm_as_judge",
        "--judge-model",
        "openai/nowhere",
        "--api-base",
        "http://127.0.0.1:9/v1",
        "--model",
        "offline",
        "--no-cache",
    )
    assert code == 1
    assert summary["counts"]["failed"] == 6 and summary["counts"]["scored"] == 0
    assert summary["rewards"]["lm_as_judge"]["n"] == 0
    assert "scoring failed" in summary["failures"][0]["reason"]


def test_a_whole_evaluation_on_the_synalinks_backend(tmp_path, capsys):
    code, builtin = _eval(capsys, "--model", "offline", "--no-cache")
    assert code == 0
    code, synalinks = _eval(capsys, "--model", "offline", "--backend", "synalinks")
    assert code == 0, synalinks
    assert synalinks["id"] != builtin["id"]
    assert synalinks["config"]["backend"] == "synalinks"
    ours, theirs = _rows(tmp_path, builtin["id"]), _rows(tmp_path, synalinks["id"])
    assert [r.predicted for r in theirs] == [r.predicted for r in ours]
    assert [r.score for r in theirs] == [r.score for r in ours]
    assert synalinks["rewards"]["exact_match"]["mean"] == builtin["rewards"]["exact_match"]["mean"]
