"""Node semantics compared with the real synalinks: output schemas and merge results.

The reference programs are built symbolically in
tests/core/synalinks_reference_script.py; here the same programs are built as
graphs and schema flow must give the same schemas, key order included.
"""

from __future__ import annotations

import asyncio
import itertools
import json

import pytest

from core.model import Node
from core.nodes.merges import MergeRunError
from core.schemas.flow import analyse
from tests.core.builders import ANSWER, ANSWER_WITH_THINKING, QUERY, GraphBuilder

pytestmark = pytest.mark.synalinks


def _same(ours, theirs) -> None:
    assert ours == theirs
    assert list(ours["properties"]) == list(theirs["properties"])
    for key, prop in ours["properties"].items():
        assert json.dumps(prop) == json.dumps(theirs["properties"][key]), key


def _builder(registry) -> GraphBuilder:
    b = GraphBuilder(registry, QUERY, ANSWER, ANSWER_WITH_THINKING)
    b.add("Input", "inputs", data_model="Query")
    return b


def _schema(b, name, port="output"):
    return analyse(b.graph, b.registry).schemas[(b.id(name), port)]


@pytest.mark.parametrize(
    ("reference", "type_name", "params"),
    [
        ("generator", "Generator", {"data_model": "AnswerWithThinking"}),
        ("chain_of_thought", "ChainOfThought", {"data_model": "AnswerWithThinking"}),
        (
            "decision",
            "Decision",
            {"question": "How difficult is the above query?", "labels": ["easy", "difficult"]},
        ),
    ],
)
def test_module_output_schema_matches(registry, synalinks_reference, reference, type_name, params):
    b = _builder(registry)
    b.add(type_name, "node", **params)
    b.connect("inputs", "node")
    _same(_schema(b, "node"), synalinks_reference["programs"][reference])


def _branch(registry, inject: bool, ret: bool) -> GraphBuilder:
    b = _builder(registry)
    b.add(
        "Branch",
        "route",
        question="How difficult is the above query?",
        labels=["easy", "difficult"],
        inject_decision=inject,
        return_decision=ret,
    )
    b.add("Generator", "quick", data_model="Answer")
    b.add("ChainOfThought", "careful", data_model="Answer")
    b.connect("inputs", "route")
    b.connect("route", "quick", source_port="branch_0")
    b.connect("route", "careful", source_port="branch_1")
    return b


@pytest.mark.parametrize(("inject", "ret"), list(itertools.product([True, False], repeat=2)))
def test_branch_fed_modules_match(registry, synalinks_reference, inject, ret):
    b = _branch(registry, inject, ret)
    theirs = synalinks_reference["programs"][f"branch_modules_{inject}_{ret}"]
    _same(_schema(b, "quick"), theirs[0])
    _same(_schema(b, "careful"), theirs[1])


@pytest.mark.parametrize("inject", [True, False])
def test_what_travels_on_a_branch_port_matches(registry, synalinks_reference, inject):
    b = _branch(registry, inject, True)
    theirs = synalinks_reference["programs"][f"branch_ports_{inject}"]
    _same(_schema(b, "route", "branch_0"), theirs[0])
    _same(_schema(b, "route", "branch_1"), theirs[1])


@pytest.mark.parametrize("merge", ["Concat", "And", "Or", "Xor"])
def test_merge_output_schema_matches(registry, synalinks_reference, merge):
    b = _builder(registry)
    b.add("Generator", "m_a", data_model="Answer")
    b.add("ChainOfThought", "m_b", data_model="AnswerWithThinking")
    b.add("Generator", "m_c", data_model="AnswerWithThinking")
    b.add(merge, "merged")
    for name in ("m_a", "m_b", "m_c"):
        b.connect("inputs", name)
        b.connect(name, "merged")
    _same(_schema(b, "merged"), synalinks_reference["programs"][f"merge_{merge}"])


def test_merge_run_results_match_every_none_pattern(registry, synalinks_reference):
    values = [{"answer": "x"}, {"answer": "y"}, {"answer": "z"}]
    rows = synalinks_reference["merge_runs"]
    assert len(rows) == 4 * (4 + 8)
    for row in rows:
        node_type = registry.get(row["merge"])
        node = Node("m", row["merge"], "merged", {})
        inputs = [
            v if present else None for v, present in zip(values, row["present"], strict=False)
        ]
        run = node_type.run(node, node_type.parse_params(node), {"inputs": inputs}, None)
        if "error" in row:
            with pytest.raises(MergeRunError):
                asyncio.run(run)
        else:
            result = asyncio.run(run)["output"]
            assert result == row["value"], row
            if result is not None:
                assert list(result) == list(row["value"]), row
