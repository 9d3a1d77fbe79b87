"""Acceptance: for every saved example with a dataset, the scores ``eval`` reports
equal ``program.evaluate()`` of the exported program under the real synalinks
0.10, fed the same deterministic offline model (the loopback endpoint). The
agent example runs on the Synalinks backend (only Synalinks runs its agent),
the others on the built-in engine."""

from __future__ import annotations

import json
import os
import re
import subprocess

import pytest

from core.cli import main
from core.export.python_script import export_python
from core.files import load_graph
from core.registry import default_registry
from core.runtime.backend import project_paths
from core.runtime.offline_endpoint import OfflineEndpoint
from core.store.evaluations import EvalStore
from tests.support.example_datasets import EXAMPLES, FOLDER, ROOT
from tests.support.synalinks_runner import require_synalinks_python

pytestmark = pytest.mark.synalinks

SCRIPT = ROOT / "tests" / "core" / "evaluation" / "synalinks_evaluate_script.py"


@pytest.fixture(scope="module")
def endpoint():
    server = OfflineEndpoint().start_in_thread()
    yield server
    server.stop_thread()


def synalinks_evaluate(request: dict) -> dict:
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


@pytest.fixture(scope="module")
def both_sides(endpoint, tmp_path_factory):
    """For every example: what ``eval`` reported and stored, then what
    ``program.evaluate()`` says for the same rows (one synalinks process for all)."""
    ours = {}
    registry = default_registry()
    requests = []
    for example in sorted(EXAMPLES):
        folder = tmp_path_factory.mktemp(example)
        ours[example] = _our_eval(example, folder)
        graph_file = ROOT / "saved_graphs" / f"{example}.json"
        graph = load_graph(graph_file, registry)
        summary, rows = ours[example]
        requests.append(
            {
                "source": export_python(graph, registry),
                "paths": project_paths(graph, str(graph_file.parent)),
                "api_base": endpoint.api_base(0.0),
                "nodes": _module_names(graph, registry, rows[0].inputs),
                "output_index": EXAMPLES[example][2],
                "rewards": summary["config"]["rewards"],
                "inputs": [r.inputs for r in rows],
                "expected": [r.expected for r in rows],
            }
        )
    theirs = synalinks_evaluate({"requests": requests})["results"]
    return {example: (*ours[example], theirs[i]) for i, example in enumerate(sorted(EXAMPLES))}


def _our_eval(example: str, folder) -> tuple[dict, list]:
    import io
    from contextlib import redirect_stderr, redirect_stdout

    before = os.environ.get("SYNALINKS_CANVAS_DATA_DIR")
    os.environ["SYNALINKS_CANVAS_DATA_DIR"] = str(folder)
    out = io.StringIO()
    try:
        # The graph remembers its dataset (beside it): no --data.
        graph_file = ROOT / "saved_graphs" / f"{example}.json"
        with redirect_stdout(out), redirect_stderr(io.StringIO()):
            code = main(["eval", str(graph_file), "--json", "--model", "offline", "--no-cache"])
    finally:
        if before is None:
            os.environ.pop("SYNALINKS_CANVAS_DATA_DIR")
        else:
            os.environ["SYNALINKS_CANVAS_DATA_DIR"] = before
    summary = json.loads(out.getvalue().strip().splitlines()[-1])
    assert code == 0, summary
    store = EvalStore(folder / "runs.sqlite")
    rows = list(store.rows(summary["id"]))
    store.close()
    return summary, rows


@pytest.mark.parametrize("example", sorted(EXAMPLES))
def test_eval_scores_equal_program_evaluate(example, both_sides):
    summary, rows, theirs = both_sides[example]
    assert summary["dataset"] == str((FOLDER / EXAMPLES[example][0]).resolve())
    assert summary["counts"] == {"scored": 24, "failed": 0, "invalid": 0}
    ours = summary["rewards"]["exact_match"]["mean"]
    assert 0.0 < ours < 1.0  # the dataset means something: some rows right, some wrong
    assert theirs["reward"] == pytest.approx(ours)
    assert theirs["per_sample"] == [r.score for r in rows]
    assert _same_calls(theirs["predictions"]) == _same_calls([r.predicted for r in rows])


def _module_names(graph, registry, inputs) -> list[str]:
    """The modules the worker routes to the offline model: what the Synalinks
    backend names in its run requests (a subgraph's inner modules included)."""
    from core.engine.engine import prepare_run
    from core.runtime.translate import RunTranslator

    return list(RunTranslator(prepare_run(graph, registry, inputs), "x", lambda e: None).modules)


def _same_calls(value):
    """``value`` with tool-call ids (random per call: ``call_0_<hex>``) cut to their
    position, so two runs of an agent compare on what it did."""
    text = json.dumps(value, ensure_ascii=False)
    return json.loads(re.sub(r'"(call_\d+)_[0-9a-f]+"', r'"\1"', text))
