"""The graph from what the reader found: data models, nodes, edges, outputs, layout.

Node ids are derived from the node's position and name (uuid5), so importing
the same script twice gives the same file. The program's outputs become
Output nodes ``output_1``... in order. The graph's default model is the model
of the variable named ``language_model`` (the lessons' and the exporter's
convention), else the first model a module uses; a module using the default
gets an empty model (meaning "the graph's default").
"""

from __future__ import annotations

import uuid
from typing import Any

from core.importer import values as v
from core.importer.assemble_subgraphs import SubgraphPorts, add_definitions
from core.importer.reader import ScriptReader
from core.layout import layered_layout
from core.model.graph import Edge, Graph, GraphMeta, Node
from core.model.names import unique_name
from core.model.resources import EmbeddingModelSpec, KnowledgeBaseSpec
from core.registry.registry import Registry

ID_NAMESPACE = uuid.UUID("5d1c3a52-9a6c-4c55-8f0e-3d2b7c1e6a10")
OFFLINE_MODEL = "offline"


def stable_id(*parts: object) -> str:
    return uuid.uuid5(ID_NAMESPACE, "\x1f".join(str(p) for p in parts)).hex


def assemble(
    reader: ScriptReader, program: v.Program, registry: Registry, only: bool = False
) -> Graph:
    """The graph of ``program``; with ``only``, of its own nodes alone (the script
    builds other programs too), else of every node the script creates."""
    default_lm = _default_model(reader)
    default_model = default_lm.model if default_lm and default_lm.model else OFFLINE_MODEL
    meta = GraphMeta(
        name=program.name or "untitled",
        description=program.description or "",
        default_model=default_model,
        api_base=_api_base(reader),
        example_input=_example(reader, program),
        embedding_models=tuple(
            EmbeddingModelSpec(name=m.name, model=m.model, api_base=m.api_base)
            for m in reader.embedding_models
        ),
        knowledge_bases=tuple(
            KnowledgeBaseSpec(
                name=k.name,
                path=k.path,
                data_models=tuple(k.data_models),
                embedding_model=k.embedding_model,
                metric=k.metric,
            )
            for k in reader.knowledge_bases
        ),
    )
    graph = Graph(meta)
    for spec in reader.models.specs.values():
        graph.set_data_model(spec)
    ids = [stable_id(meta.name, index, item.name) for index, item in enumerate(reader.nodes)]
    only = only or bool(reader.subgraph_programs)  # called programs' nodes are theirs
    kept = _parts_of(reader, program) if only else set(range(len(reader.nodes)))

    def node_params(item: Any, index: int, definitions: dict[int, str]) -> dict[str, Any]:
        if item.type == "Subgraph":
            return {"definition": definitions[id(reader.subgraph_programs[index])]}
        params = dict(item.params)
        if (
            "language_model" in params
            and item.model is not None
            and item.model.model != default_model
        ):
            params["language_model"] = item.model.model
        node_type = registry.get(item.type)
        full = node_type.parse_params(Node(ids[index], item.type, item.name, params))
        return full.model_dump(mode="json")

    ports = SubgraphPorts(reader, stable_id)
    definitions = add_definitions(graph, reader, program, registry, ports, node_params)
    for index in _creation_order(reader, program):
        if index not in kept:
            continue
        item, node_id = reader.nodes[index], ids[index]
        graph.add_node(Node(node_id, item.type, item.name, node_params(item, index, definitions)))
    for index, item in enumerate(reader.nodes):
        if index not in kept:
            continue
        for position, (source, port) in enumerate(item.sources):
            edge_id = stable_id(meta.name, "edge", index, position)
            graph.add_edge(
                Edge(
                    edge_id,
                    ids[source],
                    ports.source(source, port),
                    ids[index],
                    ports.target(index, position),
                )
            )
    _add_outputs(graph, program, ids, meta.name, ports)
    for node_id, position in layered_layout(graph).items():
        graph.nodes[node_id].position = position
    return graph


def _parts_of(reader: ScriptReader, program: v.Program) -> set[int]:
    """The nodes the program's outputs come from, and its inputs."""
    kept = {i.index for i in program.inputs}
    stack = [o.index for o in program.outputs]
    while stack:
        index = stack.pop()
        if index not in kept:
            kept.add(index)
            stack.extend(source for source, _ in reader.nodes[index].sources)
    return kept


def _creation_order(reader: ScriptReader, program: v.Program) -> list[int]:
    """Nodes in the order the script creates them, except that Input nodes take
    the order of ``Program(inputs=[...])`` (the graph's input order is its node
    order; Inputs have no parents, so swapping them keeps every edge forward)."""
    order = list(range(len(reader.nodes)))
    slots = [i for i in order if reader.nodes[i].type == "Input"]
    listed = [i.index for i in program.inputs]
    wanted = listed + [i for i in slots if i not in listed]
    for slot, index in zip(slots, wanted, strict=True):
        order[slot] = index
    return order


def _add_outputs(
    graph: Graph, program: v.Program, ids: list[str], graph_name: str, ports: SubgraphPorts
) -> None:
    taken = set(graph.iter_names())
    for order, output in enumerate(program.outputs):
        name = unique_name(f"output_{order + 1}", taken)
        taken.add(name)
        node_id = stable_id(graph_name, "output", order)
        graph.add_node(Node(node_id, "Output", name, {"order": order}))
        graph.add_edge(
            Edge(
                stable_id(graph_name, "output edge", order),
                ids[output.index],
                ports.source(output.index, output.port),
                node_id,
                "inputs",
            )
        )


def _default_model(reader: ScriptReader) -> v.LanguageModel | None:
    used = [n.model for n in reader.nodes if isinstance(n.model, v.LanguageModel) and n.model.model]
    for lm in used:
        if lm.variable == "language_model":
            return lm
    if used:
        return used[0]
    known = [lm for lm in reader.language_models if lm.model]
    named = [lm for lm in known if lm.variable == "language_model"]
    return (named or known or [None])[0]


def _api_base(reader: ScriptReader) -> str | None:
    bases = [n.model.api_base for n in reader.nodes if isinstance(n.model, v.LanguageModel)]
    found = [b for b in bases if b]
    if len(set(found)) > 1:
        reader.report(
            0,
            f"the models use different api_base servers ({', '.join(sorted(set(found)))}); the "
            f"graph keeps one, {found[0]!r}",
            "warning",
        )
    return found[0] if found else None


def _example(reader: ScriptReader, program: v.Program) -> dict[str, Any]:
    """The example input: the argument of the script's own ``program(...)`` call."""
    example = program.example
    inputs = [reader.nodes[i.index] for i in program.inputs]
    instances = example.items if isinstance(example, v.Sequence) else [example]
    values = [i.values if isinstance(i, v.Instance) else None for i in instances]
    if len(inputs) == 1:
        return dict(values[0]) if values and values[0] else {}
    result: dict[str, Any] = {}
    for node, value in zip(inputs, values, strict=False):
        if value:
            result[node.name] = dict(value)
    return result
