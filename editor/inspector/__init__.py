"""The inspector: forms generated from the registry's parameter descriptions."""

from editor.inspector.panel import InspectorPanel

__all__ = ["InspectorPanel"]
