"""Fixtures for the Synalinks runtime tests: one loop and one real worker per module.

Importing synalinks costs seconds, so the tests of a module share one worker
(:class:`~core.runtime.client.WorkerPool`) on one event loop; fault tests
start their own workers.
"""

from __future__ import annotations

import asyncio

import pytest

from core.runtime.client import WorkerPool
from tests.support.synalinks_runner import require_synalinks_python

LOOPBACK_KEY = "loopback-test-key"


@pytest.fixture(scope="module")
def loop():
    loop = asyncio.new_event_loop()
    yield loop
    loop.run_until_complete(loop.shutdown_asyncgens())
    loop.close()


@pytest.fixture(scope="module")
def synalinks_python() -> str:
    return str(require_synalinks_python())


@pytest.fixture(scope="module")
def pool(loop, synalinks_python):
    pool = WorkerPool(synalinks_python)
    # Loopback test servers take any key; a real one never reaches this worker.
    pool.configure(synalinks_python, {"OPENAI_API_KEY": LOOPBACK_KEY})
    yield pool
    loop.run_until_complete(pool.close())
