"""``synalinks-canvas eval``: scores, progress, resume, export, compare, refusals."""

from __future__ import annotations

import json
import shutil

import pytest

from core.cli import main


@pytest.fixture(autouse=True)
def _isolated(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SYNALINKS_CANVAS_DATA_DIR", str(tmp_path / "data"))


@pytest.fixture
def example(repo_root, tmp_path):
    graph = tmp_path / "parallel_branches.json"
    shutil.copy(repo_root / "saved_graphs" / "parallel_branches.json", graph)
    data = tmp_path / "questions.csv"
    shutil.copy(repo_root / "saved_graphs" / "datasets" / "parallel_branches.csv", data)
    return str(graph), str(data)


def _json_lines(text):
    return [json.loads(line) for line in text.strip().splitlines()]


def test_eval_prints_the_score_and_a_progress_line(example, capsys):
    graph, data = example
    code = main(["eval", graph, "--data", data, "--limit", "9"])
    captured = capsys.readouterr()
    assert code == 0
    assert "exact_match  0.667 ± 0.500  (n=9)" in captured.out
    assert "scored 9 · failed 0 · invalid 0" in captured.out
    assert "9/9 rows" in captured.err and "rows/s" in captured.err
    assert "input: query ← query" in captured.err


def test_json_mode_resume_export_and_compare(example, capsys, tmp_path):
    graph, data = example
    assert main(["eval", graph, "--data", data, "--json", "--limit", "6"]) == 0
    first = _json_lines(capsys.readouterr().out)
    assert first[-1]["kind"] == "eval_summary" and first[-1]["counts"]["scored"] == 6
    assert any(line["kind"] == "eval_progress" for line in first[:-1])
    eval_id = first[-1]["id"]

    out = tmp_path / "rows.jsonl"
    assert main(["eval", graph, "--data", data, "--json", "--export", str(out)]) == 0
    second = _json_lines(capsys.readouterr().out)
    assert second[-1]["id"] == eval_id
    assert second[-1]["counts"]["scored"] == 24
    progress = [line for line in second if line["kind"] == "eval_progress"]
    assert progress[0]["resumed"] == 6  # only the 18 other rows ran
    assert len(out.read_text().splitlines()) == 24

    # A changed graph (a branch renamed: the offline model answers as it) scores lower.
    document = json.loads(open(graph, encoding="utf-8").read())
    for node in document["nodes"]:
        if node["name"] == "branch_1":
            node["name"] = "branch_one"
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(document), encoding="utf-8")
    assert main(["eval", str(changed), "--data", data, "--json"]) == 0
    other = _json_lines(capsys.readouterr().out)[-1]
    assert other["rewards"]["exact_match"]["mean"] == 0.0

    assert main(["eval", "--compare", eval_id, other["id"], "--json"]) == 0
    result = _json_lines(capsys.readouterr().out)[-1]
    assert (result["wins"], result["losses"], result["ties"]) == (0, 16, 8)
    assert result["mean_diff"] == pytest.approx(-16 / 24)
    assert result["ci"][0] < result["mean_diff"] < result["ci"][1] < 0

    assert main(["eval", "--compare", eval_id, other["id"]]) == 0
    text = capsys.readouterr().out
    assert "wins 0 · losses 16 · ties 8" in text and "95% CI" in text

    assert main(["eval", "--list"]) == 0
    assert eval_id in capsys.readouterr().out


def test_bad_inputs_are_refused_with_one_sentence(example, capsys, tmp_path):
    graph, data = example
    assert main(["eval", graph, "--data", str(tmp_path / "none.csv")]) == 2
    assert "no such file" in capsys.readouterr().err
    assert main(["eval", graph, "--data", data, "--reward", "exact_match:x"]) == 2
    assert "is not a number" in capsys.readouterr().err
    assert main(["eval", graph, "--data", data, "--map", "query"]) == 2
    assert "write FIELD=COLUMN" in capsys.readouterr().err
    assert main(["eval", graph, "--data", data, "--concurrency", "0"]) == 2
    assert "between 1 and 256" in capsys.readouterr().err
    # The copied example names its dataset relative to itself, and it is not there.
    assert main(["eval", graph]) == 2
    assert "datasets/parallel_branches.csv: no such file" in capsys.readouterr().err
    bare = json.loads(open(graph, encoding="utf-8").read())
    del bare["meta"]["datasets"]
    (tmp_path / "bare.json").write_text(json.dumps(bare), encoding="utf-8")
    assert main(["eval", str(tmp_path / "bare.json")]) == 2
    assert "names no dataset: give one with --data FILE" in capsys.readouterr().err
    assert main(["eval"]) == 2
    assert "give a graph and a dataset" in capsys.readouterr().err


def test_remember_saves_the_dataset_in_the_graph(example, capsys, tmp_path):
    graph, data = example
    renamed = tmp_path / "sub" / "gold.csv"
    renamed.parent.mkdir()
    text = open(data, encoding="utf-8").read().replace("query,answer", "question,gold", 1)
    renamed.write_text(text, encoding="utf-8")
    mapping = ["--map", "query=question", "--map", "expected.answer=gold"]
    assert (
        main(["eval", graph, "--data", str(renamed), *mapping, "--limit", "3", "--remember"]) == 0
    )
    assert "Remembered sub/gold.csv" in capsys.readouterr().err
    saved = json.loads(open(graph, encoding="utf-8").read())
    assert saved["meta"]["datasets"][0] == {
        "path": "sub/gold.csv",
        "mapping": {"query": "question", "expected.answer": "gold"},
        "output": "",
    }
    assert main(["eval", graph, "--limit", "3", "--json"]) == 0  # no --data, no --map
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert summary["counts"]["scored"] == 3 and summary["dataset"] == str(renamed.resolve())
