"""Real models over HTTP: a loopback OpenAI-compatible server started by the test.
One branch failing shows the provider's message while the other completes; a key
from the provider settings reaches the server and nowhere else."""

from __future__ import annotations

import json
import os
import stat

import pytest

from core.commands import SetMeta, SetParams
from core.engine import OfflineModelClient
from core.files import load_graph
from editor.results.panel_content import json_text
from editor.results.result_panel import PAGES
from tests.editor.run.conftest import node_id, wait_finished
from tests.support.openai_server import OpenAIServer, error, ok

KEY = "canvas-test-key-0123456789abcdef"


@pytest.fixture(autouse=True)
def _no_key_in_the_environment(monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)


def _point_at(window, server, *branches: str) -> None:
    document = window.document
    document.push(SetMeta({"api_base": server.base_url}))
    for name in branches:
        document.push(SetParams(node_id(window, name), {"language_model": "openai/test"}))


def test_a_failing_branch_shows_the_providers_error_while_the_other_completes(qtbot, run_window):
    window = run_window
    with OpenAIServer().in_thread() as server:
        server.script(error(500, "The GPU caught fire"))
        _point_at(window, server, "branch_1")  # branch_2 stays on the offline model
        entry = window.run_controller.start()
        wait_finished(qtbot, window)
        assert len(server.requests) == 1

    record = entry.record
    assert record.status == "failed"
    assert str(record.by_name("branch_1").state) == "failed"
    assert str(record.by_name("branch_2").state) == "finished"
    first, second = window.results_area.outputs.panels.values()
    assert first.chip.state == "failed"
    message = first.message_label.text()
    assert "HTTP 500" in message and "The GPU caught fire" in message
    assert first.message_label.isVisible() and not first.copy_button.isEnabled()
    assert second.chip.state == "done"
    assert second.displayed_json() == json_text(record.outputs[1])
    assert record.outputs[0] is None
    # The canvas: the failed branch, its skipped output, the dark edge it never fed.
    canvas = window.canvas
    assert canvas.node_item(node_id(window, "branch_1")).run.state == "failed"
    assert canvas.node_item(node_id(window, "output_1")).run.state == "skipped"
    assert canvas.node_item(node_id(window, "output_2")).run.state == "done"
    edges = {
        (
            window.document.graph.nodes[e.source].name,
            window.document.graph.nodes[e.target].name,
        ): e.id
        for e in window.document.graph.edges.values()
    }
    assert not canvas.edge_item(edges[("branch_1", "output_1")]).active
    assert canvas.edge_item(edges[("branch_2", "output_2")]).active
    # The timeline shows the failure too, and the history keeps the error.
    bars = {bar.name: bar for bar in window.results_area.timeline.chart.bars()}
    assert bars["branch_1"].state == "failed" and bars["branch_2"].state == "done"
    assert entry.errors() == [("branch_1", record.by_name("branch_1").error)]
    assert window.status.currentMessage().startswith("Run 1 failed")


class NotJsonForBranchOne(OfflineModelClient):
    """The offline model, except that branch_1 answers plain text."""

    async def stream(self, call):
        if call.node_name == "branch_1":
            from core.engine.model_client import StreamEnd

            for piece in ("Sorry, ", "I cannot ", "answer in JSON."):
                yield piece
            yield StreamEnd("stop", 10, 3, 0.0)
            return
        async for piece in super().stream(call):
            yield piece


def test_an_answer_that_is_not_json_shows_the_raw_text(qtbot, run_window):
    window = run_window
    controller = window.run_controller
    controller.option_overrides["format_retries"] = 0
    controller.model_client_factory = lambda _keys: NotJsonForBranchOne()
    entry = controller.start()
    wait_finished(qtbot, window)
    failed = entry.record.by_name("branch_1")
    assert failed.error_kind == "invalid_output"
    first = next(iter(window.results_area.outputs.panels.values()))
    assert first.chip.state == "failed"
    assert "did not fit the output schema" in first.message_label.text()
    assert PAGES[first.pages.currentIndex()] == "Raw"  # switched to the raw text
    assert first.displayed_raw() == "Sorry, I cannot answer in JSON."


def test_the_real_http_path_streams_both_branches_with_the_stored_key(
    qtbot, run_window, providers, tmp_path, caplog
):
    caplog.set_level("DEBUG")
    window = run_window
    providers.set_key("OPENAI_API_KEY", KEY)
    providers.save()
    events = []
    window.run_controller.event_probe = events.append
    with OpenAIServer().in_thread() as server:
        server.script(ok(delay=0.003), ok(delay=0.003))  # chunks a few ms apart, as a model's
        _point_at(window, server, "branch_1", "branch_2")
        entry = window.run_controller.start()
        wait_finished(qtbot, window)
        authorizations = list(server.authorizations)

    record = entry.record
    assert record.status == "succeeded"
    assert authorizations == [f"Bearer {KEY}", f"Bearer {KEY}"]
    assert "OPENAI_API_KEY" not in os.environ  # given to the client, never to the process
    assert sum(1 for e in events if e.kind == "token_delta") > 4
    for panel, value in zip(
        window.results_area.outputs.panels.values(), record.outputs, strict=True
    ):
        assert json.loads(panel.displayed_json()) == value
        assert "openai/test" in panel.subtitle_label.text()
    # The key is in none of the events, the graph file or the history's report.
    assert all(KEY not in event.to_json() for event in events)
    saved = tmp_path / "saved.json"
    assert window.save_to(saved)
    assert KEY not in saved.read_text()
    load_graph(saved, window.workspace.registry)
    from editor.results.run_report import run_details_html

    assert KEY not in run_details_html(entry)
    assert stat.S_IMODE(providers.path.stat().st_mode) == 0o600
    assert KEY not in caplog.text  # never logged


def test_a_model_that_needs_a_key_offers_the_settings(qtbot, run_window):
    window = run_window
    window.document.push(SetMeta({"default_model": "openai/gpt-4o-mini"}))
    entry = window.run_controller.start()
    wait_finished(qtbot, window)
    assert entry.record.by_name("branch_1").error_kind == "missing_api_key"
    panel = next(iter(window.results_area.outputs.panels.values()))
    assert "OPENAI_API_KEY" in panel.message_label.text()
    assert "Settings" in panel.message_label.text()
    with qtbot.waitSignal(panel.settingsRequested):
        panel.message_label.linkActivated.emit("settings")
    dialog = window.run_controller.settings_dialog
    assert dialog is not None and dialog.isVisible()
    dialog.reject()
