"""Model nodes that sample are flagged: the node cache replays one sample."""

from __future__ import annotations

from core.validation import validate
from tests.core.engine.helpers import GraphBuilder


def _graph(temperature):
    b = GraphBuilder()
    b.input()
    b.generator("g", "inputs", temperature=temperature)
    b.output("out", "g")
    return b.graph


def test_a_temperature_above_zero_warns_that_the_cache_replays_one_sample(registry):
    found = [d for d in validate(_graph(0.7), registry) if d.code == "sampling_cached"]
    assert len(found) == 1 and found[0].severity == "warning" and found[0].node_id == "g"
    assert "replays the first sample" in found[0].message and "--no-cache" in found[0].message


def test_no_warning_at_temperature_zero_or_unset(registry):
    for temperature in (0.0, None):
        assert not [
            d for d in validate(_graph(temperature), registry) if d.code == "sampling_cached"
        ]
