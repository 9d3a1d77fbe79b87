"""The node palette: grouped by category, filtered by typing, double-click adds,
drags carry the node type name."""

from __future__ import annotations

from PySide6.QtCore import Qt

from editor.palette import NODE_TYPE_MIME, NodePalette


def double_click(qtbot, widget, point) -> None:
    """A real double click: press and release, then the double-click event."""
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=point)
    qtbot.mouseDClick(widget, Qt.MouseButton.LeftButton, pos=point)


def _click_point(palette: NodePalette, type_name: str):
    item = palette.item_for_type(type_name)
    palette.tree.scrollToItem(item)
    return palette.tree.visualItemRect(item).center()


def test_groups_follow_the_registry_categories(qtbot, registry):
    palette = NodePalette(registry)
    qtbot.addWidget(palette)
    groups = [palette.tree.topLevelItem(i).text(0) for i in range(palette.tree.topLevelItemCount())]
    # Subgraphs are listed as "New subgraph" and the graph's own definitions,
    # right after the category of the plain Subgraph type (a node using nothing).
    categories = list(registry.categories())
    assert groups == [*categories[:1], "Subgraphs", *categories[1:]]
    names = [n for n in registry.names() if n != "Subgraph"]
    program = len(registry.categories()["Program"]) - 1
    assert palette.visible_type_names() == [*names[:program], "subgraph:new", *names[program:]]


def test_typing_in_the_filter_narrows_the_list(qtbot, registry):
    palette = NodePalette(registry)
    qtbot.addWidget(palette)
    palette.show()
    qtbot.keyClicks(palette.filter_edit, "thought")
    assert palette.visible_type_names() == ["ChainOfThought"]
    palette.filter_edit.clear()
    qtbot.keyClicks(palette.filter_edit, "merge")  # category words match too
    assert palette.visible_type_names()[:4] == ["Concat", "And", "Or", "Xor"]
    palette.filter_edit.clear()
    qtbot.keyClicks(palette.filter_edit, "mask")  # Synalinks' own groups
    assert palette.visible_type_names() == ["InMask", "OutMask"]
    hidden_groups = [
        palette.tree.topLevelItem(i).text(0)
        for i in range(palette.tree.topLevelItemCount())
        if palette.tree.topLevelItem(i).isHidden()
    ]
    assert hidden_groups[:3] == ["Program", "Subgraphs", "Language"]


def test_enter_in_the_filter_adds_the_first_match(qtbot, registry):
    palette = NodePalette(registry)
    qtbot.addWidget(palette)
    palette.show()
    qtbot.keyClicks(palette.filter_edit, "gener")
    with qtbot.waitSignal(palette.addRequested) as signal:
        qtbot.keyClick(palette.filter_edit, Qt.Key.Key_Return)
    assert signal.args == ["Generator"]


def test_double_click_requests_an_add(qtbot, registry):
    palette = NodePalette(registry)
    qtbot.addWidget(palette)
    palette.show()
    qtbot.waitExposed(palette)
    added: list[str] = []
    palette.addRequested.connect(added.append)
    point = _click_point(palette, "Output")
    double_click(qtbot, palette.tree.viewport(), point)
    assert added == ["Output"]
    group_point = palette.tree.visualItemRect(palette.tree.topLevelItem(0)).center()
    double_click(qtbot, palette.tree.viewport(), group_point)
    assert added == ["Output"]  # a category heading adds nothing


def test_drag_data_names_the_node_type(qtbot, registry):
    palette = NodePalette(registry)
    qtbot.addWidget(palette)
    data = palette.tree.mimeData([palette.item_for_type("Generator")])
    assert bytes(data.data(NODE_TYPE_MIME)).decode("utf-8") == "Generator"
    assert palette.tree.mimeTypes() == [NODE_TYPE_MIME]
