"""Finding, checking and creating the Python environment that has synalinks.

The worker runs in the user's own environment, never the editor's (synalinks
pulls a PyPI package named ``editor`` that would shadow ours). Looking at a
candidate interpreter must be cheap: importing synalinks takes seconds, so
:func:`probe` asks the interpreter for its package metadata instead and never
imports the library. Candidates come in a fixed priority order (an explicit
choice, an environment variable, the active virtualenv, the project's
``.venv-synalinks``, the environment Synalinks Canvas made itself), and
:func:`create_managed_environment` makes that last one with ``venv`` and
``pip``, streaming pip's lines so a person sees progress.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from core.runtime.protocol import SUPPORTED_SYNALINKS

MIN_PYTHON = (3, 12)
"""Synalinks 0.10 needs Python 3.12 or newer."""
WANT = ".".join(map(str, SUPPORTED_SYNALINKS))
REQUIREMENT = f"synalinks>={WANT},<{SUPPORTED_SYNALINKS[0]}.{SUPPORTED_SYNALINKS[1] + 1}"
"""What ``pip`` installs into a new environment (the versions the worker supports)."""

CHOSEN = "chosen"
FROM_ENV_VAR = "SYNALINKS_CANVAS_PYTHON"
ACTIVE_VIRTUALENV = "active virtualenv"
PROJECT_VENV = "project .venv-synalinks"
MANAGED = "managed"

ENV_VAR = "SYNALINKS_CANVAS_PYTHON"
TEST_ENV_VAR = "SYNALINKS_CANVAS_SYNALINKS_PYTHON"
"""The Makefile exports this one for the tests; it counts as ``SYNALINKS_CANVAS_PYTHON``."""
DATA_DIR_ENV_VAR = "SYNALINKS_CANVAS_DATA_DIR"
"""Overrides the user's data folder (tests point it at a temporary one)."""

REPO_ROOT = Path(__file__).resolve().parents[2]
PROBE_MARK = "synalinks-canvas-probe:"
"""Prefix of the probe's answer line, so start-up noise (a sitecustomize print,
a shell wrapper's banner) is never mistaken for it."""

_PROBE_SNIPPET = f"""
import json, sys
try:
    from importlib.metadata import PackageNotFoundError, version
    try:
        found = version("synalinks")
    except PackageNotFoundError:
        found = None
except Exception:
    found = None
print("{PROBE_MARK}" + json.dumps({{"python": list(sys.version_info[:3]), "synalinks": found}}))
"""


class EnvironmentProblem(Exception):
    """An interpreter that cannot be used, or an environment that could not be made.

    ``str()`` is a user-ready sentence; ``python`` and ``source`` say which
    candidate it concerns (when known) and ``log`` holds the full output of the
    failed step (pip's log) for a person to read or copy.
    """

    def __init__(self, message: str, *, python: str = "", source: str = "", log: str = "") -> None:
        super().__init__(message)
        self.python = python
        self.source = source
        self.log = log


class CreationCancelled(EnvironmentProblem):
    """The person cancelled :func:`create_managed_environment`."""


@dataclass(frozen=True)
class SynalinksEnvironment:
    """One interpreter as :func:`probe` found it; ``source`` says where it came from."""

    python: str
    python_version: str
    synalinks_version: str | None
    source: str

    @property
    def usable(self) -> bool:
        """Synalinks is installed in a version the worker supports (0.10.x)."""
        return (
            self.synalinks_version is not None
            and _major_minor(self.synalinks_version) == SUPPORTED_SYNALINKS
        )

    @property
    def problem(self) -> str | None:
        """Why this environment cannot run graphs (one sentence, no final stop), or None."""
        install = f"`{self.python} -m pip install '{REQUIREMENT}'`"
        if self.synalinks_version is None:
            return (
                f"no synalinks in {self.python}: install it with {install} "
                "or choose another environment"
            )
        if not self.usable:
            return (
                f"synalinks {self.synalinks_version} in {self.python} is not supported: "
                f"Synalinks Canvas needs {WANT}.x, install it with {install} "
                "or choose another environment"
            )
        return None


