"""Wiring with real mouse drags: connect, refuse with the core's reason, quick-add
on empty canvas, detach to rewire, reverse drags."""

from __future__ import annotations

from PySide6.QtCore import QPointF, Qt
from PySide6.QtTest import QTest

from core.commands import AddNode, make_node
from core.files import dumps_graph


def _add(canvas, registry, type_name, pos, name=None):
    node = make_node(canvas.graph, registry, type_name, pos, name)
    canvas.document.push(AddNode(node))
    return node


def test_dragging_output_to_input_connects_in_one_undo_step(open_canvas, registry):
    canvas = open_canvas("parallel_branches")
    extra = _add(canvas, registry, "Generator", (320.0, 420.0), "branch_3")
    before = dumps_graph(canvas.graph)
    depth = canvas.document.undo_stack.count()
    canvas.drag(canvas.port("inputs", "output", True), canvas.port("branch_3", "inputs", False))
    (edge,) = canvas.graph.incoming(extra.id)
    assert (edge.source, edge.source_port) == (canvas.node("inputs").id, "output")
    assert canvas.view.edge_item(edge.id) is not None
    assert canvas.document.undo_stack.count() == depth + 1
    canvas.document.undo_stack.undo()
    assert dumps_graph(canvas.graph) == before


def test_a_live_curve_follows_the_cursor_and_highlights_compatible_inputs(open_canvas, registry):
    canvas = open_canvas("parallel_branches")
    extra = _add(canvas, registry, "Generator", (320.0, 420.0), "branch_3")
    start = canvas.port("inputs", "output", True)
    canvas.press(start)
    middle = QPointF(start.x() + 90, start.y() + 140)
    canvas.move(middle)
    scene = canvas.view.canvas_scene
    wire = scene._wire
    assert wire is not None
    _p0, p1 = wire.wire.path().pointAtPercent(0), wire.wire.path().pointAtPercent(1)
    assert (p1 - middle).manhattanLength() < 2.0
    # The free input of branch_3 is ringed as a place the wire may go.
    assert canvas.view.node_item(extra.id).marks.get(("inputs", False)) == "ok"
    # Over the target it snaps to the port.
    target = canvas.port("branch_3", "inputs", False)
    canvas.move(target + QPointF(3, 2))
    assert (wire.wire.path().pointAtPercent(1) - target).manhattanLength() < 0.01
    assert wire.wire.state == "ok"
    QTest.keyClick(canvas.viewport, Qt.Key.Key_Escape)
    canvas.release(target)
    assert scene._wire is None and not canvas.graph.incoming(extra.id)
    assert canvas.view.node_item(extra.id).marks == {}


def _refused(canvas, start, end, expected_reason):
    before = dumps_graph(canvas.graph)
    depth = canvas.document.undo_stack.count()
    messages = []
    canvas.view.statusMessage.connect(messages.append)
    canvas.press(start)
    canvas.move(QPointF((start.x() + end.x()) / 2, (start.y() + end.y()) / 2))
    canvas.move(end)
    label = canvas.view.canvas_scene._wire.label
    assert expected_reason in label.text and label.isVisible()
    canvas.release(end)
    assert dumps_graph(canvas.graph) == before
    assert canvas.document.undo_stack.count() == depth
    assert any(expected_reason in m for m in messages), messages


def test_refused_drags_create_nothing_and_say_why(open_canvas, registry):
    canvas = open_canvas("conditional_branches")
    # A node cannot feed itself.
    _refused(
        canvas,
        canvas.port("quick_answer", "output", True),
        canvas.port("quick_answer", "inputs", False),
        "a node cannot feed itself",
    )
    # A cycle.
    _refused(
        canvas,
        canvas.port("answer", "output", True),
        canvas.port("route", "inputs", False),
        "this would make a cycle",
    )
    # A Branch label may only feed a module, not a merge.
    _refused(
        canvas,
        canvas.port("route", "branch_0", True),
        canvas.port("answer", "inputs", False),
        "a Branch label must feed a module",
    )
    # An Input takes no input: dropped anywhere on its card.
    inputs_card = canvas.view.node_item(canvas.node("inputs").id).scene_card_rect()
    _refused(canvas, canvas.port("topic", "output", True), inputs_card.center(), "takes no inputs")


