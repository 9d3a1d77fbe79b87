"""Editing inside an open subgraph: every edit is one step on the document's
undo stack, and every use of the definition follows; placing uses from the
palette and quick-add; the inspector's subgraph section; the cards."""

from __future__ import annotations

from core.model.subgraphs import uses_of
from editor.palette import TYPE_ROLE
from editor.subgraphs.placing import NEW_KEY, definition_key
from tests.editor.conftest import flush_analysis


def _output_ports(window, node_id, canvas=None):
    canvas = canvas or window.subgraphs.root_canvas
    return [p.label for p in canvas.node_item(node_id).content.outputs]


def test_an_edit_inside_updates_every_use_and_undoes_in_one_step(qtbot, nested):
    window, b = nested
    nav = window.subgraphs
    sc = window.document.graph.subgraphs["def_summarise_and_critique"]
    assert len(uses_of(window.document.graph, sc.definition_id)) == 2
    nav.open_node("quick")
    before = window.document.undo_stack.count()
    node_id = window.canvas.add_node("Output")
    assert node_id in sc.nodes
    assert window.document.undo_stack.count() == before + 1
    added = sc.nodes[node_id].name
    # The use on the document's canvas (hidden now) and the use inside "review" follow.
    flush_analysis(qtbot, window.document)
    assert added in _output_ports(window, "quick")
    first = window.document.graph.subgraphs["def_review"].nodes[b["review"].id("first")]
    assert added in [p["name"] for p in first.params["outputs"]]
    window.undo_action.trigger()
    assert node_id not in sc.nodes
    assert added not in _output_ports(window, "quick")
    window.redo_action.trigger()
    assert node_id in sc.nodes


def test_undo_of_an_inner_edit_works_after_closing_the_subgraph(qtbot, nested):
    window, b = nested
    nav = window.subgraphs
    nav.open_node("review")
    node_id = window.canvas.add_node("Generator")
    nav.go_up()
    review = window.document.graph.subgraphs["def_review"]
    assert node_id in review.nodes
    window.undo_action.trigger()
    assert node_id not in review.nodes


def test_cards_show_the_definition_and_its_uses(qtbot, nested):
    window, _b = nested
    flush_analysis(qtbot, window.document)
    content = window.canvas.node_item("quick").content
    assert content.subgraph
    assert content.kind == "Subgraph"
    assert content.note == "summarise_and_critique · used 2×"
    assert [p.label for p in content.outputs] == ["summary_out", "critique_out"]
    assert [p.label for p in content.inputs] == ["text"]
    # Even a lone input is named on a subgraph card (it is an inner Input).
    layout = window.canvas.node_item("quick").layout
    assert layout.port(content.inputs[0].name, False).labelled
    assert window.canvas.node_item("review").content.note == "review · used 1×"
    assert not window.canvas.node_item("query").content.subgraph


def test_renaming_in_the_inspector_renames_every_use(qtbot, nested):
    window, _b = nested
    window.canvas.select_nodes(["quick"])
    section = window.inspector.form.subgraph
    assert section is not None
    assert section.name_edit.text() == "summarise_and_critique"
    assert "Inputs: text" in section.ports_label.text()
    assert "used 2×" in section.uses_label.text()
    # Hidden and definition fields get no plain editor.
    assert set(window.inspector.form.editors) == set()
    section.name_edit.setText("digest")
    section.name_edit.setModified(True)
    section.name_edit.editingFinished.emit()
    flush_analysis(qtbot, window.document)
    assert window.canvas.node_item("quick").content.note == "digest · used 2×"
    assert window.undo_action.text() == "&Undo Rename subgraph"
    section.name_edit.setText("review")  # another definition's name
    section.name_edit.setModified(True)
    section.name_edit.editingFinished.emit()
    assert "already named 'review'" in section.name_row.error()
    section.description_edit.setPlainText("Shorter")
    section.description_edit.document().setModified(True)
    section.description_edit.committed.emit("Shorter")
    sc = window.document.graph.subgraphs["def_summarise_and_critique"]
    assert sc.definition_description == "Shorter"
    window.undo_action.trigger()
    window.undo_action.trigger()
    assert sc.definition_name == "summarise_and_critique"


