"""What the importer reads: data models, modules, merges (calls and operators), models."""

from __future__ import annotations

import textwrap

import pytest

from core.importer import import_python
from core.nodes.program_io import program_outputs
from core.validation import validate

HEADER = """
import asyncio
from enum import Enum
from typing import List, Literal, Optional

import synalinks
from synalinks import Generator as Gen
"""


def read(body: str, registry, header: str = HEADER):
    return import_python(textwrap.dedent(header) + textwrap.dedent(body), registry, "script.py")


def sources(graph, name: str) -> list[str]:
    node = graph.node_by_name(name)
    return [graph.nodes[e.source].name for e in graph.incoming(node.id)]


def fields_of(graph, model: str) -> list[tuple]:
    return [
        (f.name, f.type, f.is_list, f.choices, f.required, f.description)
        for f in graph.data_models[model].fields
    ]


PROGRAM = """
class Mood(str, Enum):
    CALM = "calm"
    BUSY = "busy"

class Query(synalinks.DataModel):
    '''What the user asks.'''
    query: str = synalinks.Field(description="The question")
    tags: list[str] = synalinks.Field(description="Tags")
    counts: List[int]
    level: Literal["low", "high"] = synalinks.Field(description="How hard")
    mood: Mood
    note: Optional[str] = None
    ratio: float | None = synalinks.Field(default=None, description="A ratio")
    flag: "bool"

class Answer(synalinks.DataModel):
    \"\"\"An answer.

    Over two lines.
    \"\"\"
    answer: str = synalinks.Field(description="The answer")

class Detailed(Answer):
    detail: str

async def build():
    lm = synalinks.LanguageModel(model="openai/gpt-4o-mini")
    other = synalinks.LanguageModel(model="ollama/llama3", api_base="http://127.0.0.1:11434")
    inputs = synalinks.Input(data_model=Query)
    plain = await Gen(data_model=Answer, language_model=lm, instructions="Be brief.", temperature=0.5)(inputs)
    thought = await synalinks.ChainOfThought(data_model=Detailed, language_model=other, name="think")(inputs)
    kind = await synalinks.Decision(question="Which kind?", labels=["a", "b"], language_model=lm)(inputs)
    easy, hard = await synalinks.Branch(
        question="How hard?",
        labels=["generator_1", "hard"],
        branches=[
            synalinks.Generator(data_model=Answer, language_model=lm),
            synalinks.ChainOfThought(data_model=Answer, language_model=lm, name="careful"),
        ],
        inject_decision=False,
        language_model=lm,
        name="route",
    )(inputs)
    either = easy | hard
    both = plain & thought
    chained = plain + thought + kind
    odd = plain ^ thought ^ kind
    explicit = await synalinks.Concat(name="joined")([plain, kind])
    via_ops = await synalinks.ops.logical_or(plain, kind, name="via_ops")
    return synalinks.Program(
        inputs=inputs,
        outputs=[either, both, chained, odd, explicit, via_ops],
        name="everything",
        description="All constructs",
    )

async def main():
    program = await build()
    await program(Query(query="Why?", tags=["x"], counts=[1], level="low", mood="calm", flag=True))

asyncio.run(main())
"""


@pytest.fixture(scope="module")
def everything():
    from core.registry import default_registry

    return read(PROGRAM, default_registry())


def test_data_model_fields_of_every_kind(everything):
    graph = everything.graph
    assert graph.data_models["Query"].description == "What the user asks."
    assert fields_of(graph, "Query") == [
        ("query", "str", False, (), True, "The question"),
        ("tags", "str", True, (), True, "Tags"),
        ("counts", "int", True, (), True, ""),
        ("level", "enum", False, ("low", "high"), True, "How hard"),
        ("mood", "enum", False, ("calm", "busy"), True, ""),
        ("note", "str", False, (), False, ""),
        ("ratio", "float", False, (), False, "A ratio"),
        ("flag", "bool", False, (), True, ""),
    ]


def test_multi_line_docstrings_are_cleaned_and_fields_inherited(everything):
    graph = everything.graph
    assert graph.data_models["Answer"].description == "An answer.\n\nOver two lines."
    assert [f.name for f in graph.data_models["Detailed"].fields] == ["answer", "detail"]


def test_modules_and_their_parameters(everything):
    graph = everything.graph
    plain = graph.node_by_name("generator")
    assert plain.type == "Generator"
    assert plain.params == {
        "data_model": "Answer",
        "instructions": "Be brief.",
        "language_model": "",
        "temperature": 0.5,
    }
    think = graph.node_by_name("think")
    assert think.type == "ChainOfThought" and think.params["language_model"] == "ollama/llama3"
    kind = graph.node_by_name("decision")
    assert kind.type == "Decision" and kind.params["labels"] == ["a", "b"]


def test_models_become_the_default_and_node_models(everything):
    meta = everything.graph.meta
    assert meta.default_model == "openai/gpt-4o-mini"  # the first model a module uses
    assert meta.api_base == "http://127.0.0.1:11434"


