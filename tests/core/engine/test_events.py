"""Every event kind, its order, its JSON form, and the record built from events."""

from __future__ import annotations

import asyncio
import json

from core.engine import EVENT_TYPES, Engine, RunOptions, RunRecord
from core.engine import events as ev
from core.engine.errors import ProviderError
from core.engine.record import NodeState
from core.registry import default_registry
from tests.core.engine.helpers import (
    Behaviour,
    Collector,
    GraphBuilder,
    ScriptedClient,
    branch_graph,
    check_event_order,
    fan_out,
    run,
)


def test_successful_run_emits_started_queued_started_tokens_finished_in_order():
    record, got = asyncio.run(run(fan_out(2)))
    assert got.kinds()[0] == "run_started" and got.kinds()[-1] == "run_finished"
    assert got.kinds("g0")[:2] == ["node_queued", "node_started"]
    assert got.kinds("g0")[-1] == "node_finished"
    assert "token_delta" in got.kinds("g0")
    # an Output starts only after the generator feeding it finished
    assert got.index(ev.NodeFinished, "g0") < got.index(ev.NodeQueued, "out0")
    assert record.status == "succeeded"
    started = got.events[0]
    assert [name for _, name in started.nodes] == ["inputs", "g0", "out0", "g1", "out1"]
    assert started.inputs == {"inputs": {"query": "What is 2 + 2?"}}


def test_token_deltas_carry_new_text_accumulated_raw_and_partial_object():
    client = ScriptedClient().on("g0", Behaviour(text='{"answer": "forty two"}', pieces=4))
    _, got = asyncio.run(run(fan_out(1), client))
    deltas = got.of(ev.TokenDelta, "g0")
    assert len(deltas) == 4
    assert "".join(d.text for d in deltas) == '{"answer": "forty two"}'
    assert all(d.raw.endswith(d.text) for d in deltas)
    assert deltas[-1].raw == '{"answer": "forty two"}'
    # the unfinished string is already visible in the partial object
    partial_answers = [d.partial.get("answer") for d in deltas if d.partial]
    assert any(a and a != "forty two" and "forty two".startswith(a) for a in partial_answers), (
        partial_answers
    )
    assert deltas[-1].partial == {"answer": "forty two"}


def test_node_finished_reports_outputs_result_duration_and_usage():
    record, got = asyncio.run(run(fan_out(1)))
    done = got.first(ev.NodeFinished, "g0")
    assert set(done.outputs) == {"output"}
    assert done.result == done.outputs["output"]
    assert "What is 2 + 2?" in done.result["answer"]  # the offline answer quotes the input
    assert (
        done.duration >= 0 and done.tokens_in == 10 and done.tokens_out > 0 and done.cost == 0.001
    )
    assert done.attempts == 1
    finished = got.events[-1]
    assert finished.outputs == (done.result,)
    assert finished.tokens_in == 10 and finished.cost == 0.001
    assert finished.counts == {"finished": 3}


def test_failed_node_event_and_skipped_dependents():
    client = ScriptedClient().on(
        "g0", Behaviour(raise_=ProviderError("bad_request", "no such model"))
    )
    record, got = asyncio.run(run(fan_out(2), client))
    failed = got.first(ev.NodeFailed, "g0")
    assert failed.error_kind == "bad_request" and "no such model" in failed.message
    skipped = got.first(ev.NodeSkipped, "out0")
    assert skipped.cause_name == "g0" and "g0 failed" in skipped.reason
    assert got.kinds("out0") == ["node_skipped"]
    assert record.status == "failed"
    assert got.events[-1].outputs[0] is None and got.events[-1].outputs[1] is not None


def test_every_event_kind_serialises_to_one_json_line():
    client = ScriptedClient().on("g0", Behaviour(text="not json"), Behaviour())
    _, got = asyncio.run(run(fan_out(1), client))
    client2 = ScriptedClient().on("g0", Behaviour(raise_=ProviderError("bad_request", "nope")))
    _, got2 = asyncio.run(run(fan_out(1), client2))
    seen = {type(e) for e in got.events + got2.events}
    for event in got.events + got2.events:
        line = event.to_json()
        assert "\n" not in line
        data = json.loads(line)
        assert data["kind"] == event.kind and data["run_id"] == event.run_id
    # Cancellation: see test_cancellation; agent steps come from the Synalinks backend
    # (tests/core/runtime/test_tools_on_synalinks.py).
    missing = set(EVENT_TYPES) - seen - {ev.NodeCancelled, ev.NodeProgress}
    assert not missing, missing


def test_record_rebuilt_from_events_matches_the_engines_record():
    record, got = asyncio.run(run(branch_graph("Or")))
    rebuilt = RunRecord(run_id=record.run_id)
    for event in got.events:
        rebuilt.apply(event)
    assert rebuilt.status == record.status == "succeeded"
    assert rebuilt.outputs == record.outputs
    for node_id, node in record.nodes.items():
        other = rebuilt.nodes[node_id]
        assert (other.state, other.result, other.raw_text) == (
            node.state,
            node.result,
            node.raw_text,
        )
    assert all(n.state is NodeState.FINISHED for n in record.nodes.values())


def test_events_of_another_run_do_not_touch_a_record():
    record, got = asyncio.run(run(fan_out(1)))
    other = RunRecord(run_id="someone-else")
    for event in got.events:
        other.apply(event)
    assert other.nodes == {} and other.events == 0


def test_pieces_of_a_burst_are_reported_before_the_attempt_fails_or_retries():
    """The first piece of a loop turn is reported at once; the pieces after it
    in the same turn are one delta, at the next turn or sooner when the attempt
    ends: never after the node's next event."""
    from core.engine.model_client import StreamEnd

    class Burst:
        def __init__(self) -> None:
            self.calls = 0

        async def stream(self, call):
            self.calls += 1
            for piece in ('{"ans', 'wer": "par'):  # no loop turn between them
                yield piece
            if self.calls == 1:
                raise ProviderError("server_error", "the server fell over", transient=True)
            yield 'tial"}'
            yield StreamEnd("stop", 1, 3)

    got = Collector()
    engine = Engine(
        default_registry(),
        RunOptions(backoff_base=0.001, transient_retries=1),
        model_client=Burst(),
    )
    b = GraphBuilder()
    b.input()
    b.generator("g", "inputs")
    b.output("o", "g")
    record = asyncio.run(engine.run(b.graph, None, got))
    check_event_order(got.events)
    assert record.status == "succeeded"
    kinds = [e.kind for e in got.events if getattr(e, "node_name", "") == "g"]
    assert kinds == [
        "node_queued",
        "node_started",
        "node_prompt",  # what the first attempt sent
        "token_delta",  # the first piece, at once
        "token_delta",  # the rest of the first attempt, before the retry
        "node_retrying",
        "node_prompt",
        "token_delta",
        "token_delta",  # two pieces of one turn, together
        "node_finished",
    ]
    texts = [(d.attempt, d.text) for d in got.of(ev.TokenDelta, "g")]
    assert texts == [(1, '{"ans'), (1, 'wer": "par'), (2, '{"ans'), (2, 'wer": "partial"}')]
    last = got.of(ev.TokenDelta, "g")[-1]
    assert last.raw == '{"answer": "partial"}' and last.partial == {"answer": "partial"}
