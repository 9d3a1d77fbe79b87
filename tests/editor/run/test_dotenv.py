"""Keys from a ``.env`` file still work in the editor (loaded at start, cheaply),
and never override the environment."""

from __future__ import annotations

import os

import pytest

from editor.app import _load_dotenv

NAMES = ("CANVAS_TEST_FROM_CWD", "CANVAS_TEST_BESIDE", "CANVAS_TEST_KEEP")


@pytest.fixture
def clean_env():
    saved = {name: os.environ.pop(name, None) for name in NAMES}
    yield
    for name, value in saved.items():
        os.environ.pop(name, None)
        if value is not None:
            os.environ[name] = value


def test_dotenv_in_the_folder_and_beside_the_graph(tmp_path, monkeypatch, clean_env):
    work = tmp_path / "work"
    graphs = tmp_path / "graphs"
    work.mkdir()
    graphs.mkdir()
    (work / ".env").write_text("CANVAS_TEST_FROM_CWD=cwd-value\nCANVAS_TEST_KEEP=dotenv-value\n")
    (graphs / ".env").write_text("CANVAS_TEST_BESIDE=beside-value\n")
    os.environ["CANVAS_TEST_KEEP"] = "environment-value"
    monkeypatch.chdir(work)
    _load_dotenv([str(graphs / "g.json")])
    assert os.environ["CANVAS_TEST_FROM_CWD"] == "cwd-value"
    assert os.environ["CANVAS_TEST_BESIDE"] == "beside-value"
    assert os.environ["CANVAS_TEST_KEEP"] == "environment-value"
