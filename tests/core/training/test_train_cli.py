"""``synalinks-canvas train`` without a worker: the estimate, and options refused."""

from __future__ import annotations

import json

from core.cli import main
from tests.support.example_datasets import ROOT

GRAPH = ROOT / "saved_graphs" / "chain_of_thought.json"
DATA = ROOT / "saved_graphs" / "datasets" / "chain_of_thought.jsonl"


def test_estimate_prints_and_stops(capsys):
    code = main(["train", str(GRAPH), "--estimate", "--epochs", "3", "--batch-size", "4", "--json"])
    captured = capsys.readouterr()
    estimate = json.loads(captured.out.strip().splitlines()[-1])
    assert code == 0 and estimate["kind"] == "estimate"
    assert estimate["program_runs"] == 3 * (5 * (4 + 2 * 4) + 5)
    assert "19 rows to learn from, 5 to validate on" in captured.err


def test_bad_options_are_one_sentence(capsys, tmp_path):
    assert main(["train", str(GRAPH), "--data", str(DATA), "--adopt", "best"]) == 2
    assert "--adopt and -o go together" in capsys.readouterr().err
    assert main(["train", str(GRAPH), "--optimizer-config", "[1]", "--estimate"]) == 2
    assert "must be a JSON object" in capsys.readouterr().err
    assert main(["train", str(GRAPH), "--data", str(tmp_path / "none.csv"), "--estimate"]) == 2
    assert "none.csv" in capsys.readouterr().err
