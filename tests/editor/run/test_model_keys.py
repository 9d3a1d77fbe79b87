"""The toolbar's model choices show each provider's key status, and a missing key
is a warning in Problems before Run (never the key itself)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from core.commands import SetMeta
from editor.run.model_selector import ModelSelector


def key_warnings(window) -> list[str]:
    return [d.message for d in window.document.diagnostics if d.code == "model_key_missing"]


def test_choices_carry_key_status_and_problems_warn_before_run(
    qtbot, run_window, providers, monkeypatch, settings
):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("GROQ_API_KEY", raising=False)
    monkeypatch.chdir(run_window.document.path.parent)  # no .env here
    window, controller = run_window, run_window.run_controller
    selector = controller.selector
    controller.refresh_keys()
    assert key_warnings(window) == []  # the seed runs offline
    assert selector.itemText(1) == "Offline model for all nodes"
    assert selector.itemData(1, Qt.ItemDataRole.ToolTipRole) == "no key needed"

    window.document.push(SetMeta({"default_model": "openai/gpt-4o-mini"}))
    assert selector.itemText(0) == (
        "⚠ Graph's models: openai/gpt-4o-mini — key missing: OPENAI_API_KEY"
    )
    warnings = key_warnings(window)
    assert len(warnings) == 2 and "branch_1: its model openai/gpt-4o-mini needs" in warnings[0]

    selector.set_choice("offline")  # runs every node offline: nothing to warn about
    assert key_warnings(window) == []

    # Any litellm model string, typed in; remembered as a recent model.
    selector.ask_model = lambda: ("groq/llama-3.3-70b-versatile", True)
    selector.setCurrentIndex(selector.findData("other"))
    assert selector.model_override() == "groq/llama-3.3-70b-versatile"
    assert selector.currentText() == "⚠ groq/llama-3.3-70b-versatile — key missing: GROQ_API_KEY"
    assert len(key_warnings(window)) == 2
    assert settings.recent_models[0] == "groq/llama-3.3-70b-versatile"
    assert ModelSelector(settings).choice() == "model:groq/llama-3.3-70b-versatile"

    # A key stored in Settings: found, and the warnings go; the key is never shown.
    providers.set_key("GROQ_API_KEY", "gsk-secret-value-123456")
    controller.refresh_keys()
    assert selector.currentText() == "✓ groq/llama-3.3-70b-versatile — key found (settings)"
    assert key_warnings(window) == []
    texts = [selector.itemText(i) for i in range(selector.count())]
    assert not any("secret" in t or "3456" in t for t in texts)

    # A key in a .env beside the graph counts too.
    selector.set_choice("graph")
    (window.document.path.parent / ".env").write_text("OPENAI_API_KEY=sk-from-dotenv\n")
    controller.refresh_keys()
    assert selector.itemText(0).endswith("key found (.env)")
    assert key_warnings(window) == []
