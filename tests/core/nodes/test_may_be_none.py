"""Which outputs can be None at run time (what makes Concat after a Branch an error)."""

from __future__ import annotations

import pytest

from core.schemas.flow import analyse
from tests.core.builders import GraphBuilder


def _rule(registry, type_name: str, flags: list[bool], **params) -> dict[str, bool]:
    node_type = registry.get(type_name)
    parsed = node_type.params_model.model_validate({**node_type.default_params(), **params})
    return node_type.output_may_be_none(parsed, {"inputs": flags})


@pytest.mark.parametrize("type_name", ["Generator", "ChainOfThought"])
def test_modules_pass_none_through(registry, type_name):
    assert _rule(registry, type_name, [False], data_model="A") == {"output": False}
    assert _rule(registry, type_name, [True], data_model="A") == {"output": True}


def test_decision_passes_none_through(registry):
    assert _rule(registry, "Decision", [False], labels=["a", "b"]) == {"output": False}
    assert _rule(registry, "Decision", [True], labels=["a", "b"]) == {"output": True}


def test_branch_ports_may_always_be_none(registry):
    assert _rule(registry, "Branch", [False], labels=["a", "b"]) == {
        "branch_0": True,
        "branch_1": True,
    }


def test_input_never_is_none(registry):
    assert _rule(registry, "Input", []) == {"output": False}


@pytest.mark.parametrize(
    ("merge", "flags", "expected"),
    [
        ("Concat", [True, True], False),  # Concat raises instead of giving None
        ("Concat", [False, False], False),
        ("And", [False, False], False),
        ("And", [False, True], True),
        ("And", [True, True, False], True),
        ("Or", [False, True], False),
        ("Or", [True, True], True),
        ("Or", [True, True, True], True),
        ("Or", [True, False, True], False),
        ("Xor", [False], False),
        ("Xor", [True], True),
        ("Xor", [False, False], True),  # both present gives None
        ("Xor", [True, True, True], True),
    ],
)
def test_merge_rules(registry, merge, flags, expected):
    assert _rule(registry, merge, flags) == {"output": expected}


def test_flow_propagates_none_downstream_of_a_branch(registry):
    b = GraphBuilder(registry)
    b.add("Input", "inputs", data_model="Query")
    b.add("Branch", "route", question="Which?", labels=["easy", "hard"])
    b.add("Generator", "quick", data_model="Answer")
    b.add("Generator", "careful", data_model="Answer")
    b.add("Generator", "after", data_model="Answer")
    b.add("Or", "either")
    b.add("Generator", "final", data_model="Answer")
    b.connect("inputs", "route")
    b.connect("route", "quick", source_port="branch_0")
    b.connect("route", "careful", source_port="branch_1")
    b.chain("quick", "after")
    b.connect("after", "either")
    b.connect("careful", "either")
    b.chain("either", "final")
    flow = analyse(b.graph, registry)
    none = {b.graph.nodes[n].name: v for (n, _port), v in flow.may_be_none.items()}
    assert none == {
        "inputs": False,
        "route": True,
        "quick": True,
        "careful": True,
        "after": True,
        "either": True,  # both sides may be None (with a failing model, say)
        "final": True,
    }
