"""The Prompt page: the exact request a model node sent, and the raw answer."""

from __future__ import annotations

import json

from editor.results.prompt_page import CACHED, NO_MODEL
from editor.results.result_panel import PAGES
from tests.editor.run.conftest import node_id, wait_finished


def _run(qtbot, window):
    entry = window.run_controller.start()
    assert entry is not None
    wait_finished(qtbot, window)
    return entry


def test_an_output_panel_shows_the_messages_format_and_raw_answer_of_its_branch(qtbot, run_window):
    window = run_window
    window.run_controller.cache_toggle.action.setChecked(False)  # a real model call
    entry = _run(qtbot, window)
    panel = next(iter(window.results_area.outputs.panels.values()))
    assert "Prompt" in PAGES and panel.pages.tabText(PAGES.index("Prompt")) == "Prompt"
    panel.pages.setCurrentIndex(PAGES.index("Prompt"))
    shown = panel.displayed_prompt()
    (prompt,) = entry.record.by_name("branch_1").prompts
    assert prompt.messages[0]["content"] in shown  # the system message, whole
    assert "What is the meaning of life?" in shown  # the user message: the input
    assert '"response_format"' not in shown and "response format" in shown
    assert json.dumps(prompt.response_format, indent=2, ensure_ascii=False) in shown
    assert shown.rstrip().endswith(entry.record.by_name("branch_1").raw_text)
    assert "model offline" in shown


def test_the_page_says_why_there_is_no_prompt(qtbot, run_window):
    window = run_window
    window.run_controller.cache_toggle.action.setChecked(True)
    _run(qtbot, window)
    entry = _run(qtbot, window)  # the same question again: replayed from the cache
    assert entry.record.by_name("branch_1").cached
    panel = next(iter(window.results_area.outputs.panels.values()))
    assert panel.displayed_prompt() == CACHED
    window.canvas.select_nodes([node_id(window, "inputs")])
    selected = window.results_area.outputs.selected_panel
    assert selected.displayed_prompt() == NO_MODEL


def test_every_empty_page_says_why_in_its_own_words():
    from editor.results.prompt_page import (
        PINNED,
        SYNALINKS_SILENT,
        WAITING,
        prompt_placeholder,
    )

    assert prompt_placeholder("done", True, "offline", "builtin") == CACHED
    assert prompt_placeholder("queued", False, None, "builtin") == WAITING
    assert prompt_placeholder("done", False, None, "synalinks") == NO_MODEL
    assert prompt_placeholder("done", False, "offline", "synalinks") == SYNALINKS_SILENT
    assert "when it ends" in prompt_placeholder("running", False, "offline", "synalinks")
    assert prompt_placeholder("skipped", False, "offline", "builtin").startswith("Not run")
    assert prompt_placeholder("done", False, None, "builtin", pinned=True) == PINNED
    reused = prompt_placeholder("done", False, None, "builtin", reused_from="Run 3")
    assert "(Run 3)" in reused and "no prompt" in reused
