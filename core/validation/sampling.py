"""A warning on model nodes that sample: the node cache replays one sample.

With a temperature above 0 each call may answer differently, but the cache
keys a result by what was asked, not by the luck of the draw: a cached re-run
gives the first sample again. That is usually what iterating wants; the
warning says so, and how to draw anew.
"""

from __future__ import annotations

from core.diagnostics import Diagnostic, warning
from core.model.graph import Graph
from core.schemas.flow import FlowAnalysis

SAMPLING = "sampling_cached"


def sampling_checks(graph: Graph, flow: FlowAnalysis) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for node_id, node_type in flow.types.items():
        if not node_type.uses_language_model:
            continue
        temperature = getattr(flow.params.get(node_id), "temperature", None)
        if isinstance(temperature, (int, float)) and temperature > 0:
            node = graph.nodes[node_id]
            found.append(
                warning(
                    SAMPLING,
                    f"{node.name}: temperature {temperature:g} samples, but a cached re-run "
                    "replays the first sample; set the temperature to 0 for repeatable "
                    "answers, or turn off Use cache (run --no-cache) to draw anew",
                    node_id,
                )
            )
    return found
