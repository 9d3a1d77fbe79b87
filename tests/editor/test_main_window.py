"""Whole windows: opening, titles, saving, prompts, load and save errors, recovery,
panels wired to the canvas, several windows sharing the clipboard."""

from __future__ import annotations

import json
import shutil

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMessageBox

from core.commands import RemoveEdges, SetMeta
from core.files import GraphFileError, dumps_graph, load_graph
from editor.main_window import MainWindow
from editor.problems_panel import NODE_ID_ROLE
from tests.editor.conftest import flush_analysis
from tests.editor.test_recovery import dead_pid
from tests.editor.window_helpers import (
    answer_prompts,
    double_click,
    open_dialog_answers,
    record_errors,
    save_dialog_answers,
)


def shown(qtbot, window: MainWindow) -> MainWindow:
    qtbot.waitExposed(window)
    return window


def test_window_opens_on_a_file(qtbot, workspace, seed_path):
    window = shown(qtbot, workspace.open_window_for(seed_path))
    assert window.windowTitle() == "parallel_branches.json[*] — Synalinks Canvas"
    assert not window.isWindowModified()
    graph = window.document.graph
    assert all(window.canvas.node_item(node_id) is not None for node_id in graph.nodes)
    assert window.status.counts_label.text() == "5 nodes · 4 edges"
    assert window.status.problems_button.text() == "No problems"
    assert workspace.recent.paths() == [str(seed_path)]
    assert workspace.open_window_for(seed_path) is window  # the same file is not opened twice


def test_modified_mark_follows_the_undo_stack(qtbot, workspace, seed_path):
    window = shown(qtbot, workspace.open_window_for(seed_path))
    window.document.push(SetMeta({"description": "edited"}))
    assert window.isWindowModified()
    assert window.undo_action.text() == "&Undo Edit graph settings"
    window.undo_action.trigger()
    assert not window.isWindowModified()
    assert window.redo_action.isEnabled()
    assert [s.toString() for s in window.redo_action.shortcuts()] == ["Ctrl+Shift+Z", "Ctrl+Y"]


def test_save_as_then_open_round_trip(qtbot, workspace, monkeypatch, tmp_path, registry):
    window = shown(qtbot, workspace.new_window())
    assert window.windowTitle() == "untitled[*] — Synalinks Canvas"
    window.add_node_at_centre("Input")
    assert window.isWindowModified()
    target = tmp_path / "mine.json"
    save_dialog_answers(monkeypatch, tmp_path / "mine")  # the extension is added
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(
        window.canvas, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier
    )  # no file yet: Save As
    assert target.exists()
    assert target.read_text() == dumps_graph(window.document.graph)
    assert (
        window.windowTitle() == "mine.json[*] — Synalinks Canvas" and not window.isWindowModified()
    )
    assert workspace.recent.paths() == [str(target)]

    other = shown(qtbot, workspace.new_window())
    open_dialog_answers(monkeypatch, target)
    other.actions.open.trigger()
    assert workspace.windows[0] is window and other.document.graph.nodes == {}  # went to its window
    copy = tmp_path / "copy.json"
    shutil.copy(target, copy)
    assert other.open_file(copy)
    assert dumps_graph(other.document.graph) == target.read_text()
    assert other.windowTitle() == "copy.json[*] — Synalinks Canvas"


def test_unsaved_changes_are_asked_about_on_close(
    qtbot, workspace, monkeypatch, seed_path, tmp_path
):
    path = tmp_path / "graph.json"
    shutil.copy(seed_path, path)
    window = shown(qtbot, workspace.open_window_for(path))
    window.document.push(SetMeta({"description": "unsaved"}))

    asked = answer_prompts(monkeypatch, QMessageBox.StandardButton.Cancel)
    assert not window.close()
    assert window.isVisible() and len(asked) == 1 and "graph.json" in asked[0]

    answer_prompts(monkeypatch, QMessageBox.StandardButton.Save)
    assert window.close()
    assert (
        load_graph(path, window.document.registry if window.document else None).meta.description
        == "unsaved"
    )
    assert workspace.windows == []


def test_discard_closes_without_saving(
    qtbot, workspace, monkeypatch, seed_path, tmp_path, registry
):
    path = tmp_path / "graph.json"
    shutil.copy(seed_path, path)
    window = shown(qtbot, workspace.open_window_for(path))
    window.document.push(SetMeta({"description": "thrown away"}))
    answer_prompts(monkeypatch, QMessageBox.StandardButton.Discard)
    assert window.close()
    assert path.read_bytes() == seed_path.read_bytes()


def test_opening_over_unsaved_changes_asks_first(
    qtbot, workspace, monkeypatch, seed_path, tmp_path
):
    window = shown(qtbot, workspace.new_window())
    window.add_node_at_centre("Output")
    before = dumps_graph(window.document.graph)
    asked = answer_prompts(monkeypatch, QMessageBox.StandardButton.Cancel)
    assert not window.open_file(seed_path)
    assert len(asked) == 1 and dumps_graph(window.document.graph) == before
    answer_prompts(monkeypatch, QMessageBox.StandardButton.Discard)
    assert window.open_file(seed_path)
    assert window.document.graph.node_by_name("branch_1") is not None


