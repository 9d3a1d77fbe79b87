"""Runs execute what reaches an Output: a stray node neither runs nor blocks Run,
while errors in the part that runs still refuse it and export stays strict."""

from __future__ import annotations

import asyncio

import pytest

from core.engine import RunRefused
from core.engine import events as ev
from core.engine.engine import prepare_run
from core.engine.runnable import run_errors
from core.export.errors import ExportError
from core.export.python_script import export_python
from core.nodes.language import branch_port
from core.registry import default_registry
from tests.core.engine.helpers import GraphBuilder, ScriptedClient, run


def _with_stray() -> GraphBuilder:
    """Input -> g -> Output, plus a Generator that reaches no Output and has an
    error of its own (a data model that does not exist)."""
    b = GraphBuilder()
    b.input()
    b.generator("g", "inputs")
    b.output("result", "g")
    b.generator("stray", "inputs", data_model="Nowhere")
    return b


def test_an_error_on_a_node_that_reaches_no_output_does_not_block_the_run():
    b = _with_stray()
    registry = default_registry()
    assert run_errors(b.graph, registry) == []
    prepared = prepare_run(b.graph, registry)
    assert set(prepared.graph.nodes) == {"inputs", "g", "result"}


def test_the_stray_node_is_left_out_of_the_run():
    client = ScriptedClient()
    record, got = asyncio.run(run(_with_stray().graph, client))
    assert record.status == "succeeded"
    started = got.of(ev.RunStarted)[0]
    assert [name for _id, name in started.nodes] == ["inputs", "g", "result"]
    assert [call.node_name for call in client.calls] == ["g"]
    assert not got.of(ev.NodeStarted, "stray")


def test_an_error_in_the_part_that_reaches_an_output_still_refuses_the_run():
    b = _with_stray()
    b.generator("broken", "inputs", data_model="Nowhere")
    b.output("second", "broken", order=1)
    with pytest.raises(RunRefused) as refused:
        prepare_run(b.graph, default_registry())
    assert [d.node_id for d in refused.value.diagnostics] == ["broken"]


def test_a_graph_without_an_output_is_still_refused():
    b = GraphBuilder()
    b.input()
    b.generator("g", "inputs")
    assert [d.code for d in run_errors(b.graph, default_registry())] == ["no_output"]


def test_the_module_on_a_branch_label_runs_with_its_branch_even_if_it_leads_nowhere():
    """A Branch routes to exactly one module per label: leaving that module out
    would make the label unconnected, which the run would then refuse."""
    b = GraphBuilder()
    b.input()
    b.branch("route", "inputs", ["yes", "no"])
    b.generator("g_yes", "route", port=branch_port(0))
    b.generator("g_no", "route", port=branch_port(1))
    b.output("result", "g_yes")
    prepared = prepare_run(b.graph, default_registry())
    assert "g_no" in prepared.graph.nodes


def test_export_still_refuses_the_graph_with_the_stray_error():
    with pytest.raises(ExportError):
        export_python(_with_stray().graph, default_registry())


def test_the_caller_graph_is_untouched():
    b = _with_stray()
    prepare_run(b.graph, default_registry())
    assert "stray" in b.graph.nodes


def test_an_empty_graph_is_refused_by_runs_and_exports():
    empty = GraphBuilder().graph
    for node_id in list(empty.nodes):
        empty.remove_node(node_id)
    with pytest.raises(RunRefused) as refused:
        prepare_run(empty, default_registry())
    assert [d.code for d in refused.value.diagnostics] == ["no_input", "no_output"]
    with pytest.raises(ExportError, match="Input"):
        export_python(empty, default_registry())
