"""One test per diagnostic code: code, severity, node, port, and a message that names the node.

Each starts from the lesson's program (valid) or a tiny graph and breaks one
thing, then checks the whole list of codes, so a check that fires too often
fails as surely as one that does not fire.
"""

from __future__ import annotations

import pytest

from core.diagnostics import Diagnostic, has_errors
from core.model import DataModelSpec, Edge
from core.validation import blocking, validate
from tests.core.builders import GraphBuilder, seed_program


def _codes(diagnostics: list[Diagnostic]) -> list[str]:
    return [d.code for d in diagnostics]


def _one(diagnostics: list[Diagnostic], code: str) -> Diagnostic:
    found = [d for d in diagnostics if d.code == code]
    assert len(found) == 1, diagnostics
    return found[0]


def _check(
    d: Diagnostic, code: str, severity: str, node_id: str | None, port: str | None, *names: str
) -> None:
    assert (d.code, d.severity, d.node_id, d.port) == (code, severity, node_id, port), d
    for name in names:
        assert name in d.message, d.message
    assert d.is_error == (severity == "error")
    assert d.to_dict() == {
        "code": code,
        "severity": severity,
        "node_id": node_id,
        "port": port,
        "message": d.message,
    }


def test_the_seed_program_is_clean(registry):
    assert validate(seed_program(registry).graph, registry) == []


def test_invalid_name(registry):
    b = seed_program(registry)
    b.graph.rename_node(b.id("branch_1"), "branch 1")
    found = validate(b.graph, registry)
    assert _codes(found) == ["invalid_name"]
    _check(
        found[0],
        "invalid_name",
        "error",
        b.id("branch 1"),
        None,
        "'branch 1'",
        "Generator",
        "rename",
    )


def test_empty_name_says_which_kind_of_node(registry):
    b = seed_program(registry)
    b.graph.rename_node(b.id("output_2"), "")
    found = validate(b.graph, registry)
    _check(
        _one(found, "invalid_name"),
        "invalid_name",
        "error",
        b.graph.node_by_name("").id,
        None,
        "Output",
        "empty",
    )


def test_duplicate_name_marks_each_node(registry):
    b = seed_program(registry)
    first, second = b.id("branch_1"), b.id("branch_2")
    b.graph.rename_node(second, "branch_1")
    found = validate(b.graph, registry)
    assert _codes(found) == ["duplicate_name", "duplicate_name"]
    assert {d.node_id for d in found} == {first, second}
    for d in found:
        _check(d, "duplicate_name", "error", d.node_id, None, "branch_1", "unique")


def test_unknown_node_type(registry):
    b = seed_program(registry)
    odd = b.add("Teleporter", "beam")
    found = validate(b.graph, registry)
    assert _codes(found) == ["unknown_node_type"]
    _check(
        found[0],
        "unknown_node_type",
        "error",
        odd,
        None,
        "beam",
        "unknown node type 'Teleporter'",
        "known types (57)",
    )


def test_invalid_params(registry):
    b = seed_program(registry)
    b.graph.set_params(b.id("branch_1"), {"temperature": 5})
    found = validate(b.graph, registry)
    assert _codes(found) == ["invalid_params"]
    _check(
        found[0],
        "invalid_params",
        "error",
        b.id("branch_1"),
        None,
        "Generator 'branch_1'",
        "temperature",
        "2",
    )


def test_invalid_params_unknown_key(registry):
    b = seed_program(registry)
    b.graph.set_params(b.id("branch_2"), {"colour": "red"})
    _check(
        _one(validate(b.graph, registry), "invalid_params"),
        "invalid_params",
        "error",
        b.id("branch_2"),
        None,
        "branch_2",
        "colour",
    )


def test_unknown_data_model(registry):
    b = seed_program(registry)
    b.graph.set_params(b.id("branch_2"), {"data_model": "Nope"})
    found = validate(b.graph, registry)
    assert _codes(found) == ["unknown_data_model"]
    _check(
        found[0],
        "unknown_data_model",
        "error",
        b.id("branch_2"),
        None,
        "branch_2",
        "'Nope'",
        "create it",
    )


@pytest.mark.parametrize("node", ["branch_1", "inputs"])
def test_missing_data_model(registry, node):
    b = seed_program(registry)
    b.graph.set_params(b.id(node), {"data_model": ""})
    found = validate(b.graph, registry)
    assert _codes(found) == ["missing_data_model"]
    _check(found[0], "missing_data_model", "error", b.id(node), None, node, "choose")


