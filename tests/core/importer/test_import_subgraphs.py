"""A program called inside another imports as a subgraph definition used by one
node per call; a program of one output gives one value, a list program a list."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from core.importer import ScriptImportError, import_python, import_python_file
from core.model.subgraphs import uses_of
from core.validation import validate

DATA = Path(__file__).resolve().parent / "data" / "ways_of_writing"


def test_a_program_called_twice_is_one_definition_used_twice(registry):
    result = import_python_file(DATA / "nested_programs.py", registry)
    graph = result.graph
    assert result.warnings == [] and result.programs == ["answer_and_critique"]
    (definition,) = graph.subgraphs.values()
    assert definition.definition_name == "answerer"
    assert definition.definition_description == "Answers a query."
    assert [n.name for _, n in uses_of(graph, definition.definition_id)] == ["first", "again"]
    # The builder function was read with the model it was given.
    assert [n.type for n in definition.nodes.values()] == ["Input", "Generator", "Output"]
    critic = graph.node_by_name("critic")
    (edge,) = graph.incoming(critic.id)
    assert graph.nodes[edge.source].name == "first"
    assert edge.source_port == graph.node_by_name("first").params["outputs"][0]["id"]
    assert validate(graph, registry) == []


def test_a_program_given_the_wrong_number_of_inputs_is_refused(registry):
    source = textwrap.dedent(
        """
        import synalinks

        class Q(synalinks.DataModel):
            q: str

        async def build():
            a = synalinks.Input(data_model=Q, name="a")
            b = synalinks.Input(data_model=Q, name="b")
            both = await synalinks.Concat(name="both")([a, b])
            inner = synalinks.Program(inputs=[a, b], outputs=[both], name="inner")
            x = synalinks.Input(data_model=Q, name="x")
            y = await inner(x)
            return synalinks.Program(inputs=x, outputs=[y[0]], name="outer")
        """
    )
    with pytest.raises(
        ScriptImportError, match="program inner takes 2 input\\(s\\) and is given 1"
    ):
        import_python(source, registry, "s.py")
