"""``synalinks-canvas run``: exit codes, NDJSON, text mode, input checking."""

from __future__ import annotations

import json

import pytest

from core.cli import main
from core.files import save_graph
from tests.core.engine.helpers import GraphBuilder
from tests.support.openai_server import OpenAIServer, error


@pytest.fixture
def parallel(repo_root):
    return str(repo_root / "saved_graphs" / "parallel_branches.json")


@pytest.fixture(autouse=True)
def _isolated(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # no stray .env from the working folder
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)


def test_text_mode_streams_labelled_text_then_outputs(parallel, capsys):
    code = main(["run", parallel, "--offline-delay", "0", "--input", '{"query": "Is water wet?"}'])
    out = capsys.readouterr().out
    assert code == 0
    assert "[branch_1] " in out and "[branch_2] " in out
    assert "Outputs:" in out and "output_1:" in out
    outputs = out.split("Outputs:", 1)[1]
    assert "Offline answer to “Is water wet?”" in outputs
    assert "Run succeeded" in out


def test_json_mode_prints_ndjson_events_then_the_outputs(parallel, capsys):
    code = main(["run", parallel, "--json", "--model", "offline", "--offline-delay", "0"])
    lines = capsys.readouterr().out.strip().splitlines()
    assert code == 0
    rows = [json.loads(line) for line in lines]
    assert rows[0]["kind"] == "run_started"
    assert rows[-2]["kind"] == "run_finished" and rows[-2]["status"] == "succeeded"
    kinds = {r["kind"] for r in rows[:-1]}
    assert {"node_queued", "node_started", "token_delta", "node_finished"} <= kinds
    final = rows[-1]
    assert final["status"] == "succeeded" and len(final["outputs"]) == 2
    assert "What is the meaning of life?" in final["outputs"][0]["answer"]  # the example input


def test_input_from_a_file(parallel, tmp_path, capsys):
    (tmp_path / "in.json").write_text('{"query": "from a file"}')
    assert main(["run", parallel, "--json", "--offline-delay", "0", "--input", "@in.json"]) == 0
    assert "from a file" in json.dumps(json.loads(capsys.readouterr().out.strip().splitlines()[-1]))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--input", "{not json"], "--input is not valid JSON"),
        (["--input", '{"question": "hi"}'], "query: Field required"),
        (["--input", '["a list"]'], "must be a JSON object"),
        (["--input", "@missing.json"], "cannot read the input file"),
    ],
)
def test_bad_input_exits_2_with_a_clear_message(parallel, capsys, args, message):
    assert main(["run", parallel, *args]) == 2
    assert message in capsys.readouterr().err


def test_bad_file_exits_2(tmp_path, capsys):
    assert main(["run", str(tmp_path / "nope.json")]) == 2
    assert "no such file" in capsys.readouterr().err
    (tmp_path / "broken.json").write_text("{")
    assert main(["run", str(tmp_path / "broken.json"), "--json"]) == 2
    captured = capsys.readouterr()
    assert json.loads(captured.out)["exit_code"] == 2


def test_graph_with_errors_exits_2_naming_the_problem(tmp_path, capsys):
    b = GraphBuilder()
    b.input()
    b.add("Generator", "lonely", data_model="Answer")  # its input is not connected
    b.output("o", "inputs")
    b.output("o2", "lonely", order=1)  # so it is part of what runs
    path = tmp_path / "bad.json"
    save_graph(b.graph, path)
    assert main(["run", str(path)]) == 2
    err = capsys.readouterr().err
    assert "unconnected_input [lonely]" in err


def test_a_failed_node_exits_1(parallel, capsys):
    server = OpenAIServer().script(error(401, "invalid key"), error(401, "invalid key"))
    with server.in_thread():
        code = main(["run", parallel, "--model", "openai/test", "--api-base", server.base_url])
    out = capsys.readouterr().out
    assert code == 1
    assert "FAILED (authentication)" in out and "Run failed" in out


def test_a_failed_node_in_json_mode_keeps_stdout_pure_ndjson(parallel, capsys):
    server = OpenAIServer().script(error(400, "unknown model"), error(400, "unknown model"))
    with server.in_thread():
        code = main(
            ["run", parallel, "--json", "--model", "openai/test", "--api-base", server.base_url]
        )
    rows = [json.loads(line) for line in capsys.readouterr().out.strip().splitlines()]
    assert code == 1
    failed = [r for r in rows if r.get("kind") == "node_failed"]
    assert {r["node_name"] for r in failed} == {"branch_1", "branch_2"}
    assert all(r["error_kind"] == "bad_request" and "unknown model" in r["message"] for r in failed)
    assert rows[-1] == {"outputs": [None, None], "status": "failed"}


@pytest.mark.parametrize("as_json", [False, True])
def test_a_first_run_says_it_loads_the_model_library_in_text_mode_only(
    parallel, capsys, monkeypatch, as_json
):
    import core.engine.litellm_loader as loader

    monkeypatch.setattr(loader, "is_loaded", lambda: False)  # as in a fresh process
    args = ["run", parallel, "--model", "offline", "--offline-delay", "0"]
    code = main([*args, "--json"] if as_json else args)
    captured = capsys.readouterr()
    assert code == 0
    said = "Loading the language-model library" in captured.err
    assert said is not as_json
    assert "Loading" not in captured.out


def test_a_second_run_answers_from_the_cache_unless_no_cache(parallel, capsys, tmp_path):
    args = ["run", parallel, "--offline-delay", "0", "--cache-dir", str(tmp_path / "store")]
    assert main(args) == 0
    first = capsys.readouterr().out
    assert "cached" not in first
    assert (tmp_path / "store" / "runs.sqlite").is_file()
    assert main(args) == 0
    second = capsys.readouterr().out
    assert "[branch_1] cached (no model call)" in second
    assert second.split("Outputs:", 1)[1] == first.split("Outputs:", 1)[1]
    assert main([*args, "--no-cache"]) == 0
    assert "cached" not in capsys.readouterr().out


def test_the_default_store_is_in_the_data_folder(parallel, capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("SYNALINKS_CANVAS_DATA_DIR", str(tmp_path / "data"))
    assert main(["run", parallel, "--offline-delay", "0", "--json"]) == 0
    assert (tmp_path / "data" / "runs.sqlite").is_file()


def test_an_unusable_store_still_runs_and_warns_once_on_stderr(parallel, capsys, tmp_path):
    (tmp_path / "store").write_text("a file where the store's folder should be")
    code = main(
        ["run", parallel, "--json", "--offline-delay", "0", "--cache-dir", str(tmp_path / "store")]
    )
    captured = capsys.readouterr()
    assert code == 0
    assert (
        captured.err.count("warning: ") == 1 and "runs are neither cached nor kept" in captured.err
    )
    for line in captured.out.splitlines():
        json.loads(line)  # stdout stays pure NDJSON
