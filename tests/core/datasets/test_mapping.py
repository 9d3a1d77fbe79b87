"""Columns to fields: automatic by name, overridable, every unfit row listed with its reason."""

from __future__ import annotations

import pytest

from core.datasets import (
    DatasetError,
    Example,
    InputTarget,
    RowMapper,
    RowProblem,
    auto_mapping,
    check_dataset,
    graph_targets,
    open_dataset,
)
from core.files import load_graph
from core.model.data_models import DataModelSpec, FieldSpec
from core.registry import default_registry

QUERY = DataModelSpec(
    name="Query",
    fields=(
        FieldSpec(name="query"),
        FieldSpec(name="count", type="int", required=False),
        FieldSpec(name="tags", is_list=True, required=False),
    ),
)
ANSWER = {
    "type": "object",
    "properties": {
        "answer": {"type": "string"},
        "confidence": {"type": "number"},
        "label": {"type": "string", "enum": ["a", "b"]},
        "ok": {"type": "boolean"},
    },
}


def test_auto_mapping_by_name_and_expected_aliases():
    mapping = auto_mapping(
        ["Query", "expected_answer", "label", "notes"], [InputTarget("q", QUERY)], ANSWER
    )
    assert mapping.inputs == {"query": "Query"}
    assert mapping.expected == {"answer": "expected_answer", "label": "label"}
    assert mapping.unused == ("notes",)


def test_same_name_goes_to_input_and_expected_prefix_to_expected():
    schema = {"type": "object", "properties": {"query": {"type": "string"}}}
    mapping = auto_mapping(["query", "expected.query"], [InputTarget("q", QUERY)], schema)
    assert mapping.inputs == {"query": "query"}
    assert mapping.expected == {"query": "expected.query"}


def test_overrides_and_their_errors():
    mapping = auto_mapping(
        ["question", "gold"],
        [InputTarget("q", QUERY)],
        ANSWER,
        {"query": "question", "expected.answer": "gold"},
    )
    assert mapping.inputs == {"query": "question"} and mapping.expected == {"answer": "gold"}
    with pytest.raises(DatasetError, match="names a column that is not in the file"):
        auto_mapping(["question"], [InputTarget("q", QUERY)], ANSWER, {"query": "nope"})
    with pytest.raises(DatasetError, match="names no field of the Input or the expected output"):
        auto_mapping(["question"], [InputTarget("q", QUERY)], ANSWER, {"zzz": "question"})


def test_missing_required_input_and_missing_expected_are_file_errors():
    with pytest.raises(DatasetError, match=r"no column for the required input field\(s\) query"):
        auto_mapping(["answer"], [InputTarget("q", QUERY)], ANSWER)
    with pytest.raises(DatasetError, match="no column gives an expected output"):
        auto_mapping(["query"], [InputTarget("q", QUERY)], ANSWER)


def test_rows_are_coerced_and_unfit_rows_say_why(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text(
        "query,count,tags,answer,confidence,label,ok\n"
        'hi,3,"[""x"", ""y""]",yes,0.5,a,true\n'
        "hi,three,,yes,0.5,a,true\n"
        ",1,,yes,0.5,a,true\n"
        "hi,1,,yes,high,a,true\n"
        "hi,1,,yes,0.5,c,true\n"
        "hi,,,,0.5,a,true\n",
        encoding="utf-8",
    )
    data = open_dataset(path)
    targets = [InputTarget("q", QUERY)]
    mapper = RowMapper(auto_mapping(data.columns, targets, ANSWER), targets, ANSWER)
    items = list(mapper.examples(data.rows()))
    first = items[0]
    assert isinstance(first, Example)
    assert first.inputs == {"query": "hi", "count": 3, "tags": ["x", "y"]}
    assert first.expected == {"answer": "yes", "confidence": 0.5, "label": "a", "ok": True}
    reasons = [i.reason for i in items[1:]]
    assert all(isinstance(i, RowProblem) for i in items[1:])
    assert "count does not fit Query" in reasons[0]
    assert "the input field query (column 'query') is empty" in reasons[1]
    assert "expected confidence" in reasons[2] and "not of type 'number'" in reasons[2]
    assert "expected label" in reasons[3] and "is not one of" in reasons[3]
    assert "no expected value for answer" in reasons[4]
    report = check_dataset(data, mapper)
    assert report.examples == 1 and len(report.problems) == 5
    assert report.problems[0].describe().startswith("row 2 (line 3): ")


def test_several_inputs_take_node_prefixed_columns():
    other = DataModelSpec(name="Context", fields=(FieldSpec(name="text"),))
    targets = [InputTarget("question", QUERY), InputTarget("context", other)]
    schema = {"type": "object", "properties": {"answer": {"type": "string"}}}
    mapping = auto_mapping(["query", "context.text", "answer"], targets, schema)
    assert mapping.inputs == {"question.query": "query", "context.text": "context.text"}
    mapper = RowMapper(mapping, targets, schema)
    from core.datasets import RawRow

    example = mapper.convert(RawRow(0, None, {"query": "q", "context.text": "c", "answer": "a"}))
    assert example.inputs == {"question": {"query": "q"}, "context": {"text": "c"}}


def test_graph_targets_of_a_saved_example():
    registry = default_registry()
    graph = load_graph("saved_graphs/conditional_branches.json", registry)
    targets = graph_targets(graph, registry)
    assert [t.node for t in targets.inputs] == ["inputs"]
    assert targets.output.name == "output_1" and targets.output_index == 0
    assert set(targets.expected_schema["properties"]) == {"thinking", "choice", "answer"}
    second = graph_targets(graph, registry, output="output_2")
    assert second.output_index == 1
    with pytest.raises(DatasetError, match="no Output named 'nope'"):
        graph_targets(graph, registry, output="nope")
