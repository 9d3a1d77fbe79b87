"""Exported scripts under the real synalinks 0.10: they build, match the graph, and run.

Each case's script is imported in a subprocess with .venv-synalinks's Python,
``build_program(LanguageModel("openai/mock-model"))`` is awaited, and the
script's own ``main()`` runs the program on its example input with
``litellm.acompletion`` mocked to fill the requested schema.
"""

from __future__ import annotations

import json

import pytest

from core.export.python_script import program_name
from core.nodes.program_io import program_outputs
from core.registry import default_registry
from core.schemas.flow import analyse, schema_field_names

pytestmark = pytest.mark.synalinks

ALL = (
    "parallel_branches",
    "conditional_branches",
    "fork_merge",
    "chain_of_thought",
    "generated_3",
    "generated_4",
    "generated_7",
    "generated_12",
    "hostile",
    "two_inputs",
    "nested",
)


def expected_output_fields(graph) -> list[list[str]]:
    flow = analyse(graph, default_registry())
    fields = []
    for output in program_outputs(graph):
        edge = graph.incoming(output.id)[0]
        fields.append(schema_field_names(flow.schemas[(edge.source, edge.source_port)]))
    return fields


@pytest.fixture(params=ALL)
def case(request, synalinks_cases):
    found = synalinks_cases[request.param]
    assert found.report["ok"], f"{found.name}: {found.report.get('trace')}"
    return found


def test_program_builds_with_the_graph_module_names(case):
    names = sorted(n.name for n in case.graph.nodes.values() if n.type != "Output")
    assert sorted(case.report["modules"]) == names


def test_program_has_the_graph_outputs_in_order_with_their_schemas(case):
    expected = expected_output_fields(case.graph)
    assert len(case.report["output_properties"]) == len(program_outputs(case.graph))
    if case.name == "two_inputs":
        # With several Inputs merges list the Input last (Synalinks' IndexError):
        # the same fields, module fields first.
        assert case.report["output_properties"] == [["answer", "context"]]
        assert sorted(expected[0]) == ["answer", "context"]
    else:
        assert case.report["output_properties"] == expected


def test_program_name_and_description_come_from_the_graph(case):
    assert case.report["program_name"] == program_name(case.graph.meta.name)
    if case.graph.meta.description:
        assert case.report["program_description"] == case.graph.meta.description


def test_main_runs_the_example_input_and_shows_every_output(case):
    results = case.report["results"]
    assert len(results) == len(program_outputs(case.graph))
    expected = expected_output_fields(case.graph)
    for (label, value), output, fields in zip(
        results, program_outputs(case.graph), expected, strict=True
    ):
        source = case.graph.nodes[case.graph.incoming(output.id)[0].source]
        assert label == source.name
        # A module's answer has its schema's shape; a merge's value may take
        # either input's shape (Synalinks' Or), so merges are left to the
        # comparison with the engine.
        if value is not None and source.type in ("Generator", "ChainOfThought", "Decision"):
            assert list(value) == fields


def test_script_run_as_a_program_prints_every_output(case):
    """``python script.py --model ...``: argparse, load_dotenv, the model, the run and
    the printing all work, and it prints what main() computed."""
    printed = case.report["main_stdout"]
    expected = "".join(
        f"{label}:\n{json.dumps(value, indent=2)}\n" for label, value in case.report["results"]
    )
    assert printed == expected


def test_default_build_keeps_the_graph_models(synalinks_cases):
    report = synalinks_cases["parallel_branches"].report
    assert report["default_models"] == ["offline"]
    hostile = synalinks_cases["hostile"].report
    assert hostile["default_models"] == ["offline", "offline/echo"]


def test_saved_examples_produce_values(synalinks_cases):
    """The mocked model answers every call, so every saved example returns real outputs
    (conditional_branches' mock picks "difficult": its Or gets the careful answer)."""
    for name in ("parallel_branches", "conditional_branches", "fork_merge", "chain_of_thought"):
        results = synalinks_cases[name].report["results"]
        assert all(value is not None for _label, value in results), name
    answer = dict(synalinks_cases["conditional_branches"].report["results"])["answer"]
    assert answer["choice"] == "difficult" and "thinking_1" in answer


def test_hostile_strings_were_never_executed(synalinks_cases, sentinel):
    assert synalinks_cases["hostile"].report["ok"]
    assert not sentinel.exists()


def test_hostile_strings_reach_synalinks_unchanged(synalinks_cases, sentinel):
    """Descriptions arrive in the output schemas exactly as the graph holds them."""
    from tests.core.export.cases import hostile_strings

    texts = hostile_strings(sentinel)
    schemas = synalinks_cases["hostile"].report["output_schemas"]
    # output 3 is the Decision "program"; its labels are three hostile strings
    assert schemas[2]["properties"]["choice"]["enum"] == [texts[0], texts[6], texts[9]]
    # output 2 is the Concat: the Literal data model's field descriptions first
    properties = schemas[1]["properties"]
    assert properties["answer"]["description"] == texts[4]
    assert properties["notes"]["description"] == texts[6]
    assert properties["tone"]["enum"] == [texts[1], texts[5], "plain"]


def test_nested_data_models_give_synalinks_our_schemas(synalinks_cases):
    """A data model holding another one, a list of them and an optional one, with
    defaults: the exported classes build and Synalinks' output schemas (merged
    ones included) equal what our schema flow says."""
    case = synalinks_cases["nested"]
    flow = analyse(case.graph, default_registry())
    ours = []
    for output in program_outputs(case.graph):
        edge = case.graph.incoming(output.id)[0]
        ours.append(flow.schemas[(edge.source, edge.source_port)])
    assert json.dumps(case.report["output_schemas"]) == json.dumps(ours)
    report = dict(case.report["results"])["writer"]
    assert isinstance(report["main"], dict) and "url" in report["main"]
