"""File → Import…: a script opens as a new, unsaved graph in a new window; a broken
script is reported with file:line and changes nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QFileDialog, QMessageBox

from core.files import dumps_graph, graph_to_document, load_graph
from core.model.graph import Graph
from tests.editor.window_helpers import record_errors

REPO = Path(__file__).resolve().parents[3]
LESSON = REPO / "tests" / "core" / "importer" / "data" / "parallel_branches_lesson.py"
SEED = REPO / "saved_graphs" / "parallel_branches.json"


def structure(graph: Graph) -> dict[str, Any]:
    """The graph's document without ids, positions and the default model: nodes by
    name, edges by node names (kept in order: it is the order of merge inputs)."""
    document = graph_to_document(graph)
    names = {node["id"]: node["name"] for node in document["nodes"]}
    nodes = sorted(
        (
            {k: v for k, v in node.items() if k not in ("id", "position")}
            for node in document["nodes"]
        ),
        key=lambda node: node["name"],
    )
    edges = [
        (names[e["source"]], e["source_port"], names[e["target"]], e["target_port"])
        for e in document["edges"]
    ]
    # The model and the datasets a graph is evaluated on are not in a script.
    meta = {k: v for k, v in document["meta"].items() if k not in ("default_model", "datasets")}
    rest = {k: v for k, v in document.items() if k not in ("nodes", "edges", "meta")}
    return {"nodes": nodes, "edges": sorted(edges), "meta": meta, "rest": rest}


def answer_open(monkeypatch, path: Path) -> list[str]:
    started: list[str] = []

    def answer(_parent, _caption, folder, _filter):
        started.append(folder)
        return str(path), ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(answer))
    return started


def test_import_opens_the_lesson_as_the_seed_graph_in_a_new_window(
    qtbot, workspace, seed_window, monkeypatch, registry
):
    before = dumps_graph(seed_window.document.graph)
    started = answer_open(monkeypatch, LESSON)
    seed_window.actions.import_script.trigger()
    assert started == [str(SEED.parent)]  # the dialog starts beside the open graph
    assert len(workspace.windows) == 2
    window = workspace.windows[-1]
    assert window is not seed_window
    qtbot.waitExposed(window)
    assert window.windowTitle() == "parallel_branches_lesson.py (imported)[*] — Synalinks Canvas"
    assert window.isWindowModified()  # unsaved: closing asks first
    assert window.document.path is None
    seed = load_graph(SEED, registry)
    # The lesson's Input has no name=, so it gets Synalinks' own name, not the seed's.
    seed.rename_node(seed.node_by_name("inputs").id, "input_module")
    assert structure(window.document.graph) == structure(seed)
    assert all(
        window.canvas.node_item(node_id) is not None for node_id in window.document.graph.nodes
    )
    assert (
        "Imported parallel_branches_lesson.py: 5 nodes, 4 edges" in window.status.currentMessage()
    )
    assert window.findChild(QMessageBox, "importWarnings") is None  # the lesson imports cleanly
    assert dumps_graph(seed_window.document.graph) == before
    assert not seed_window.isWindowModified()


def test_saving_an_imported_graph_gives_it_its_file_name(
    qtbot, workspace, seed_window, monkeypatch, tmp_path
):
    from editor.export.import_script import import_script

    window = import_script(seed_window, LESSON)
    target = tmp_path / "lesson.json"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), ""))
    )
    assert window.save()
    assert window.windowTitle() == "lesson.json[*] — Synalinks Canvas"
    assert not window.isWindowModified()
    assert target.is_file()


def test_broken_script_shows_file_and_line_and_changes_nothing(
    qtbot, workspace, seed_window, monkeypatch, tmp_path
):
    lines = LESSON.read_text(encoding="utf-8").splitlines()
    bad_line = next(
        i for i, line in enumerate(lines, 1) if "branch_2 = await synalinks.Generator(" in line
    )
    lines[bad_line - 1] = lines[bad_line - 1].replace(
        "synalinks.Generator(", "synalinks.Teleporter("
    )
    script = tmp_path / "broken.py"
    script.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = dumps_graph(seed_window.document.graph)
    errors = record_errors(monkeypatch)
    answer_open(monkeypatch, script)
    seed_window.actions.import_script.trigger()
    assert len(workspace.windows) == 1
    assert len(errors) == 1
    title, _, message = errors[0].partition(": ")
    assert title == "Could not import the script"
    assert f"{script}:{bad_line}: error:" in message
    assert "Teleporter" in message
    assert "no open graph was changed" in message
    assert dumps_graph(seed_window.document.graph) == before
    assert not seed_window.isWindowModified()


def test_script_with_a_syntax_error_names_its_line(
    qtbot, workspace, seed_window, monkeypatch, tmp_path
):
    script = tmp_path / "typo.py"
    script.write_text("import synalinks\n\n\nasync def build(:\n    pass\n", encoding="utf-8")
    errors = record_errors(monkeypatch)
    answer_open(monkeypatch, script)
    seed_window.actions.import_script.trigger()
    assert len(workspace.windows) == 1
    assert len(errors) == 1 and f"{script}:4: error: not valid Python" in errors[0]


def test_cancelled_import_does_nothing(qtbot, workspace, seed_window, monkeypatch):
    errors = record_errors(monkeypatch)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: ("", "")))
    seed_window.actions.import_script.trigger()
    assert len(workspace.windows) == 1 and errors == []


def test_import_warnings_are_listed_without_blocking(
    qtbot, workspace, seed_window, monkeypatch, tmp_path
):
    text = LESSON.read_text(encoding="utf-8").replace('name="branch_2"', 'name="branch 2"')
    script = tmp_path / "renamed.py"
    script.write_text(text, encoding="utf-8")
    errors = record_errors(monkeypatch)
    answer_open(monkeypatch, script)
    seed_window.actions.import_script.trigger()
    assert errors == []
    window = workspace.windows[-1]
    box = window.findChild(QMessageBox, "importWarnings")
    assert box is not None
    qtbot.waitExposed(box)
    assert not box.isModal()
    # The importer names the line where the module's call starts.
    line = next(
        i
        for i, s in enumerate(text.splitlines(), 1)
        if "branch_2 = await synalinks.Generator(" in s
    )
    assert f"line {line}:" in box.informativeText()
    assert "branch 2" in box.informativeText()
    assert f"{script}:{line}: warning:" in box.detailedText()
    assert window.status.currentMessage().endswith(", 1 warning")
    assert box.text().startswith("renamed.py was imported with 1 warning:")
    names = sorted(node.name for node in window.document.graph.nodes.values())
    assert len(names) == 5 and "branch_1" in names


SEVERAL = """
import synalinks


