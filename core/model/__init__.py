"""The graph model: plain data with stable ids, changed only through :class:`Graph`."""

from core.model.data_models import FIELD_KINDS, DataModelSpec, FieldSpec, compile_data_model
from core.model.graph import MISSING, Edge, Graph, GraphError, GraphMeta, Node, new_id

__all__ = [
    "FIELD_KINDS",
    "MISSING",
    "DataModelSpec",
    "Edge",
    "FieldSpec",
    "Graph",
    "GraphError",
    "GraphMeta",
    "Node",
    "compile_data_model",
    "new_id",
]