def test_dropping_on_empty_canvas_offers_connectable_types_and_adds_a_connected_node(open_canvas):
    canvas = open_canvas("parallel_branches")
    graph = canvas.graph
    depth = canvas.document.undo_stack.count()
    before = dumps_graph(graph)
    drop = canvas.empty_point()
    canvas.drag(canvas.port("branch_1", "output", True), drop)
    popup = canvas.view.quick_add
    assert popup.isVisible()
    offered = popup.visible_types()
    assert "Generator" in offered and "Concat" in offered and "Output" in offered
    assert "Input" not in offered  # an Input takes no input
    QTest.keyClicks(popup.search, "chain")
    assert popup.visible_types()[0] == "ChainOfThought"
    QTest.keyClick(popup.search, Qt.Key.Key_Return)
    assert not popup.isVisible()
    (new,) = [n for n in graph.nodes.values() if n.type == "ChainOfThought"]
    (edge,) = graph.incoming(new.id)
    assert graph.nodes[edge.source].name == "branch_1"
    # Its input port sits where the wire was dropped.
    assert (canvas.view.port_scene_pos(new.id, "inputs", False) - drop).manhattanLength() < 1.5
    assert canvas.view.selected_node_ids() == [new.id]
    assert canvas.document.undo_stack.count() == depth + 1
    canvas.document.undo_stack.undo()
    assert dumps_graph(graph) == before


def test_a_branch_label_dropped_on_empty_canvas_offers_only_modules(open_canvas):
    canvas = open_canvas("conditional_branches")
    route = canvas.node("route")
    # Free label "easy" first: remove its edge so it may feed something new.
    from core.commands import RemoveEdges

    canvas.document.push(RemoveEdges([e.id for e in canvas.graph.outgoing(route.id, "branch_0")]))
    canvas.drag(canvas.port("route", "branch_0", True), canvas.empty_point())
    offered = canvas.view.quick_add.visible_types()
    from tests.editor.canvas.test_context_menu import catalogue_modules

    assert set(offered) == {
        "Generator",
        "ChainOfThought",
        "Decision",
        "Branch",
    } | catalogue_modules(canvas.document.registry)
    canvas.view.quick_add.hide()


def test_detaching_an_input_edge_rewires_it_in_one_step(open_canvas, registry):
    canvas = open_canvas("parallel_branches")
    extra = _add(canvas, registry, "Generator", (320.0, 420.0), "branch_3")
    branch_2 = canvas.node("branch_2")
    (old,) = canvas.graph.incoming(branch_2.id)
    before = dumps_graph(canvas.graph)
    depth = canvas.document.undo_stack.count()
    canvas.drag(canvas.port("branch_2", "inputs", False), canvas.port("branch_3", "inputs", False))
    assert not canvas.graph.incoming(branch_2.id)
    (new,) = canvas.graph.incoming(extra.id)
    assert (new.source, new.source_port) == (old.source, old.source_port)
    assert canvas.view.edge_item(old.id) is None
    assert canvas.document.undo_stack.count() == depth + 1
    canvas.document.undo_stack.undo()
    assert dumps_graph(canvas.graph) == before
    assert canvas.view.edge_item(old.id).isVisible()


def test_detaching_and_dropping_on_empty_canvas_disconnects(open_canvas):
    canvas = open_canvas("parallel_branches")
    branch_2 = canvas.node("branch_2")
    (old,) = canvas.graph.incoming(branch_2.id)
    canvas.drag(canvas.port("branch_2", "inputs", False), canvas.empty_point())
    assert old.id not in canvas.graph.edges
    assert canvas.view.edge_item(old.id) is None


def test_detaching_and_dropping_back_changes_nothing(open_canvas):
    canvas = open_canvas("parallel_branches")
    before = dumps_graph(canvas.graph)
    depth = canvas.document.undo_stack.count()
    port = canvas.port("branch_2", "inputs", False)
    (edge,) = canvas.graph.incoming(canvas.node("branch_2").id)
    canvas.press(port)
    canvas.move(port + QPointF(60, 60))
    assert not canvas.view.edge_item(edge.id).isVisible(), "the edge comes off while dragged"
    canvas.move(port)
    canvas.release(port)
    assert dumps_graph(canvas.graph) == before
    assert canvas.document.undo_stack.count() == depth
    assert canvas.view.edge_item(edge.id).isVisible()


def test_a_reverse_drag_from_an_empty_input_connects_an_output(open_canvas, registry):
    canvas = open_canvas("parallel_branches")
    extra = _add(canvas, registry, "Generator", (320.0, 420.0), "branch_3")
    canvas.drag(canvas.port("branch_3", "inputs", False), canvas.port("inputs", "output", True))
    (edge,) = canvas.graph.incoming(extra.id)
    assert edge.source == canvas.node("inputs").id


