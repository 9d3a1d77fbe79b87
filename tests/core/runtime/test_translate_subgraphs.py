"""The Synalinks backend's report of subgraphs, from worker messages alone: a
definition used twice at the same time has each call given to the use fed its
values and each end found by its call id, whatever order they come in."""

from __future__ import annotations

from pathlib import Path

from core.engine.engine import prepare_run
from core.engine.record import NodeState, RunRecord
from core.files import load_graph
from core.runtime import protocol as p
from core.runtime.translate import RunTranslator

ROOT = Path(__file__).resolve().parents[3]
ARTICLE = {"text": "Photosynthesis turns light into sugar."}
SIMPLE = {"text": "Plants make food from light."}


def started(module, call, *inputs):
    return p.ModuleStarted(
        type="module_started", id="r", module=module, t=0.0, inputs=list(inputs), call=call
    )


def finished(module, call, output):
    return p.ModuleFinished(
        type="module_finished", id="r", module=module, t=0.1, output=output, call=call
    )


def translator(registry):
    graph = load_graph(ROOT / "saved_graphs" / "subgraph_reuse.json", registry)
    record = RunRecord(run_id="r")
    tr = RunTranslator(prepare_run(graph, registry, None), "r", record.apply)
    tr.begin()
    return tr, record


def summary(text):
    return {"summary": f"summary of {text['text']}"}


def critique(text):
    return {"critique": f"critique of {text['text']}", "verdict": "good"}


def test_two_uses_running_at_once_get_their_own_inner_results(registry):
    tr, record = translator(registry)
    tr.on_message(started("simplify", "s0", ARTICLE))
    tr.on_message(finished("simplify", "s0", SIMPLE))
    # Synalinks starts the later use first, and ends the calls in another order.
    tr.on_message(started("summarise_and_critique", "p1", SIMPLE))
    tr.on_message(started("summarise_and_critique", "p2", ARTICLE))
    tr.on_message(started("summarise", "a1", ARTICLE))
    tr.on_message(started("summarise", "a2", SIMPLE))
    tr.on_message(finished("summarise", "a2", summary(SIMPLE)))
    tr.on_message(finished("summarise", "a1", summary(ARTICLE)))
    tr.on_message(started("critique", "b1", summary(ARTICLE)))
    tr.on_message(started("critique", "b2", summary(SIMPLE)))
    tr.on_message(finished("critique", "b2", critique(SIMPLE)))
    tr.on_message(finished("critique", "b1", critique(ARTICLE)))
    tr.on_message(finished("summarise_and_critique", "p2", [summary(ARTICLE), critique(ARTICLE)]))
    tr.on_message(finished("summarise_and_critique", "p1", [summary(SIMPLE), critique(SIMPLE)]))
    tr.finish(
        "succeeded",
        [summary(ARTICLE), critique(ARTICLE), summary(SIMPLE), critique(SIMPLE)],
        None,
    )
    assert record.status == "succeeded"
    assert record.by_name("direct/summarise").result == summary(ARTICLE)
    assert record.by_name("simplified/summarise").result == summary(SIMPLE)
    assert record.by_name("simplified/critique").result == critique(SIMPLE)
    assert record.by_name("direct/text").result == ARTICLE
    assert record.by_name("direct/critique_out").result == critique(ARTICLE)
    assert record.by_name("direct_summary").result == summary(ARTICLE)
    assert list(record.outputs) == [
        summary(ARTICLE),
        critique(ARTICLE),
        summary(SIMPLE),
        critique(SIMPLE),
    ]
    assert all(n.state is NodeState.FINISHED for n in record.nodes.values())


def test_a_cancelled_run_leaves_no_inner_node_running(registry):
    tr, record = translator(registry)
    tr.on_message(started("summarise_and_critique", "p2", ARTICLE))
    tr.on_message(started("summarise", "a1", ARTICLE))
    tr.finish("cancelled", None, None)
    assert record.by_name("direct/summarise").state is NodeState.CANCELLED
    assert record.by_name("direct").state is NodeState.CANCELLED
    assert all(n.state.is_final for n in record.nodes.values())
