"""``synalinks-canvas import``: graph out, problems on stderr, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from core.cli import main
from core.files import dumps_graph, load_graph
from core.importer import import_python_file

LESSON = Path(__file__).resolve().parent / "data" / "parallel_branches_lesson.py"


def test_import_prints_the_graph_file(capsys, registry):
    assert main(["import", str(LESSON)]) == 0
    out = capsys.readouterr().out
    assert out == dumps_graph(import_python_file(LESSON, registry).graph)
    assert json.loads(out)["meta"]["name"] == "parallel_branches"


def test_import_writes_a_graph_that_loads(tmp_path, capsys, registry):
    target = tmp_path / "lesson.json"
    assert main(["import", str(LESSON), "-o", str(target)]) == 0
    graph = load_graph(target, registry)
    assert sorted(n.name for n in graph.nodes.values()) == [
        "branch_1",
        "branch_2",
        "input_module",
        "output_1",
        "output_2",
    ]
    assert "wrote" in capsys.readouterr().err


def test_round_trip_through_both_commands(tmp_path, capsys):
    repo = LESSON.parents[4]
    script = tmp_path / "fork.py"
    assert main(["export", str(repo / "saved_graphs" / "fork_merge.json"), "-o", str(script)]) == 0
    assert main(["import", str(script), "-o", str(tmp_path / "fork.json")]) == 0
    again = tmp_path / "again.py"
    assert main(["export", str(tmp_path / "fork.json"), "-o", str(again)]) == 0
    assert again.read_text() == script.read_text()


def test_unimportable_script_exits_1_with_lines(tmp_path, capsys):
    script = tmp_path / "agent.py"
    script.write_text(
        "import synalinks\n"
        "class Q(synalinks.DataModel):\n"
        "    q: str\n"
        "x0 = synalinks.Input(data_model=Q)\n"
        "x1 = synalinks.FunctionCallingAgent(data_model=Q)(x0)\n"
        "program = synalinks.Program(inputs=x0, outputs=x1)\n"
    )
    target = tmp_path / "never.json"
    assert main(["import", str(script), "-o", str(target)]) == 1
    err = capsys.readouterr().err
    assert f"{script}:5: error: synalinks.FunctionCallingAgent needs tools=" in err
    assert not target.exists()


def test_warnings_and_graph_problems_go_to_stderr(tmp_path, capsys):
    script = tmp_path / "warned.py"
    script.write_text(
        "import synalinks\n"
        "class Q(synalinks.DataModel):\n"
        "    q: str\n"
        "x0 = synalinks.Input(data_model=Q)\n"
        "x1 = synalinks.Generator(data_model=Q, max_tokens=5)(x0)\n"
        "x2 = synalinks.Generator(data_model=Q)(x0)\n"
        "program = synalinks.Program(inputs=x0, outputs=x1)\n"
    )
    assert main(["import", str(script)]) == 0
    captured = capsys.readouterr()
    assert f"{script}:5: warning: Generator argument max_tokens= is ignored" in captured.err
    assert "graph warning [generator_1]: generator_1: its result reaches no Output" in captured.err
    assert json.loads(captured.out)["format"] == "synalinks-canvas-graph"


def test_missing_script_exits_2(tmp_path, capsys):
    assert main(["import", str(tmp_path / "missing.py")]) == 2
    assert "no such file" in capsys.readouterr().err
