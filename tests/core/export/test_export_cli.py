"""``synalinks-canvas export``: formats, output files, exit codes and messages."""

from __future__ import annotations

import json

from core.cli import main
from core.export import export_mermaid, export_python
from tests.core.export import cases


def test_export_writes_python_to_stdout(capsys, registry):
    assert main(["export", str(cases.REPO / "saved_graphs" / "fork_merge.json")]) == 0
    expected = export_python(cases.saved_graph("fork_merge", registry), registry)
    assert capsys.readouterr().out == expected


def test_export_writes_the_output_file(tmp_path, capsys, registry):
    out = tmp_path / "program.py"
    assert (
        main(
            ["export", str(cases.REPO / "saved_graphs" / "parallel_branches.json"), "-o", str(out)]
        )
        == 0
    )
    assert out.read_text() == export_python(
        cases.saved_graph("parallel_branches", registry), registry
    )
    assert "wrote" in capsys.readouterr().err


def test_mermaid_by_flag_or_by_suffix(tmp_path, capsys, registry):
    source = str(cases.REPO / "saved_graphs" / "conditional_branches.json")
    expected = export_mermaid(cases.saved_graph("conditional_branches", registry), registry)
    assert main(["export", source, "--format", "mermaid"]) == 0
    assert capsys.readouterr().out == expected
    out = tmp_path / "diagram.mmd"
    assert main(["export", source, "-o", str(out)]) == 0
    assert out.read_text() == expected


def test_invalid_graph_exits_1_with_its_problems(tmp_path, capsys):
    document = json.loads((cases.REPO / "saved_graphs" / "fork_merge.json").read_text())
    document["edges"] = document["edges"][1:]
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(document))
    out = tmp_path / "never.py"
    assert main(["export", str(broken), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "cannot export" in err and "research: connect something" in err
    assert not out.exists()


def test_missing_file_exits_2(tmp_path, capsys):
    assert main(["export", str(tmp_path / "nope.json")]) == 2
    assert "no such file" in capsys.readouterr().err
