"""String and value literals: whatever the text, the literal gives it back and nothing else."""

from __future__ import annotations

import ast
import random

import pytest

from core.export.literals import is_plain_docstring, py_str, py_value
from tests.core.export.cases import hostile_strings

NASTY = [
    "",
    '"',
    "'",
    "\\",
    '"""',
    "'''",
    '\\"',
    "a\nb",
    "a\r\nb",
    "\x00\x07\x1b",
    "\u2028\u2029\u202e\u2066",
    "\ud800 lone surrogate",
    "f'{x}'",
    "Réponds ✓ 🚀",
    "    indented\n\tand tabbed",
]


@pytest.mark.parametrize("text", NASTY + hostile_strings(__import__("pathlib").Path("/tmp/x")))
def test_py_str_round_trips_and_stays_on_one_line(text):
    literal = py_str(text)
    assert "\n" not in literal and "\r" not in literal
    node = ast.parse(literal, mode="eval").body
    assert isinstance(node, ast.Constant) and node.value == text


def test_py_str_round_trips_random_text():
    rng = random.Random(6)
    alphabet = [chr(i) for i in range(0, 0x250)] + ["\u2028", "\u202e", "'", '"', "\\", "🚀"]
    for _ in range(500):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        assert ast.literal_eval(py_str(text)) == text


def test_py_str_picks_the_quote_a_formatter_keeps():
    """Double quotes unless that needs more escapes (ruff's and black's rule)."""
    assert py_str("plain") == '"plain"'
    assert py_str('say "hi"') == "'say \"hi\"'"
    assert py_str('it\'s "x"') == "'it\\'s \"x\"'"
    assert py_str("it's") == '"it\'s"'
    assert py_str("a \"b\" 'c'") == '"a \\"b\\" \'c\'"'


def test_non_printable_characters_are_escaped():
    assert py_str("\u202e") == '"\\u202e"'
    assert py_str("a\tb") == '"a\\tb"'


def test_plain_docstrings_are_single_line_printable_and_unquoted():
    assert is_plain_docstring("The input query.")
    for text in ("", " padded", "two\nlines", 'has "quote"', "back\\slash", "bell\x07"):
        assert not is_plain_docstring(text)


def test_py_value_writes_nested_json_values_exploded():
    value = {"a": [1, 2.5, True, None], "b": {"c": "d"}, "e": [], "f": {}}
    source = py_value(value)
    assert ast.literal_eval(source) == value
    assert source.splitlines()[1] == '    "a": ['
    assert py_value(float("nan")) == 'float("nan")'
