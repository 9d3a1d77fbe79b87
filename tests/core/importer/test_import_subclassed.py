"""Subclassed programs, as Synalinks documents them: ``__init__`` names the program
(the class name, the docstring's first line), ``build(inputs)`` makes it."""

from __future__ import annotations

import textwrap

import pytest

from core.importer import ScriptImportError, import_python

HEADER = """
import synalinks

class Q(synalinks.DataModel):
    q: str

class A(synalinks.DataModel):
    a: str
"""

DOCUMENTED = """
class MyProgram(synalinks.Program):
    \"\"\"Answers questions.

    More about it, not in the description.
    \"\"\"

    def __init__(self, language_model=None, name=None, description=None, trainable=True):
        super().__init__(name=name, description=description, trainable=trainable)
        self.language_model = language_model

    async def build(self, inputs):
        outputs = await synalinks.Generator(data_model=A, language_model=self.language_model)(
            inputs
        )
        super().__init__(
            inputs=inputs,
            outputs=outputs,
            name=self.name,
            description=self.description,
            trainable=self.trainable,
        )
"""


def read(body: str, registry, program: str | None = None):
    source = textwrap.dedent(HEADER) + textwrap.dedent(body)
    return import_python(source, registry, "s.py", program)


def chain(graph) -> list[tuple[str, str]]:
    return [(graph.nodes[e.source].name, graph.nodes[e.target].name) for e in graph.edges.values()]


def test_the_documented_subclass_is_named_after_its_class_and_docstring(registry):
    result = read(
        DOCUMENTED
        + """
async def main():
    lm = synalinks.LanguageModel(model="openai/gpt-4o-mini")
    program = MyProgram(language_model=lm)
    await program.build(synalinks.Input(data_model=Q))
""",
        registry,
    )
    graph = result.graph
    assert result.warnings == []
    assert graph.meta.name == "my_program"
    assert graph.meta.description == "Answers questions."
    assert chain(graph) == [("input_module", "generator"), ("generator", "output_1")]
    assert graph.node_by_name("generator").params["language_model"] is not None


def test_arguments_are_bound_to_the_parameters_with_their_defaults(registry):
    result = read(
        """
class Named(synalinks.Program):
    def __init__(self, instructions, name="named_by_default", description=None, *, steps=2):
        super().__init__(name=name, description=description)
        self.instructions = instructions
        self.steps = steps

    async def build(self, inputs):
        x = inputs
        for i in range(self.steps):
            x = await synalinks.Generator(data_model=A, instructions=self.instructions)(x)
        super().__init__(inputs=inputs, outputs=x, name=self.name, description=self.description)

first = Named("Be short.", description="Given")
await first.build(synalinks.Input(data_model=Q))
second = Named("Be long.", "second", steps=1)
await second.build(synalinks.Input(data_model=Q, name="query"))
""",
        registry,
        program="named_by_default",
    )
    graph = result.graph
    assert result.programs == ["named_by_default", "second"]
    assert graph.meta.description == "Given"  # no docstring, but the call gives one
    assert chain(graph) == [
        ("input_module", "generator"),
        ("generator", "generator_1"),
        ("generator_1", "output_1"),
    ]
    assert graph.node_by_name("generator").params["instructions"] == "Be short."


def test_unnamed_instances_take_synalinks_counters_and_modules_made_in_init(registry):
    result = read(
        DOCUMENTED.replace(
            "        self.language_model = language_model\n",
            "        self.language_model = language_model\n"
            '        self.review = synalinks.Generator(data_model=A, name="review")\n',
        ).replace(
            "        super().__init__(\n            inputs=inputs,\n            outputs=outputs,",
            "        outputs = await self.review(outputs)\n"
            "        super().__init__(\n            inputs=inputs,\n            outputs=outputs,",
        )
        + """
one = MyProgram()
two = MyProgram()
await two.build(synalinks.Input(data_model=Q))
""",
        registry,
    )
    graph = result.graph
    assert graph.meta.name == "my_program_1"
    assert chain(graph) == [
        ("input_module", "generator"),
        ("generator", "review"),
        ("review", "output_1"),
    ]
    (warning,) = [w for w in result.warnings if w.line > 22]  # `one` is never built
    assert warning.line == 34 and "MyProgram(...) is never built" in warning.message


def test_calling_an_unbuilt_program_on_a_data_model_builds_it(registry):
    result = read(
        DOCUMENTED
        + """
program = MyProgram()
result = await program(Q(q="What is 2 + 2?"))
""",
        registry,
    )
    assert chain(result.graph) == [("input_module", "generator"), ("generator", "output_1")]
    assert result.graph.meta.name == "my_program"


def test_a_program_computed_in_call_is_refused(registry):
    with pytest.raises(ScriptImportError) as raised:
        read(
            """
class Called(synalinks.Program):
    def __init__(self):
        super().__init__()
        self.answer = synalinks.Generator(data_model=A)

    async def call(self, inputs, training=False):
        return await self.answer(inputs)

program = Called()
""",
            registry,
        )
    message = str(raised.value)
    assert "s.py:15: error: class Called computes its outputs in call()" in message
    assert "async def build(self, inputs)" in message


def test_a_program_without_build_is_refused_where_it_is_built(registry):
    with pytest.raises(ScriptImportError, match=r"s.py:13: error: class Bare has no build\(\)"):
        read(
            """
class Bare(synalinks.Program):
    pass
program = Bare(name="bare")
await program.build(synalinks.Input(data_model=Q))
""",
            registry,
        )


def test_your_own_module_in_a_program_is_refused_with_its_name(registry):
    with pytest.raises(ScriptImportError) as raised:
        read(
            """
class Shout(synalinks.Module):
    async def call(self, inputs, training=False):
        return inputs

x0 = synalinks.Input(data_model=Q)
x1 = await Shout()(x0)
program = synalinks.Program(inputs=x0, outputs=x1)
""",
            registry,
        )
    message = str(raised.value)
    assert "s.py:15: error: Shout (line 10) is your own Synalinks module" in message
    assert "add it after importing" in message


def test_a_subclass_of_a_subclass_is_refused(registry):
    with pytest.raises(ScriptImportError, match="subclasses a class of the script"):
        read(DOCUMENTED + "\nclass Deeper(MyProgram):\n    pass\n", registry)
