"""Driving one runtime worker process: start, handshake, requests, cancel, kill.

Learned from Jupyter's kernels: the worker is untrusted and may die at any
moment, so every way it can fail ends in one :class:`WorkerError` whose
message names the cause and what to do (the interpreter is missing,
synalinks does not import, the worker crashed or was killed, it stopped
answering, it wrote something that is not a protocol message, it runs an
unsupported synalinks or protocol). Interrupt (cancel one request) is kept
apart from kill (end the process); a dead worker is never reused, and the
next request starts a fresh one (:class:`WorkerPool`).

Keys reach the worker through its environment only; stderr lines kept for
messages are redacted.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import sys
import time
import uuid
from collections import deque
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.engine.redact import REDACTED, redact
from core.runtime import protocol as p

log = logging.getLogger(__name__)

WORKER_SCRIPT = Path(__file__).resolve().with_name("worker")
"""The worker program: a folder run as ``python -I <folder>`` (its ``__main__.py``)."""
START_TIMEOUT = 180.0
"""Seconds for the worker to import synalinks (about 8 s on a slow machine)."""
CANCEL_GRACE = 0.15
"""Seconds a cancelled request may take to unwind before the worker is killed."""


class WorkerError(Exception):
    """The worker cannot do what was asked; ``str()`` is a user-ready message.
    ``kind``: missing_interpreter, start_failed, import_failed, incompatible,
    crashed, protocol, unresponsive, request_failed."""

    def __init__(self, kind: str, message: str, details: str = "") -> None:
        super().__init__(message)
        self.kind = kind
        self.details = details


@dataclass(frozen=True)
class WorkerInfo:
    python: str
    python_version: str
    synalinks_version: str
    protocol: int
    pid: int
    capabilities: tuple[str, ...]


class RuntimeWorker:
    """One worker process. ``await worker.start()`` returns once synalinks has
    loaded; ``worker.request(...)`` yields that request's messages."""

    def __init__(
        self,
        python: str,
        *,
        secrets: Mapping[str, str] | None = None,
        extra_env: Mapping[str, str] | None = None,
        start_timeout: float = START_TIMEOUT,
    ) -> None:
        # Absolute (the worker starts in another folder) but not resolved: a
        # venv's python is a link, and resolving it would leave the venv.
        self.python = os.path.abspath(python) if python else ""
        self.secrets = dict(secrets or {})
        self.extra_env = dict(extra_env or {})
        self.start_timeout = start_timeout
        self.info: WorkerInfo | None = None
        self.process: asyncio.subprocess.Process | None = None
        self._queues: dict[str, asyncio.Queue] = {}
        self._cancel_waiters: dict[str, asyncio.Future] = {}
        self._stderr: deque[str] = deque(maxlen=80)
        self._reader: asyncio.Task | None = None
        self._stderr_reader: asyncio.Task | None = None
        self._handshake: asyncio.Queue = asyncio.Queue()
        self._failure: WorkerError | None = None
        self._stopping = False
        self._write_lock = asyncio.Lock()

    # --------------------------------------------------------------- life
    @property
    def alive(self) -> bool:
        return (
            self.process is not None
            and self.process.returncode is None
            and self._failure is None
            and not self._stopping
        )

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process is not None else None

    def environment(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
        env.update(self.secrets)
        env.update(self.extra_env)
        env["LITELLM_LOCAL_MODEL_COST_MAP"] = "True"
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        env["PYTHONUNBUFFERED"] = "1"
        return env

    async def start(self) -> WorkerInfo:
        if not self.python or not Path(self.python).exists():
            raise WorkerError(
                "missing_interpreter",
                f"no Python interpreter at {self.python or '(none chosen)'}: choose a Synalinks "
                "environment in Settings (or create one there), or set SYNALINKS_CANVAS_PYTHON",
            )
        try:
            self.process = await asyncio.create_subprocess_exec(
                self.python,
                "-I",
                "-u",
                str(WORKER_SCRIPT),
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
                env=self.environment(),
                cwd=str(WORKER_SCRIPT.parent),
                limit=64 * 1024 * 1024,
                start_new_session=sys.platform != "win32",
            )
        except OSError as exc:
            raise WorkerError(
                "start_failed",
                f"cannot start the Synalinks worker with {self.python}: {exc.strerror or exc}",
            ) from None
        self._reader = asyncio.create_task(self._read_stdout(), name="runtime worker stdout")
        self._stderr_reader = asyncio.create_task(self._read_stderr(), name="runtime worker stderr")
        try:
            async with asyncio.timeout(self.start_timeout):
                hello = await self._next_handshake()
                if not isinstance(hello, p.Hello):
                    raise self._unexpected(hello, "hello")
                if hello.protocol != p.PROTOCOL_VERSION:
                    raise WorkerError(
                        "incompatible",
                        f"the worker speaks protocol {hello.protocol}, this editor speaks "
                        f"{p.PROTOCOL_VERSION}: use the worker that ships with this editor",
                    )
                ready = await self._next_handshake()
                if isinstance(ready, p.Fatal):
                    raise WorkerError(
                        "import_failed",
                        f"{ready.message}. Install it there with `{self.python} -m pip install "
                        "'synalinks>=0.10,<0.11'`, or choose another environment in Settings",
                    )
                if not isinstance(ready, p.Ready):
                    raise self._unexpected(ready, "ready")
                problem = p.version_problem(ready.synalinks)
                if problem:
                    raise WorkerError("incompatible", f"{problem} ({self.python})")
        except TimeoutError:
            await self.kill()
            raise WorkerError(
                "unresponsive",
                f"the Synalinks worker ({self.python}) did not get ready within "
                f"{self.start_timeout:g} s; it was stopped. Check that synalinks imports in that "
                "environment (`python -c 'import synalinks'`)",
                self.stderr_tail(),
            ) from None
        except BaseException:
            await self.kill()
            raise
        self.info = WorkerInfo(
            python=self.python,
            python_version=hello.python,
            synalinks_version=ready.synalinks,
            protocol=ready.protocol,
            pid=hello.pid,
            capabilities=tuple(ready.capabilities),
        )
        return self.info

    async def _next_handshake(self) -> Any:
        item = await self._handshake.get()
        if isinstance(item, WorkerError):
            raise item
        return item

    def _unexpected(self, message: Any, wanted: str) -> WorkerError:
        return WorkerError(
            "protocol",
            f"the worker sent {getattr(message, 'type', message)!r} where {wanted!r} was expected",
        )

    async def shutdown(self, timeout: float = 2.0) -> None:
        """Ask the worker to stop; kill it if it does not within ``timeout``."""
        if self.process is None or self.process.returncode is not None:
            return
        self._stopping = True
        with contextlib.suppress(OSError, RuntimeError, ConnectionError):
            await self._write(p.encode(p.ShutdownRequest()))
            self.process.stdin.close()  # type: ignore[union-attr]
        try:
            async with asyncio.timeout(timeout):
                await self.process.wait()
        except TimeoutError:
            await self.kill()
        await self._join_readers()

    async def kill(self) -> None:
        """End the process now (interrupt is :meth:`cancel`)."""
        self._stopping = True
        process = self.process
        if process is not None and process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            with contextlib.suppress(Exception):
                await process.wait()
        await self._join_readers()

    async def _join_readers(self) -> None:
        for task in (self._reader, self._stderr_reader):
            if task is not None and not task.done():
                try:
                    async with asyncio.timeout(1.0):
                        await asyncio.shield(task)
                except (TimeoutError, asyncio.CancelledError):
                    task.cancel()

    # ----------------------------------------------------------- requests
    async def request(
        self, message: p.BuildRequest | p.RunRequest | p.CatalogueRequest
    ) -> AsyncIterator[Any]:
        """Send ``message`` and yield the worker's messages for it, ending with
        the terminal one. Raises :class:`WorkerError` when the worker fails."""
        if not self.alive:
            raise self._failure or WorkerError("crashed", "the Synalinks worker is not running")
        queue: asyncio.Queue = asyncio.Queue()
        self._queues[message.id] = queue
        try:
            await self._write(p.encode(message))
            while True:
                item = await queue.get()
                if isinstance(item, WorkerError):
                    raise item
                yield item
                if isinstance(item, p.TERMINAL):
                    return
        finally:
            self._queues.pop(message.id, None)

    async def cancel(self, request_id: str, grace: float = CANCEL_GRACE) -> bool:
        """Interrupt one request. True if the worker confirmed within ``grace``
        seconds; otherwise the worker is killed (and the caller told False)."""
        if not self.alive:
            return False
        confirmed = asyncio.get_running_loop().create_future()
        self._cancel_waiters[request_id] = confirmed
        try:
            await self._write(p.encode(p.CancelRequest(id=request_id)))
            async with asyncio.timeout(grace):
                await confirmed
            return True
        except (TimeoutError, OSError, ConnectionError, RuntimeError):
            log.info(
                "the worker did not stop request %s within %.2f s: killing it", request_id, grace
            )
            await self.kill()
            return False
        finally:
            self._cancel_waiters.pop(request_id, None)

    async def _write(self, data: bytes) -> None:
        async with self._write_lock:
            stdin = self.process.stdin  # type: ignore[union-attr]
            stdin.write(data)
            await stdin.drain()

    # ------------------------------------------------------------ reading
    async def _read_stdout(self) -> None:
        stdout = self.process.stdout  # type: ignore[union-attr]
        try:
            while True:
                line = await stdout.readline()
                if not line:
                    break
                try:
                    message = p.parse_worker_line(line.decode("utf-8", "replace"))
                except p.ProtocolError as exc:
                    self._fail(WorkerError("protocol", f"{exc}; the worker was stopped"))
                    if self.process.returncode is None:
                        with contextlib.suppress(ProcessLookupError):
                            self.process.kill()
                    return
                self._route(message)
        except (ValueError, asyncio.LimitOverrunError) as exc:
            self._fail(WorkerError("protocol", f"the worker wrote an unreadable line: {exc}"))
            return
        code = await self.process.wait()
        await asyncio.sleep(0)  # let stderr's last lines arrive
        if self._stopping:
            self._fail(WorkerError("crashed", "the Synalinks worker was stopped"))
        else:
            self._fail(self._death(code))

    def _death(self, code: int | None) -> WorkerError:
        if code is not None and code < 0:
            import signal

            try:
                name = signal.Signals(-code).name
            except ValueError:
                name = f"signal {-code}"
            cause = f"was killed ({name})"
        else:
            cause = f"exited with code {code}"
        tail = self.stderr_tail()
        last = next((line for line in reversed(tail.splitlines()) if line.strip()), "")
        hint = f": {last.strip()}" if last else ""
        return WorkerError(
            "crashed",
            f"the Synalinks worker ({self.python}) {cause}{hint}. The next run starts a new one",
            tail,
        )

    def _route(self, message: Any) -> None:
        if isinstance(message, (p.Hello, p.Ready, p.Fatal)):
            self._handshake.put_nowait(message)
            return
        request_id = getattr(message, "id", None)
        waiter = self._cancel_waiters.get(request_id) if request_id else None
        if waiter is not None and isinstance(message, p.TERMINAL) and not waiter.done():
            waiter.set_result(True)
        queue = self._queues.get(request_id) if request_id else None
        if queue is not None:
            queue.put_nowait(message)
        elif isinstance(message, p.WorkerErrorMessage):
            log.warning("runtime worker: %s", redact(message.message))

    def _fail(self, error: WorkerError) -> None:
        if self._failure is None:
            self._failure = error
        for queue in self._queues.values():
            queue.put_nowait(error)
        for waiter in self._cancel_waiters.values():
            if not waiter.done():
                waiter.set_result(False)
        self._handshake.put_nowait(error)

    async def _read_stderr(self) -> None:
        stderr = self.process.stderr  # type: ignore[union-attr]
        while True:
            line = await stderr.readline()
            if not line:
                return
            self._stderr.append(self.redact(line.decode("utf-8", "replace").rstrip()))

    def redact(self, text: str) -> str:
        text = redact(text)
        for value in self.secrets.values():
            if len(value) >= 6:
                text = text.replace(value, REDACTED)
        return text

    def stderr_tail(self) -> str:
        return "\n".join(self._stderr)


def new_request_id() -> str:
    return uuid.uuid4().hex


class WorkerPool:
    """The one worker a process keeps for an interpreter: started on first need
    (or ahead of time with :meth:`warm`), replaced when it dies or when the
    keys change, shut down with :meth:`close`."""

    def __init__(self, python: str | None = None, *, extra_env: Mapping[str, str] | None = None):
        self.python = python
        self.extra_env = dict(extra_env or {})
        self._worker: RuntimeWorker | None = None
        self._starting: asyncio.Task | None = None
        self._secrets: dict[str, str] = {}
        self.started_at: float | None = None

    @property
    def worker(self) -> RuntimeWorker | None:
        return self._worker if self._worker is not None and self._worker.alive else None

    def configure(self, python: str | None, secrets: Mapping[str, str] | None = None) -> None:
        """Use ``python`` with ``secrets`` from now on (a running worker with other
        settings is replaced at the next :meth:`get`)."""
        self.python = python
        if secrets is not None:
            self._secrets = dict(secrets)

    async def get(self) -> RuntimeWorker:
        worker = self._worker
        if (
            worker is not None
            and worker.alive
            and worker.python == os.path.abspath(self.python or "")
            and worker.secrets == self._secrets
        ):
            return worker
        if self._starting is None or self._starting.done():
            if worker is not None:
                asyncio.create_task(worker.shutdown())
                self._worker = None
            self._starting = asyncio.create_task(self._start())
        return await asyncio.shield(self._starting)

    def warm(self) -> asyncio.Task:
        """Start the worker in the background (it takes seconds to import synalinks)."""
        return asyncio.ensure_future(self.get())

    async def _start(self) -> RuntimeWorker:
        worker = RuntimeWorker(self.python or "", secrets=self._secrets, extra_env=self.extra_env)
        self.started_at = time.perf_counter()
        await worker.start()
        self._worker = worker
        return worker

    async def close(self) -> None:
        if self._starting is not None and not self._starting.done():
            self._starting.cancel()
            with contextlib.suppress(BaseException):
                await self._starting
        if self._worker is not None:
            await self._worker.shutdown()
            self._worker = None
