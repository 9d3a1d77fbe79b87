"""Nodes are named as Synalinks names the modules: ``name=`` (f-strings of literals
included) when given, else Synalinks' own counter per class, in creation order."""

from __future__ import annotations

import textwrap

import pytest

from core.importer import import_python
from core.importer.auto_names import AutoNames, snake_case

HEADER = """
import synalinks

class Q(synalinks.DataModel):
    q: str

class A(synalinks.DataModel):
    a: str
"""


def read(body: str, registry):
    return import_python(textwrap.dedent(HEADER) + textwrap.dedent(body), registry, "s.py")


def names(graph) -> list[str]:
    return sorted(n.name for n in graph.nodes.values() if n.type != "Output")


@pytest.mark.parametrize(
    ("cls", "snake"),
    [
        ("ChainOfThought", "chain_of_thought"),
        ("Text2SQL", "text2_sql"),
        ("HybridFTSSearch", "hybrid_fts_search"),
        ("RRFReranker", "rrf_reranker"),
        ("InputModule", "input_module"),
    ],
)
def test_snake_case_is_synalinks_own(cls, snake):
    assert snake_case(cls) == snake


def test_counters_per_class_and_helpers():
    names = AutoNames()
    assert [names.take("Generator"), names.take("Generator")] == ["generator", "generator_1"]
    assert names.take("ChainOfThought") == "chain_of_thought"  # builds an unnamed Concat
    names.built_named("ChainOfThought")
    assert names.take("Concat") == "concat_2"
    assert names.take("RLM") == "recursive_language_model_agent"
    assert names.take("Input") == "input_module"
    names.called("InMask")
    assert names.take("InMask") == "in_mask_1"


def test_unnamed_modules_and_inputs_get_synalinks_names(registry):
    result = read(
        """
        async def build():
            x0 = synalinks.Input(data_model=Q)
            x1 = await synalinks.Generator(data_model=A)(x0)
            x2 = await synalinks.Generator(data_model=A, name="named")(x1)
            x3 = await synalinks.Generator(data_model=A)(x2)
            x4 = await synalinks.ChainOfThought(data_model=A)(x3)
            x5 = await synalinks.Concat()([x3, x4])
            return synalinks.Program(inputs=x0, outputs=x5)
        """,
        registry,
    )
    graph = result.graph
    assert names(graph) == [
        "chain_of_thought",
        "concat_1",  # the ChainOfThought took "concat" for its own helper
        "generator",
        "generator_1",  # a named module takes no number
        "input_module",
        "named",
    ]
    assert graph.meta.name == "functional"
    assert result.warnings == []


def test_keyword_names_of_modules_are_fixed_with_a_warning(registry):
    result = read(
        """
        x0 = synalinks.Input(data_model=Q)
        x1 = await synalinks.Generator(data_model=A)(x0)
        x2 = await synalinks.And()([x0, x1])
        x3 = x0 | x1
        program = synalinks.Program(inputs=x0, outputs=[x2, x3])
        """,
        registry,
    )
    assert {"and_", "or_"} <= set(names(result.graph))
    (warning,) = result.warnings  # the operation's name "or" is seen nowhere in Synalinks
    assert warning.line == 12 and "'and' cannot be a node name" in warning.message
    assert 'name="and_"' in warning.message


def test_f_string_names_of_literals_are_read(registry):
    result = read(
        """
        STEP = "draft"
        x0 = synalinks.Input(data_model=Q, name=f"in_{'put'}")
        x1 = await synalinks.Generator(data_model=A, name=f"{STEP}_{1:02d}")(x0)
        x2 = await synalinks.Generator(data_model=A, name="final_" + str(2))(x1)
        program = synalinks.Program(inputs=x0, outputs=x2, name=f"{STEP}er")
        """,
        registry,
    )
    assert names(result.graph) == ["draft_01", "final_2", "in_put"]
    assert result.graph.meta.name == "drafter"
    assert result.warnings == []


def test_names_and_descriptions_that_cannot_be_read_are_reported(registry):
    result = read(
        """
        import os
        x0 = synalinks.Input(data_model=Q)
        x1 = await synalinks.Generator(data_model=A, name=os.environ["N"])(x0)
        x2 = await synalinks.ops.concat(x0, x1, description="both")
        options = {"temperature": 0.3}
        x3 = await synalinks.Generator(data_model=A, **options)(x2)
        program = synalinks.Program(
            inputs=x0, outputs=x3, name=os.environ["P"], trainable=False, colour="red"
        )
        """,
        registry,
    )
    messages = [f"{w.line}: {w.message}" for w in result.warnings]
    assert any(m.startswith("12: name= is not a string") for m in messages)
    assert any(m.startswith("13: synalinks.ops.concat description= is not kept") for m in messages)
    assert any(m.startswith("15: synalinks.Generator(...) unpacks **options") for m in messages)
    assert any(m.startswith("16: Program argument colour= is ignored") for m in messages)
    assert any("the program's name= is not a string" in m for m in messages)
    assert not any("trainable" in m for m in messages)
    assert "generator" in names(result.graph)
