"""Copy and paste: fresh ids, free names, data models reused or renamed, garbage refused."""

from __future__ import annotations

import json

import pytest

from core.commands import UndoStack, copy_document, copy_text, parse_clipboard, paste_command
from core.model import DataModelSpec, FieldSpec
from core.validation import validate
from tests.core.builders import ANSWER, QUERY, GraphBuilder, seed_program
from tests.core.commands.state import snapshot


def _selection(b, *names):
    return [b.id(n) for n in names]


def test_copy_holds_the_chosen_nodes_inner_edges_and_used_models(registry):
    b = seed_program(registry)
    doc = copy_document(b.graph, registry, _selection(b, "branch_1", "output_1", "branch_2"))
    assert doc["format"] == "synalinks-canvas-clipboard"
    assert [n["name"] for n in doc["nodes"]] == ["branch_1", "branch_2", "output_1"]
    assert [(e["source"], e["target"]) for e in doc["edges"]] == [
        (b.id("branch_1"), b.id("output_1"))
    ]
    assert [d["name"] for d in doc["data_models"]] == ["AnswerWithThinking"]


def test_paste_into_the_same_graph_gives_fresh_ids_free_names_and_an_offset(registry):
    b = seed_program(registry)
    chosen = _selection(b, "branch_1", "output_1")
    before = snapshot(b.graph)
    command, new_ids = paste_command(
        b.graph, registry, parse_clipboard(copy_text(b.graph, registry, chosen))
    )
    stack = UndoStack(b.graph)
    stack.push(command)
    assert not set(new_ids) & set(chosen) and len(new_ids) == 2
    pasted = [b.graph.nodes[i] for i in new_ids]
    assert [n.name for n in pasted] == ["branch_3", "output_3"]
    original = b.graph.nodes[b.id("branch_1")]
    assert pasted[0].position == (original.position[0] + 40, original.position[1] + 40)
    assert pasted[0].params == original.params
    (edge,) = b.graph.incoming(new_ids[1])
    assert edge.source == new_ids[0] and edge.id not in before[0]
    assert list(b.graph.data_models) == ["Query", "AnswerWithThinking"]  # identical: reused
    stack.undo()
    assert snapshot(b.graph) == before


def test_paste_into_another_graph_brings_the_data_models(registry):
    source = seed_program(registry)
    target = GraphBuilder(registry, ANSWER)
    text = copy_text(source.graph, registry, _selection(source, "inputs", "branch_1", "output_1"))
    command, new_ids = paste_command(target.graph, registry, parse_clipboard(text), offset=(0, 0))
    command.redo(target.graph)
    assert list(target.graph.data_models) == ["Answer", "Query", "AnswerWithThinking"]
    assert [target.graph.nodes[i].name for i in new_ids] == ["inputs", "branch_1", "output_1"]
    assert validate(target.graph, registry) == []


def test_a_clashing_data_model_is_renamed_and_references_follow(registry):
    source = seed_program(registry)
    target = GraphBuilder(
        registry,
        DataModelSpec(name="AnswerWithThinking", fields=(FieldSpec(name="other", type="int"),)),
        DataModelSpec(name="AnswerWithThinking_1", fields=(FieldSpec(name="taken"),)),
    )
    text = copy_text(source.graph, registry, _selection(source, "inputs", "branch_1", "output_1"))
    command, new_ids = paste_command(target.graph, registry, parse_clipboard(text))
    command.redo(target.graph)
    assert list(target.graph.data_models) == [
        "AnswerWithThinking",
        "AnswerWithThinking_1",
        "Query",
        "AnswerWithThinking_2",
    ]
    renamed = target.graph.data_models["AnswerWithThinking_2"]
    assert [f.name for f in renamed.fields] == ["thinking", "answer"]
    assert target.graph.nodes[new_ids[1]].params["data_model"] == "AnswerWithThinking_2"
    assert target.graph.data_models["AnswerWithThinking"].fields[0].name == "other"  # untouched


def test_a_renamed_model_never_lands_on_another_pasted_model(registry):
    source = GraphBuilder(registry, QUERY, ANSWER, ANSWER.model_copy(update={"name": "Answer_1"}))
    source.add("Input", "inputs", data_model="Query")
    source.add("Generator", "one", data_model="Answer")
    source.add("Generator", "two", data_model="Answer_1")
    target = GraphBuilder(registry, DataModelSpec(name="Answer", fields=(FieldSpec(name="x"),)))
    text = copy_text(source.graph, registry, _selection(source, "one", "two"))
    command, new_ids = paste_command(target.graph, registry, parse_clipboard(text))
    command.redo(target.graph)
    models = target.graph.data_models
    assert len(models) == 3
    one, two = (target.graph.nodes[i].params["data_model"] for i in new_ids)
    assert (
        one != two and models[one].fields == ANSWER.fields and models[two].fields == ANSWER.fields
    )
    assert models["Answer"].fields[0].name == "x"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "not json",
        "[1, 2]",
        '{"format": "something-else"}',
        '{"format": "synalinks-canvas-clipboard", "nodes": [{"id": 1}]}',
        '{"format": "synalinks-canvas-clipboard", "nodes": "many"}',
        '{"format": "synalinks-canvas-clipboard", "surprise": 1}',
        "[" * 100_000,
    ],
)
def test_garbage_clipboard_is_refused(text):
    with pytest.raises(ValueError, match="the clipboard does not hold Synalinks Canvas nodes"):
        parse_clipboard(text)


def test_clipboard_with_repeated_ids_is_refused(registry):
    b = seed_program(registry)
    doc = copy_document(b.graph, registry, _selection(b, "branch_1", "branch_2"))
    doc["nodes"][1]["id"] = doc["nodes"][0]["id"]
    with pytest.raises(ValueError, match="same id"):
        parse_clipboard(json.dumps(doc))


def test_pasting_an_unknown_node_type_is_refused(registry):
    b = seed_program(registry)
    doc = copy_document(b.graph, registry, _selection(b, "branch_1"))
    doc["nodes"][0]["type"] = "Teleporter"
    with pytest.raises(ValueError, match="cannot paste 'branch_1': unknown node type 'Teleporter'"):
        paste_command(b.graph, registry, parse_clipboard(json.dumps(doc)))


def test_pasting_odd_parameter_values_does_not_crash(registry):
    b = seed_program(registry)
    doc = copy_document(b.graph, registry, _selection(b, "branch_1"))
    doc["nodes"][0]["params"]["data_model"] = ["not", "a", "name"]
    command, (new_id,) = paste_command(b.graph, registry, parse_clipboard(json.dumps(doc)))
    command.redo(b.graph)
    assert any(
        d.code == "invalid_params" and d.node_id == new_id for d in validate(b.graph, registry)
    )
