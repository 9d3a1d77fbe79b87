"""Every node's output where it is: cards show their values as they stream, then the final one."""

from __future__ import annotations

from editor.canvas.output_preview import preview_rows
from tests.editor.run.conftest import node_id, wait_finished


def test_rows_show_the_field_being_written_by_its_end_and_the_others_by_their_start():
    value = {"thinking": "one two three " * 40, "answer": "the sky"}
    rows = preview_rows(["thinking", "answer"], value, live=True)
    assert rows[0][0] == "thinking" and not rows[0][2]
    assert rows[0][1].startswith("one two three")
    assert rows[1] == ("answer", "the sky", True)  # still being written: its end shows
    assert preview_rows(["thinking", "answer"], {"thinking": "a"}, live=True)[1][1] == "\u2026"
    final = preview_rows(["thinking", "answer"], value, live=False)
    assert not any(tail for _n, _t, tail in final)
    assert preview_rows(["query"], {"other": 1}, live=False) is None  # not this card's fields
    assert preview_rows(["n"], {"n": [1, 2]}, live=False) == [("n", "[1, 2]", False)]


def test_branch_cards_stream_their_answers_side_by_side_then_keep_the_final_value(
    qtbot, run_window
):
    window = run_window
    window.run_controller.cache_toggle.action.setChecked(False)  # the model streams
    scene = window.canvas.canvas_scene
    cards = {name: scene.node_item(node_id(window, name)) for name in ("branch_1", "branch_2")}
    together: list[dict[str, list]] = []

    def look(entry, _batch):
        live = {
            name: card.preview.shown_lines()
            for name, card in cards.items()
            if card.preview is not None and card.preview.live and card.preview.shown_lines()
        }
        if len(live) == 2:
            together.append(live)

    window.run_controller.flushed.connect(look)
    entry = window.run_controller.start()
    wait_finished(qtbot, window)
    assert together, "the two branch cards never previewed their answers at the same time"
    assert any(all(lines[0][1] for lines in seen.values()) for seen in together)
    for name, card in cards.items():
        result = entry.record.by_name(name).result
        lines = dict(card.preview.shown_lines())
        assert set(lines) == {"thinking", "answer"} and not card.preview.live
        for field, text in lines.items():
            shown = text.rstrip("\u2026")
            assert shown and result[field].startswith(shown)
        assert card.preview.isVisible()
    window.canvas.grab()  # paints the previews (offscreen), at the window's zoom
    inputs = scene.node_item(node_id(window, "inputs"))
    assert dict(inputs.preview.shown_lines()) == {"query": "What is the meaning of life?"}


def test_the_toggle_hides_previews_in_every_window_and_is_remembered(qtbot, run_window):
    window = run_window
    action = window.actions.show_previews
    assert action.isChecked()
    window.run_controller.start()
    wait_finished(qtbot, window)
    card = window.canvas.canvas_scene.node_item(node_id(window, "branch_1"))
    assert card.preview.isVisible()
    action.trigger()
    assert not card.preview.isVisible()
    assert window.workspace.settings.show_previews is False
    other = window.workspace.new_window()
    assert not other.actions.show_previews.isChecked()
    other.close()
    # The canvas's own menu carries the same toggle, checked as it is.
    from PySide6.QtCore import QPoint

    from editor.canvas.context_menu import open_context_menu

    window.canvas.select_nodes([])
    menu = open_context_menu(window.canvas, QPoint(5, 5), QPoint(5, 5), keyboard=True)
    assert action in menu.actions() and not action.isChecked()
    menu.close()
    action.trigger()
    assert card.preview.isVisible() and window.workspace.settings.show_previews
    window.run_controller.start()  # a new run starts from plain cards
    assert card.preview is None or card.preview.value is None
    wait_finished(qtbot, window)


def test_a_run_reopened_from_the_history_shows_its_own_values_on_the_cards(qtbot, run_window):
    window = run_window
    controller = window.run_controller
    first = controller.start({"query": "Why is the sky blue?"})
    wait_finished(qtbot, window)
    controller.start({"query": "Why is grass green?"})
    wait_finished(qtbot, window)
    scene = window.canvas.canvas_scene
    inputs = scene.node_item(node_id(window, "inputs"))
    branch = scene.node_item(node_id(window, "branch_1"))
    assert dict(inputs.preview.shown_lines()) == {"query": "Why is grass green?"}
    window.results_area.reopen(first)
    assert dict(inputs.preview.shown_lines()) == {"query": "Why is the sky blue?"}
    answer = dict(branch.preview.shown_lines())["answer"].rstrip("\u2026")
    assert first.record.by_name("branch_1").result["answer"].startswith(answer)
