"""Cards and curves follow the document: adds, removals, undo/redo, analysis."""

from __future__ import annotations

from core.commands import AddNode, RemoveNodes, make_node, set_params_command
from core.commands.edge_commands import connect_command


def _node_ids_on_canvas(canvas):
    return {item.node_id for item in canvas.view.canvas_scene.node_items()}


def _edge_ids_on_canvas(canvas):
    return {item.edge_id for item in canvas.view.canvas_scene.edge_items()}


def test_every_node_and_edge_of_a_saved_graph_is_drawn(open_canvas):
    canvas = open_canvas("fork_merge")
    assert _node_ids_on_canvas(canvas) == set(canvas.graph.nodes)
    assert _edge_ids_on_canvas(canvas) == set(canvas.graph.edges)
    for node in canvas.graph.nodes.values():
        item = canvas.view.node_item(node.id)
        assert (item.x(), item.y()) == node.position


def test_edges_end_on_their_ports(open_canvas):
    canvas = open_canvas("parallel_branches")
    for edge in canvas.graph.edges.values():
        start, end = canvas.view.edge_item(edge.id).ends()
        expected_start = canvas.view.port_scene_pos(edge.source, edge.source_port, True)
        expected_end = canvas.view.port_scene_pos(edge.target, edge.target_port, False)
        assert (start - expected_start).manhattanLength() < 0.01
        assert (end - expected_end).manhattanLength() < 0.01


def test_items_appear_and_disappear_with_commands_undo_and_redo(open_canvas, registry):
    canvas = open_canvas("parallel_branches")
    doc, graph = canvas.document, canvas.graph
    source = canvas.node("inputs")
    node = make_node(graph, registry, "Generator", (900.0, 400.0))
    doc.push(AddNode(node))
    assert canvas.view.node_item(node.id) is not None
    doc.push(connect_command(graph, registry, source.id, "output", node.id, "inputs"))
    (edge_id,) = [e.id for e in graph.incoming(node.id)]
    assert canvas.view.edge_item(edge_id) is not None

    doc.undo_stack.undo()
    assert canvas.view.edge_item(edge_id) is None and canvas.view.node_item(node.id) is not None
    doc.undo_stack.undo()
    assert canvas.view.node_item(node.id) is None
    doc.undo_stack.redo()
    doc.undo_stack.redo()
    assert canvas.view.node_item(node.id) is not None and canvas.view.edge_item(edge_id) is not None

    doc.push(RemoveNodes([source.id]))
    assert canvas.view.node_item(source.id) is None
    assert _edge_ids_on_canvas(canvas) == set(graph.edges)
    doc.undo_stack.undo()
    assert _node_ids_on_canvas(canvas) == set(graph.nodes)
    assert _edge_ids_on_canvas(canvas) == set(graph.edges)


def test_card_lists_the_fields_that_flow_out(open_canvas):
    canvas = open_canvas("parallel_branches")
    rows = canvas.view.node_item(canvas.node("branch_1").id).content.rows
    assert [name for name, _kind in rows] == ["thinking", "answer"]
    assert canvas.view.node_item(canvas.node("branch_1").id).content.section == "AnswerWithThinking"
    assert [n for n, _ in canvas.view.node_item(canvas.node("inputs").id).content.rows] == ["query"]
    # An Output shows what arrives on its input.
    assert [n for n, _ in canvas.view.node_item(canvas.node("output_2").id).content.rows] == [
        "thinking",
        "answer",
    ]


def test_decision_shows_labels_branch_shows_labelled_ports_merge_its_combined_fields(open_canvas):
    canvas = open_canvas("conditional_branches")
    topic = canvas.view.node_item(canvas.node("topic").id).content
    assert topic.bullets and [label for label, _ in topic.rows] == ["math", "science", "other"]
    route = canvas.view.node_item(canvas.node("route").id).content
    assert [(p.label, p.role) for p in route.outputs] == [
        ("easy", "branch"),
        ("difficult", "branch"),
    ]
    assert route.note == "How difficult is the above query?"
    canvas_fm = open_canvas("fork_merge")
    merge = canvas_fm.view.node_item(canvas_fm.node("merge").id).content
    assert [n for n, _ in merge.rows] == [
        "key_facts",
        "open_questions",
        "quotes",
        "titles",
        "overlap",
    ]


def test_card_rows_follow_a_data_model_change_after_the_analysis(open_canvas, registry):
    canvas = open_canvas("parallel_branches")
    doc, graph = canvas.document, canvas.graph
    branch = canvas.node("branch_1")
    doc.push(set_params_command(graph, registry, branch.id, {"data_model": "Query"}))
    canvas.qtbot.waitUntil(
        lambda: [n for n, _ in canvas.view.node_item(branch.id).content.rows] == ["query"]
    )
    # The Output it feeds follows too.
    out = canvas.node("output_1")
    assert [n for n, _ in canvas.view.node_item(out.id).content.rows] == ["query"]


