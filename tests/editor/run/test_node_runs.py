"""A card's Run to Here / Run from Here / Pin Output, and the runs kept across sessions."""

from __future__ import annotations

import json

from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QApplication, QMessageBox

from core.store import RunStore, default_store_path
from editor.canvas.context_menu import open_context_menu
from tests.editor.run.conftest import node_id, wait_finished


def _run(qtbot, window, query: str = "Is water wet?"):
    entry = window.run_controller.start({"query": query})
    wait_finished(qtbot, window)
    assert entry.status == "succeeded"
    return entry


def _menu_texts(window, name: str) -> list[str]:
    view = window.canvas
    item = view.canvas_scene.node_item(node_id(window, name))
    view.select_nodes([item.node_id])
    menu = open_context_menu(view, QPoint(0, 0), QPoint(0, 0), keyboard=True)
    texts = [a.text().split("\t")[0].replace("&", "") for a in menu.actions()]
    menu.close()
    return texts


def test_a_card_menu_offers_run_to_run_from_and_pin(qtbot, run_window):
    texts = _menu_texts(run_window, "branch_1")
    assert {"Run to Here…", "Run from Here", "Pin Output…"} <= set(texts)
    inputs = _menu_texts(run_window, "inputs")
    assert "Run to Here…" in inputs


def test_run_to_here_asks_for_the_input_and_runs_only_what_leads_there(qtbot, run_window):
    window, controller = run_window, run_window.run_controller
    controller.node_runs.run_to(node_id(window, "branch_1"))
    dialog = controller.dialog
    assert dialog is not None and dialog.windowTitle() == "Run to branch_1"
    dialog.submit()
    wait_finished(qtbot, window)
    entry = controller.entry
    assert entry.status == "succeeded" and entry.scope_text == "to branch_1"
    ran = {r.node_name for r in entry.record.nodes.values()}
    assert ran == {"inputs", "branch_1"}
    assert window.results_area.history_view.table.topLevelItem(0).text(9) == "to branch_1"


def test_run_from_here_reuses_the_last_run_and_marks_what_it_handed_on(qtbot, run_window):
    window, controller = run_window, run_window.run_controller
    first = _run(qtbot, window, "Why is the sky blue?")
    controller.node_runs.run_from(node_id(window, "branch_2"))
    wait_finished(qtbot, window)
    entry = controller.entry
    assert entry is not first and entry.status == "succeeded"
    assert {r.node_name for r in entry.record.nodes.values()} == {"inputs", "branch_2", "output_2"}
    handed = entry.record.by_name("inputs")
    assert handed.reused_from == first.record.run_id
    card = window.canvas.canvas_scene.node_item(node_id(window, "inputs"))
    assert card.run is not None and "earlier run" in card.run.pill_text()
    assert "Why is the sky blue?" in json.dumps(entry.record.by_name("branch_2").result)


def test_run_from_here_without_an_earlier_run_says_what_to_run_first(qtbot, run_window):
    window, controller = run_window, run_window.run_controller
    controller.node_runs.run_from(node_id(window, "branch_2"))
    box = controller.node_runs.last_message
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert "needs the output of inputs from an earlier run" in box.text()
    assert not controller.running and len(controller.history) == 0
    box.close()