def _decision_graph(registry, type_name="Decision", **params):
    b = GraphBuilder(registry)
    b.add("Input", "inputs", data_model="Query")
    labels = params.pop("labels", ["easy", "hard"])
    question = params.pop("question", "How hard?")
    b.add(type_name, "decide", question=question, labels=labels, **params)
    b.connect("inputs", "decide")
    if type_name == "Decision":
        b.add("Output", "out")
        b.connect("decide", "out")
    else:
        for index, label in enumerate(b.graph.node(b.id("decide")).params["labels"]):
            b.add("Generator", f"on_{label}", data_model="Answer")
            b.add("Output", f"out_{label}", order=index)
            b.connect("decide", f"on_{label}", source_port=f"branch_{index}")
            b.connect(f"on_{label}", f"out_{label}")
    return b


@pytest.mark.parametrize("type_name", ["Decision", "Branch"])
def test_missing_labels(registry, type_name):
    b = _decision_graph(registry, type_name, labels=[])
    found = validate(b.graph, registry)
    # A Branch without labels has no ports, so nothing can reach an Output either.
    # (Program-wide diagnostics sort before node ones.)
    assert _codes(found) == (
        ["missing_labels"] if type_name == "Decision" else ["no_output", "missing_labels"]
    )
    _check(
        _one(found, "missing_labels"),
        "missing_labels",
        "error",
        b.id("decide"),
        None,
        "decide",
        "at least two labels",
    )


@pytest.mark.parametrize("type_name", ["Decision", "Branch"])
def test_single_label_is_a_warning(registry, type_name):
    b = _decision_graph(registry, type_name, labels=["only"])
    found = validate(b.graph, registry)
    assert _codes(found) == ["single_label"]
    _check(found[0], "single_label", "warning", b.id("decide"), None, "decide", "add another")
    assert not has_errors(found)


def test_duplicate_labels(registry):
    b = _decision_graph(registry, labels=["easy", "easy"])
    found = validate(b.graph, registry)
    assert _codes(found) == ["duplicate_labels"]
    _check(found[0], "duplicate_labels", "error", b.id("decide"), None, "decide", "different")


def test_labels_are_stripped_so_blank_ones_do_not_count(registry):
    b = _decision_graph(registry, labels=[" easy ", "  ", "hard"])
    assert validate(b.graph, registry) == []


def test_missing_question(registry):
    b = _decision_graph(registry, question="   ")
    found = validate(b.graph, registry)
    assert _codes(found) == ["missing_question"]
    _check(found[0], "missing_question", "error", b.id("decide"), None, "decide", "question")


def test_unconnected_input(registry):
    b = seed_program(registry)
    b.graph.remove_edge(b.graph.outgoing(b.id("branch_2"))[0].id)
    found = validate(b.graph, registry)
    # output_2 lost its input (and no Input reaches it); branch_2's result reaches no Output.
    assert _codes(found) == ["unconnected_input", "unused_result", "unreachable"]
    _check(
        found[0], "unconnected_input", "error", b.id("output_2"), "inputs", "output_2", "'value'"
    )
    _check(
        found[1],
        "unused_result",
        "warning",
        b.id("branch_2"),
        None,
        "branch_2",
        "reaches no Output",
    )
    _check(found[2], "unreachable", "warning", b.id("output_2"), None, "output_2", "never runs")


def test_too_many_inputs(registry):
    b = seed_program(registry)
    b.connect("branch_1", "output_2")
    found = validate(b.graph, registry)
    assert _codes(found) == ["too_many_inputs"]
    _check(
        found[0],
        "too_many_inputs",
        "error",
        b.id("output_2"),
        "inputs",
        "output_2",
        "takes one",
        "has 2",
        "merge",
    )


def test_merge_single_input_is_a_warning(registry):
    b = GraphBuilder(registry)
    b.add("Input", "inputs", data_model="Query")
    b.add("Or", "either")
    b.add("Output", "out")
    b.chain("inputs", "either", "out")
    found = validate(b.graph, registry)
    assert _codes(found) == ["merge_single_input"]
    _check(
        found[0],
        "merge_single_input",
        "warning",
        b.id("either"),
        "inputs",
        "either",
        "connect another",
    )


