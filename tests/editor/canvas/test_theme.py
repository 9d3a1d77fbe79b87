"""The shared theme: both palettes are complete and applying one changes the app."""

from __future__ import annotations

from PySide6.QtGui import QPalette

from editor.theme import (
    RUN_STATES,
    apply_to_application,
    dark_theme,
    light_theme,
    palette_for,
    system_theme,
    theme_by_name,
)


def test_light_and_dark_differ_where_it_shows():
    light, dark = light_theme(), dark_theme()
    assert not light.is_dark and dark.is_dark
    assert light.canvas_background.lightness() > 200 > 60 > dark.canvas_background.lightness()
    # Text must contrast with the card it sits on, in both themes.
    for theme in (light, dark):
        assert abs(theme.text.lightness() - theme.card_fill.lightness()) > 150
        assert set(RUN_STATES) <= set(theme.run_state_colors)
        assert {"data", "branch"} <= set(theme.port_colors) and {"data", "branch"} <= set(
            theme.edge_colors
        )


def test_header_colour_follows_the_node_kind_and_is_adjusted_per_theme():
    light, dark = light_theme(), dark_theme()
    green, orange = "#2f9e6e", "#d9822b"
    assert light.header_color(green) != light.header_color(orange)
    # Dark headers are deeper than light ones, so white titles read on both.
    assert dark.header_color(orange).lightness() < light.header_color(orange).lightness()
    assert light.header_color(green) is light.header_color(green)  # cached
    assert light.header_color("not a colour").isValid()


def test_theme_by_name_and_system(qapp):
    assert theme_by_name("dark").is_dark and not theme_by_name("light").is_dark
    assert system_theme().name in ("light", "dark")
    try:
        theme_by_name("sepia")
    except ValueError as exc:
        assert "sepia" in str(exc)
    else:
        raise AssertionError("an unknown theme name must be refused")


def test_apply_to_application_sets_the_palette(qapp):
    original = qapp.palette()
    try:
        apply_to_application(qapp, dark_theme())
        assert qapp.palette().color(QPalette.ColorRole.Window) == dark_theme().window
        assert qapp.style().name().lower() == "fusion"
        apply_to_application(qapp, light_theme())
        assert qapp.palette().color(QPalette.ColorRole.Base) == light_theme().base
        assert (
            palette_for(dark_theme()).color(QPalette.ColorRole.ToolTipBase)
            == dark_theme().tooltip_base
        )
    finally:
        qapp.setPalette(original)


def test_dark_menus_are_lifted_off_the_panels(qapp):
    from PySide6.QtWidgets import QApplication, QMenu

    dark = dark_theme()
    apply_to_application(qapp, dark)
    try:
        menu = QMenu()
        menu.ensurePolished()
        app_base = QApplication.palette().color(QPalette.ColorRole.Base)
        menu_base = menu.palette().color(QPalette.ColorRole.Base)
        assert menu_base == dark.card_fill and menu_base != app_base
        # The panels' fields stand out from the window (checkboxes and frames show).
        assert dark.base.lightness() > dark.window.lightness()
    finally:
        apply_to_application(qapp, light_theme())
