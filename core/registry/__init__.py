"""The node-type registry and the built-in catalogue."""

from core.registry.node_type import (
    GenerationRequest,
    NodeType,
    ParamField,
    ParamsError,
    PortSpec,
    RunContext,
    SchemaContext,
)
from core.registry.registry import Registry, UnknownNodeType


def default_registry() -> Registry:
    """A fresh registry with every built-in node type, in palette order."""
    from core.nodes.language import BranchType, ChainOfThoughtType, DecisionType, GeneratorType
    from core.nodes.merges import AndType, ConcatType, OrType, XorType
    from core.nodes.program_io import InputType, OutputType

    return Registry(
        [
            InputType(),
            OutputType(),
            GeneratorType(),
            ChainOfThoughtType(),
            DecisionType(),
            BranchType(),
            ConcatType(),
            AndType(),
            OrType(),
            XorType(),
        ]
    )


__all__ = [
    "GenerationRequest",
    "NodeType",
    "ParamField",
    "ParamsError",
    "PortSpec",
    "Registry",
    "RunContext",
    "SchemaContext",
    "UnknownNodeType",
    "default_registry",
]
