"""Names become Python identifiers on export: the rules and the helpers."""

from __future__ import annotations

import pytest

from core.model.names import identifier_problem, is_identifier, sanitize_identifier, unique_name


@pytest.mark.parametrize("name", ["a", "branch_1", "_private", "Query", "x9"])
def test_valid_names(name):
    assert is_identifier(name) and identifier_problem(name) is None


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("", "empty"),
        ("1abc", "not a Python identifier"),
        ("has space", "not a Python identifier"),
        ("dash-ed", "not a Python identifier"),
        ("class", "Python keyword"),
        ("None", "Python keyword"),
        ("ünï", "non-ASCII"),
    ],
)
def test_invalid_names_say_why(name, says):
    assert not is_identifier(name)
    problem = identifier_problem(name)
    assert says in problem
    if name:
        assert repr(name) in problem


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Answer the question", "Answer_the_question"),
        ("  --  ", "node"),
        ("3 steps", "node_3_steps"),
        ("class", "class_"),
        ("a__b!!c", "a_b_c"),
    ],
)
def test_sanitize_identifier_always_gives_an_identifier(text, expected):
    assert sanitize_identifier(text) == expected
    assert is_identifier(sanitize_identifier(text))


def test_unique_name_counts_up_from_a_numeric_suffix():
    assert unique_name("output", []) == "output"
    assert unique_name("output", ["output"]) == "output_1"
    assert unique_name("output", ["output", "output_1", "output_2"]) == "output_3"
    assert unique_name("branch_1", ["branch_1"]) == "branch_2"
    assert unique_name("branch_1", ["branch_1", "branch_2"]) == "branch_3"


def test_name_allocator_gives_what_unique_name_gives_against_a_growing_set():
    import random

    from core.model.names import NameAllocator

    rng = random.Random(3)
    taken = {f"gen_{i}" for i in rng.sample(range(60), 40)} | {"gen", "out", "out_2"}
    allocator = NameAllocator(taken)
    for _ in range(500):
        base = rng.choice(["gen", "out", "x"]) + rng.choice(
            ["", "_1", "_7", f"_{rng.randrange(80)}"]
        )
        expected = unique_name(base, taken)
        assert allocator.take(base) == expected
        taken.add(expected)
    assert allocator.taken == taken