def test_empty_data_model(registry):
    b = GraphBuilder(
        registry,
        DataModelSpec(name="Nothing"),
        DataModelSpec.model_validate({"name": "Answer", "fields": [{"name": "a"}]}),
    )
    b.add("Input", "inputs", data_model="Nothing")
    b.add("Generator", "gen", data_model="Answer")
    b.add("Output", "out")
    b.chain("inputs", "gen", "out")
    found = validate(b.graph, registry)
    assert _codes(found) == ["empty_data_model"]
    _check(
        found[0],
        "empty_data_model",
        "error",
        b.id("inputs"),
        None,
        "inputs",
        "'Nothing'",
        "no fields",
    )


def _branch_into_concat(registry):
    b = _decision_graph(registry, "Branch")
    b.add("Concat", "joined")
    b.add("Output", "final", order=5)
    b.connect("on_easy", "joined")
    b.connect("on_hard", "joined")
    b.connect("joined", "final")
    return b


def test_concat_fed_by_a_branch_may_get_none_and_or_is_suggested(registry):
    b = _branch_into_concat(registry)
    found = validate(b.graph, registry)
    assert _codes(found) == ["concat_may_get_none"]
    _check(
        found[0],
        "concat_may_get_none",
        "error",
        b.id("joined"),
        "inputs",
        "joined",
        "on_easy",
        "use Or",
    )
    # The suggestion works: Or takes whichever branch ran.
    b.graph.nodes[b.id("joined")].type = "Or"
    assert validate(b.graph, registry) == []


def test_concat_may_get_none_through_a_chain_of_modules(registry):
    b = _branch_into_concat(registry)
    # on_hard -> polish -> joined: still possibly None two steps after the Branch.
    edge = next(e for e in b.graph.incoming(b.id("joined")) if e.source == b.id("on_hard"))
    b.graph.remove_edge(edge.id)
    b.add("Generator", "polish", data_model="Answer")
    b.connect("on_hard", "polish")
    b.connect("polish", "joined")
    assert "concat_may_get_none" in _codes(validate(b.graph, registry))


def test_dangling_edge(registry):
    b = seed_program(registry)
    # Graph methods refuse dangling edges; a hand-edited structure may still hold one.
    b.graph.edges["ghost"] = Edge("ghost", b.id("branch_1"), "output", "missing", "inputs")
    b.graph._edges_changed()
    found = validate(b.graph, registry)
    assert _codes(found) == ["dangling_edge"]
    _check(found[0], "dangling_edge", "error", None, None, "ghost", "does not exist")


def test_unknown_output_port_after_a_label_was_removed(registry):
    b = _decision_graph(registry, "Branch", labels=["easy", "hard", "other"])
    b.graph.set_params(b.id("decide"), {"labels": ["easy", "hard"]})  # bypassing the command
    found = validate(b.graph, registry)
    assert _codes(found) == ["unknown_port"]
    _check(
        found[0],
        "unknown_port",
        "error",
        b.id("decide"),
        "branch_2",
        "decide",
        "'branch_2'",
        "on_other",
    )


def test_unknown_input_port(registry):
    b = seed_program(registry)
    b.connect("branch_1", "inputs", target_port="inputs")  # an Input takes no inputs
    found = validate(b.graph, registry)
    assert "unknown_port" in _codes(found)
    d = _one(found, "unknown_port")
    _check(
        d, "unknown_port", "error", b.id("inputs"), "inputs", "inputs", "has no input", "branch_1"
    )


def test_branch_port_feeding_nothing(registry):
    b = _decision_graph(registry, "Branch")
    b.graph.remove_edge(b.graph.outgoing(b.id("decide"), "branch_1")[0].id)
    found = validate(b.graph, registry)
    d = _one(found, "branch_port_fanout")
    _check(
        d, "branch_port_fanout", "error", b.id("decide"), "branch_1", "decide", "'hard'", "feeds 0"
    )


def test_branch_port_feeding_two_modules(registry):
    b = _decision_graph(registry, "Branch")
    b.add("Generator", "extra", data_model="Answer")
    b.add("Output", "out_extra", order=9)
    b.connect("decide", "extra", source_port="branch_0")
    b.connect("extra", "out_extra")
    found = validate(b.graph, registry)
    assert _codes(found) == ["branch_port_fanout"]
    _check(
        found[0],
        "branch_port_fanout",
        "error",
        b.id("decide"),
        "branch_0",
        "decide",
        "'easy'",
        "feeds 2",
    )