def _major_minor(version: str) -> tuple[int, int] | None:
    """``(0, 10)`` for ``0.10.14``, ``0.10.0rc1`` or ``0.10``; None when unreadable."""
    parts = version.strip().split(".")
    if len(parts) < 2:
        return None
    minor = ""
    for ch in parts[1]:
        if not ch.isdigit():
            break
        minor += ch
    if not parts[0].isdigit() or not minor:
        return None
    return int(parts[0]), int(minor)


# ------------------------------------------------------------------ probing
def probe(python: str, timeout: float = 20, *, source: str = CHOSEN) -> SynalinksEnvironment:
    """Ask ``python`` for its version and its synalinks version (without importing
    synalinks). Raises :class:`EnvironmentProblem` when it cannot answer."""
    path = Path(python).expanduser().absolute()  # never resolved: a venv's python is a link
    python = str(path)
    if not path.exists():
        raise EnvironmentProblem(
            f"no Python interpreter at {python}: the file does not exist; choose another one",
            python=python,
            source=source,
        )
    if path.is_dir() or not os.access(path, os.X_OK):
        raise EnvironmentProblem(
            f"{python} is not an executable program: choose a Python interpreter "
            "(for example the bin/python of a virtualenv)",
            python=python,
            source=source,
        )
    try:
        output, returncode = _run_quietly([python, "-I", "-c", _PROBE_SNIPPET], timeout)
    except subprocess.TimeoutExpired:
        raise EnvironmentProblem(
            f"{python} did not answer within {timeout:g} s: it may be hanging or not be "
            "Python; choose another interpreter",
            python=python,
            source=source,
        ) from None
    except OSError as exc:
        raise EnvironmentProblem(
            f"{python} could not be started ({exc.strerror or exc}): choose a Python interpreter",
            python=python,
            source=source,
        ) from None
    answer = _probe_answer(output)
    if answer is None:
        shown = output.strip().splitlines()[-1][:200] if output.strip() else "nothing"
        raise EnvironmentProblem(
            f"{python} does not look like Python (exit code {returncode}, it printed "
            f"{shown!r}): choose a Python {'.'.join(map(str, MIN_PYTHON))}+ interpreter",
            python=python,
            source=source,
            log=output,
        )
    version, synalinks = answer
    if tuple(version[:2]) < MIN_PYTHON:
        raise EnvironmentProblem(
            f"{python} is Python {'.'.join(map(str, version))}, but synalinks needs Python "
            f"{'.'.join(map(str, MIN_PYTHON))} or newer: choose or create another environment",
            python=python,
            source=source,
        )
    return SynalinksEnvironment(
        python=python,
        python_version=".".join(map(str, version)),
        synalinks_version=synalinks,
        source=source,
    )


def _probe_answer(output: str) -> tuple[list[int], str | None] | None:
    for line in output.splitlines():
        if not line.startswith(PROBE_MARK):
            continue
        try:
            data = json.loads(line[len(PROBE_MARK) :])
            version = [int(part) for part in data["python"]]
            synalinks = data["synalinks"]
        except (ValueError, KeyError, TypeError):
            return None
        if len(version) < 2 or not (synalinks is None or isinstance(synalinks, str)):
            return None
        return version, synalinks
    return None


def _run_quietly(command: list[str], timeout: float) -> tuple[str, int]:
    """Run ``command``; on timeout kill its whole process group (a wrapper script's
    children would otherwise hold the pipe open and the wait would never end)."""
    process = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=_clean_env(),
        **_new_group(),
    )
    try:
        out, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(process)
        process.communicate()
        raise
    return out.decode("utf-8", errors="replace"), process.returncode


