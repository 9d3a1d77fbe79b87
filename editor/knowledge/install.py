"""The Knowledge dock of a main window, and how its searches reach the worker."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt

from editor.knowledge.panel import KnowledgePanel

if TYPE_CHECKING:
    from editor.main_window import MainWindow


def install_knowledge(window: MainWindow) -> KnowledgePanel:
    """Add the Knowledge panel as a bottom dock (tabbed with Data Models), listed
    in the View menu by the dock's own toggle action; searches use the
    workspace's shared Synalinks worker and offline endpoint."""
    panel = KnowledgePanel()
    dock = window._dock("Knowledge", "knowledgeDock", panel, Qt.DockWidgetArea.BottomDockWidgetArea)
    window.tabifyDockWidget(window.results_dock, dock)
    window.data_models_dock.raise_()
    window.knowledge_dock = dock
    window._default_state = window.saveState()  # View → Reset Layout brings it back too
    for action in window.menuBar().actions():
        menu = action.menu()
        if menu is None or action.text().replace("&", "") != "View":
            continue
        for item in menu.actions():
            if item.menu() is not None and item.text().replace("&", "") == "Panels":
                item.menu().addAction(dock.toggleViewAction())

    async def search(request):
        from core.knowledge.search import run_search

        settings = window.workspace.settings
        controller = getattr(window, "run_controller", None)
        secrets = controller.providers.keys() if controller is not None else {}
        pool = await window.workspace.synalinks.ready(
            str(getattr(settings, "synalinks_python", "") or ""), secrets
        )
        return await run_search(await pool.get(), request)

    async def offline_base():
        return await window.workspace.synalinks.offline.api_base(0)

    panel.searcher = search
    panel.offline_base = offline_base
    return panel