def test_a_merge_takes_several_edges_in_order(open_canvas, registry):
    canvas = open_canvas("fork_merge")
    merge = canvas.node("merge")
    extra = _add(canvas, registry, "Generator", (320.0, 600.0), "extra")
    from core.commands import connect_command

    canvas.document.push(
        connect_command(
            canvas.graph, registry, canvas.node("inputs").id, "output", extra.id, "inputs"
        )
    )
    canvas.drag(canvas.port("extra", "output", True), canvas.port("merge", "inputs", False))
    edges = canvas.graph.incoming(merge.id, "inputs")
    assert len(edges) == 4 and edges[-1].source == extra.id
    assert [r.text for r in canvas.view.node_item(merge.id).text_runs() if r.font == "index"] == [
        "1",
        "2",
        "3",
        "4",
    ]


def test_multiple_edges_from_one_output_are_fine(open_canvas, registry):
    canvas = open_canvas("parallel_branches")
    extra = _add(canvas, registry, "Output", (700.0, 420.0), "output_3")
    canvas.drag(canvas.port("branch_1", "output", True), canvas.port("output_3", "inputs", False))
    targets = {e.target for e in canvas.graph.outgoing(canvas.node("branch_1").id)}
    assert targets == {canvas.node("output_1").id, extra.id}


def test_a_wire_whose_node_disappears_mid_drag_is_cancelled(open_canvas, registry):
    canvas = open_canvas("parallel_branches")
    extra = _add(canvas, registry, "Generator", (320.0, 420.0), "branch_3")
    start = canvas.port("branch_3", "output", True)
    canvas.press(start)
    canvas.move(start + QPointF(80, 40))
    assert canvas.view.canvas_scene.wiring
    canvas.document.undo_stack.undo()  # the node goes (an undo from the menu, a run's edit...)
    assert extra.id not in canvas.graph.nodes
    assert not canvas.view.canvas_scene.wiring
    before = dumps_graph(canvas.graph)
    canvas.move(start + QPointF(120, 60))
    canvas.release(start + QPointF(120, 60))
    assert dumps_graph(canvas.graph) == before


def test_escape_cancels_a_detach_and_the_edge_comes_back(open_canvas):
    canvas = open_canvas("parallel_branches")
    (edge,) = canvas.graph.incoming(canvas.node("branch_2").id)
    port = canvas.port("branch_2", "inputs", False)
    canvas.press(port)
    canvas.move(port + QPointF(-60, 80))
    assert not canvas.view.edge_item(edge.id).isVisible()
    QTest.keyClick(canvas.viewport, Qt.Key.Key_Escape)
    assert canvas.view.edge_item(edge.id).isVisible() and edge.id in canvas.graph.edges
    canvas.release(port + QPointF(-60, 80))
    assert edge.id in canvas.graph.edges


def test_a_wire_into_a_fed_input_shows_the_edge_it_would_replace(open_canvas, registry):
    canvas = open_canvas("parallel_branches")
    extra = _add(canvas, registry, "Generator", (320.0, 420.0), "branch_3")
    canvas.drag(canvas.port("inputs", "output", True), canvas.port("branch_3", "inputs", False))
    target_id = canvas.node("branch_1").id
    (old,) = canvas.graph.incoming(target_id)
    old_item = canvas.view.edge_item(old.id)
    messages: list[str] = []
    canvas.view.statusMessage.connect(messages.append)
    start = canvas.port("branch_3", "output", True)
    target = canvas.port("branch_1", "inputs", False)
    canvas.press(start)
    canvas.move(QPointF((start.x() + target.x()) / 2, (start.y() + target.y()) / 2))
    assert not old_item.replaced
    canvas.move(target)
    # During the drag: the wire that would go is marked, and the status bar says so.
    assert old_item.replaced
    assert "replace the connection from inputs" in messages[-1], messages
    canvas.move(canvas.empty_point())
    assert not old_item.replaced  # moved away: nothing would be replaced
    assert messages[-1] == ""
    canvas.move(target)
    canvas.release(target)
    (new,) = canvas.graph.incoming(target_id)
    assert new.source == extra.id
    assert messages[-1] == "Connected, replacing the connection from inputs"


def test_a_gesture_that_ends_in_nothing_clears_its_status_message(open_canvas):
    canvas = open_canvas("conditional_branches")
    messages: list[str] = []
    canvas.view.statusMessage.connect(messages.append)
    start = canvas.port("quick_answer", "output", True)
    own_input = canvas.port("quick_answer", "inputs", False)
    canvas.press(start)
    canvas.move(own_input)
    assert "a node cannot feed itself" in messages[-1]
    canvas.move(start)  # back onto the port it started from
    canvas.release(start)
    assert messages[-1] == ""