def _clean_env() -> dict[str, str]:
    """The environment without what would make another interpreter load our paths."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env["PYTHONUNBUFFERED"] = "1"
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def _new_group() -> dict:
    if sys.platform == "win32":
        return {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP}
    return {"start_new_session": True}


def _kill_group(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    try:
        if sys.platform == "win32":
            process.kill()
        else:
            os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


# --------------------------------------------------------------- candidates
def venv_python(env_dir: str | Path) -> Path:
    """The interpreter inside a virtualenv folder."""
    if sys.platform == "win32":
        return Path(env_dir) / "Scripts" / "python.exe"
    return Path(env_dir) / "bin" / "python"


def managed_env_dir() -> Path:
    """Where Synalinks Canvas keeps the environment it creates (the user's data folder)."""
    return data_dir() / "synalinks-env"


def data_dir() -> Path:
    """The user's data folder for Synalinks Canvas (``SYNALINKS_CANVAS_DATA_DIR``
    wins): the managed environment and the run store live there, computed without
    Qt so the command line and the editor agree."""
    override = os.environ.get(DATA_DIR_ENV_VAR, "").strip()
    if override:
        base = Path(override).expanduser()
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support" / "synalinks-canvas"
    elif sys.platform == "win32":
        local = os.environ.get("LOCALAPPDATA", "").strip()
        base = (Path(local) if local else Path.home() / "AppData" / "Local") / "synalinks-canvas"
    else:
        xdg = os.environ.get("XDG_DATA_HOME", "").strip()
        base = (Path(xdg) if xdg else Path.home() / ".local" / "share") / "synalinks-canvas"
    return base


def candidates(settings_python: str | None = None) -> list[tuple[str, str]]:
    """``(python, source)`` pairs to try, best first, existing files only.

    Duplicates are dropped by path with the folders resolved but not the
    interpreter itself: a virtualenv's ``bin/python`` is a link to the base
    interpreter, and resolving it would merge every virtualenv into one.
    """
    wanted: list[tuple[str | Path | None, str]] = [
        (settings_python, CHOSEN),
        (os.environ.get(ENV_VAR), FROM_ENV_VAR),
        (os.environ.get(TEST_ENV_VAR), FROM_ENV_VAR),
    ]
    active = os.environ.get("VIRTUAL_ENV", "").strip()
    if active:
        wanted.append((venv_python(active), ACTIVE_VIRTUALENV))
    wanted.append((venv_python(REPO_ROOT / ".venv-synalinks"), PROJECT_VENV))
    wanted.append((venv_python(Path.cwd() / ".venv-synalinks"), PROJECT_VENV))
    wanted.append((venv_python(managed_env_dir()), MANAGED))
    found: list[tuple[str, str]] = []
    seen: set[Path] = set()
    for python, source in wanted:
        if not python or not str(python).strip():
            continue
        path = Path(str(python).strip()).expanduser()
        if not path.is_file():
            continue
        key = path.absolute().parent.resolve() / path.name
        if key in seen:
            continue
        seen.add(key)
        found.append((str(path.absolute()), source))
    return found


def find_environment(
    settings_python: str | None = None, timeout: float = 20
) -> SynalinksEnvironment | None:
    """The environment to run graphs with.

    A chosen interpreter is never silently replaced by another: it is probed and
    returned even when it lacks synalinks (its ``problem`` says so), and a
    broken choice raises :class:`EnvironmentProblem`. Without a choice, the
    first usable candidate, else None.
    """
    if settings_python:
        return probe(settings_python, timeout, source=CHOSEN)
    for python, source in candidates(None):
        try:
            found = probe(python, timeout, source=source)
        except EnvironmentProblem:
            continue
        if found.usable:
            return found
    return None


def find_all(
    settings_python: str | None = None, timeout: float = 20
) -> list[SynalinksEnvironment | EnvironmentProblem]:
    """Every candidate with what probing it found, in priority order (probed in
    parallel: a settings page lists them all)."""
    pairs = candidates(settings_python)
    if not pairs:
        return []

    def one(pair: tuple[str, str]) -> SynalinksEnvironment | EnvironmentProblem:
        try:
            return probe(pair[0], timeout, source=pair[1])
        except EnvironmentProblem as exc:
            return exc

    with ThreadPoolExecutor(max_workers=min(8, len(pairs))) as pool:
        return list(pool.map(one, pairs))


# ----------------------------------------------------------------- creation
def default_base_python() -> str | None:
    """An interpreter to build a new environment from: the running one when it is
    recent enough (synalinks needs 3.12+), else None (the person must choose)."""
    if sys.version_info[:2] >= MIN_PYTHON and sys.executable:
        return sys.executable
    return None


def create_managed_environment(
    base_python: str,
    on_line: Callable[[str], None],
    target: Path | None = None,
    requirement: str = REQUIREMENT,
    *,
    cancel: threading.Event | None = None,
    pip_args: Sequence[str] = (),
) -> SynalinksEnvironment:
    """Make a virtualenv at ``target`` (default :func:`managed_env_dir`) from
    ``base_python`` and pip-install ``requirement`` into it, giving every output
    line to ``on_line`` (called from this thread).

    Raises :class:`EnvironmentProblem` (``.log`` holds the full output) when a
    step fails, :class:`CreationCancelled` when ``cancel`` is set meanwhile.
    A failed environment is left in place: the next attempt reuses it.
    """
    target = Path(target) if target is not None else managed_env_dir()
    target.parent.mkdir(parents=True, exist_ok=True)
    log: list[str] = []
    on_line(f"Creating a virtualenv in {target} with {base_python}")
    _step(
        [base_python, "-m", "venv", str(target)],
        f"creating the virtualenv in {target} with {base_python}",
        on_line,
        log,
        cancel,
    )
    python = venv_python(target)
    on_line(f"Installing {requirement}")
    _step(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "--disable-pip-version-check",
            *pip_args,
            requirement,
        ],
        f"installing {requirement} with pip",
        on_line,
        log,
        cancel,
    )
    try:
        made = probe(str(python), source=MANAGED)
    except EnvironmentProblem as exc:
        raise EnvironmentProblem(
            f"the new environment does not answer: {exc}", python=str(python), log="\n".join(log)
        ) from None
    if not made.usable:
        raise EnvironmentProblem(
            f"pip finished but {made.problem}", python=str(python), log="\n".join(log)
        )
    return made