def test_a_bad_file_shows_the_core_message_and_leaves_the_graph(
    qtbot, workspace, monkeypatch, seed_path, tmp_path, registry
):
    window = shown(qtbot, workspace.open_window_for(seed_path))
    window.document.push(SetMeta({"description": "mine"}))
    before = dumps_graph(window.document.graph)
    bad = tmp_path / "broken.json"
    bad.write_text('{"format": "synalinks-canvas-graph", "version": 1, "nodes": [')
    try:
        load_graph(bad, registry)
    except GraphFileError as exc:
        expected = str(exc)
    errors = record_errors(monkeypatch)
    asked = answer_prompts(monkeypatch, QMessageBox.StandardButton.Discard)
    assert not window.open_file(bad)
    assert errors == [f"Could not open the graph: {expected}"]
    assert "ends early" in expected
    assert asked == []  # nothing to ask about: the open failed before replacing anything
    assert dumps_graph(window.document.graph) == before and window.isWindowModified()
    assert window.document.path == seed_path


def test_save_errors_are_shown_and_nothing_is_lost(qtbot, workspace, monkeypatch, tmp_path):
    window = shown(qtbot, workspace.new_window())
    window.add_node_at_centre("Input")
    errors = record_errors(monkeypatch)
    blocker = tmp_path / "a_file"
    blocker.write_text("not a folder")
    assert not window.save_to(blocker / "graph.json")  # its folder cannot exist
    assert "could not save" in errors[0] and window.isWindowModified()
    # The message says the changes are in the recovery file: they are, at once.
    assert "a copy is in the recovery file" in errors[0]
    assert window.autosaver.slot.exists()

    window.document.push(SetMeta({"description": "key sk-" + "x" * 40}))
    assert not window.save_to(tmp_path / "graph.json")
    assert "refusing to save" in errors[1] and "Nothing was lost" in errors[1]
    # A key is refused by the recovery file too, and the message does not pretend.
    assert "not in the recovery file" in errors[1]
    assert "sk-" not in window.autosaver.slot.graph_file.read_text()
    assert not (tmp_path / "graph.json").exists()
    assert (
        window.document.graph.meta.description.startswith("key sk-") and window.isWindowModified()
    )


def test_recovery_after_a_crash_is_offered_and_restores_the_unsaved_graph(
    qtbot, workspace, monkeypatch, seed_path, registry, recovery_store
):
    unsaved = load_graph(seed_path, registry)
    unsaved.set_meta(description="typed before the crash")
    slot = recovery_store.new_slot()
    slot.write(unsaved, str(seed_path), "parallel_branches.json")
    marker = json.loads(slot.lock_file.read_text())
    marker["pid"] = dead_pid()  # the editor that wrote it is gone: a crash
    slot.lock_file.write_text(json.dumps(marker))

    window = shown(qtbot, workspace.new_window())
    offered: list[str] = []

    def click_restore(box: QMessageBox) -> int:
        offered.append(box.informativeText())
        next(b for b in box.buttons() if b.text() == "Restore").click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", click_restore)
    restored = workspace.offer_recovery(window)
    assert restored == [window] and "parallel_branches.json" in offered[0]
    assert dumps_graph(window.document.graph) == dumps_graph(unsaved)
    assert window.isWindowModified() and window.document.path == seed_path
    assert not slot.exists() and not slot.lock_file.exists()  # adopted by this editor's own slot
    assert window.autosaver.slot.exists()
    assert recovery_store.crashed_entries() == []  # ours now, and we are running


def test_problem_click_selects_and_centres_the_node(qtbot, workspace, seed_path):
    window = shown(qtbot, workspace.open_window_for(seed_path))
    graph = window.document.graph
    output = graph.node_by_name("output_2")
    window.document.push(RemoveEdges([graph.incoming(output.id)[0].id]))
    flush_analysis(qtbot, window.document)
    window.canvas.reset_zoom()
    window.canvas.centerOn(QPointF(-2000, -2000))  # far away from the node
    window.problems_dock.raise_()
    tree = window.problems_panel.tree
    qtbot.waitUntil(lambda: tree.isVisible())
    row = next(
        i
        for i in range(tree.topLevelItemCount())
        if tree.topLevelItem(i).data(0, NODE_ID_ROLE) == output.id
    )
    rect = tree.visualItemRect(tree.topLevelItem(row))
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.canvas.selected_node_ids() == [output.id]
    centre = window.canvas.mapToScene(window.canvas.viewport().rect().center())
    card = window.canvas.node_item(output.id).sceneBoundingRect()
    assert card.contains(centre)
    assert window.inspector.shown_node_id() == output.id