def test_pinning_checks_the_json_marks_the_card_runs_without_the_model_and_undoes(
    qtbot, run_window, seed_copy
):
    window, controller = run_window, run_window.run_controller
    first = _run(qtbot, window)
    branch = node_id(window, "branch_1")
    controller.node_runs.open_pin(branch)
    dialog = controller.node_runs.pin_dialog
    assert dialog.isVisible()
    # Prefilled with the node's last output, which fits.
    assert json.loads(dialog.editor.toPlainText()) == first.record.nodes[branch].outputs["output"]
    assert dialog.pin_button.isEnabled()
    dialog.editor.setPlainText('{"answer": 3}')
    assert not dialog.pin_button.isEnabled()
    assert "does not fit its data model" in dialog.problem.text()
    dialog.editor.setPlainText("{not json")
    assert "Not valid JSON" in dialog.problem.text()
    pinned = {"thinking": "by hand", "answer": "pinned answer"}
    dialog.editor.setPlainText(json.dumps(pinned))
    assert dialog.pin_button.isEnabled()
    dialog.pin_button.click()
    graph = window.document.graph
    assert graph.nodes[branch].pinned == {"output": pinned}
    card = window.canvas.canvas_scene.node_item(branch)
    assert card.content.pinned
    assert "Edit Pinned Output…" in _menu_texts(window, "branch_1")
    second = _run(qtbot, window)
    record = second.record.nodes[branch]
    assert record.pinned and record.result == pinned and record.tokens_out is None
    assert "pinned" in card.run.pill_text()
    assert second.outputs_by_name()["output_1"] == pinned
    # Saved in the file, and undoable.
    window.document.save()
    saved = json.loads(seed_copy.read_text())
    assert next(n for n in saved["nodes"] if n["id"] == branch)["pinned"] == {"output": pinned}
    window.document.undo_stack.undo()
    assert graph.nodes[branch].pinned is None
    QApplication.processEvents()
    assert not window.canvas.canvas_scene.node_item(branch).content.pinned
    window.document.undo_stack.redo()
    controller.node_runs.open_pin(branch)  # a pinned node's dialog offers Unpin
    dialog = controller.node_runs.pin_dialog
    assert json.loads(dialog.editor.toPlainText()) == pinned
    dialog.unpin_button.click()
    assert graph.nodes[branch].pinned is None
    window.document.undo_stack.undo()
    assert graph.nodes[branch].pinned == {"output": pinned}
    controller.node_runs.unpin(branch)
    assert graph.nodes[branch].pinned is None


def test_runs_are_kept_and_a_new_window_lists_reopens_compares_and_deletes_them(
    qtbot, run_window, workspace, seed_copy
):
    window = run_window
    first = _run(qtbot, window, "Is water wet?")
    second = _run(qtbot, window, "Is fire hot?")
    store = RunStore(default_store_path())
    kept = store.list(str(seed_copy.resolve()))
    assert [s.run_id for s in kept] == [second.record.run_id, first.record.run_id]
    assert kept[0].input_preview == "Is fire hot?" and kept[0].origin == "editor"
    # This window lists them once (as this session's runs)...
    view = window.results_area.history_view
    assert view.table.topLevelItemCount() == 2 and view.kept_ids() == []
    assert view.table.topLevelItem(0).text(3) == "Is fire hot?"
    # ...a later session lists them from the store.
    window.close()
    later = workspace.open_window_for(seed_copy)
    qtbot.waitExposed(later)
    area = later.results_area
    qtbot.waitUntil(lambda: area.tabs is not None and bool(area.history_view.kept_ids()))
    view = area.history_view
    assert view.kept_ids() == [second.record.run_id, first.record.run_id]
    assert area.tabs.currentWidget() is view
    view.select_kept([first.record.run_id])
    assert "Is water wet?" in view.details.toPlainText()
    view.show_button.click()
    shown = area.shown
    assert shown is not None and shown.record.run_id == first.record.run_id
    assert shown.belongs_to(later.document)
    card = later.canvas.canvas_scene.node_item(node_id(later, "branch_1"))
    assert card.run is not None and card.run.state == "done"
    assert "Is water wet?" in json.dumps(shown.record.by_name("branch_1").result)
    view.select_kept([first.record.run_id, second.record.run_id])
    view.compare_button.click()
    text = later.run_controller.compare_dialog.browser.toPlainText()
    assert "Node outputs" in text and "Is water wet?" in text and "Is fire hot?" in text
    later.run_controller.compare_dialog.close()
    view.select_kept([first.record.run_id])
    assert view.delete_selected() == 1
    assert view.kept_ids() == [second.record.run_id]
    assert [s.run_id for s in store.list(str(seed_copy.resolve()))] == [second.record.run_id]
    store.close()


def test_the_runs_of_a_graph_never_saved_follow_it_to_its_first_file(qtbot, run_window, tmp_path):
    window = run_window
    window.document.set_path(None)  # as a new graph: no file yet
    entry = _run(qtbot, window, "Before saving")
    store = RunStore(default_store_path())
    [unsaved] = [s for s in store.list(None) if s.run_id == entry.record.run_id]
    assert unsaved.graph_key.startswith("unsaved:")
    target = tmp_path / "first_save.json"
    window.document.save(target)
    assert [s.run_id for s in store.list(str(target.resolve()))] == [entry.record.run_id]
    later = _run(qtbot, window, "After saving")
    kept = [s.run_id for s in store.list(str(target.resolve()))]
    assert kept == [later.record.run_id, entry.record.run_id]
    store.close()