def test_inspector_inside_a_subgraph_edits_the_subgraph(qtbot, nested):
    window, _b = nested
    window.subgraphs.open_node("review")
    form = window.inspector.form
    assert form.section.name_edit.text() == "review"
    assert window.inspector.form.section.open_button is None


def test_palette_lists_new_subgraph_and_each_definition(qtbot, nested):
    window, _b = nested
    palette = window.palette_panel
    keys = palette.visible_type_names()
    assert "Subgraph" not in keys  # a node using nothing
    for key in (NEW_KEY, definition_key("def_review"), definition_key("def_critique")):
        assert key in keys
    before = window.document.undo_stack.count()
    palette.addRequested.emit(NEW_KEY)
    assert window.document.undo_stack.count() == before + 1
    added = window.canvas.selected_node_ids()
    node = window.document.graph.nodes[added[0]]
    assert node.type == "Subgraph"
    new_id = node.params["definition"]
    qtbot.waitUntil(lambda: definition_key(new_id) in palette.visible_type_names())
    palette.addRequested.emit(definition_key("def_critique"))
    assert len(uses_of(window.document.graph, "def_critique")) == 2
    palette.set_filter("critique")
    assert definition_key("def_critique") in palette.visible_type_names()
    assert definition_key("def_review") not in palette.visible_type_names()
    window.undo_action.trigger()
    window.undo_action.trigger()
    assert new_id not in window.document.graph.subgraphs


def test_quick_add_offers_only_definitions_that_do_not_recurse(qtbot, nested):
    window, b = nested
    nav = window.subgraphs
    keys = [e.key for e in window.canvas.quick_add.entries("")]
    assert NEW_KEY in keys and definition_key("def_critique") in keys
    assert "Subgraph" not in keys
    nav.open_node("review")
    nav.open_node(b["review"].id("first"))
    keys = [e.key for e in window.canvas.quick_add.entries("")]
    assert definition_key("def_critique") in keys
    assert definition_key("def_summarise_and_critique") not in keys  # itself
    assert definition_key("def_review") not in keys  # it would contain itself
    assert [e.key for e in window.canvas.quick_add.entries("critiq")][0] == definition_key(
        "def_critique"
    )
    node_id = window.canvas.add_node(definition_key("def_critique"))
    assert window.canvas.document.graph.nodes[node_id].params["definition"] == "def_critique"


def test_a_use_added_anywhere_updates_every_card_count(qtbot, nested):
    window, _b = nested
    nav = window.subgraphs
    nav.open_node("review")  # add a third use of summarise_and_critique inside review
    window.canvas.add_node(definition_key("def_summarise_and_critique"))
    flush_analysis(qtbot, window.document)
    nav.go_up()
    assert window.canvas.node_item("quick").content.note == "summarise_and_critique · used 3×"


def test_dragging_a_palette_subgraph_onto_the_canvas_adds_a_use_there(qtbot, nested):
    from PySide6.QtCore import QPoint

    from tests.editor.canvas.conftest import drop_mime

    window, _b = nested
    palette = window.palette_panel
    item = next(
        palette.tree.topLevelItem(g).child(c)
        for g in range(palette.tree.topLevelItemCount())
        for c in range(palette.tree.topLevelItem(g).childCount())
        if palette.tree.topLevelItem(g).child(c).data(0, TYPE_ROLE)
        == definition_key("def_critique")
    )
    mime = palette.tree.mimeData([item])
    view = window.canvas
    point = QPoint(view.viewport().width() // 2, view.viewport().height() // 3)
    _enter, drop = drop_mime(view.viewport(), mime, point)
    assert drop.isAccepted()
    [node_id] = view.selected_node_ids()
    node = window.document.graph.nodes[node_id]
    assert node.params["definition"] == "def_critique"
    header = view.mapFromScene(view.node_item(node_id).scene_card_rect().center())
    assert abs(header.x() - point.x()) < 4  # centred where it was dropped