@pytest.mark.parametrize("target_type", ["Output", "Concat", "Or"])
def test_branch_port_must_feed_a_module(registry, target_type):
    b = _decision_graph(registry, "Branch")
    edge = b.graph.outgoing(b.id("decide"), "branch_1")[0]
    b.graph.remove_edge(edge.id)
    params = {"order": 7} if target_type == "Output" else {}
    b.add(target_type, "sink", **params)
    b.connect("decide", "sink", source_port="branch_1")
    if target_type != "Output":
        b.add("Output", "sink_out", order=8)
        b.connect("sink", "sink_out")
    found = validate(b.graph, registry)
    d = _one(found, "branch_port_target")
    _check(
        d,
        "branch_port_target",
        "error",
        b.id("decide"),
        "branch_1",
        "decide",
        "'hard'",
        "sink",
        "must feed a module",
    )


def test_cycle_names_every_node_on_it(registry):
    b = GraphBuilder(registry)
    b.add("Input", "inputs", data_model="Query")
    for name in ("a", "b", "c"):
        b.add("Generator", name, data_model="Answer")
    b.add("Or", "join")
    b.add("Output", "out")
    b.chain("inputs", "join", "a", "b", "c", "join")  # join -> a -> b -> c -> join
    b.connect("c", "out")
    found = validate(b.graph, registry)
    cycles = [d for d in found if d.code == "cycle"]
    assert {d.node_id for d in cycles} == {b.id(n) for n in ("join", "a", "b", "c")}
    for d in cycles:
        _check(d, "cycle", "error", d.node_id, None, b.graph.nodes[d.node_id].name)
        assert all(name in d.message for name in ("join", "a", "b", "c")), d.message
        assert "->" in d.message


def test_interlocking_cycles_name_each_node_with_a_cycle_through_it(registry):
    b = GraphBuilder(registry)
    for name in ("a", "b", "c"):
        b.add("Or", name)
    b.connect("a", "b")
    b.connect("b", "a")
    b.connect("b", "c")
    b.connect("c", "b")  # a <-> b <-> c: c is on b -> c -> b, not on a -> b -> a
    cycles = {d.node_id: d.message for d in validate(b.graph, registry) if d.code == "cycle"}
    assert set(cycles) == {b.id("a"), b.id("b"), b.id("c")}
    assert "c -> b -> c" in cycles[b.id("c")] or "b -> c -> b" in cycles[b.id("c")]


def test_self_loop_is_a_cycle(registry):
    b = GraphBuilder(registry)
    b.add("Or", "loop")
    b.connect("loop", "loop")
    d = _one(validate(b.graph, registry), "cycle")
    _check(d, "cycle", "error", b.id("loop"), None, "loop -> loop")


def test_no_input_and_no_output(registry):
    b = GraphBuilder(registry)
    b.add("Generator", "lonely", data_model="Answer")
    found = [d for d in validate(b.graph, registry) if d.node_id is None]
    assert _codes(found) == ["no_input", "no_output"]
    _check(found[0], "no_input", "error", None, None, "Input", "palette")
    _check(found[1], "no_output", "error", None, None, "Output")


def test_an_empty_graph_has_no_errors_only_hints(registry):
    """A new graph has done nothing wrong: the missing Input and Output are hints."""
    b = GraphBuilder(registry)
    found = validate(b.graph, registry)
    assert _codes(found) == ["no_input", "no_output"]
    assert [d.severity for d in found] == ["warning", "warning"]


def test_an_empty_graph_still_blocks_runs_and_exports(registry):
    b = GraphBuilder(registry)
    refusing = blocking(b.graph, validate(b.graph, registry))
    assert [(d.code, d.severity) for d in refusing] == [
        ("no_input", "error"),
        ("no_output", "error"),
    ]


def test_duplicate_output_order_is_a_warning(registry):
    b = seed_program(registry)
    b.graph.set_params(b.id("output_2"), {"order": 0})
    found = validate(b.graph, registry)
    assert _codes(found) == ["duplicate_output_order", "duplicate_output_order"]
    for d, name in zip(found, ("output_1", "output_2"), strict=True):
        _check(d, "duplicate_output_order", "warning", b.id(name), None, name, "order 0")