def test_branch_modules_hang_off_their_label_ports(everything):
    graph = everything.graph
    route = graph.node_by_name("route")
    assert route.params["inject_decision"] is False and route.params["return_decision"] is True
    ports = {graph.nodes[e.target].name: e.source_port for e in graph.outgoing(route.id)}
    assert ports == {"generator_1": "branch_0", "careful": "branch_1"}
    assert graph.node_by_name("generator_1").type == "Generator"  # Synalinks' second generator


def test_operators_make_merges(everything):
    graph = everything.graph
    assert graph.node_by_name("or_").type == "Or"
    assert sources(graph, "or_") == ["generator_1", "careful"]
    assert graph.node_by_name("and_").type == "And"
    # a chain of + is one Concat of three (Synalinks folds them the same way)
    assert graph.node_by_name("concat_3").type == "Concat"
    assert sources(graph, "concat_3") == ["generator", "think", "decision"]
    # a chain of ^ nests: Synalinks' Xor module is not the pairwise ^
    odd = graph.node_by_name("xor_1")
    assert odd.type == "Xor" and len(sources(graph, "xor_1")) == 2
    inner = graph.node_by_name(sources(graph, "xor_1")[0])
    assert inner.type == "Xor" and sources(graph, inner.name) == ["generator", "think"]


def test_merge_calls_and_ops(everything):
    graph = everything.graph
    assert graph.node_by_name("joined").type == "Concat"
    assert sources(graph, "joined") == ["generator", "decision"]
    assert graph.node_by_name("via_ops").type == "Or"


def test_program_outputs_meta_and_example(everything):
    graph = everything.graph
    outputs = program_outputs(graph)
    assert [o.name for o in outputs] == [f"output_{i}" for i in range(1, 7)]
    feeding = [graph.nodes[graph.incoming(o.id)[0].source].name for o in outputs]
    assert feeding == ["or_", "and_", "concat_3", "xor_1", "joined", "via_ops"]
    assert graph.meta.name == "everything" and graph.meta.description == "All constructs"
    assert graph.meta.example_input == {
        "query": "Why?",
        "tags": ["x"],
        "counts": [1],
        "level": "low",
        "mood": "calm",
        "flag": True,
    }


def test_imported_graph_is_valid_and_laid_out(everything, registry):
    graph = everything.graph
    assert [d for d in validate(graph, registry) if d.is_error] == []
    xs = {n.position[0] for n in graph.nodes.values()}
    assert len(xs) >= 4  # columns by depth
    assert graph.node_by_name("input_module").position[0] == 0.0


def test_program_built_at_module_level_and_modules_built_before_the_call(registry):
    result = read(
        """
        class Q(synalinks.DataModel):
            q: str

        language_model = synalinks.LanguageModel(model="groq/llama")
        x0 = synalinks.Input(data_model=Q, name="question")
        step = synalinks.Generator(data_model=Q, language_model=language_model, name="echo")
        x1 = asyncio.run(step(x0))
        program = synalinks.Program(x0, x1)
        """,
        registry,
    )
    graph = result.graph
    assert graph.node_by_name("question").type == "Input"
    assert sources(graph, "echo") == ["question"]
    assert graph.meta.default_model == "groq/llama"
    assert graph.meta.name == "functional"  # Synalinks' name for an unnamed Program


def test_instructions_from_constants_and_negative_numbers_are_read(registry):
    result = read(
        """
        INSTRUCTIONS = "Answer " "carefully."

        class Q(synalinks.DataModel):
            q: str

        async def build():
            x0 = synalinks.Input(data_model=Q)
            x1 = await synalinks.Generator(data_model=Q, instructions=INSTRUCTIONS)(x0)
            return synalinks.Program(inputs=x0, outputs=x1)
        """,
        registry,
    )
    assert result.graph.node_by_name("generator").params["instructions"] == "Answer carefully."
    assert result.graph.meta.default_model == "offline"


def test_import_alias_of_synalinks(registry):
    result = import_python(
        textwrap.dedent(
            """
            import synalinks as sl

            class Q(sl.DataModel):
                q: str

            x0 = sl.Input(data_model=Q)
            x1 = sl.modules.Generator(data_model=Q)(x0)
            program = sl.Program(inputs=x0, outputs=[x1])
            """
        ),
        registry,
    )
    assert result.graph.node_by_name("generator").type == "Generator"


def test_program_inputs_keep_the_programs_order(registry):
    result = read(
        """
        class A(synalinks.DataModel):
            a: str

        class B(synalinks.DataModel):
            b: str

        first = synalinks.Input(data_model=A)
        second = synalinks.Input(data_model=B)
        both = synalinks.Concat()([first, second])
        program = synalinks.Program(inputs=[second, first], outputs=both)
        program([B(b="x"), A(a="y")])
        """,
        registry,
    )
    from core.nodes.program_io import program_inputs

    graph = result.graph
    # each Input keeps the name Synalinks gives it (input_module, input_module_1)
    assert [n.name for n in program_inputs(graph)] == ["input_module_1", "input_module"]
    assert sources(graph, "concat") == ["input_module", "input_module_1"]
    assert graph.meta.example_input == {"input_module_1": {"b": "x"}, "input_module": {"a": "y"}}
