"""Native rewards with Synalinks' semantics, parsing, weights and default masks."""

from __future__ import annotations

import pytest

from core.evaluation import RewardError, RewardSpec, combine, parse_reward
from core.evaluation.field_names import base_key
from core.evaluation.masks import in_mask_json, out_mask_json
from core.evaluation.rewards import with_default_masks


def test_exact_match_compares_whole_json_and_none_scores_zero():
    reward = RewardSpec("ExactMatch")
    assert reward.name == "exact_match" and reward.native
    assert reward.score({"a": 1, "b": "x"}, {"b": "x", "a": 1}) == 1.0
    assert reward.score({"a": 1}, {"a": 1, "b": "x"}) == 0.0
    assert reward.score({"a": 1}, None) == 0.0
    assert reward.score(None, None) == 0.0


def test_masks_use_the_base_names_of_fields():
    assert base_key("answers_2") == "answer" and base_key("key_facts") == "key_fact"
    assert base_key("criteria") == "criterion" and base_key("queries") == "query"
    value = {"thinking": "t", "answer_1": "a", "answers": ["b"], "meta": {"answer": 1, "x": 2}}
    assert in_mask_json(value, ["answer"]) == {"answer_1": "a", "answers": ["b"]}
    assert out_mask_json(value, ["answer"]) == {"thinking": "t", "meta": {"x": 2}}
    assert in_mask_json(value, pattern="^think") == {"thinking": "t"}
    assert in_mask_json(value) == {}
    reward = RewardSpec("exact_match", config={"in_mask": ["answer"]})
    assert reward.score({"answer": "a"}, {"answer": "a", "thinking": "whatever"}) == 1.0
    reward = RewardSpec("exact_match", config={"out_mask": ["thinking"]})
    assert reward.score({"answer": "a", "thinking": "x"}, {"answer": "a", "thinking": "y"}) == 1.0


def test_parse_reward_forms_and_errors():
    assert parse_reward("exact_match") == RewardSpec("exact_match")
    assert parse_reward("exact_match:2").weight == 2.0
    spec = parse_reward('exact_match:0.5:{"in_mask": ["answer"]}')
    assert spec.weight == 0.5 and spec.config == {"in_mask": ["answer"]}
    assert parse_reward('lm_as_judge:{"name": "judge"}').label == "judge"
    with pytest.raises(RewardError, match="is not a number"):
        parse_reward("exact_match:heavy")
    with pytest.raises(RewardError, match="not JSON"):
        parse_reward("exact_match:{oops}")
    with pytest.raises(RewardError, match="must be positive"):
        parse_reward("exact_match:0")
    with pytest.raises(RewardError, match="list of field names"):
        parse_reward('exact_match:{"in_mask": "answer"}')


def test_weighted_combination_is_composable_rewards_mean():
    specs = [RewardSpec("exact_match", 3.0), RewardSpec("lm_as_judge", 1.0)]
    assert combine(specs, [1.0, 0.2]) == pytest.approx((3 * 1.0 + 0.2) / 4)


def test_default_masks_follow_the_expected_fields():
    specs = (RewardSpec("exact_match"), RewardSpec("exact_match", config={"out_mask": ["x"]}))
    masked = with_default_masks(specs, ["answer"])
    assert masked[0].config == {"in_mask": ["answer"]}
    assert masked[1].config == {"out_mask": ["x"]}
    # Every field given: still masked, so extra fields of a prediction (an agent's
    # messages) are not compared with nothing.
    masked = with_default_masks(specs, ["thinking", "answer"])
    assert masked[0].config == {"in_mask": ["thinking", "answer"]}
