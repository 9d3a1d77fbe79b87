"""Every edit as an undoable command (the editor puts them on a QUndoStack)."""

from core.commands.base import Command, Macro, UndoStack
from core.commands.clipboard import copy_document, copy_text, parse_clipboard, paste_command
from core.commands.collapse_expand import collapse_command, expand_command
from core.commands.data_model_commands import (
    RemoveDataModel,
    RenameDataModel,
    SetDataModel,
    data_model_name_problem,
)
from core.commands.edge_commands import AddEdge, ReorderInputs, connect_command, connection_problem
from core.commands.node_commands import (
    AddNode,
    MoveNodes,
    RemoveEdges,
    RemoveNodes,
    RenameNode,
    RewireEdges,
    SetMeta,
    SetParams,
    make_node,
    node_name_problem,
    set_params_command,
)
from core.commands.subgraph_commands import (
    AddSubgraph,
    InDefinition,
    RemoveSubgraph,
    SetSubgraphInfo,
    SubgraphError,
    in_graph,
    make_subgraph_node,
    new_subgraph_command,
)
from core.commands.variable_commands import SetLearntPrompt

__all__ = [
    "AddSubgraph",
    "InDefinition",
    "RemoveSubgraph",
    "SetSubgraphInfo",
    "SubgraphError",
    "collapse_command",
    "expand_command",
    "in_graph",
    "make_subgraph_node",
    "new_subgraph_command",
    "SetLearntPrompt",
    "AddEdge",
    "AddNode",
    "Command",
    "Macro",
    "MoveNodes",
    "RemoveDataModel",
    "RemoveEdges",
    "RemoveNodes",
    "RenameDataModel",
    "RenameNode",
    "ReorderInputs",
    "RewireEdges",
    "SetDataModel",
    "SetMeta",
    "SetParams",
    "UndoStack",
    "connect_command",
    "connection_problem",
    "copy_document",
    "copy_text",
    "data_model_name_problem",
    "make_node",
    "node_name_problem",
    "set_params_command",
    "parse_clipboard",
    "paste_command",
]
