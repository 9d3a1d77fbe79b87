"""The problems panel lists the core's diagnostics live and points at their nodes."""

from __future__ import annotations

from PySide6.QtCore import Qt

from core.commands import RemoveEdges
from editor.problems_panel import NODE_ID_ROLE, ProblemsPanel
from tests.editor.conftest import flush_analysis


def test_lists_diagnostics_live(qtbot, document):
    panel = ProblemsPanel()
    qtbot.addWidget(panel)
    panel.set_document(document)
    assert document.diagnostics == []
    assert panel.row_count() == 0
    assert panel.empty_label.isVisibleTo(panel)

    output_1 = document.graph.node_by_name("output_1")
    edge = document.graph.incoming(output_1.id)[0]
    with qtbot.waitSignal(panel.countsChanged) as counts:
        document.push(RemoveEdges([edge.id]))
    flush_analysis(qtbot, document)
    rows = [
        (panel.tree.topLevelItem(i).text(0), panel.tree.topLevelItem(i).text(1))
        for i in range(panel.row_count())
    ]
    expected = [(document.graph.nodes[d.node_id].name, d.message) for d in document.diagnostics]
    assert rows == expected and rows
    assert (
        "output_1",
        next(d.message for d in document.diagnostics if d.node_id == output_1.id),
    ) in rows
    errors = sum(1 for d in document.diagnostics if d.is_error)
    assert counts.args == [errors, len(document.diagnostics) - errors]

    document.undo_stack.undo()
    flush_analysis(qtbot, document)
    assert panel.row_count() == 0


def test_severity_icons_differ(qtbot, document):
    panel = ProblemsPanel()
    qtbot.addWidget(panel)
    panel.set_document(document)
    branch = document.graph.node_by_name("branch_2")
    out = document.graph.outgoing(branch.id)[0]
    document.push(
        RemoveEdges([out.id])
    )  # an unused result (warning) and an Output with no input (error)
    flush_analysis(qtbot, document)
    severities = {d.severity for d in document.diagnostics}
    assert severities == {"error", "warning"}
    keys = {
        d.severity: panel.tree.topLevelItem(i).icon(0).cacheKey()
        for i, d in enumerate(document.diagnostics)
    }
    assert keys["error"] != keys["warning"]


def test_click_names_the_node(qtbot, document):
    panel = ProblemsPanel()
    qtbot.addWidget(panel)
    panel.set_document(document)
    panel.show()
    qtbot.waitExposed(panel)
    output_2 = document.graph.node_by_name("output_2")
    document.push(RemoveEdges([document.graph.incoming(output_2.id)[0].id]))
    flush_analysis(qtbot, document)
    row = next(
        i
        for i in range(panel.row_count())
        if panel.tree.topLevelItem(i).data(0, NODE_ID_ROLE) == output_2.id
    )
    point = panel.tree.visualItemRect(panel.tree.topLevelItem(row)).center()
    with qtbot.waitSignal(panel.nodeRequested) as requested:
        qtbot.mouseClick(panel.tree.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert requested.args == [output_2.id]
