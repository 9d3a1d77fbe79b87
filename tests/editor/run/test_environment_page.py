"""The Settings page for the Synalinks environment: what it finds, choosing an
interpreter (kept only when it has synalinks), and creating one with pip in a
thread (progress, failure log, cancel)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog

from core.runtime import environment as env
from core.runtime.environment import CreationCancelled, EnvironmentProblem, SynalinksEnvironment
from editor.run import environment_page
from editor.run.environment_page import SynalinksEnvironmentPage
from editor.run.settings_dialog import ProviderSettingsDialog
from tests.support.synalinks_runner import require_synalinks_python

ROOT = Path(__file__).resolve().parents[3]
PLAIN_PYTHON = str(ROOT / ".venv" / "bin" / "python")
WAIT_MS = 15_000


@pytest.fixture
def isolated(monkeypatch, tmp_path):
    """No environment found unless a test puts one in place."""
    for var in (env.ENV_VAR, env.TEST_ENV_VAR, "VIRTUAL_ENV"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setattr(env, "REPO_ROOT", tmp_path / "repo")
    monkeypatch.setenv(env.DATA_DIR_ENV_VAR, str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def page(qtbot, settings, isolated):
    page = SynalinksEnvironmentPage(settings)
    qtbot.addWidget(page)
    yield page
    qtbot.waitUntil(lambda: not page.busy, timeout=WAIT_MS)


def shown(qtbot, page) -> SynalinksEnvironmentPage:
    page.show()
    qtbot.waitUntil(lambda: not page.checking, timeout=WAIT_MS)
    return page


def rows(page) -> list[list[str]]:
    tree = page.candidate_list
    return [
        [tree.topLevelItem(i).text(c) for c in range(3)] for i in range(tree.topLevelItemCount())
    ]


def test_the_synalinks_venv_named_by_the_test_variable_is_in_use(qtbot, page, monkeypatch):
    python = str(require_synalinks_python())
    monkeypatch.setenv(env.TEST_ENV_VAR, python)
    shown(qtbot, page)
    text = page.current_label.text()
    assert "In use:" in text and python in text
    assert "synalinks 0.10.14" in text and "found via SYNALINKS_CANVAS_PYTHON" in text
    assert rows(page)[0][:2] == [python, "SYNALINKS_CANVAS_PYTHON"]
    assert rows(page)[0][2].startswith("synalinks 0.10.14")
    assert not page.auto_button.isEnabled()  # nothing chosen to forget


def test_none_found_says_what_to_do(qtbot, page):
    shown(qtbot, page)
    assert "No Python environment with synalinks 0.10 was found" in page.current_label.text()
    assert rows(page) == []
    assert page.create_button.isEnabled()


def test_a_python_without_synalinks_is_refused_and_a_good_one_kept(
    qtbot, page, settings, monkeypatch
):
    shown(qtbot, page)
    picked = [PLAIN_PYTHON]
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (picked[0], ""))
    )
    page.choose_button.click()
    qtbot.waitUntil(
        lambda: not page.checking and page.problem_label.isVisibleTo(page), timeout=WAIT_MS
    )
    problem = page.problem_label.text()
    assert problem.startswith(f"{PLAIN_PYTHON} was not kept: no synalinks in {PLAIN_PYTHON}")
    assert "pip install 'synalinks>=0.10,<0.11'" in problem
    assert settings.synalinks_python == ""

    picked[0] = str(require_synalinks_python())
    page.choose_button.click()
    qtbot.waitUntil(
        lambda: not page.checking and "In use" in page.current_label.text(), timeout=WAIT_MS
    )
    assert settings.synalinks_python == picked[0]
    assert "found via chosen" in page.current_label.text()
    assert not page.problem_label.isVisibleTo(page)
    assert page.auto_button.isEnabled()

    page.auto_button.click()
    qtbot.waitUntil(lambda: not page.checking, timeout=WAIT_MS)
    assert settings.synalinks_python == ""


def test_a_chosen_interpreter_that_vanished_is_explained(qtbot, page, settings, isolated):
    settings.synalinks_python = str(isolated / "gone" / "bin" / "python")
    shown(qtbot, page)
    text = page.current_label.text()
    assert "The chosen interpreter cannot run graphs" in text and "no Python interpreter at" in text
    assert rows(page)[0][1] == "chosen"


def test_a_failed_creation_shows_the_last_line_then_the_log(qtbot, page, settings, monkeypatch):
    shown(qtbot, page)
    release = threading.Event()
    pip_log = "Collecting synalinks\nERROR: No matching distribution found for synalinks"

    def failing(base_python, on_line, target=None, requirement="", *, cancel=None, pip_args=()):
        on_line("Creating a virtualenv")
        on_line("Collecting synalinks")
        release.wait(10)
        raise EnvironmentProblem("installing synalinks with pip failed (exit code 1)", log=pip_log)

    monkeypatch.setattr(environment_page, "create_managed_environment", failing)
    page.create_button.click()
    qtbot.waitUntil(lambda: page.last_line.text() == "Collecting synalinks", timeout=WAIT_MS)
    assert page.creating and page.progress_box.isVisibleTo(page)
    assert not page.create_button.isEnabled() and not page.choose_button.isEnabled()
    release.set()
    qtbot.waitUntil(lambda: not page.creating, timeout=WAIT_MS)
    assert not page.progress_box.isVisibleTo(page)
    assert page.problem_label.text() == (
        "The environment could not be created: installing synalinks with pip failed (exit code 1)."
    )
    assert page.log_buttons.isVisibleTo(page) and not page.log_view.isVisibleTo(page)
    page.log_button.click()
    assert page.log_view.isVisibleTo(page) and page.log_view.toPlainText() == pip_log
    page.copy_button.click()
    assert QGuiApplication.clipboard().text() == pip_log
    assert settings.synalinks_python == ""


def test_creation_can_be_cancelled(qtbot, page, monkeypatch):
    shown(qtbot, page)
    seen: dict[str, threading.Event] = {}

    def slow(base_python, on_line, target=None, requirement="", *, cancel=None, pip_args=()):
        seen["cancel"] = cancel
        on_line("Downloading synalinks-0.10.14-py3-none-any.whl")
        if not cancel.wait(10):
            raise AssertionError("never cancelled")
        raise CreationCancelled("cancelled while installing synalinks with pip", log="Downloading")

    monkeypatch.setattr(environment_page, "create_managed_environment", slow)
    page.create_button.click()
    qtbot.waitUntil(lambda: page.last_line.text().startswith("Downloading"), timeout=WAIT_MS)
    page.cancel_button.click()
    assert seen["cancel"].is_set() and not page.cancel_button.isEnabled()
    qtbot.waitUntil(lambda: not page.busy, timeout=WAIT_MS)
    assert page.problem_label.text() == "Creating the environment was cancelled."
    assert page.create_button.isEnabled() and not page.progress_box.isVisibleTo(page)


def test_a_created_environment_is_chosen(qtbot, page, settings, monkeypatch):
    python = str(require_synalinks_python())
    shown(qtbot, page)

    def made(base_python, on_line, target=None, requirement="", *, cancel=None, pip_args=()):
        on_line("Successfully installed synalinks-0.10.14")
        return SynalinksEnvironment(python, "3.12.1", "0.10.14", "managed")

    monkeypatch.setattr(environment_page, "create_managed_environment", made)
    page.create_button.click()
    qtbot.waitUntil(
        lambda: not page.busy and "In use" in page.current_label.text(), timeout=WAIT_MS
    )
    assert settings.synalinks_python == python
    assert not page.problem_label.isVisibleTo(page)


def test_the_settings_dialog_has_the_environment_tab_and_fits_a_small_screen(
    qtbot, providers, settings, isolated
):
    dialog = ProviderSettingsDialog(providers, settings=settings)
    qtbot.addWidget(dialog)
    assert [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())] == [
        "Providers",
        "Synalinks environment",
    ]
    dialog.show()
    assert not dialog.environment_page.checking  # nothing probed until the tab is seen
    dialog.tabs.setCurrentWidget(dialog.environment_page)
    qtbot.waitUntil(lambda: not dialog.environment_page.checking, timeout=WAIT_MS)
    assert dialog.height() <= 720 and dialog.width() <= 1280
    assert dialog.environment_page.settings is settings
    dialog.reject()


def test_the_choice_survives_the_ini_round_trip(settings, tmp_path):
    from editor.settings import Settings

    assert settings.synalinks_python == ""
    settings.synalinks_python = "  /opt/env/bin/python "
    settings.sync()
    assert Settings.at_path(tmp_path / "settings.ini").synalinks_python == "/opt/env/bin/python"
