"""Syntax colours for the Python export preview, in the light and dark theme.

A small scanner rather than a list of regular expressions: it reads each line
left to right, so a ``#`` inside a string is not a comment, a quote inside a
comment opens no string, and a triple-quoted string (the script's docstring,
a long instruction) carries over to the next lines through the block state.
"""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass

from PySide6.QtGui import QColor, QFont, QSyntaxHighlighter, QTextCharFormat, QTextDocument

from editor.theme import Theme

KEYWORDS = frozenset(keyword.kwlist)
DEFINERS = frozenset({"def", "class"})
NORMAL, IN_SINGLE_TRIPLE, IN_DOUBLE_TRIPLE = -1, 1, 2
"""Block states: a line either ends outside any string or inside a ''' or \"\"\" string."""

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_NUMBER = re.compile(
    r"(?:0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+"
    r"|(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:[eE][+-]?\d[\d_]*)?[jJ]?)"
)
_DECORATOR = re.compile(r"@[A-Za-z_][A-Za-z0-9_.]*")
_STRING_PREFIX = re.compile(r"(?:[rRbBuUfF]|[rR][bBfF]|[bBfF][rR])?(?:'''|\"\"\"|'|\")")


@dataclass(frozen=True, slots=True)
class SyntaxColors:
    keyword: QColor
    definition: QColor
    string: QColor
    comment: QColor
    number: QColor
    decorator: QColor


LIGHT = SyntaxColors(
    keyword=QColor("#8a2bd8"),
    definition=QColor("#0b5cad"),
    string=QColor("#1a7f37"),
    comment=QColor("#6e7781"),
    number=QColor("#b35900"),
    decorator=QColor("#9a6700"),
)
DARK = SyntaxColors(
    keyword=QColor("#c792ea"),
    definition=QColor("#82aaff"),
    string=QColor("#a5d98a"),
    comment=QColor("#7f8a99"),
    number=QColor("#f5a863"),
    decorator=QColor("#e5c07b"),
)


def colors_for(theme: Theme) -> SyntaxColors:
    return DARK if theme.is_dark else LIGHT


class PythonHighlighter(QSyntaxHighlighter):
    """Colours keywords, ``def``/``class`` names, strings (triple-quoted ones
    over several lines), comments, numbers and decorators."""

    def __init__(self, document: QTextDocument, theme: Theme) -> None:
        super().__init__(document)
        self.formats: dict[str, QTextCharFormat] = {}
        self._colors = colors_for(theme)
        self._build_formats()

    def set_theme(self, theme: Theme) -> None:
        self._colors = colors_for(theme)
        self._build_formats()
        self.rehighlight()

    def _build_formats(self) -> None:
        c = self._colors
        self.formats = {
            "keyword": _format(c.keyword, bold=True),
            "definition": _format(c.definition, bold=True),
            "string": _format(c.string),
            "comment": _format(c.comment, italic=True),
            "number": _format(c.number),
            "decorator": _format(c.decorator),
        }

    def highlightBlock(self, text: str) -> None:  # noqa: N802 (Qt override)
        self.setCurrentBlockState(NORMAL)
        i = 0
        previous = self.previousBlockState()
        if previous in (IN_SINGLE_TRIPLE, IN_DOUBLE_TRIPLE):
            quote = "'''" if previous == IN_SINGLE_TRIPLE else '"""'
            i = self._string_body(text, 0, 0, quote)
            if i < 0:
                return
        stripped = len(text) - len(text.lstrip())
        match = _DECORATOR.match(text, stripped) if i <= stripped else None
        if match is not None:
            self.setFormat(match.start(), match.end() - match.start(), self.formats["decorator"])
            i = match.end()
        after_definer = False
        n = len(text)
        while i < n:
            char = text[i]
            if char == "#":
                self.setFormat(i, n - i, self.formats["comment"])
                return
            string = _STRING_PREFIX.match(text, i)
            if string is not None and (i == 0 or not _is_name_char(text[i - 1])):
                quote = (
                    string.group()[-3:]
                    if string.group().endswith(("'''", '"""'))
                    else string.group()[-1]
                )
                i = self._string_body(text, i, string.end(), quote)
                if i < 0:
                    return
                after_definer = False
                continue
            if char.isalpha() or char == "_":
                word = _IDENTIFIER.match(text, i)
                assert word is not None
                name = word.group()
                if after_definer:
                    self.setFormat(i, len(name), self.formats["definition"])
                elif name in KEYWORDS:
                    self.setFormat(i, len(name), self.formats["keyword"])
                after_definer = name in DEFINERS
                i = word.end()
                continue
            if char.isdigit() or (char == "." and i + 1 < n and text[i + 1].isdigit()):
                number = _NUMBER.match(text, i)
                if number is not None and number.end() > i:
                    self.setFormat(i, number.end() - i, self.formats["number"])
                    i = number.end()
                    continue
            if not char.isspace():
                after_definer = False
            i += 1

    def _string_body(self, text: str, start: int, body: int, quote: str) -> int:
        """Colour a string from ``start`` (its prefix) whose body begins at ``body``;
        return where scanning resumes, or -1 when the string runs past the line
        (a triple-quoted one then continues on the next block)."""
        i = body
        n = len(text)
        while i < n:
            if text[i] == "\\":
                i += 2
                continue
            if text.startswith(quote, i):
                end = i + len(quote)
                self.setFormat(start, end - start, self.formats["string"])
                return end
            i += 1
        self.setFormat(start, n - start, self.formats["string"])
        if len(quote) == 3:
            self.setCurrentBlockState(IN_SINGLE_TRIPLE if quote == "'''" else IN_DOUBLE_TRIPLE)
        return -1


def _is_name_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def _format(color: QColor, bold: bool = False, italic: bool = False) -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setForeground(color)
    if bold:
        fmt.setFontWeight(QFont.Weight.Bold)
    fmt.setFontItalic(italic)
    return fmt
