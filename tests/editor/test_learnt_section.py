"""The inspector shows what training taught a module (instructions, few-shot
examples) and edits it as one undo step; bad JSON is refused with a reason and
changes nothing."""

from __future__ import annotations

import json

import pytest

from core.nodes.learnt import learnt_prompt
from editor.inspector import InspectorPanel
from editor.inspector.node_form import NodeForm

SAVED = "tests/core/files/data/saved_chain.json"


@pytest.fixture
def saved_document(qapp, registry):
    from editor.document_files import load_document

    doc = load_document(SAVED, registry)
    yield doc
    doc.close()


@pytest.fixture
def inspector(qtbot, saved_document):
    panel = InspectorPanel()
    qtbot.addWidget(panel)
    panel.resize(380, 900)
    panel.set_document(saved_document)
    panel.show()
    return panel


def _form(panel, document, name) -> NodeForm:
    panel.set_selection([document.graph.node_by_name(name).id])
    assert isinstance(panel.form, NodeForm)
    return panel.form


def test_a_trained_node_shows_its_learnt_instructions_and_examples(inspector, saved_document):
    form = _form(inspector, saved_document, "answerer")
    assert form.learnt is not None
    text = form.learnt.instructions.toPlainText()
    assert text == "Answer in one short sentence, citing the key fact."
    examples = json.loads(form.learnt.examples.toPlainText())
    assert examples[0] == [{"query": "What is 2 + 2?"}, {"answer": "4"}]
    assert form.learnt.examples_label.text() == f"Examples ({len(examples)})"
    assert not form.learnt.apply_button.isEnabled()


def test_an_untrained_node_has_no_learnt_section(inspector, saved_document):
    untrained = [n for n in saved_document.graph.nodes.values() if not n.variables]
    assert untrained
    form = _form(inspector, saved_document, untrained[0].name)
    assert form.learnt is None


def test_editing_the_learnt_prompt_is_one_undo_step(inspector, saved_document):
    form = _form(inspector, saved_document, "answerer")
    node = saved_document.graph.node_by_name("answerer")
    before = json.dumps(node.variables, sort_keys=True)
    form.learnt.instructions.setPlainText("Reply with the fact only.")
    form.learnt.examples.setPlainText('[[{"query": "1+1?"}, {"answer": "2"}]]')
    assert form.learnt.apply_button.isEnabled()
    form.learnt.apply()
    learnt = learnt_prompt(node.variables)
    assert learnt.instructions == "Reply with the fact only."
    assert learnt.examples == (({"query": "1+1?"}, {"answer": "2"}),)
    assert not form.learnt.is_edited()
    saved_document.undo_stack.undo()
    assert json.dumps(node.variables, sort_keys=True) == before
    assert form.learnt.instructions.toPlainText().startswith("Answer in one short sentence")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("[[{", "not valid JSON"),
        ('{"a": 1}', "list of [inputs, outputs] pairs"),
        ('[[{"q": 1}]]', "Example 1 is not an [inputs, outputs] pair"),
        ('[[{"q": 1}, "x"]]', "Example 1: its inputs and outputs are JSON objects"),
    ],
)
def test_bad_examples_are_refused_with_a_reason(inspector, saved_document, text, reason):
    form = _form(inspector, saved_document, "answerer")
    node = saved_document.graph.node_by_name("answerer")
    before = json.dumps(node.variables, sort_keys=True)
    depth = saved_document.undo_stack.index()
    form.learnt.examples.setPlainText(text)
    form.learnt.apply()
    assert reason in form.learnt.error_label.text()
    assert json.dumps(node.variables, sort_keys=True) == before
    assert saved_document.undo_stack.index() == depth


def test_what_is_typed_is_applied_when_the_selection_moves(inspector, saved_document):
    form = _form(inspector, saved_document, "answerer")
    form.learnt.instructions.setPlainText("Be brief.")
    others = [n for n in saved_document.graph.nodes.values() if n.name != "answerer"]
    inspector.set_selection([others[0].id])
    node = saved_document.graph.node_by_name("answerer")
    assert learnt_prompt(node.variables).instructions == "Be brief."
