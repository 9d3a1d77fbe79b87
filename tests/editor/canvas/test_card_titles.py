"""Cards name what flows as its producer does: an Output fed by a Chain of
Thought on ``Answer`` says "Answer", never a schema title seen nowhere upstream."""

from __future__ import annotations

from core.nodes.language import branch_port
from core.schemas.flow import analyse
from editor.canvas.card import card_content
from tests.core.builders import GraphBuilder


def _sections(b: GraphBuilder, registry) -> dict[str, str]:
    flow = analyse(b.graph, registry)
    return {
        node.name: card_content(b.graph, registry, node, flow).section
        for node in b.graph.nodes.values()
    }


def test_an_output_names_the_data_model_its_producer_chose(registry):
    b = GraphBuilder(registry)
    b.add("Input", "inputs", data_model="Query")
    b.add("ChainOfThought", "solver", data_model="Answer")
    b.add("Output", "result")
    b.chain("inputs", "solver", "result")
    sections = _sections(b, registry)
    assert sections["solver"] == sections["result"] == "Answer"  # not "Thinking"


def test_a_module_after_a_branch_label_keeps_its_data_model_name(registry):
    b = GraphBuilder(registry)
    b.add("Input", "inputs", data_model="Query")
    b.add("Branch", "route", labels=["easy", "hard"], question="Which?")
    b.add("Generator", "quick", data_model="Answer")
    b.add("Generator", "deep", data_model="AnswerWithThinking")
    b.add("Output", "quick_out")
    b.add("Output", "deep_out", order=1)
    b.connect("inputs", "route")
    b.connect("route", "quick", branch_port(0))
    b.connect("route", "deep", branch_port(1))
    b.connect("quick", "quick_out")
    b.connect("deep", "deep_out")
    sections = _sections(b, registry)
    assert sections["quick_out"] == "Answer"  # not "DecisionAnswer"
    assert sections["deep_out"] == "AnswerWithThinking"


def test_an_output_after_a_merge_or_a_decision_names_that_node(registry):
    b = GraphBuilder(registry)
    b.add("Input", "inputs", data_model="Query")
    b.add("Generator", "left", data_model="Answer")
    b.add("Generator", "right", data_model="AnswerWithThinking")
    b.add("Concat", "research")
    b.add("Decision", "verdict", labels=["yes", "no"], question="Good?")
    b.add("Output", "merged")
    b.add("Output", "decided", order=1)
    b.connect("inputs", "left")
    b.connect("inputs", "right")
    b.connect("left", "research")
    b.connect("right", "research")
    b.connect("research", "merged")
    b.connect("inputs", "verdict")
    b.connect("verdict", "decided")
    sections = _sections(b, registry)
    assert sections["merged"] == "research"  # not the left side's "Answer"
    assert sections["decided"] == "verdict"  # not "DecisionAnswer"


def test_a_branch_label_passes_on_the_name_of_what_the_branch_received(registry):
    b = GraphBuilder(registry)
    b.add("Input", "inputs", data_model="Query")
    b.add("Branch", "route", labels=["a", "b"], question="Which?")
    b.connect("inputs", "route")
    flow = analyse(b.graph, registry)
    assert flow.port_title(b.id("route"), branch_port(0)) == "Query"
