"""Random edit sequences: undone to the start and redone to the end, state by state."""

from __future__ import annotations

import random

import pytest

from core.commands import (
    AddNode,
    Command,
    MoveNodes,
    RemoveDataModel,
    RemoveEdges,
    RemoveNodes,
    RenameDataModel,
    RenameNode,
    ReorderInputs,
    SetDataModel,
    SetMeta,
    UndoStack,
    connect_command,
    connection_problem,
    copy_text,
    make_node,
    parse_clipboard,
    paste_command,
    set_params_command,
)
from core.model import FieldSpec
from core.model.names import unique_name
from tests.core.commands.state import snapshot
from tests.core.graph_factory import ALL_TYPES, random_graph


def _random_command(graph, registry, rng: random.Random) -> Command | None:
    nodes = list(graph.nodes)
    choice = rng.randrange(13)
    if choice == 0 or not nodes:
        position = (rng.uniform(-500, 500), rng.uniform(-500, 500))
        return AddNode(make_node(graph, registry, rng.choice(ALL_TYPES), position))
    if choice == 1:
        return RemoveNodes(rng.sample(nodes, min(len(nodes), rng.randint(1, 3))))
    if choice == 2:
        moved = rng.sample(nodes, min(len(nodes), rng.randint(1, 4)))
        return MoveNodes(
            {n: (graph.nodes[n].position, (rng.uniform(-1e3, 1e3), rng.random())) for n in moved},
            mergeable=rng.random() < 0.5,
        )
    if choice == 3:
        node = rng.choice(nodes)
        return RenameNode(node, unique_name("renamed", graph.iter_names()))
    if choice == 4:
        node = graph.nodes[rng.choice(nodes)]
        if node.type == "Branch":
            labels = list(node.params.get("labels", []))
            rng.shuffle(labels)
            if labels and rng.random() < 0.5:
                labels.pop(rng.randrange(len(labels)))
            if rng.random() < 0.3:
                labels.append(f"new{rng.randrange(99)}")
            return set_params_command(graph, registry, node.id, {"labels": labels})
        if node.type in ("Generator", "ChainOfThought"):
            return set_params_command(
                graph,
                registry,
                node.id,
                {"instructions": f"step {rng.random()}", "temperature": rng.choice([None, 0.5])},
            )
        if node.type == "Output":
            return set_params_command(graph, registry, node.id, {"order": rng.randrange(5)})
        return None
    if choice in (5, 6):  # connect: try a few random pairs
        for _ in range(20):
            source, target = graph.nodes[rng.choice(nodes)], graph.nodes[rng.choice(nodes)]
            port = "output"
            if source.type == "Branch" and source.params.get("labels"):
                port = f"branch_{rng.randrange(len(source.params['labels']))}"
            if connection_problem(graph, registry, source.id, port, target.id, "inputs") is None:
                return connect_command(graph, registry, source.id, port, target.id, "inputs")
        return None
    if choice == 7 and graph.edges:
        return RemoveEdges(rng.sample(list(graph.edges), min(len(graph.edges), rng.randint(1, 3))))
    if choice == 8:
        merges = [n for n in nodes if len(graph.incoming(n)) > 1]
        if merges:
            edges = [e.id for e in graph.incoming(rng.choice(merges))]
            rng.shuffle(edges)
            return ReorderInputs(edges)
        return None
    if choice == 9 and graph.data_models:
        spec = graph.data_models[rng.choice(list(graph.data_models))]
        extra = FieldSpec(
            name=f"f{rng.randrange(1000)}",
            type=rng.choice(["int", "bool"]),
            required=rng.random() < 0.5,
        )
        fields = (
            spec.fields if any(f.name == extra.name for f in spec.fields) else (*spec.fields, extra)
        )
        return SetDataModel(spec.model_copy(update={"fields": fields}))
    if choice == 10 and graph.data_models:
        old = rng.choice(list(graph.data_models))
        return RenameDataModel(registry, old, unique_name(f"{old}X", graph.data_models))
    if choice == 11:
        if graph.data_models and rng.random() < 0.3:
            return RemoveDataModel(rng.choice(list(graph.data_models)))
        return SetMeta(
            {"name": f"graph{rng.randrange(100)}", "example_input": {"query": str(rng.random())}}
        )
    if choice == 12:
        chosen = rng.sample(nodes, min(len(nodes), rng.randint(1, 4)))
        command, _ids = paste_command(
            graph, registry, parse_clipboard(copy_text(graph, registry, chosen))
        )
        return command
    return None


@pytest.mark.parametrize("seed", range(10))
def test_random_sequences_undo_to_the_start_and_redo_to_the_end(registry, seed):
    rng = random.Random(seed)
    graph = random_graph(seed, size=30)
    stack = UndoStack(graph)
    states = [snapshot(graph)]
    pushed = 0
    while pushed < 60:
        command = _random_command(graph, registry, rng)
        if command is None:
            continue
        merged_before = len(stack._done)
        stack.push(command)
        pushed += 1
        if len(stack._done) == merged_before:  # merged into the previous step
            states[-1] = snapshot(graph)
        else:
            states.append(snapshot(graph))
    assert len(stack._done) == len(states) - 1
    for expected in reversed(states[:-1]):
        assert stack.undo()
        assert snapshot(graph) == expected
    assert not stack.can_undo
    for expected in states[1:]:
        assert stack.redo()
        assert snapshot(graph) == expected
    assert not stack.can_redo
