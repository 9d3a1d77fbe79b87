"""``synalinks-canvas validate``: exit 0 clean, 1 errors, 2 unreadable; text and --json."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from core.cli import main
from core.files import save_graph
from tests.core.builders import seed_program


@pytest.fixture
def files(tmp_path, registry):
    clean = tmp_path / "clean.json"
    save_graph(seed_program(registry).graph, clean)
    b = seed_program(registry)
    b.graph.set_params(b.id("branch_2"), {"data_model": "Nope"})
    b.add("Generator", "dead_end", data_model="AnswerWithThinking")
    b.connect("inputs", "dead_end")
    broken = tmp_path / "broken.json"
    save_graph(b.graph, broken)
    unreadable = tmp_path / "unreadable.json"
    unreadable.write_text("{ not json")
    warned = tmp_path / "warned.json"
    w = seed_program(registry)
    w.add("Generator", "dead_end", data_model="AnswerWithThinking")
    w.connect("inputs", "dead_end")
    save_graph(w.graph, warned)
    return {"clean": clean, "broken": broken, "unreadable": unreadable, "warned": warned}


def _run(capsys, *argv):
    code = main(["validate", *map(str, argv)])
    out, err = capsys.readouterr()
    return code, out, err


def test_clean_file_exits_0(files, capsys):
    code, out, err = _run(capsys, files["clean"])
    assert (code, out, err) == (0, f"{files['clean']}: ok\n", "")


def test_warnings_alone_exit_0(files, capsys):
    code, out, _err = _run(capsys, files["warned"])
    assert code == 0
    assert out == (
        f"{files['warned']}: warning: unused_result [dead_end]: dead_end: its result reaches no Output; "
        "connect it or delete it\n"
    )


def test_errors_exit_1_and_are_listed_first(files, capsys):
    code, out, err = _run(capsys, files["broken"])
    assert code == 1 and err == ""
    lines = out.splitlines()
    assert lines[0].startswith(
        f"{files['broken']}: error: unknown_data_model [branch_2]: branch_2: data model 'Nope'"
    )
    assert lines[1].startswith(f"{files['broken']}: warning: unused_result [dead_end]")
    assert len(lines) == 2


def test_unreadable_file_exits_2_with_one_line_on_stderr(files, capsys):
    code, out, err = _run(capsys, files["unreadable"])
    assert code == 2 and out == ""
    assert err.startswith(f"{files['unreadable']}: ") and "Traceback" not in err
    assert len(err.splitlines()) == 1


def test_several_files_exit_with_the_worst(files, capsys):
    assert _run(capsys, files["clean"], files["broken"])[0] == 1
    assert _run(capsys, files["broken"], files["unreadable"], files["clean"])[0] == 2
    assert _run(capsys, files["clean"], files["warned"])[0] == 0


def test_missing_file_exits_2(tmp_path, capsys):
    code, _out, err = _run(capsys, tmp_path / "nowhere.json")
    assert code == 2 and "no such file" in err


def test_json_output(files, capsys):
    code, out, _err = _run(capsys, "--json", files["clean"], files["broken"], files["unreadable"])
    assert code == 2
    clean, broken, unreadable = (json.loads(line) for line in out.splitlines())
    assert clean == {"file": str(files["clean"]), "readable": True, "errors": 0, "diagnostics": []}
    assert broken["readable"] and broken["errors"] == 1
    first = broken["diagnostics"][0]
    assert set(first) == {"code", "severity", "node_id", "port", "message", "node"}
    assert (first["code"], first["severity"], first["node"], first["port"]) == (
        "unknown_data_model",
        "error",
        "branch_2",
        None,
    )
    assert broken["diagnostics"][1]["code"] == "unused_result"
    assert unreadable["readable"] is False and unreadable["error"].startswith(
        str(files["unreadable"])
    )


def test_no_file_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as info:
        main(["validate"])
    assert info.value.code == 2
    assert "FILE" in capsys.readouterr().err


def test_the_installed_entry_point_validates_without_qt(files, repo_root):
    """``synalinks-canvas validate`` through the launcher, in a fresh process."""
    env = {**os.environ, "PYTHONPATH": str(repo_root)}
    probe = (
        "import sys; from editor.launcher import main; code = main(sys.argv[1:]); "
        "assert not [m for m in sys.modules if m.startswith(('PySide6', 'qasync'))], 'Qt was imported'; "
        "sys.exit(code)"
    )
    for name, expected in (("clean", 0), ("broken", 1), ("unreadable", 2)):
        result = subprocess.run(
            [sys.executable, "-c", probe, "validate", str(files[name])],
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
            cwd=repo_root,
        )
        assert result.returncode == expected, result.stderr