def test_palette_double_click_adds_at_the_view_centre(qtbot, workspace):
    window = shown(qtbot, workspace.new_window())
    palette = window.palette_panel
    item = palette.item_for_type("Generator")
    double_click(qtbot, palette.tree.viewport(), palette.tree.visualItemRect(item).center())
    graph = window.document.graph
    assert [n.type for n in graph.nodes.values()] == ["Generator"]
    node = next(iter(graph.nodes.values()))
    assert window.canvas.selected_node_ids() == [node.id]
    centre = window.canvas.mapToScene(window.canvas.viewport().rect().center())
    assert (
        window.canvas.node_item(node.id)
        .sceneBoundingRect()
        .adjusted(-40, -40, 40, 40)
        .contains(centre)
    )
    assert window.document.undo_stack.index() == 1


def test_copy_in_one_window_paste_in_another(qtbot, workspace, seed_path):
    first = shown(qtbot, workspace.open_window_for(seed_path))
    branch = first.document.graph.node_by_name("branch_1")
    first.canvas.select_nodes([branch.id])
    first.actions.copy.trigger()
    second = shown(qtbot, workspace.new_window())
    assert second is not first and len(workspace.windows) == 2
    second.actions.paste.trigger()
    pasted = second.document.graph.node_by_name("branch_1")
    assert pasted is not None and pasted.id != branch.id
    assert "AnswerWithThinking" in second.document.graph.data_models  # its data model came along
    assert second.undo_action.isEnabled() and not first.isWindowModified()


def test_standard_shortcuts_are_set(qtbot, workspace):
    window = shown(qtbot, workspace.new_window())
    a = window.actions
    expect = {
        a.new: QKeySequence.StandardKey.New,
        a.open: QKeySequence.StandardKey.Open,
        a.save: QKeySequence.StandardKey.Save,
        a.copy: QKeySequence.StandardKey.Copy,
        a.paste: QKeySequence.StandardKey.Paste,
        a.cut: QKeySequence.StandardKey.Cut,
        a.select_all: QKeySequence.StandardKey.SelectAll,
    }
    for action, key in expect.items():
        assert action.shortcut() == QKeySequence(key), action.text()
    assert a.save_as.shortcut() == QKeySequence("Ctrl+Shift+S")
    assert a.duplicate.shortcut() == QKeySequence("Ctrl+D")
    assert a.run.shortcut() == QKeySequence("Ctrl+R")
    assert a.fit.shortcut() == QKeySequence("F")
    assert a.quick_add.shortcut() == QKeySequence("Tab")
    assert a.delete.shortcut() == QKeySequence(Qt.Key.Key_Delete)


def test_delete_key_on_the_canvas_and_undo_shortcut(qtbot, workspace, seed_path):
    window = shown(qtbot, workspace.open_window_for(seed_path))
    graph = window.document.graph
    window.canvas.select_nodes([graph.node_by_name("output_1").id])
    window.activateWindow()
    window.canvas.setFocus()
    qtbot.keyClick(window.canvas, Qt.Key.Key_Delete)
    assert graph.node_by_name("output_1") is None
    qtbot.keyClick(window.canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert graph.node_by_name("output_1") is not None
    qtbot.keyClick(window.canvas, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert graph.node_by_name("output_1") is None


def test_theme_switch_is_remembered(qtbot, workspace, settings):
    window = shown(qtbot, workspace.new_window())
    window.actions.theme_actions["dark"].trigger()
    assert settings.theme == "dark" and workspace.theme.is_dark
    assert window.actions.theme_actions["dark"].isChecked()
    window.actions.theme_actions["light"].trigger()
    assert settings.theme == "light" and not workspace.theme.is_dark


def test_snap_to_grid_is_one_switch_for_every_window_and_remembered(qtbot, workspace, settings):
    first = shown(qtbot, workspace.new_window())
    second = shown(qtbot, workspace.new_window())
    assert not first.actions.snap_to_grid.isChecked()
    assert not first.canvas.canvas_scene.snap_to_grid
    first.actions.snap_to_grid.trigger()
    assert settings.snap_to_grid
    for window in (first, second):
        assert window.actions.snap_to_grid.isChecked()
        assert window.canvas.canvas_scene.snap_to_grid
    third = shown(qtbot, workspace.new_window())
    assert third.actions.snap_to_grid.isChecked() and third.canvas.canvas_scene.snap_to_grid
    second.actions.snap_to_grid.trigger()
    assert not settings.snap_to_grid
    assert not any(w.canvas.canvas_scene.snap_to_grid for w in (first, second, third))


def test_results_dock_says_how_to_get_results_before_any_run(qtbot, workspace):
    window = shown(qtbot, workspace.new_window())
    assert window.results_dock.windowTitle() == "Results"
    assert window.results_area.hint.text() == "Run the graph (Ctrl+R) to see results"
    assert window.actions.run.isEnabled() and not window.actions.cancel_run.isEnabled()