def _step(
    command: list[str],
    what: str,
    on_line: Callable[[str], None],
    log: list[str],
    cancel: threading.Event | None,
) -> None:
    """Run one creation step, streaming its lines; raise when it fails or is cancelled."""
    log.append("$ " + " ".join(command))
    try:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            env=_clean_env(),
            text=True,
            encoding="utf-8",
            errors="replace",
            **_new_group(),
        )
    except OSError as exc:
        raise EnvironmentProblem(
            f"{what} failed: {command[0]} could not be started ({exc.strerror or exc}); "
            "choose another Python 3.12+ interpreter",
            log="\n".join(log),
        ) from None
    finished = threading.Event()

    def watch() -> None:
        if cancel is None:
            return
        while not finished.is_set():
            if cancel.wait(0.1):
                _kill_group(process)
                return

    watcher = threading.Thread(target=watch, name="environment cancel watch", daemon=True)
    watcher.start()
    try:
        assert process.stdout is not None
        for raw in process.stdout:
            line = raw.rstrip("\r\n")
            log.append(line)
            if line.strip():
                on_line(line)
        returncode = process.wait()
    finally:
        finished.set()
        _kill_group(process)
        watcher.join()
    if cancel is not None and cancel.is_set():
        raise CreationCancelled(f"cancelled while {what}", log="\n".join(log))
    if returncode != 0:
        last = next((line for line in reversed(log) if line.strip()), "")
        raise EnvironmentProblem(
            f"{what} failed (exit code {returncode}): {last.strip()[:300]}; "
            "see the log for details",
            log="\n".join(log),
        )
