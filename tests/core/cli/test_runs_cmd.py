"""The command line keeps every run; ``runs`` lists and shows them; ``run --to/--from`` scope a run."""

from __future__ import annotations

import json
import shutil

import pytest

from core.cli import main


@pytest.fixture
def graph_file(repo_root, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    path = tmp_path / "fork_merge.json"
    shutil.copy(repo_root / "saved_graphs" / "fork_merge.json", path)
    return str(path)


def _events(out: str) -> list[dict]:
    return [json.loads(line) for line in out.strip().splitlines()]


def test_every_run_is_kept_and_listed_newest_first(graph_file, capsys):
    assert main(["run", graph_file, "--offline-delay", "0", "--input", '{"topic": "Bees"}']) == 0
    assert main(["run", graph_file, "--offline-delay", "0", "--input", '{"topic": "Ants"}']) == 0
    capsys.readouterr()
    assert main(["runs", graph_file, "--json"]) == 0
    rows = _events(capsys.readouterr().out)
    assert [r["input_preview"] for r in rows] == ["Ants", "Bees"]
    assert all(r["status"] == "succeeded" and r["origin"] == "command line" for r in rows)
    assert main(["runs", graph_file]) == 0
    table = capsys.readouterr().out
    assert table.splitlines()[0].startswith("ID") and "Ants" in table and "whole" in table
    assert main(["runs", graph_file, "--show", rows[1]["run_id"][:8]]) == 0
    shown = capsys.readouterr().out
    assert "Bees" in shown and "research: finished" in shown and "Outputs:" in shown
    assert main(["runs", graph_file, "--show", rows[1]["run_id"], "--json"]) == 0
    whole = json.loads(capsys.readouterr().out)
    assert whole["inputs"] == {"inputs": {"topic": "Bees"}}
    assert {n["node_name"] for n in whole["record"]["nodes"]} >= {"research", "merge"}
    assert whole["graph"]["meta"]["name"] == "fork_merge"
    assert main(["runs", graph_file, "--delete", rows[0]["run_id"][:8]]) == 0
    assert "Deleted 1 run." in capsys.readouterr().out
    main(["runs", graph_file, "--json"])
    assert [r["input_preview"] for r in _events(capsys.readouterr().out)] == ["Bees"]


def test_showing_a_run_that_is_not_kept_says_how_to_list_them(graph_file, capsys):
    assert main(["runs", graph_file, "--show", "abc"]) == 2
    assert "'synalinks-canvas runs" in capsys.readouterr().err
    assert main(["runs", graph_file]) == 0
    assert "No runs of" in capsys.readouterr().out


def test_run_to_a_node_runs_what_leads_to_it_and_prints_its_result(graph_file, capsys):
    assert main(["run", graph_file, "--offline-delay", "0", "--to", "research", "--json"]) == 0
    lines = _events(capsys.readouterr().out)
    started = {e["node_name"] for e in lines if e.get("kind") == "node_started"}
    assert started == {"inputs", "research"}
    assert lines[-1]["node"] == "research" and lines[-1]["result"]["key_facts"]


def test_run_from_a_node_uses_the_kept_upstream_values_and_marks_them(graph_file, capsys):
    assert main(["run", graph_file, "--offline-delay", "0", "--from", "merge"]) == 2
    err = capsys.readouterr().err
    assert "needs the output of research, find_quotes, check_similar" in err
    assert main(["run", graph_file, "--offline-delay", "0", "--input", '{"topic": "Moss"}']) == 0
    capsys.readouterr()
    assert main(["run", graph_file, "--offline-delay", "0", "--from", "merge", "--json"]) == 0
    lines = _events(capsys.readouterr().out)
    finished = {e["node_name"]: e for e in lines if e.get("kind") == "node_finished"}
    assert set(finished) == {"research", "find_quotes", "check_similar", "merge", "output_1"}
    assert finished["research"]["reused_from"] and not finished["merge"]["reused_from"]
    assert not [e for e in lines if e.get("kind") == "node_prompt"]  # no model was asked
    assert "Moss" in json.dumps(lines[-1]["outputs"])


def test_a_pinned_node_is_marked_pinned_in_the_json_events(graph_file, capsys):
    document = json.loads(open(graph_file).read())
    for node in document["nodes"]:
        if node["name"] == "research":
            node["pinned"] = {"output": {"key_facts": ["by hand"], "open_questions": []}}
    open(graph_file, "w").write(json.dumps(document))
    assert main(["run", graph_file, "--offline-delay", "0", "--json"]) == 0
    lines = _events(capsys.readouterr().out)
    research = next(
        e for e in lines if e.get("kind") == "node_finished" and e["node_name"] == "research"
    )
    assert research["pinned"] is True
    assert "by hand" in json.dumps(lines[-1]["outputs"])


def test_an_unknown_node_is_refused_with_the_names_there_are(graph_file, capsys):
    assert main(["run", graph_file, "--to", "nowhere"]) == 2
    assert "no node named 'nowhere'; its nodes are" in capsys.readouterr().err


def test_a_store_that_cannot_be_used_never_stops_a_run(graph_file, tmp_path, capsys):
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the store's folder should be")
    code = main(["run", graph_file, "--offline-delay", "0", "--cache-dir", str(blocked)])
    captured = capsys.readouterr()
    assert code == 0 and "Outputs:" in captured.out
    assert captured.err.count("warning:") == 1  # one store, one fault: said once
    assert "runs are neither cached nor kept" in captured.err
