"""Navigation, tooltips, badges, theme switching and run-state overlays."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QImage, QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from core.commands import MoveNodes, RenameNode, set_params_command
from editor.canvas.view import READABLE_ZOOM
from editor.theme import dark_theme, light_theme


def _wheel(view, pos: QPoint, delta: int):
    event = QWheelEvent(
        QPointF(pos),
        QPointF(view.viewport().mapToGlobal(pos)),
        QPoint(0, 0),
        QPoint(0, delta),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(view.viewport(), event)


def test_wheel_zooms_around_the_cursor(open_canvas):
    canvas = open_canvas("parallel_branches")
    view = canvas.view
    view.reset_zoom()
    cursor = QPoint(300, 200)
    under = view.mapToScene(cursor)
    _wheel(view, cursor, 240)
    assert view.zoom() > 1.3
    after = view.mapToScene(cursor)
    assert (after - under).manhattanLength() < 2.0 / view.zoom() + 0.5
    _wheel(view, cursor, -480)
    assert view.zoom() < 1.0


def test_keyboard_zoom_reset_and_fit(open_canvas):
    canvas = open_canvas("fork_merge")
    view = canvas.view
    view.reset_zoom()
    QTest.keyClick(view.viewport(), Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert view.zoom() > 1.0
    QTest.keyClick(view.viewport(), Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert view.zoom() == 1.0
    QTest.keyClick(view.viewport(), Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert view.zoom() < 1.0
    # Fit: every card inside the viewport.
    view.resize(1100, 600)
    QTest.keyClick(view.viewport(), Qt.Key.Key_F)
    visible = view.mapToScene(view.viewport().rect()).boundingRect()
    assert visible.contains(view.canvas_scene.content_rect())
    assert view.zoom() < 1.0
    # Too small a view for a readable fit: a readable zoom, from the top left.
    view.resize(500, 300)
    QTest.keyClick(view.viewport(), Qt.Key.Key_F)
    assert view.zoom() == READABLE_ZOOM
    visible = view.mapToScene(view.viewport().rect()).boundingRect()
    assert visible.contains(view.canvas_scene.content_rect().topLeft())


def test_zoom_is_clamped(open_canvas):
    view = open_canvas("parallel_branches").view
    for _ in range(40):
        view.zoom_out()
    assert view.zoom() >= 0.05
    for _ in range(60):
        view.zoom_in()
    assert view.zoom() <= 3.0


def test_middle_drag_and_space_drag_pan(open_canvas):
    canvas = open_canvas("fork_merge")
    view = canvas.view
    view.reset_zoom()
    before = view.mapToScene(QPoint(0, 0))
    QTest.mousePress(
        view.viewport(),
        Qt.MouseButton.MiddleButton,
        Qt.KeyboardModifier.NoModifier,
        QPoint(400, 300),
    )
    QTest.mouseMove(view.viewport(), QPoint(300, 250))
    QTest.mouseRelease(
        view.viewport(),
        Qt.MouseButton.MiddleButton,
        Qt.KeyboardModifier.NoModifier,
        QPoint(300, 250),
    )
    after = view.mapToScene(QPoint(0, 0))
    assert (after.x() - before.x(), after.y() - before.y()) == (100.0, 50.0)
    depth = canvas.document.undo_stack.count()
    QTest.keyPress(view.viewport(), Qt.Key.Key_Space)
    QTest.mousePress(
        view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(300, 300)
    )
    QTest.mouseMove(view.viewport(), QPoint(340, 300))
    QTest.mouseRelease(
        view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(340, 300)
    )
    QTest.keyRelease(view.viewport(), Qt.Key.Key_Space)
    assert view.mapToScene(QPoint(0, 0)).x() == after.x() - 40
    assert canvas.document.undo_stack.count() == depth, "panning is not an edit"


def test_center_on_node(open_canvas):
    canvas = open_canvas("fork_merge")
    view = canvas.view
    view.reset_zoom()
    node = canvas.node("check_similar")
    view.center_on_node(node.id)
    centre = view.mapToScene(view.viewport().rect().center())
    card = view.node_item(node.id).scene_card_rect()
    assert (centre - card.center()).manhattanLength() <= 3.0  # scroll bars move in whole pixels


def test_hovering_an_edge_shows_the_schema_flowing_on_it(open_canvas):
    canvas = open_canvas("parallel_branches")
    (edge,) = canvas.graph.incoming(canvas.node("output_1").id)
    item = canvas.view.edge_item(edge.id)
    assert item.toolTip() == ""
    canvas.hover(item.path().pointAtPercent(0.5))
    tip = item.toolTip()
    assert "branch_1" in tip and "output_1" in tip
    assert "AnswerWithThinking" in tip and "thinking" in tip and "answer" in tip and "str" in tip


def test_an_error_badge_appears_for_a_node_with_a_diagnostic(open_canvas, registry):
    canvas = open_canvas("conditional_branches")
    topic = canvas.node("topic")
    item = canvas.view.node_item(topic.id)
    assert item.badge is None
    canvas.document.push(set_params_command(canvas.graph, registry, topic.id, {"question": ""}))
    canvas.qtbot.waitUntil(lambda: item.badge is not None)
    severity, tip = item.badge
    assert severity == "error" and "write the question" in tip
    # The tooltip lists it when hovering the badge.
    canvas.hover(item.mapToScene(item.badge_rect().center()))
    assert "write the question" in item.toolTip()
    canvas.document.undo_stack.undo()
    canvas.qtbot.waitUntil(lambda: item.badge is None)


def test_a_warning_badge_for_a_warning(open_canvas, registry):
    canvas = open_canvas("conditional_branches")
    topic = canvas.node("topic")
    canvas.document.push(set_params_command(canvas.graph, registry, topic.id, {"labels": ["math"]}))
    item = canvas.view.node_item(topic.id)
    canvas.qtbot.waitUntil(lambda: item.badge is not None)
    assert item.badge[0] == "warning"


def test_hovering_a_port_describes_it(open_canvas):
    canvas = open_canvas("conditional_branches")
    route = canvas.node("route")
    canvas.hover(canvas.port("route", "branch_1", True))
    tip = canvas.view.node_item(route.id).toolTip()
    assert "difficult" in tip and "Branch label" in tip and "choice" in tip


def test_hovering_a_card_body_shows_its_fields_with_whole_types(open_canvas):
    canvas = open_canvas("conditional_branches")
    for name, expected in (
        ("quick_answer", "enum(easy|difficult)"),  # cut short on the card itself
        ("output_2", "<i>topic</i>"),  # an Output: what it receives, named by its producer
    ):
        item = canvas.view.node_item(canvas.node(name).id)
        card = item.scene_card_rect()
        canvas.hover(QPointF(card.center().x(), card.bottom() - 6))
        tip = item.toolTip()
        assert expected in tip, (name, tip)
    route = canvas.view.node_item(canvas.node("route").id)  # one port a label: no body tip
    card = route.scene_card_rect()
    canvas.hover(QPointF(card.center().x(), card.bottom() - 6))
    assert route.toolTip() == ""
    # The header keeps no tooltip (it is where cards are grabbed).
    header = canvas.view.node_item(canvas.node("quick_answer").id)
    rect = header.scene_card_rect()
    canvas.hover(QPointF(rect.center().x(), rect.top() + 8))
    assert header.toolTip() == ""


def _render(view) -> QImage:
    image = QImage(view.viewport().size(), QImage.Format.Format_ARGB32_Premultiplied)
    view.viewport().render(image)
    return image


def test_theme_switch_repaints_canvas_and_cards(open_canvas):
    canvas = open_canvas("parallel_branches")
    view = canvas.view
    corner = QPoint(3, 3)
    light = _render(view).pixelColor(corner)
    assert light == light_theme().canvas_background
    view.set_theme(dark_theme())
    assert _render(view).pixelColor(corner) == dark_theme().canvas_background
    card = view.node_item(canvas.node("branch_1").id).scene_card_rect()
    inside = view.mapFromScene(QPointF(card.center().x() + 60, card.bottom() - 4))
    assert _render(view).pixelColor(inside) == dark_theme().card_fill
    assert view.canvas_scene.kit.theme.is_dark


def test_run_states_draw_a_ring_and_pill_and_animate_with_one_timer(open_canvas):
    canvas = open_canvas("parallel_branches")
    view = canvas.view
    b1, b2 = canvas.node("branch_1").id, canvas.node("branch_2").id
    item = view.node_item(b1)
    card_bounds = item.boundingRect()
    view.set_node_run_state(b1, "running", elapsed=0.4)
    view.set_node_run_state(b2, "running")
    assert item.run.state == "running" and view.canvas_scene.animating
    assert item.boundingRect().bottom() > card_bounds.bottom(), "room for the pill under the card"
    view.set_node_run_state(b1, "done", elapsed=2.41, tokens=812, cost=0.0012)
    assert item.run.pill_text() == "\u2713 done \u00b7 2.4 s \u00b7 812 tok \u00b7 $0.0012"
    assert view.canvas_scene.animating  # b2 still running
    view.set_node_run_state(b2, "failed")
    assert not view.canvas_scene.animating
    (edge,) = canvas.graph.incoming(b1)
    view.set_edge_active(edge.id, True)
    assert view.edge_item(edge.id).active
    ring = view.mapFromScene(item.mapToScene(QPointF(-6.5, 60)))
    assert _render(view).pixelColor(ring).green() > 120  # the done colour is green
    view.clear_run_states()
    assert item.run is None and not view.edge_item(edge.id).active
    try:
        view.set_node_run_state(b1, "exploded")
    except ValueError as exc:
        assert "exploded" in str(exc)
    else:
        raise AssertionError("an unknown state must be refused")


def test_zoomed_out_the_overview_draws_and_cards_still_take_the_pointer(open_canvas):
    from PySide6.QtWidgets import QGraphicsItem

    canvas = open_canvas("fork_merge")
    view = canvas.view
    view.reset_zoom()
    while view.zoom() >= 0.3:
        view.zoom_out()
    assert view.canvas_scene.far
    item = view.node_item(canvas.node("merge").id)
    no_contents = QGraphicsItem.GraphicsItemFlag.ItemHasNoContents
    assert item.flags() & no_contents, "cards are skipped by the painter..."
    image = _render(view)
    card = item.scene_card_rect()
    header = view.mapFromScene(QPointF(card.center().x(), card.top() + 10))
    expected = light_theme().header_color("#1f9aa6")
    assert image.pixelColor(header).name() == expected.name(), "...and drawn by the overview"
    # A click still selects, and a rubber band still catches cards.
    canvas.press(card.center())
    canvas.release(card.center())
    assert view.selected_node_ids() == [item.node_id]
    content = view.canvas_scene.content_rect()
    canvas.drag(content.topLeft() - QPointF(200, 200), content.center(), steps=5)
    assert canvas.node("research").id in view.selected_node_ids()
    view.reset_zoom()
    assert not view.canvas_scene.far and not item.flags() & no_contents


def test_cards_cache_a_crisp_picture_and_a_scaled_one_while_the_zoom_changes(open_canvas):
    from PySide6.QtWidgets import QGraphicsItem

    canvas = open_canvas("parallel_branches")
    view = canvas.view
    item = view.node_item(canvas.node("branch_1").id)
    _render(view)
    assert item.cacheMode() == QGraphicsItem.CacheMode.DeviceCoordinateCache
    view.zoom_out()
    _render(view)
    assert item.cacheMode() == QGraphicsItem.CacheMode.ItemCoordinateCache
    # The scaled picture lands exactly where the card is.
    image = _render(view)
    card = item.scene_card_rect()
    expected = light_theme().header_color("#3b6fe0").name()
    for x in (card.left() + 30, card.right() - 30):
        assert image.pixelColor(view.mapFromScene(QPointF(x, card.top() + 4))).name() == expected
    (edge,) = canvas.graph.incoming(item.node_id)
    middle = view.mapFromScene(view.edge_item(edge.id).path().pointAtPercent(0.5))
    assert image.pixelColor(middle).name() != light_theme().canvas_background.name(), (
        "the edge is drawn"
    )
    canvas.qtbot.waitUntil(
        lambda: item.cacheMode() == QGraphicsItem.CacheMode.DeviceCoordinateCache, timeout=2000
    )


def test_zoomed_out_the_overview_is_kept_as_a_picture_once_still_and_stays_current(
    open_canvas,
):
    from PySide6.QtWidgets import QGraphicsItem

    cache = QGraphicsItem.CacheMode
    canvas = open_canvas("fork_merge")
    view = canvas.view
    while view.zoom() >= 0.3:
        view.zoom_out()
    _render(view)
    overview = view.canvas_scene.overview
    assert overview.cacheMode() == cache.NoCache  # drawn as it is, until the view settles
    canvas.qtbot.waitUntil(
        lambda: overview.cacheMode() == cache.DeviceCoordinateCache, timeout=2000
    )
    before = _render(view)
    # Every change still reaches the kept picture: a selection...
    merge = canvas.node("merge")
    card = view.node_item(merge.id).scene_card_rect()
    view.select_nodes([merge.id])
    selected = _render(view)
    outline = view.mapFromScene(QPointF(card.center().x(), card.top() - 4))
    assert selected.pixelColor(outline) != before.pixelColor(outline)
    # ...a run state...
    view.set_node_run_state(merge.id, "failed", elapsed=1.0)
    ring = view.mapFromScene(QPointF(card.center().x(), card.top() - 8))
    assert _render(view).pixelColor(ring).name() == light_theme().run_state_color("failed").name()
    # ...and a move (an undoable command), where the card is drawn anew.
    old = merge.position
    canvas.document.push(MoveNodes({merge.id: (old, (old[0], old[1] + 400.0))}))
    moved = view.node_item(merge.id).scene_card_rect()
    header = view.mapFromScene(QPointF(moved.center().x(), moved.top() + 10))
    assert _render(view).pixelColor(header).name() == light_theme().header_color("#1f9aa6").name()
    # ...and a rename: the name written on the card changes.
    before_rename = _render(view)
    canvas.document.push(RenameNode(merge.id, "all_together_now"))
    assert _render(view).copy(view.mapFromScene(moved).boundingRect()) != before_rename.copy(
        view.mapFromScene(moved).boundingRect()
    )
    # Zooming again shows one picture of the whole graph, scaled, until the zoom
    # settles; it shows the graph as it is now (the renamed, moved card).
    view.zoom_in()
    assert view.canvas_scene.far
    zooming = _render(view)
    assert overview.cacheMode() == cache.NoCache and overview._picture is not None
    moved_header = view.mapFromScene(QPointF(moved.center().x(), moved.top() + 10))
    assert zooming.pixelColor(moved_header).name() == light_theme().header_color("#1f9aa6").name()
    view.select_nodes([])  # a change while zooming: the picture is made anew
    assert overview._picture is None
    _render(view)
    assert overview._picture is not None
    canvas.qtbot.waitUntil(
        lambda: overview.cacheMode() == cache.DeviceCoordinateCache, timeout=2000
    )


def test_zoomed_out_badges_and_run_states_still_show(open_canvas, registry):
    canvas = open_canvas("conditional_branches")
    view = canvas.view
    while view.zoom() >= 0.3:
        view.zoom_out()
    _render(view)  # the overview has gathered the graph
    topic = canvas.node("quick_answer")
    # A data model removed in its panel: the badge it causes reaches the overview.
    from core.commands import RemoveDataModel

    canvas.document.push(RemoveDataModel("Answer"))
    item = view.node_item(topic.id)
    canvas.qtbot.waitUntil(lambda: item.badge is not None)
    card = item.scene_card_rect()
    badge_at = view.mapFromScene(QPointF(card.right() - 10.0, card.top() + 10.0))
    assert _render(view).pixelColor(badge_at).name() == light_theme().error.name()
    inputs = canvas.node("inputs")
    view.set_node_run_state(inputs.id, "done", elapsed=1.0)
    ring = view.node_item(inputs.id).scene_card_rect().adjusted(-8, -8, 8, 8)
    ring_at = view.mapFromScene(QPointF(ring.center().x(), ring.top()))
    assert _render(view).pixelColor(ring_at).name() == light_theme().run_state_color("done").name()