def test_branch_label_change_reshapes_ports_and_edges_follow(open_canvas, registry):
    canvas = open_canvas("conditional_branches")
    doc, graph = canvas.document, canvas.graph
    route = canvas.node("route")
    doc.push(
        set_params_command(graph, registry, route.id, {"labels": ["trivial", "easy", "difficult"]})
    )
    item = canvas.view.node_item(route.id)
    assert [p.label for p in item.content.outputs] == ["trivial", "easy", "difficult"]
    for edge in graph.outgoing(route.id):
        start, _end = canvas.view.edge_item(edge.id).ends()
        assert (
            start - canvas.view.port_scene_pos(route.id, edge.source_port, True)
        ).manhattanLength() < 0.01


def test_merge_inputs_are_ordered_slots_that_follow_a_reorder(open_canvas):
    from core.commands import ReorderInputs

    canvas = open_canvas("fork_merge")
    merge = canvas.node("merge")
    edges = canvas.graph.incoming(merge.id, "inputs")
    ends = [canvas.view.edge_item(e.id).ends()[1].y() for e in edges]
    assert ends == sorted(ends) and len(set(ends)) == 3, (
        "one slot per edge, top to bottom in merge order"
    )
    item = canvas.view.node_item(merge.id)
    assert [r.text for r in item.text_runs() if r.font == "index"] == ["1", "2", "3"]
    assert item.content.inputs[0].sources == ("research", "find_quotes", "check_similar")
    canvas.document.push(ReorderInputs([edges[2].id, edges[0].id, edges[1].id]))
    first = canvas.view.edge_item(edges[2].id).ends()[1].y()
    assert abs(first - ends[0]) < 0.01, "the edge moved first now ends on slot 1"
    assert item.content.inputs[0].sources == ("check_similar", "research", "find_quotes")


def test_renaming_a_feeder_renames_its_slot_on_the_merge(open_canvas):
    from core.commands import RenameNode

    canvas = open_canvas("fork_merge")
    canvas.document.push(RenameNode(canvas.node("research").id, "study"))
    merge = canvas.view.node_item(canvas.node("merge").id)
    assert merge.content.inputs[0].sources[0] == "study"
    assert "study" in [r.text for r in merge.text_runs()]


def test_node_moves_in_the_model_move_the_card_and_its_edges(open_canvas):
    from core.commands import MoveNodes

    canvas = open_canvas("parallel_branches")
    node = canvas.node("branch_2")
    canvas.document.push(MoveNodes({node.id: (node.position, (500.0, 600.0))}))
    item = canvas.view.node_item(node.id)
    assert (item.x(), item.y()) == (500.0, 600.0)
    (edge,) = canvas.graph.incoming(node.id)
    assert (
        canvas.view.edge_item(edge.id).ends()[1] - canvas.port("branch_2", "inputs", False)
    ).manhattanLength() < 0.01


def _assert_every_edge_on_its_ports(canvas):
    graph = canvas.graph
    for edge in graph.edges.values():
        item = canvas.view.edge_item(edge.id)
        assert item is not None, f"edge {edge.id} not drawn"
        start, end = item.ends()
        target = canvas.view.node_item(edge.target)
        slots = [e.id for e in graph.incoming(edge.target, edge.target_port)]
        slot = (
            slots.index(edge.id)
            if target.layout.port(edge.target_port, False).view.multiple
            else -1
        )
        assert (
            start - canvas.view.port_scene_pos(edge.source, edge.source_port, True)
        ).manhattanLength() < 0.01
        assert (end - target.port_point(edge.target_port, False, slot)).manhattanLength() < 0.01


def test_bulk_paste_delete_and_undo_leave_every_edge_on_its_ports(open_canvas):
    canvas = open_canvas("fork_merge")
    view = canvas.view
    view.select_all()
    view.duplicate_selection()
    view.duplicate_selection()
    assert len(canvas.graph.nodes) == 18 and len(canvas.view.canvas_scene.edge_items()) == 21
    _assert_every_edge_on_its_ports(canvas)
    view.select_all()
    view.delete_selection()
    assert not view.canvas_scene.node_items() and not view.canvas_scene.edge_items()
    canvas.document.undo_stack.undo()
    assert len(view.canvas_scene.edge_items()) == 21
    _assert_every_edge_on_its_ports(canvas)
    merges = [n for n in canvas.graph.nodes.values() if n.type == "Concat"]
    for merge in merges:
        assert len(view.node_item(merge.id).content.inputs[0].sources) == 3
