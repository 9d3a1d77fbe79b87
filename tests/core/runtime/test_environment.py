"""Finding and making the Synalinks environment: probing real and fake
interpreters, the candidates' order, and creating a virtualenv offline."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import sys
import threading
import time
import zipfile
from pathlib import Path

import pytest

from core.runtime import environment as env
from core.runtime.environment import (
    CreationCancelled,
    EnvironmentProblem,
    SynalinksEnvironment,
    candidates,
    create_managed_environment,
    find_all,
    find_environment,
    managed_env_dir,
    probe,
)
from tests.support.synalinks_runner import require_synalinks_python

ROOT = Path(__file__).resolve().parents[3]
PLAIN_PYTHON = ROOT / ".venv" / "bin" / "python"

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="fake interpreters are sh scripts")


def fake_python(path: Path, body: str) -> Path:
    """A shell script standing in for an interpreter."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\n" + body + "\n")
    path.chmod(0o755)
    return path


def answering(path: Path, python=(3, 12, 4), synalinks: str | None = "0.10.7") -> Path:
    """A fake interpreter that gives the probe's answer."""
    answer = json.dumps({"python": list(python), "synalinks": synalinks})
    return fake_python(path, f"echo '{env.PROBE_MARK}{answer}'")


@pytest.fixture
def no_candidates(monkeypatch, tmp_path):
    """No environment variable, active virtualenv, project or managed environment."""
    for var in (env.ENV_VAR, env.TEST_ENV_VAR, "VIRTUAL_ENV"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setattr(env, "REPO_ROOT", tmp_path / "repo")
    monkeypatch.setenv(env.DATA_DIR_ENV_VAR, str(tmp_path / "data"))
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)
    return tmp_path


# ------------------------------------------------------------------ probing
def test_the_synalinks_venv_is_found_usable_without_importing_synalinks():
    python = str(require_synalinks_python())
    started = time.monotonic()
    found = probe(python)
    assert time.monotonic() - started < 5  # importing synalinks alone takes longer
    assert found.synalinks_version == "0.10.14"
    assert found.python_version.startswith("3.")
    assert found.usable and found.problem is None
    assert found.source == "chosen"
    assert Path(found.python).is_absolute()


def test_a_python_without_synalinks_is_not_usable_and_says_how_to_install():
    found = probe(str(PLAIN_PYTHON))
    assert found.synalinks_version is None and not found.usable
    assert found.problem.startswith(f"no synalinks in {PLAIN_PYTHON}")
    assert f"{PLAIN_PYTHON} -m pip install 'synalinks>=0.10,<0.11'" in found.problem
    assert "choose another environment" in found.problem


@pytest.mark.parametrize(
    ("version", "usable"),
    [("0.10.14", True), ("0.10.0rc1", True), ("0.10", True), ("0.9.3", False), ("0.11.0", False)],
)
def test_only_0_10_versions_are_usable(version, usable):
    found = SynalinksEnvironment("/x/bin/python", "3.12.1", version, "chosen")
    assert found.usable is usable
    if not usable:
        assert found.problem.startswith(f"synalinks {version} in /x/bin/python is not supported")
        assert "needs 0.10.x" in found.problem


def test_an_unreadable_version_is_not_usable():
    assert not SynalinksEnvironment("/x", "3.12.1", "dev", "chosen").usable


def test_a_missing_interpreter_is_named(tmp_path):
    missing = tmp_path / "nowhere" / "python"
    with pytest.raises(
        EnvironmentProblem, match="no Python interpreter at .*nowhere/python"
    ) as info:
        probe(str(missing))
    assert info.value.python == str(missing)


@posix_only
def test_a_file_that_is_not_executable_or_a_folder_is_refused(tmp_path):
    plain = tmp_path / "python"
    plain.write_text("not a program")
    with pytest.raises(EnvironmentProblem, match="not an executable program"):
        probe(str(plain))
    with pytest.raises(EnvironmentProblem, match="not an executable program"):
        probe(str(tmp_path))


@posix_only
def test_a_program_that_is_not_python_is_refused_with_what_it_printed(tmp_path):
    garbage = fake_python(tmp_path / "python", "echo 'hello from a shell'; exit 3")
    with pytest.raises(EnvironmentProblem, match="does not look like Python") as info:
        probe(str(garbage))
    assert "exit code 3" in str(info.value) and "hello from a shell" in str(info.value)


@posix_only
def test_a_garbled_answer_is_refused(tmp_path):
    garbled = fake_python(tmp_path / "python", f"echo '{env.PROBE_MARK}{{not json'")
    with pytest.raises(EnvironmentProblem, match="does not look like Python"):
        probe(str(garbled))


@posix_only
def test_an_old_python_is_refused(tmp_path):
    old = answering(tmp_path / "python", python=(3, 11, 9), synalinks=None)
    with pytest.raises(
        EnvironmentProblem, match=r"Python 3\.11\.9, but synalinks needs Python 3\.12"
    ):
        probe(str(old))