class Q(synalinks.DataModel):
    q: str


class A(synalinks.DataModel):
    a: str


async def build_all():
    x0 = synalinks.Input(data_model=Q)
    x1 = await synalinks.Generator(data_model=A)(x0)
    first = synalinks.Program(inputs=x0, outputs=x1, name="first")
    y0 = synalinks.Input(data_model=Q)
    y1 = await synalinks.Generator(data_model=A)(y0)
    y2 = await synalinks.Generator(data_model=A)(y1)
    second = synalinks.Program(inputs=y0, outputs=y2, name="second")
    return first, second
"""


def answer_program_choice(qtbot, choice: str | None) -> list[list[str]]:
    """Answer the program list when it opens: pick ``choice``, or cancel (None);
    records the names it offered."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QInputDialog, QListView

    offered: list[list[str]] = []

    def answer():
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QInputDialog):
            QTimer.singleShot(20, answer)
            return
        assert dialog.objectName() == "chooseProgram"
        assert dialog.findChild(QListView) is not None  # a list, not a drop-down
        offered.append(dialog.comboBoxItems())
        if choice is None:
            dialog.reject()
        else:
            dialog.setTextValue(choice)
            dialog.accept()

    QTimer.singleShot(0, answer)
    return offered


def test_a_script_with_several_programs_asks_which_one(
    qtbot, workspace, seed_window, monkeypatch, tmp_path
):
    script = tmp_path / "several.py"
    script.write_text(SEVERAL, encoding="utf-8")
    errors = record_errors(monkeypatch)
    answer_open(monkeypatch, script)
    offered = answer_program_choice(qtbot, "second")
    seed_window.actions.import_script.trigger()
    assert errors == []
    assert offered == [["first", "second"]]
    assert len(workspace.windows) == 2
    graph = workspace.windows[-1].document.graph
    assert graph.meta.name == "second"
    names = sorted(node.name for node in graph.nodes.values() if node.type != "Output")
    assert names == ["generator_1", "generator_2", "input_module_1"]


def test_cancelling_the_program_choice_imports_nothing(
    qtbot, workspace, seed_window, monkeypatch, tmp_path
):
    script = tmp_path / "several.py"
    script.write_text(SEVERAL, encoding="utf-8")
    errors = record_errors(monkeypatch)
    answer_open(monkeypatch, script)
    offered = answer_program_choice(qtbot, None)
    seed_window.actions.import_script.trigger()
    assert offered == [["first", "second"]]
    assert len(workspace.windows) == 1 and errors == []
