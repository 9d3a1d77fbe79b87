"""Pictures of the canvas without any dialog: sizes per scale, colours, transparency,
SVG as vectors and text, screen area against whole graph, the scene left as it was."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from PySide6.QtCore import QByteArray, QPointF, QSize
from PySide6.QtGui import QColor, QImage
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QGraphicsItem

from core.commands import MoveNodes
from editor.canvas.view import CanvasView
from editor.document_files import new_document
from editor.export.pictures import (
    PictureError,
    PictureFrame,
    PictureOptions,
    export_picture,
    graph_area,
    picture_bytes,
    render_image,
    render_png,
    render_svg,
    view_area,
)
from editor.theme import dark_theme, light_theme

SVG_NS = "{http://www.w3.org/2000/svg}"


def png_image(data: bytes) -> QImage:
    image = QImage.fromData(data, "PNG")
    assert not image.isNull()
    return image


def header_point(view: CanvasView, frame: PictureFrame, name: str) -> tuple[int, int]:
    """Pixel of ``frame``'s picture in the middle of ``name``'s card header,
    a little left of centre (clear of the title and kind text)."""
    node_id = next(n.id for n in view.document.graph.nodes.values() if n.name == name)
    card = view.node_item(node_id).scene_card_rect()
    point = QPointF(card.left() + card.width() * 0.62, card.top() + 5.0)
    ppu = frame.pixels_per_unit
    return round((point.x() - frame.source.left()) * ppu), round(
        (point.y() - frame.source.top()) * ppu
    )


def header_color(view: CanvasView, name: str) -> QColor:
    node_id = next(n.id for n in view.document.graph.nodes.values() if n.name == name)
    return view.theme.header_color(view.node_item(node_id).content.color)


def colors_in(image: QImage) -> set[int]:
    """Every distinct opaque RGB value (sampled every other pixel)."""
    found = set()
    for y in range(0, image.height(), 2):
        for x in range(0, image.width(), 2):
            pixel = image.pixel(x, y)
            if pixel >> 24 == 0xFF:
                found.add(pixel & 0xFFFFFF)
    return found


def rgb(color: QColor) -> int:
    return color.rgb() & 0xFFFFFF


def rgb_at(image: QImage, x: int, y: int) -> int:
    return image.pixel(x, y) & 0xFFFFFF


# ------------------------------------------------------------------- PNG
def test_png_of_the_whole_graph_has_the_size_of_the_scale(view):
    scene = view.canvas_scene
    one = graph_area(scene, 1.0)
    content = scene.content_rect()
    assert one.source.contains(content)  # every card, with room around
    assert one.size == QSize(round(one.source.width()), round(one.source.height()))
    for scale in (1.0, 2.0, 3.0):
        image = png_image(render_png(scene, graph_area(scene, scale)))
        assert (image.width(), image.height()) == (
            one.size.width() * scale,
            one.size.height() * scale,
        )
    custom = png_image(render_png(scene, graph_area(scene, 1.5)))
    assert (custom.width(), custom.height()) == (
        round(one.size.width() * 1.5),
        round(one.size.height() * 1.5),
    )


@pytest.mark.parametrize("scale", [1.0, 2.0])
def test_png_shows_the_cards_on_the_theme_background(view, scale):
    frame = graph_area(view.canvas_scene, scale)
    image = png_image(render_png(view.canvas_scene, frame))
    assert rgb_at(image, 1, 1) == rgb(light_theme().canvas_background)
    for name in ("inputs", "branch_1", "output_2"):
        x, y = header_point(view, frame, name)
        assert rgb_at(image, x, y) == rgb(header_color(view, name)), name
    kinds = {rgb(header_color(view, name)) for name in ("inputs", "branch_1", "output_1")}
    assert len(kinds) == 3  # Input, Generator and Output headers differ
    assert kinds <= colors_in(image)


def test_png_follows_the_current_theme(view):
    light_header = header_color(view, "branch_1")
    view.set_theme(dark_theme())
    frame = graph_area(view.canvas_scene, 1.0)
    image = png_image(render_png(view.canvas_scene, frame))
    assert rgb_at(image, 1, 1) == rgb(dark_theme().canvas_background)
    x, y = header_point(view, frame, "branch_1")
    assert header_color(view, "branch_1") != light_header
    assert rgb_at(image, x, y) == rgb(header_color(view, "branch_1"))


def test_transparent_png_keeps_only_the_drawing(view):
    frame = graph_area(view.canvas_scene, 2.0)
    image = png_image(render_png(view.canvas_scene, frame, transparent=True))
    assert image.hasAlphaChannel()
    assert QColor.fromRgba(image.pixel(1, 1)).alpha() == 0
    assert QColor.fromRgba(image.pixel(image.width() - 2, image.height() - 2)).alpha() == 0
    x, y = header_point(view, frame, "inputs")
    pixel = QColor.fromRgba(image.pixel(x, y))
    assert pixel.alpha() == 255 and pixel.rgb() == header_color(view, "inputs").rgb()
    opaque = png_image(render_png(view.canvas_scene, frame))
    assert QColor.fromRgba(opaque.pixel(1, 1)).alpha() == 255


def test_tiny_scale_draws_the_overview_and_puts_the_canvas_back(view):
    scene = view.canvas_scene
    assert not scene.far
    frame = graph_area(scene, 0.25)
    image = png_image(render_png(scene, frame))
    assert rgb(header_color(view, "branch_1")) in colors_in(image)
    assert not scene.far


# ------------------------------------------------------------------- SVG
def test_svg_is_valid_with_vector_shapes_and_the_node_names_as_text(view):
    frame = graph_area(view.canvas_scene, 2.0)
    svg = render_svg(view.canvas_scene, frame, title="parallel_branches")
    renderer = QSvgRenderer(QByteArray(svg))
    assert renderer.isValid()
    assert renderer.defaultSize() == frame.size  # width and height in pixels, not millimetres
    root = ET.fromstring(svg)
    assert root.find(f"{SVG_NS}title").text == "parallel_branches"
    texts = [(t.text or "").strip() for t in root.iter(f"{SVG_NS}text")]
    for node in view.document.graph.nodes.values():
        assert node.name in texts
    assert "AnswerWithThinking" in texts
    assert not list(root.iter(f"{SVG_NS}image"))  # no bitmaps: cards are paths
    assert len(list(root.iter(f"{SVG_NS}path"))) >= len(view.document.graph.nodes)
    families = {t.get("font-family") for t in root.iter(f"{SVG_NS}text")}
    assert families and all(f.endswith(("sans-serif", "monospace")) for f in families)
    assert all("Sans Serif" not in f for f in families)


def test_svg_background_is_the_theme_colour_or_nothing(view):
    frame = graph_area(view.canvas_scene, 1.0)
    background = light_theme().canvas_background.name()
    filled = render_svg(view.canvas_scene, frame).decode()
    assert f'fill="{background}"' in filled
    clear = render_svg(view.canvas_scene, frame, transparent=True).decode()
    assert f'fill="{background}"' not in clear


def test_svg_draws_like_the_png(view):
    """The SVG, drawn back by Qt, has the cards where the PNG has them."""
    frame = graph_area(view.canvas_scene, 1.0)
    renderer = QSvgRenderer(QByteArray(render_svg(view.canvas_scene, frame)))
    image = QImage(frame.size, QImage.Format.Format_ARGB32)
    image.fill(QColor("magenta"))
    from PySide6.QtGui import QPainter

    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    assert rgb_at(image, 1, 1) == rgb(light_theme().canvas_background)
    for name in ("inputs", "branch_2", "output_1"):
        x, y = header_point(view, frame, name)
        assert rgb_at(image, x, y) == rgb(header_color(view, name)), name


# ----------------------------------------------------------------- areas
def test_screen_area_is_the_viewport_and_differs_from_the_whole_graph(view, qtbot):
    scene = view.canvas_scene
    inputs = next(n.id for n in view.document.graph.nodes.values() if n.name == "inputs")
    view.reset_zoom()
    view._set_zoom(2.0)
    view.center_on_node(inputs)
    viewport = view.viewport().size()
    for scale in (1.0, 2.0):
        frame = view_area(view, scale)
        assert frame.size == QSize(viewport.width() * scale, viewport.height() * scale)
        assert frame.pixels_per_unit == pytest.approx(2.0 * scale)
    on_screen = png_image(picture_bytes(view, PictureOptions(area="view")))
    whole = png_image(picture_bytes(view, PictureOptions(area="graph")))
    assert (on_screen.width(), on_screen.height()) == (viewport.width(), viewport.height())
    assert (whole.width(), whole.height()) == (
        graph_area(scene).size.width(),
        graph_area(scene).size.height(),
    )
    # Zoomed in on the Input card: its header shows, the Output cards are off screen.
    visible = view_area(view).source
    assert not visible.intersects(
        view.node_item(
            next(n.id for n in view.document.graph.nodes.values() if n.name == "output_1")
        ).scene_card_rect()
    )
    assert rgb(header_color(view, "inputs")) in colors_in(on_screen)
    assert rgb(header_color(view, "output_1")) not in colors_in(on_screen)
    assert rgb(header_color(view, "output_1")) in colors_in(whole)
    x, y = header_point(view, view_area(view), "inputs")
    assert rgb_at(on_screen, x, y) == rgb(header_color(view, "inputs"))


def test_rendering_leaves_selection_caches_and_mode_as_they_were(view):
    scene = view.canvas_scene
    ids = list(view.document.graph.nodes)[:2]
    view.select_nodes(ids)
    selected_seen = []
    view.selectionChangedIds.connect(selected_seen.append)
    modes = {item: item.cacheMode() for item in scene.node_items() + scene.edge_items()}
    assert QGraphicsItem.CacheMode.DeviceCoordinateCache in modes.values()
    frame = graph_area(scene, 1.0)
    image = png_image(render_png(scene, frame))
    # No selection ring in the picture: the selection colour is nowhere.
    assert rgb(light_theme().selection) not in colors_in(image)
    assert view.selected_node_ids() == ids
    assert selected_seen == []  # the editor was not told of a selection change
    assert {item: item.cacheMode() for item in modes} == modes
    render_svg(scene, frame)
    assert view.selected_node_ids() == ids
    assert {item: item.cacheMode() for item in modes} == modes


def test_zoomed_out_picture_has_no_selection_and_the_screen_keeps_it(view, qtbot):
    scene = view.canvas_scene
    view._set_zoom(0.2)
    edge_id = next(iter(view.document.graph.edges))
    view.edge_item(edge_id).setSelected(True)
    selection = rgb(light_theme().selection)
    assert selection in colors_in(view.grab().toImage())  # the overview draws it
    assert scene.far
    image = png_image(render_png(scene, view_area(view, 1.0)))
    assert rgb(header_color(view, "branch_1")) in colors_in(image)
    assert selection not in colors_in(image)
    assert scene.far and view.edge_item(edge_id).isSelected()
    assert selection in colors_in(view.grab().toImage())


# ----------------------------------------------------------------- errors
def test_empty_graph_has_no_whole_graph_picture(qtbot, registry):
    document = new_document(registry)
    canvas = CanvasView(document, light_theme())
    qtbot.addWidget(canvas)
    with pytest.raises(PictureError, match="empty"):
        graph_area(canvas.canvas_scene)
    assert view_area(canvas).size == canvas.viewport().size()
    document.close()


def test_oversized_png_is_refused_before_any_memory_is_used(view):
    scene = view.canvas_scene
    far_node = next(iter(view.document.graph.nodes))
    view.document.push(
        MoveNodes({far_node: (view.document.graph.nodes[far_node].position, (60_000.0, 0.0))})
    )
    frame = graph_area(scene, 1.0)
    assert frame.size.width() > 32_000
    with pytest.raises(PictureError, match="too large.*smaller scale"):
        render_image(scene, frame)
    svg = render_svg(scene, frame)  # vectors have no such limit
    assert QSvgRenderer(QByteArray(svg)).isValid()


def test_export_picture_writes_the_bytes_atomically(view, tmp_path):
    target = tmp_path / "graph.png"
    options = PictureOptions(format="png", scale=2.0)
    written = export_picture(view, target, options)
    data = target.read_bytes()
    assert written == len(data)
    assert data == picture_bytes(view, options)
    assert [p.name for p in tmp_path.iterdir()] == ["graph.png"]  # no temporary file left
    svg_target = tmp_path / "graph.svg"
    export_picture(view, svg_target, PictureOptions(format="svg"), title="seed")
    assert QSvgRenderer(str(svg_target)).isValid()


def test_failed_export_leaves_the_old_file_alone(view, tmp_path, registry, qtbot):
    target = tmp_path / "graph.png"
    target.write_bytes(b"old picture")
    with pytest.raises(PictureError, match="could not save"):
        export_picture(view, tmp_path / "missing" / "graph.png", PictureOptions())
    empty = new_document(registry)
    canvas = CanvasView(empty, light_theme())
    qtbot.addWidget(canvas)
    with pytest.raises(PictureError, match="empty"):
        export_picture(canvas, target, PictureOptions())
    assert target.read_bytes() == b"old picture"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.png"]
    empty.close()


def test_options_refuse_unknown_values():
    with pytest.raises(ValueError, match="format"):
        PictureOptions(format="jpg")
    with pytest.raises(ValueError, match="area"):
        PictureOptions(area="selection")
    with pytest.raises(ValueError, match="scale"):
        PictureOptions(scale=20.0)