@posix_only
def test_a_hanging_interpreter_times_out_and_is_killed(tmp_path):
    hanging = fake_python(tmp_path / "python", "sleep 30")
    started = time.monotonic()
    with pytest.raises(EnvironmentProblem, match="did not answer within 0.5 s"):
        probe(str(hanging), timeout=0.5)
    assert time.monotonic() - started < 5  # the shell's sleeping child did not keep us waiting


@posix_only
def test_the_answer_is_found_among_start_up_noise(tmp_path):
    noisy = tmp_path / "python"
    answer = json.dumps({"python": [3, 13, 0], "synalinks": "0.10.2"})
    fake_python(noisy, f"echo 'welcome'; echo '{env.PROBE_MARK}{answer}'")
    found = probe(str(noisy))
    assert (found.python_version, found.synalinks_version, found.usable) == (
        "3.13.0",
        "0.10.2",
        True,
    )


# --------------------------------------------------------------- candidates
def test_managed_env_dir_honours_the_override(monkeypatch, tmp_path):
    monkeypatch.setenv(env.DATA_DIR_ENV_VAR, str(tmp_path / "data"))
    assert managed_env_dir() == tmp_path / "data" / "synalinks-env"


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="the XDG layout is Linux's")
def test_managed_env_dir_follows_xdg(monkeypatch, tmp_path):
    monkeypatch.delenv(env.DATA_DIR_ENV_VAR, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert managed_env_dir() == tmp_path / "xdg" / "synalinks-canvas" / "synalinks-env"


@posix_only
def test_candidates_come_in_priority_order(no_candidates, monkeypatch):
    tmp = no_candidates
    chosen = answering(tmp / "chosen" / "bin" / "python")
    from_var = answering(tmp / "var" / "bin" / "python")
    from_test_var = answering(tmp / "testvar" / "bin" / "python")
    active = answering(tmp / "active" / "bin" / "python")
    project = answering(tmp / "repo" / ".venv-synalinks" / "bin" / "python")
    in_cwd = answering(tmp / "cwd" / ".venv-synalinks" / "bin" / "python")
    managed = answering(tmp / "data" / "synalinks-env" / "bin" / "python")
    monkeypatch.setenv(env.ENV_VAR, str(from_var))
    monkeypatch.setenv(env.TEST_ENV_VAR, str(from_test_var))
    monkeypatch.setenv("VIRTUAL_ENV", str(tmp / "active"))
    assert candidates(str(chosen)) == [
        (str(chosen), "chosen"),
        (str(from_var), "SYNALINKS_CANVAS_PYTHON"),
        (str(from_test_var), "SYNALINKS_CANVAS_PYTHON"),
        (str(active), "active virtualenv"),
        (str(project), "project .venv-synalinks"),
        (str(in_cwd), "project .venv-synalinks"),
        (str(managed), "managed"),
    ]


@posix_only
def test_candidates_drop_missing_files_and_duplicates_but_keep_linked_venvs_apart(
    no_candidates, monkeypatch
):
    tmp = no_candidates
    project = answering(tmp / "repo" / ".venv-synalinks" / "bin" / "python")
    (tmp / "link-to-repo").symlink_to(tmp / "repo")
    monkeypatch.setenv(
        env.ENV_VAR, str(tmp / "link-to-repo" / ".venv-synalinks" / "bin" / "python")
    )
    monkeypatch.setenv(env.TEST_ENV_VAR, str(tmp / "missing" / "python"))
    monkeypatch.setenv("VIRTUAL_ENV", str(tmp / "repo" / ".venv-synalinks"))
    # A second venv whose python links to the same base interpreter stays a candidate.
    other = tmp / "data" / "synalinks-env" / "bin" / "python"
    other.parent.mkdir(parents=True)
    other.symlink_to(project)
    found = candidates(None)
    assert [source for _, source in found] == ["SYNALINKS_CANVAS_PYTHON", "managed"]
    assert found[1] == (str(other), "managed")


def test_no_candidates_means_no_environment(no_candidates):
    assert candidates(None) == []
    assert find_environment(None) is None
    assert find_all(None) == []


@posix_only
def test_find_environment_skips_broken_and_unusable_candidates(no_candidates, monkeypatch):
    tmp = no_candidates
    broken = fake_python(tmp / "var" / "python", "echo nope")
    without = answering(tmp / "active" / "bin" / "python", synalinks=None)
    good = answering(tmp / "data" / "synalinks-env" / "bin" / "python", synalinks="0.10.1")
    monkeypatch.setenv(env.ENV_VAR, str(broken))
    monkeypatch.setenv("VIRTUAL_ENV", str(tmp / "active"))
    found = find_environment(None)
    assert found is not None and found.python == str(good) and found.source == "managed"

    listed = find_all(None)
    assert isinstance(listed[0], EnvironmentProblem) and listed[0].python == str(broken)
    assert listed[0].source == "SYNALINKS_CANVAS_PYTHON"
    assert isinstance(listed[1], SynalinksEnvironment) and listed[1].python == str(without)
    assert not listed[1].usable
    assert listed[2] == found


@posix_only
def test_a_chosen_interpreter_is_never_silently_replaced(no_candidates):
    tmp = no_candidates
    answering(tmp / "data" / "synalinks-env" / "bin" / "python")  # usable, but not chosen
    chosen = answering(tmp / "chosen" / "python", synalinks=None)
    found = find_environment(str(chosen))
    assert found.source == "chosen" and "no synalinks" in found.problem
    with pytest.raises(EnvironmentProblem, match="no Python interpreter"):
        find_environment(str(tmp / "gone" / "python"))


def test_the_real_synalinks_venv_is_found_through_the_test_variable(no_candidates, monkeypatch):
    python = str(require_synalinks_python())
    monkeypatch.setenv(env.TEST_ENV_VAR, python)
    found = find_environment(None)
    assert found is not None and found.usable
    assert found.source == "SYNALINKS_CANVAS_PYTHON" and found.synalinks_version == "0.10.14"


# ----------------------------------------------------------------- creation
def fake_synalinks_wheel(folder: Path, version: str = "0.10.99") -> Path:
    """A pure-Python wheel named synalinks, built by hand (no network, no setuptools)."""
    dist_info = f"synalinks-{version}.dist-info"
    files = {
        "synalinks/__init__.py": f'__version__ = "{version}"\n',
        f"{dist_info}/METADATA": f"Metadata-Version: 2.1\nName: synalinks\nVersion: {version}\n",
        f"{dist_info}/WHEEL": (
            "Wheel-Version: 1.0\nGenerator: synalinks-canvas-tests\n"
            "Root-Is-Purelib: true\nTag: py3-none-any\n"
        ),
    }
    record = []
    for name, text in files.items():
        data = text.encode()
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        record.append(f"{name},sha256={digest},{len(data)}")
    record.append(f"{dist_info}/RECORD,,")
    files[f"{dist_info}/RECORD"] = "\n".join(record) + "\n"
    wheel = folder / f"synalinks-{version}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return wheel


def test_a_managed_environment_is_created_offline_with_every_line_streamed(tmp_path):
    wheel = fake_synalinks_wheel(tmp_path)
    target = tmp_path / "made"
    lines: list[str] = []
    made = create_managed_environment(
        sys.executable, lines.append, target, str(wheel), pip_args=["--no-index"]
    )
    assert made.usable and made.synalinks_version == "0.10.99" and made.source == "managed"
    assert made.python == str(env.venv_python(target))
    assert lines[0] == f"Creating a virtualenv in {target} with {sys.executable}"
    assert any("Successfully installed synalinks-0.10.99" in line for line in lines)


def test_a_failed_install_says_what_failed_and_keeps_pips_log(tmp_path):
    lines: list[str] = []
    with pytest.raises(EnvironmentProblem) as info:
        create_managed_environment(
            sys.executable,
            lines.append,
            tmp_path / "made",
            "synalinks-canvas-no-such-package==1.0",
            pip_args=["--no-index"],
        )
    message = str(info.value)
    assert message.startswith("installing synalinks-canvas-no-such-package==1.0 with pip failed")
    assert "No matching distribution found" in message and "see the log" in message
    assert "pip install --disable-pip-version-check --no-index" in info.value.log
    assert "No matching distribution found" in info.value.log
    assert not isinstance(info.value, CreationCancelled)
    assert lines and lines[-1] in info.value.log


def test_a_missing_base_interpreter_is_reported(tmp_path):
    with pytest.raises(EnvironmentProblem, match="could not be started"):
        create_managed_environment(str(tmp_path / "no-python"), lambda line: None, tmp_path / "m")


@posix_only
def test_creation_can_be_cancelled_while_a_step_runs(tmp_path):
    slow = fake_python(tmp_path / "base-python", "echo working; sleep 30")
    cancel = threading.Event()
    lines: list[str] = []

    def on_line(line: str) -> None:
        lines.append(line)
        if line == "working":
            cancel.set()

    started = time.monotonic()
    with pytest.raises(CreationCancelled, match="cancelled while creating the virtualenv") as info:
        create_managed_environment(str(slow), on_line, tmp_path / "made", cancel=cancel)
    assert time.monotonic() - started < 10
    assert "working" in info.value.log


def test_default_base_python_is_the_running_one_when_recent():
    assert env.default_base_python() == (sys.executable if sys.version_info >= (3, 12) else None)


def test_probing_leaves_pythonpath_out(monkeypatch, tmp_path):
    """Our PYTHONPATH must not leak into the probed interpreter (it would shadow packages)."""
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    assert "PYTHONPATH" not in env._clean_env()
    assert os.environ["PYTHONPATH"] == str(tmp_path)
