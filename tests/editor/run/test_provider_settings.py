"""Provider keys: a private file written atomically, masked once entered, never in
graph files; the Settings dialog."""

from __future__ import annotations

import json
import stat

import pytest
from PySide6.QtWidgets import QLabel, QLineEdit

from editor.run.provider_settings import MASK, ProviderSettings, mask
from editor.run.settings_dialog import ProviderSettingsDialog

KEY = "sk-canvas-settings-test-key-abcdef987654"


def _texts(dialog) -> str:
    """Everything the dialog displays, placeholders included."""
    parts = []
    for label in dialog.findChildren(QLabel):
        parts.append(label.text())
    for edit in dialog.findChildren(QLineEdit):
        parts.extend([edit.text(), edit.placeholderText(), edit.displayText()])
    return "\n".join(parts)


def test_keys_are_saved_with_mode_0600_atomically(providers):
    providers.set_key("OPENAI_API_KEY", KEY)
    providers.set_api_base("http://127.0.0.1:8080/v1")
    providers.save()
    path = providers.path
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in path.parent.iterdir()] == ["providers.json"]  # no temporary left
    data = json.loads(path.read_text())
    assert (
        data["keys"] == {"OPENAI_API_KEY": KEY} and data["api_base"] == "http://127.0.0.1:8080/v1"
    )
    again = ProviderSettings(path)
    assert again.keys() == {"OPENAI_API_KEY": KEY}
    assert again.masked("OPENAI_API_KEY") == MASK + "7654"
    path.chmod(0o644)  # even a file made readable by others goes back to 0600 on save
    again.remove_key("OPENAI_API_KEY")
    again.save()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert ProviderSettings(path).keys() == {}


def test_masking_never_shows_more_than_four_characters():
    assert mask(KEY) == "\u2022\u2022\u2022\u20227654"
    assert mask("short-key") == MASK  # too short to show any of it
    assert mask("") == ""


def test_bad_values_are_refused(providers):
    with pytest.raises(ValueError, match="not a variable name"):
        providers.set_key("openai key", KEY)
    with pytest.raises(ValueError, match="empty"):
        providers.set_key("OPENAI_API_KEY", "  ")
    with pytest.raises(ValueError, match="not an http"):
        providers.set_api_base("ftp://example")


def test_an_unreadable_file_is_reported_not_fatal(tmp_path):
    path = tmp_path / "providers.json"
    path.write_text("{not json")
    store = ProviderSettings(path)
    assert store.keys() == {} and "not a valid settings file" in store.load_problem


def test_the_dialog_takes_a_key_then_only_shows_it_masked(qtbot, providers, monkeypatch):
    monkeypatch.setenv("GROQ_API_KEY", "gsk-from-the-environment-0000wxyz")
    dialog = ProviderSettingsDialog(providers)
    qtbot.addWidget(dialog)
    row = dialog.rows["OPENAI_API_KEY"]
    assert row.edit.echoMode() == QLineEdit.EchoMode.Password
    assert row.status.text() == "not set"
    assert dialog.rows["GROQ_API_KEY"].status.text() == f"environment {MASK}wxyz"
    qtbot.keyClicks(row.edit, KEY)
    assert KEY not in row.edit.displayText()  # hidden while typed
    assert dialog.save()
    assert providers.keys()["OPENAI_API_KEY"] == KEY
    assert stat.S_IMODE(providers.path.stat().st_mode) == 0o600

    reopened = ProviderSettingsDialog(ProviderSettings(providers.path))
    qtbot.addWidget(reopened)
    shown = _texts(reopened)
    assert KEY not in shown and KEY[:-4] not in shown
    assert reopened.rows["OPENAI_API_KEY"].status.text() == f"stored {MASK}7654"
    assert reopened.rows["OPENAI_API_KEY"].edit.text() == ""
    reopened.rows["OPENAI_API_KEY"].forget.click()
    assert reopened.save()
    assert ProviderSettings(providers.path).keys() == {}


def test_the_dialog_keeps_another_providers_key_and_refuses_a_bad_name(qtbot, providers):
    dialog = ProviderSettingsDialog(providers)
    qtbot.addWidget(dialog)
    dialog.other_variable.setText("cohere key")
    dialog.other_key.setText("cohere-secret-123456789")
    assert not dialog.save()
    assert "not a variable name" in dialog.error_label.text()
    assert not providers.path.exists()  # nothing written
    dialog.other_variable.setText("COHERE_API_KEY")
    assert dialog.save()
    assert ProviderSettings(providers.path).keys() == {"COHERE_API_KEY": "cohere-secret-123456789"}


def test_settings_action_opens_the_dialog_and_keys_stay_out_of_the_graph(
    qtbot, run_window, providers, tmp_path
):
    window = run_window
    window.actions.settings.trigger()
    dialog = window.run_controller.settings_dialog
    assert isinstance(dialog, ProviderSettingsDialog) and dialog.isVisible()
    dialog.rows["ANTHROPIC_API_KEY"].edit.setText(KEY)
    assert dialog.save()
    saved = tmp_path / "graph.json"
    assert window.save_to(saved)
    assert KEY not in saved.read_text()
    assert providers.keys() == {"ANTHROPIC_API_KEY": KEY}
