"""Programs called inside the imported program become subgraph definitions.

Each program the script calls as a module (:mod:`core.importer.program_calls`)
becomes one definition of the document (however often it is called): its
Inputs, the modules its outputs come from, and one Output per output, in
order. Ids are derived from the program's name and the node's position in the
script, as for the document's own nodes, so importing twice gives the same file.
"""

from __future__ import annotations

from core.importer import values as v
from core.importer.program_calls import SUBGRAPH_PORT
from core.importer.reader import ScriptReader
from core.layout import layered_layout
from core.model.graph import Edge, Graph, Node
from core.model.names import unique_name
from core.registry.registry import Registry


class SubgraphPorts:
    """Node ids inside definitions, and the graph ports of Subgraph nodes."""

    def __init__(self, reader: ScriptReader, stable_id) -> None:
        self.reader = reader
        self.stable_id = stable_id

    def namespace(self, program: v.Program) -> str:
        return f"subgraph {program.name or 'subgraph'}"

    def definition_id(self, root_name: str, program: v.Program) -> str:
        return self.stable_id(root_name, "subgraph", program.name, program.line)

    def node_id(self, program: v.Program, index: int) -> str:
        return self.stable_id(self.namespace(program), index, self.reader.nodes[index].name)

    def output_id(self, program: v.Program, order: int) -> str:
        return self.stable_id(self.namespace(program), "output", order)

    def source(self, index: int, port: str) -> str:
        """The graph port for what leaves ``port`` of node ``index``."""
        if port.startswith(SUBGRAPH_PORT) and index in self.reader.subgraph_programs:
            return self.output_id(self.reader.subgraph_programs[index], int(port[1:]))
        return port

    def target(self, index: int, position: int) -> str:
        """The graph port of the ``position``-th input of node ``index``."""
        program = self.reader.subgraph_programs.get(index)
        if program is None:
            return "inputs"
        return self.node_id(program, program.inputs[position].index)


def called_programs(reader: ScriptReader, program: v.Program) -> list[v.Program]:
    """The programs ``program`` calls as modules, at any depth, first call first."""
    found: list[v.Program] = []
    stack = [program]
    while stack:
        current = stack.pop(0)
        for index in sorted(parts_of(reader, current)):
            inner = reader.subgraph_programs.get(index)
            if inner is not None and all(inner is not f for f in found) and inner is not program:
                found.append(inner)
                stack.append(inner)
    return found


def parts_of(reader: ScriptReader, program: v.Program) -> set[int]:
    """The nodes the program's outputs come from, and its inputs."""
    kept = {i.index for i in program.inputs}
    stack = [o.index for o in program.outputs]
    while stack:
        index = stack.pop()
        if index not in kept:
            kept.add(index)
            stack.extend(source for source, _ in reader.nodes[index].sources)
    return kept


def add_definitions(
    graph: Graph,
    reader: ScriptReader,
    program: v.Program,
    registry: Registry,
    ports: SubgraphPorts,
    node_params,
) -> dict[int, str]:
    """Add a definition per program ``program`` calls; return the definition id of
    each program (by ``id()``)."""
    definitions: dict[int, str] = {}
    inner_programs = called_programs(reader, program)
    for inner in inner_programs:
        definitions[id(inner)] = ports.definition_id(graph.meta.name, inner)
    for inner in inner_programs:
        definition = graph.new_definition(
            inner.name or "subgraph", inner.description or "", definitions[id(inner)]
        )
        kept = parts_of(reader, inner)
        order = [i.index for i in inner.inputs] + sorted(
            i for i in kept if i not in {x.index for x in inner.inputs}
        )
        for index in order:
            item = reader.nodes[index]
            node_id = ports.node_id(inner, index)
            params = node_params(item, index, definitions)
            definition.add_node(Node(node_id, item.type, item.name, params))
        for index in order:
            for position, (source, port) in enumerate(reader.nodes[index].sources):
                definition.add_edge(
                    Edge(
                        ports.stable_id(ports.namespace(inner), "edge", index, position),
                        ports.node_id(inner, source),
                        ports.source(source, port),
                        ports.node_id(inner, index),
                        ports.target(index, position),
                    )
                )
        taken = set(definition.iter_names())
        for order_, output in enumerate(inner.outputs):
            source = reader.nodes[output.index].name
            base = (
                f"{source}_{output.port[1:]}_out"
                if output.port.startswith(SUBGRAPH_PORT)
                else f"{source}_out"
            )
            name = unique_name(base, taken)
            taken.add(name)
            output_id = ports.output_id(inner, order_)
            definition.add_node(Node(output_id, "Output", name, {"order": order_}))
            definition.add_edge(
                Edge(
                    ports.stable_id(ports.namespace(inner), "output edge", order_),
                    ports.node_id(inner, output.index),
                    ports.source(output.index, output.port),
                    output_id,
                    "inputs",
                )
            )
        for node_id, position in layered_layout(definition).items():
            definition.nodes[node_id].position = position
        graph.add_subgraph(definition)
    return definitions
