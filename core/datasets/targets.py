"""What a graph asks of a dataset: its Input data models and the scored output's schema."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.datasets.errors import DatasetError
from core.datasets.mapping import InputTarget
from core.model.graph import Graph, Node
from core.nodes.program_io import program_inputs, program_outputs
from core.registry.registry import Registry


@dataclass(frozen=True)
class GraphTargets:
    """The Inputs a row feeds and the Output whose value is scored (its index
    among the program's outputs, and the JSON schema of what reaches it)."""

    inputs: list[InputTarget]
    output: Node
    output_index: int
    expected_schema: dict[str, Any]


def graph_targets(graph: Graph, registry: Registry, output: str | None = None) -> GraphTargets:
    """The targets of ``graph``; ``output`` names the Output to score (default:
    the first in program order). :class:`DatasetError` when the graph cannot
    be evaluated (no Input, no Output, an unknown output name or schema)."""
    from core.schemas.flow import analyse

    inputs = []
    for node in program_inputs(graph):
        spec = graph.data_models.get(node.params.get("data_model", ""))
        if spec is None:
            raise DatasetError(
                f"the Input {node.name!r} has no data model; give it one before evaluating"
            )
        inputs.append(InputTarget(node.name, spec, graph.data_models))
    if not inputs:
        raise DatasetError("the graph has no Input node: add one before evaluating")
    outputs = program_outputs(graph)
    if not outputs:
        raise DatasetError("the graph has no Output node: add one before evaluating")
    if output:
        chosen = [i for i, n in enumerate(outputs) if n.name == output]
        if not chosen:
            raise DatasetError(
                f"the graph has no Output named {output!r}; its outputs are "
                f"{', '.join(n.name for n in outputs)}"
            )
        index = chosen[0]
    else:
        index = 0
    node = outputs[index]
    arriving = analyse(graph, registry).input_schemas(node.id)
    schema = next((s for schemas in arriving.values() for s in schemas if s), None)
    if not schema or not schema.get("properties"):
        raise DatasetError(
            f"the value reaching the Output {node.name!r} has no known fields, so nothing "
            "can be compared with it; fix the graph's problems first"
        )
    return GraphTargets(inputs, node, index, schema)
