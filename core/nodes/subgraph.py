"""Subgraph: a program used as a module (Synalinks' nested ``Program``).

The node refers to a definition of the document by id; its ports are that
definition's Inputs and Outputs (copied into the node's parameters by the
model, see :mod:`core.model.subgraphs`), its output schemas are what reaches
the definition's Outputs, and running it runs the definition's nodes.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from core.diagnostics import Diagnostic, error
from core.model.graph import Graph, Node
from core.model.subgraphs import SUBGRAPH_TYPE, definition_of, would_recurse
from core.nodes.params import STRICT, param
from core.nodes.program_io import RESULT_KEY
from core.registry.node_type import JsonSchema, NodeType, PortSpec, RunContext, SchemaContext, Value


class PortRef(BaseModel):
    model_config = STRICT
    id: str
    name: str


class SubgraphParams(BaseModel):
    model_config = STRICT
    definition: str = param(
        title="Subgraph",
        description="The subgraph definition this node runs (one definition, any number of uses).",
        widget="subgraph",
    )
    inputs: list[PortRef] = Field(
        default_factory=list,
        title="Inputs",
        description="The definition's Inputs (kept in step with the definition).",
        json_schema_extra={"widget": "hidden"},
    )
    outputs: list[PortRef] = Field(
        default_factory=list,
        title="Outputs",
        description="The definition's Outputs, in order (kept in step with the definition).",
        json_schema_extra={"widget": "hidden"},
    )


class SubgraphType(NodeType):
    """A nested program. Not a model call itself: the nodes inside it call models,
    each in its own model slot, so the engine gives it a task of its own and no
    slot (see ``runs_subgraph``)."""

    type_name = SUBGRAPH_TYPE
    title = "Subgraph"
    category = "Program"
    description = "A program used as a module: its ports are its Inputs and Outputs."
    color = "#5b7bd6"
    default_name = "subgraph"
    params_model = SubgraphParams
    synalinks_class = None
    runs_subgraph = True

    def input_ports(self, params: SubgraphParams) -> tuple[PortSpec, ...]:
        return tuple(PortSpec(ref.id, ref.name) for ref in params.inputs)

    def output_ports(self, params: SubgraphParams) -> tuple[PortSpec, ...]:
        return tuple(PortSpec(ref.id, ref.name) for ref in params.outputs)

    def output_schemas(
        self, node: Node, params: SubgraphParams, inputs, ctx: SchemaContext
    ) -> dict[str, JsonSchema | None]:
        resolve = getattr(ctx, "subgraph_output_schemas", None)
        return resolve(params.definition) if resolve is not None else {}

    def check(self, node: Node, params: SubgraphParams, graph: Graph) -> list[Diagnostic]:
        definition = definition_of(graph, node)
        if definition is None:
            return [
                error(
                    "unknown_subgraph",
                    f"{node.name}: its subgraph definition {params.definition!r} is not in this "
                    "graph; delete the node or paste the subgraph it came from",
                    node.id,
                )
            ]
        if would_recurse(graph, params.definition):
            return [
                error(
                    "recursive_subgraph",
                    f"{node.name}: subgraph {definition.definition_name!r} would contain "
                    "itself; a subgraph cannot use itself, directly or through another",
                    node.id,
                )
            ]
        return []

    async def run(
        self,
        node: Node,
        params: SubgraphParams,
        inputs: dict[str, list[Value]],
        ctx: RunContext,
    ) -> dict[str, Any]:
        runner = getattr(ctx, "run_subgraph", None)
        if runner is None:
            raise RuntimeError(f"{node.name}: this engine cannot run subgraphs")
        outputs = await runner(node, params.definition, inputs)
        return {**outputs, RESULT_KEY: named_result(node.params.get("outputs", []), outputs)}


def named_result(ports: list[dict[str, str]], outputs: dict[str, Any]) -> Any:
    """What a Subgraph node's result panel and card show: the one output's value,
    or every output by its name (the ports are inner ids, which say nothing to a
    person). ``ports`` are the node's ``outputs`` parameter (``{"id", "name"}``)."""
    by_name = {port["name"]: outputs.get(port["id"]) for port in ports}
    return next(iter(by_name.values())) if len(by_name) == 1 else by_name


def definition_label(graph: Graph, node: Node) -> str:
    """What a card shows for a Subgraph node: its definition's name (or why none)."""
    definition = definition_of(graph, node)
    return definition.definition_name if definition is not None else "missing subgraph"
