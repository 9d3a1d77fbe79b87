"""Suite-wide settings: headless Qt, litellm never reaching for the network."""

from __future__ import annotations

import os
import socket

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["LITELLM_LOCAL_MODEL_COST_MAP"] = "True"
# Synalinks' knowledge bases install DuckDB extensions on first use, which downloads
# them: the workers the tests start never do (core/runtime/worker/knowledge.py).
os.environ["SYNALINKS_CANVAS_DUCKDB_DOWNLOADS"] = "0"


@pytest.fixture(autouse=True)
def _no_outside_network(monkeypatch):
    """Tests may only talk to 127.0.0.1 (servers they start themselves)."""
    real_connect = socket.socket.connect

    def guarded_connect(self, address):
        host = address[0] if isinstance(address, tuple) else address
        if (
            isinstance(host, str)
            and host not in ("127.0.0.1", "localhost", "::1")
            and not host.startswith("/")
        ):
            raise OSError(f"test tried to reach the outside network: {address!r}")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    yield


@pytest.fixture(autouse=True)
def _private_data_dir(monkeypatch, tmp_path):
    """Each test has its own data folder: runs (the command line's default run
    store included) never write to the user's, nor replay another test's results."""
    monkeypatch.setenv("SYNALINKS_CANVAS_DATA_DIR", str(tmp_path / "data"))


@pytest.fixture
def registry():
    from core.registry import default_registry

    return default_registry()


@pytest.fixture
def repo_root():
    from pathlib import Path

    return Path(__file__).resolve().parent.parent
