"""A loopback OpenAI-compatible server that answers every request after a fixed
latency, in its own process: ``python -m tests.support.latency_server SECONDS``
prints ``http://127.0.0.1:PORT/v1`` and serves until its stdin closes.

Benchmarks run it apart so that the server's work does not share the
measured process's interpreter; its answers are the offline model's
(schema-valid JSON derived from the prompt), streamed as one chunk after the
latency, with usage.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

from tests.support.openai_server import OpenAIServer, ok

ROOT = Path(__file__).resolve().parents[2]


class _Forever:
    """A script that never runs out: every request gets the same reply."""

    def __init__(self, reply) -> None:
        self.reply = reply

    def __bool__(self) -> bool:
        return True

    def popleft(self):
        return self.reply


class LatencyServer(OpenAIServer):
    def __init__(self, latency: float) -> None:
        super().__init__()
        self._script = _Forever(ok(delay=latency, chunk_size=1 << 30))  # type: ignore[assignment]
        self.requests = _Nothing()  # type: ignore[assignment]


class _Nothing(list):
    """Forgets what it is given: the server keeps no per-request state."""

    def append(self, item) -> None:
        pass


async def _serve(latency: float) -> None:
    server = await LatencyServer(latency).start()
    print(server.base_url, flush=True)
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, sys.stdin.read)
    await server.stop()


@contextmanager
def latency_server(latency: float):
    """Start the server process; yields its ``api_base``."""
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.support.latency_server", str(latency)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        base = process.stdout.readline().strip()
        if not base.startswith("http://127.0.0.1:"):
            raise RuntimeError(f"the latency server did not start (said {base!r})")
        yield base
    finally:
        process.stdin.close()
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


if __name__ == "__main__":
    asyncio.run(_serve(float(sys.argv[1])))
