"""Python source for values: every string becomes a safe literal, never code.

Strings are written with escapes for every character that is not printable
(newlines, tabs, control and bidirectional-override characters, line
separators), with the quote style ``ruff format`` (and black) would choose, so
the exported file is already formatted and a graph's text can never end a
literal early or inject a statement. Structured values (lists, dicts) are
written exploded with a trailing comma so the formatter keeps them as they are.
"""

from __future__ import annotations

import math
from typing import Any

INDENT = "    "
LINE_LENGTH = 88
"""Black's and ruff's default line length: the exported script is formatted for it."""

_SIMPLE_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def py_str(text: str) -> str:
    """A single-line string literal for ``text`` (``ast.literal_eval`` gives it back).

    Double quotes unless the text holds more double quotes than single ones
    (the formatter's rule, so the file needs no reformatting).
    """
    quote = "'" if text.count('"') > text.count("'") else '"'
    parts: list[str] = []
    for char in text:
        if char in _SIMPLE_ESCAPES:
            parts.append(_SIMPLE_ESCAPES[char])
        elif char == quote:
            parts.append("\\" + quote)
        elif not char.isprintable():
            parts.append(repr(char)[1:-1])
        else:
            parts.append(char)
    return quote + "".join(parts) + quote


def is_plain_docstring(text: str) -> bool:
    """Whether ``text`` can be written as ``\"\"\"text\"\"\"`` unchanged by a formatter."""
    return (
        bool(text)
        and text == text.strip()
        and text.isprintable()
        and '"' not in text
        and "\\" not in text
    )


def py_value(value: Any, indent: int = 0) -> str:
    """Source for a JSON-like value (str, int, float, bool, None, list, dict).

    Containers are exploded one item a line with a trailing comma; ``indent``
    is the nesting level of the line the value starts on.
    """
    if value is None or isinstance(value, bool):
        return repr(value)
    if isinstance(value, int):
        return repr(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return f"float({py_str(repr(value))})"
        return repr(value)
    if isinstance(value, str):
        return py_str(value)
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        inner = INDENT * (indent + 1)
        items = "".join(f"{inner}{py_value(v, indent + 1)},\n" for v in value)
        return f"[\n{items}{INDENT * indent}]"
    if isinstance(value, dict):
        if not value:
            return "{}"
        inner = INDENT * (indent + 1)
        items = "".join(
            f"{inner}{py_str(str(k))}: {py_value(v, indent + 1)},\n" for k, v in value.items()
        )
        return f"{{\n{items}{INDENT * indent}}}"
    raise TypeError(f"cannot write a {type(value).__name__} as a Python literal: {value!r}")


def fits(line: str) -> bool:
    """Whether ``line`` (with its indentation) fits the formatter's line length."""
    return len(line) <= LINE_LENGTH


def call(callee: str, arguments: list[tuple[str, str]], indent: int) -> str:
    """``callee(`` + one ``key=value,`` line per argument + ``)`` (magic trailing comma).

    ``arguments`` hold ready source for each value; ``indent`` is the level of
    the line the call starts on. A call without arguments stays ``callee()``.
    """
    if not arguments:
        return f"{callee}()"
    inner = INDENT * (indent + 1)
    lines = "".join(f"{inner}{key}={value},\n" for key, value in arguments)
    return f"{callee}(\n{lines}{INDENT * indent})"
