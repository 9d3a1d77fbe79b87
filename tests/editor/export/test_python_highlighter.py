"""The Python highlighter: which characters get which colour, in both themes."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QFont, QTextDocument

from editor.export.python_highlighter import DARK, LIGHT, PythonHighlighter
from editor.theme import dark_theme, light_theme

SOURCE = '''"""Module docstring
that runs over # two lines."""
import asyncio  # a comment with "quotes"


@synalinks.utils.register
async def build_program(language_model=None):
    text = 'say "hi" # not a comment'
    raw = rb"\\d+"
    count = 42 + 3.5e-2 + 0x1F
    return f"{count}" if True else None


class Query(synalinks.DataModel):
    pass
'''


def kind_at(
    highlighter: PythonHighlighter, document: QTextDocument, line: int, column: int
) -> str | None:
    """The name of the format at ``line``:``column`` (0-based), or None."""
    block = document.findBlockByNumber(line)
    for fmt_range in block.layout().formats():
        if fmt_range.start <= column < fmt_range.start + fmt_range.length:
            for name, fmt in highlighter.formats.items():
                if fmt_range.format == fmt:
                    return name
            return "unknown"
    return None


def set_text(qapp, document: QTextDocument, text: str) -> None:
    """Replace the text as an editor would (a document reports changes once it
    has a layout, which every text view gives it)."""
    document.documentLayout()
    document.setPlainText(text)
    qapp.processEvents()


@pytest.fixture
def highlighted(qapp):
    document = QTextDocument()
    highlighter = PythonHighlighter(document, light_theme())
    set_text(qapp, document, SOURCE)
    return highlighter, document


def where(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    lines = SOURCE.splitlines()
    hits = [(i, line.index(needle)) for i, line in enumerate(lines) if needle in line]
    return hits[nth]


@pytest.mark.parametrize(
    ("needle", "offset", "kind"),
    [
        ('"""Module', 0, "string"),
        ("that runs over", 0, "string"),  # second line of the triple-quoted string
        ("# two lines", 0, "string"),  # a hash inside a string is not a comment
        ("import", 0, "keyword"),
        ("asyncio", 0, None),
        ("# a comment", 0, "comment"),
        ('"quotes"', 0, "comment"),  # quotes inside a comment open no string
        ("@synalinks.utils.register", 5, "decorator"),
        ("async def", 0, "keyword"),
        ("def build", 0, "keyword"),
        ("build_program", 0, "definition"),
        ("None)", 0, "keyword"),
        ("'say", 0, "string"),
        ("# not a comment", 0, "string"),
        ('rb"', 0, "string"),
        ("42", 0, "number"),
        ("3.5e-2", 4, "number"),
        ("0x1F", 3, "number"),
        ('f"{count}"', 0, "string"),
        ("True", 0, "keyword"),
        ("class Query", 0, "keyword"),
        ("Query(", 0, "definition"),
        ("synalinks.DataModel", 0, None),
        ("pass", 0, "keyword"),
    ],
)
def test_each_kind_of_token_gets_its_format(highlighted, needle, offset, kind):
    highlighter, document = highlighted
    line, column = where(SOURCE, needle)
    assert kind_at(highlighter, document, line, column + offset) == kind


def test_formats_carry_the_theme_colours_and_follow_a_theme_change(highlighted):
    highlighter, document = highlighted
    assert highlighter.formats["keyword"].foreground().color() == LIGHT.keyword
    assert highlighter.formats["keyword"].fontWeight() == QFont.Weight.Bold
    assert highlighter.formats["comment"].fontItalic()
    line, column = where(SOURCE, "async def")
    highlighter.set_theme(dark_theme())
    block = document.findBlockByNumber(line)
    colours = [r.format.foreground().color() for r in block.layout().formats() if r.start == column]
    assert colours == [DARK.keyword]
    assert DARK.keyword != LIGHT.keyword and DARK.string != LIGHT.string


def test_a_line_after_a_closed_triple_quoted_string_is_code_again(qapp):
    document = QTextDocument()
    highlighter = PythonHighlighter(document, light_theme())
    set_text(qapp, document, "x = '''a\nb''' + 1\nreturn 2\n")
    assert kind_at(highlighter, document, 1, 0) == "string"
    assert kind_at(highlighter, document, 1, 7) == "number"
    assert kind_at(highlighter, document, 2, 0) == "keyword"
    # Opening the string later re-colours the lines below it.
    set_text(qapp, document, '"""\nreturn 2\n')
    assert kind_at(highlighter, document, 1, 0) == "string"