def test_unreachable_is_a_warning(registry):
    b = seed_program(registry)
    b.add("Generator", "orphan", data_model="AnswerWithThinking")
    b.add("Generator", "downstream", data_model="AnswerWithThinking")
    b.add("Output", "output_3", order=2)
    b.chain("orphan", "downstream", "output_3")
    found = validate(b.graph, registry)
    assert _codes(found) == ["unconnected_input", "unreachable", "unreachable", "unreachable"]
    _check(
        _one(found, "unconnected_input"),
        "unconnected_input",
        "error",
        b.id("orphan"),
        "inputs",
        "orphan",
    )
    unreachable = [d for d in found if d.code == "unreachable"]
    assert [d.node_id for d in unreachable] == [
        b.id("orphan"),
        b.id("downstream"),
        b.id("output_3"),
    ]
    _check(
        unreachable[1],
        "unreachable",
        "warning",
        b.id("downstream"),
        None,
        "downstream",
        "never runs",
    )


def test_unused_result_is_a_warning(registry):
    b = seed_program(registry)
    b.add("Generator", "dead_end", data_model="AnswerWithThinking")
    b.connect("inputs", "dead_end")
    found = validate(b.graph, registry)
    assert _codes(found) == ["unused_result"]
    _check(
        found[0],
        "unused_result",
        "warning",
        b.id("dead_end"),
        None,
        "dead_end",
        "reaches no Output",
    )
    assert not has_errors(found)


def test_errors_come_before_warnings_then_graph_order(registry):
    b = seed_program(registry)
    b.add("Generator", "dead_end", data_model="AnswerWithThinking")  # warning
    b.connect("inputs", "dead_end")
    b.graph.set_params(b.id("output_2"), {"order": 0})  # two warnings
    b.graph.set_params(b.id("branch_2"), {"data_model": "Nope"})  # an error
    found = validate(b.graph, registry)
    assert [d.severity for d in found] == ["error", "warning", "warning", "warning"]
    warnings = [b.graph.nodes[d.node_id].name for d in found[1:]]
    assert warnings == ["output_1", "output_2", "dead_end"]
    assert has_errors(found) and not has_errors(found[1:])


def test_example_input_that_does_not_fit_is_a_warning(registry):
    b = seed_program(registry)
    b.graph.set_meta(example_input={"query": "What is the meaning of life?"})
    assert validate(b.graph, registry) == []
    b.graph.set_meta(example_input={"question": "wrong field"})
    found = validate(b.graph, registry)
    assert _codes(found) == ["example_input_invalid"]
    _check(found[0], "example_input_invalid", "warning", None, None, "query", "graph settings")


def test_example_input_for_several_inputs_is_keyed_by_input_name(registry):
    b = seed_program(registry)
    b.add("Input", "more", data_model="Query")
    b.chain("more", "branch_1")  # replaces nothing: branch_1 already has its input
    b.graph.remove_edge(b.graph.incoming(b.id("branch_1"))[-1].id)
    b.graph.set_meta(example_input={"inputs": {"query": "a"}, "more": {"query": "b"}})
    assert "example_input_invalid" not in _codes(validate(b.graph, registry))
    b.graph.set_meta(example_input={"query": "a"})
    assert "example_input_invalid" in _codes(validate(b.graph, registry))


def test_a_branch_label_feeding_a_branch_warns_that_it_cannot_be_exported(registry):
    b = _decision_graph(registry, "Branch")
    edge = b.graph.outgoing(b.id("decide"), "branch_1")[0]
    b.graph.remove_edge(edge.id)
    b.add("Branch", "second", question="Which?", labels=["x", "y"])
    b.connect("decide", "second", source_port="branch_1")
    for index, label in enumerate(["x", "y"]):
        b.add("Generator", f"then_{label}", data_model="Answer")
        b.add("Output", f"then_{label}_out", order=5 + index)
        b.connect("second", f"then_{label}", source_port=f"branch_{index}")
        b.connect(f"then_{label}", f"then_{label}_out")
    for name in ("on_hard", "out_hard"):  # the module the label fed before
        for old in b.graph.incoming(b.id(name)) + b.graph.outgoing(b.id(name)):
            b.graph.remove_edge(old.id)
        b.graph.remove_node(b.id(name))
    found = validate(b.graph, registry)
    assert _codes(found) == ["branch_feeds_branch"]
    _check(
        _one(found, "branch_feeds_branch"),
        "branch_feeds_branch",
        "warning",
        b.id("decide"),
        "branch_1",
        "decide",
        "'hard'",
        "second",
        "cannot be exported",
    )
