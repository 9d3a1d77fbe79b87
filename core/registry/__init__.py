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


def default_registry(*, catalogue: bool = True) -> Registry:
    """A fresh registry with every built-in node type, in palette order, then a
    node type for every other Synalinks module of the shipped catalogue
    (``catalogue=False`` leaves those out)."""
    from core.nodes.language import BranchType, ChainOfThoughtType, DecisionType, GeneratorType
    from core.nodes.merges import AndType, ConcatType, OrType, XorType
    from core.nodes.program_io import InputType, OutputType
    from core.nodes.subgraph import SubgraphType

    registry = Registry(
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
            SubgraphType(),
        ]
    )
    if catalogue:
        from core.catalogue.node_types import catalogue_node_types
        from core.catalogue.schema_cache import SchemaCache
        from core.catalogue.snapshot import shipped_catalogue

        hand_written = {t.synalinks_class for t in registry if t.synalinks_class}
        registry.schema_cache = SchemaCache()
        types = catalogue_node_types(shipped_catalogue()[1], hand_written, registry.schema_cache)
        for node_type in types:
            registry.register(node_type)
    return registry


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
