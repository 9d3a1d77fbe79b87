"""Input and Output: where data enters and leaves a program."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from core.diagnostics import Diagnostic, error
from core.model.graph import Graph, Node
from core.model.subgraphs import ordered_outputs
from core.nodes.params import STRICT, param
from core.registry.node_type import JsonSchema, NodeType, PortSpec, RunContext, SchemaContext, Value

RESULT_KEY = "__result__"
"""Key a node's run may add to its outputs: what its result panel shows when that
differs from its output ports (a Branch's decision, an Output's value)."""


class InputParams(BaseModel):
    model_config = STRICT
    data_model: str = param(
        title="Data model",
        description="The data model the program receives (like Synalinks' Input(data_model=...)).",
        widget="data_model",
    )


class InputType(NodeType):
    """A program input. The engine seeds its value from the run's input; it has no
    input ports and never calls a model."""

    type_name = "Input"
    title = "Input"
    category = "Program"
    description = "Where data enters the program: an instance of a data model."
    color = "#2f9e6e"
    default_name = "inputs"
    params_model = InputParams
    synalinks_class = "Input"
    is_program_input = True

    def initial_params(self, graph: Graph) -> dict[str, Any]:
        first = next(iter(graph.data_models), "")
        return {"data_model": first}

    def input_ports(self, params: BaseModel) -> tuple[PortSpec, ...]:
        return ()

    def output_schemas(self, node: Node, params: InputParams, inputs, ctx: SchemaContext):
        return {"output": ctx.data_model_schema(params.data_model)}

    def output_may_be_none(self, params, inputs):
        return {"output": False}

    def check(self, node: Node, params: InputParams, graph: Graph) -> list[Diagnostic]:
        if not params.data_model:
            return [
                error(
                    "missing_data_model",
                    f"{node.name}: choose the data model the program receives",
                    node.id,
                )
            ]
        return []

    async def run(
        self, node: Node, params: BaseModel, inputs: dict[str, list[Value]], ctx: RunContext
    ):
        # The engine passes the program input on the pseudo-port "program_input".
        return {"output": inputs["program_input"][0]}


_OUTPUT_INPUTS = (PortSpec("inputs", "value"),)


class OutputParams(BaseModel):
    model_config = STRICT
    order: int = param(
        0,
        title="Order",
        description="Position among the program's outputs (a program with several "
        "outputs returns a list in this order).",
        widget="int",
        ge=0,
    )


class OutputType(NodeType):
    """Marks a program output. It has no output ports; its result is its input."""

    type_name = "Output"
    title = "Output"
    category = "Program"
    description = "Marks a program output; outputs are returned in their order."
    color = "#7a5bd6"
    default_name = "output"
    params_model = OutputParams
    synalinks_class = None
    is_program_output = True

    def initial_params(self, graph: Graph) -> dict[str, Any]:
        orders = [n.params.get("order", 0) for n in graph.nodes_of_type(self.type_name)]
        return {"order": (max(orders) + 1) if orders else 0}

    def input_ports(self, params: BaseModel) -> tuple[PortSpec, ...]:
        return _OUTPUT_INPUTS

    def output_ports(self, params: BaseModel) -> tuple[PortSpec, ...]:
        return ()

    def output_schemas(self, node, params, inputs, ctx) -> dict[str, JsonSchema | None]:
        return {}

    async def run(self, node, params, inputs, ctx):
        return {RESULT_KEY: inputs["inputs"][0]}


def program_outputs(graph: Graph) -> list[Node]:
    """Output nodes in program order: by ``order``, then name (deterministic)."""
    return ordered_outputs(graph)


def program_inputs(graph: Graph) -> list[Node]:
    """Input nodes in graph order (the order Synalinks' ``Program(inputs=[...])`` takes)."""
    return [n for n in graph.nodes.values() if n.type == InputType.type_name]
