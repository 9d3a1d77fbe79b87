"""A mistyped (or newer) command is refused with the list of commands, never
taken for a graph to open in a window."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from core.cli import SUBCOMMANDS, looks_like_command, main

ROOT = Path(__file__).resolve().parents[3]


def test_a_mistyped_command_suggests_the_nearest_and_lists_them_all(capsys):
    assert main(["valdate", "x.json"]) == 2
    err = capsys.readouterr().err
    assert "'valdate' is not a command" in err
    assert "Did you mean 'validate'?" in err
    for name in SUBCOMMANDS:
        assert name in err


def test_a_command_from_a_newer_version_is_unknown_without_a_guess(capsys):
    assert main(["zzyzx"]) == 2
    err = capsys.readouterr().err
    assert "'zzyzx' is not a command" in err and "Did you mean" not in err


@pytest.mark.parametrize("word", ["graph.json", "saved/graph", "-v", "--new", ""])
def test_paths_and_options_are_not_commands(word):
    assert not looks_like_command(word)


def test_an_existing_file_without_a_dot_is_a_file_to_open(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mygraph").write_text("{}")
    assert not looks_like_command("mygraph")
    assert looks_like_command("mygrahp")


def test_the_launcher_refuses_it_without_loading_qt():
    code = (
        "import sys\n"
        "from editor.launcher import main\n"
        "rc = main(['valdate', 'x.json'])\n"
        "assert 'PySide6' not in sys.modules, 'Qt was imported'\n"
        "sys.exit(rc)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT
    )
    assert done.returncode == 2, done.stderr
    assert "Did you mean 'validate'?" in done.stderr
