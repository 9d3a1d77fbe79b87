"""Every way of writing a program: Sequential, loops over literals, several programs."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from core.cli import main
from core.importer import ScriptImportError, import_python

HEADER = """
import synalinks

class Q(synalinks.DataModel):
    q: str

class A(synalinks.DataModel):
    a: str
"""


def read(body: str, registry, program: str | None = None):
    source = textwrap.dedent(HEADER) + textwrap.dedent(body)
    return import_python(source, registry, "s.py", program)


def chain(graph) -> list[tuple[str, str]]:
    """(source, target) of each edge by name, in edge order."""
    return [(graph.nodes[e.source].name, graph.nodes[e.target].name) for e in graph.edges.values()]


def test_sequential_is_a_chain(registry):
    result = read(
        """
        async def build():
            lm = synalinks.LanguageModel(model="openai/gpt-4o-mini")
            return synalinks.Sequential(
                [
                    synalinks.Input(data_model=Q),
                    synalinks.Generator(data_model=A, language_model=lm),
                    synalinks.ChainOfThought(data_model=A, language_model=lm, name="think"),
                ],
                description="Answer, then think again",
            )
        """,
        registry,
    )
    graph = result.graph
    assert result.warnings == []
    assert chain(graph) == [
        ("input_module", "generator"),
        ("generator", "think"),
        ("think", "output_1"),
    ]
    assert graph.meta.name == "sequential" and graph.meta.description == "Answer, then think again"


def test_sequential_add(registry):
    result = read(
        """
        program = synalinks.Sequential(name="added", description="d")
        program.add(synalinks.Input(data_model=Q, name="query"))
        program.add(synalinks.Generator(data_model=A))
        """,
        registry,
    )
    assert chain(result.graph) == [("query", "generator"), ("generator", "output_1")]
    assert result.graph.meta.name == "added"


def test_sequential_without_an_input_is_refused(registry):
    with pytest.raises(ScriptImportError, match="has no synalinks.Input"):
        read(
            'program = synalinks.Sequential([synalinks.Generator(data_model=A)], description="d")',
            registry,
        )


def test_a_loop_over_literal_values_is_unrolled(registry):
    result = read(
        """
        x = synalinks.Input(data_model=Q)
        inputs = x
        for i in range(3):
            x = await synalinks.Generator(data_model=A, name=f"step_{i}")(x)
        for style in ["short", "long"]:
            x = await synalinks.Generator(data_model=A, instructions=f"Be {style}.")(x)
        program = synalinks.Program(inputs=inputs, outputs=x)
        """,
        registry,
    )
    graph = result.graph
    assert chain(graph)[:5] == [
        ("input_module", "step_0"),
        ("step_0", "step_1"),
        ("step_1", "step_2"),
        ("step_2", "generator"),
        ("generator", "generator_1"),
    ]
    assert graph.node_by_name("generator_1").params["instructions"] == "Be long."


def test_a_loop_that_leaves_early_is_not_unrolled(registry):
    with pytest.raises(ScriptImportError, match="inside a loop"):
        read(
            """
            x = synalinks.Input(data_model=Q)
            inputs = x
            for i in range(3):
                if i == 2:
                    break
                x = await synalinks.Generator(data_model=A)(x)
            program = synalinks.Program(inputs=inputs, outputs=x)
            """,
            registry,
        )


SEVERAL = """
async def build_all():
    x0 = synalinks.Input(data_model=Q)
    x1 = await synalinks.Generator(data_model=A)(x0)
    first = synalinks.Program(inputs=x0, outputs=x1, name="first")
    y0 = synalinks.Input(data_model=Q)
    y1 = await synalinks.Generator(data_model=A)(y0)
    y2 = await synalinks.Generator(data_model=A)(y1)
    second = synalinks.Program(inputs=y0, outputs=y2)
    return first, second
"""


def test_several_programs_need_a_choice(registry):
    with pytest.raises(ScriptImportError) as raised:
        read(SEVERAL, registry)
    message = str(raised.value)
    assert "builds 2 programs: first (line 13), functional (line 17)" in message
    assert "--program NAME" in message
    assert raised.value.programs == ["first", "functional"]  # the editor offers these
    with pytest.raises(ScriptImportError) as broken:
        read(SEVERAL.replace("synalinks.Generator(data_model=A)(y1)", "y1.thing()"), registry)
    assert broken.value.programs == []  # a choice would not help


def test_the_chosen_program_has_its_own_nodes_with_the_scripts_names(registry):
    second = read(SEVERAL, registry, program="functional")
    assert second.programs == ["first", "functional"]
    assert chain(second.graph) == [
        ("input_module_1", "generator_1"),
        ("generator_1", "generator_2"),
        ("generator_2", "output_1"),
    ]
    first = read(SEVERAL, registry, program="first").graph
    assert chain(first) == [("input_module", "generator"), ("generator", "output_1")]
    with pytest.raises(ScriptImportError, match="no program named 'third'; it builds first"):
        read(SEVERAL, registry, program="third")


def test_cli_program_option(tmp_path, capsys):
    script = tmp_path / "several.py"
    script.write_text(textwrap.dedent(HEADER) + SEVERAL)
    assert main(["import", str(script)]) == 1
    assert "choose one with --program NAME" in capsys.readouterr().err
    assert main(["import", str(script), "--program", "first", "-o", str(tmp_path / "g.json")]) == 0


# ------------------------------------------------- the corpus under synalinks
WAYS = sorted((Path(__file__).resolve().parent / "data" / "ways_of_writing").glob("*.py"))


@pytest.fixture(scope="module")
def ways_reports(tmp_path_factory):
    """Each script and the export of its imported graph, built under synalinks 0.10, each
    with fresh name counters (as when run alone)."""
    from core.export import export_python
    from core.importer import import_python_file
    from core.registry import default_registry
    from tests.core.export.synalinks_env import run_batch

    registry = default_registry()
    workdir = tmp_path_factory.mktemp("ways")
    scripts = []
    for path in WAYS:
        exported = workdir / f"{path.stem}_exported.py"
        result = import_python_file(path, registry)
        assert result.warnings == []
        exported.write_text(export_python(result.graph, registry), encoding="utf-8")
        scripts += [{"path": str(path), "fresh": True}, {"path": str(exported), "fresh": True}]
    reports = run_batch(scripts, workdir)
    return {path.stem: (reports[2 * i], reports[2 * i + 1]) for i, path in enumerate(WAYS)}


@pytest.mark.synalinks
@pytest.mark.parametrize("path", WAYS, ids=lambda p: p.stem)
def test_each_way_of_writing_exports_the_original_program(path, ways_reports):
    original, exported = ways_reports[path.stem]
    assert original["ok"], original.get("trace")
    assert exported["ok"], exported.get("trace")
    assert exported["classes"] == original["classes"]
    assert exported["modules"] == original["modules"]
    assert exported["output_schemas"] == original["output_schemas"]
    assert exported["program_name"] == original["program_name"]
    assert exported["program_description"] == original["program_description"]
