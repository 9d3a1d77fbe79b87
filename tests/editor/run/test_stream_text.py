"""The streaming text view appends what is new instead of rebuilding, follows the
end only while the reader is there, and rebuilds when the text starts over."""

from __future__ import annotations

from editor.results.stream_text import StreamText, blocks_for


def _counting(view: StreamText) -> list[int]:
    rebuilds = []
    original = view._rebuild

    def counted(fill):
        rebuilds.append(1)
        original(fill)

    view._rebuild = counted
    return rebuilds


def test_growing_fields_are_appended(qtbot):
    view = StreamText()
    qtbot.addWidget(view)
    rebuilds = _counting(view)
    view.show_blocks(blocks_for({"thinking": "Step"}))
    view.show_blocks(blocks_for({"thinking": "Step one"}))
    view.show_blocks(blocks_for({"thinking": "Step one.", "answer": ""}))
    view.show_blocks(blocks_for({"thinking": "Step one.", "answer": "42"}))
    assert view.shown_text() == "thinking\nStep one.\n\nanswer\n42"
    assert len(rebuilds) == 1  # only the first
    view.show_blocks(blocks_for({"thinking": "Other"}))  # a retry starts over
    assert view.shown_text() == "thinking\nOther" and len(rebuilds) == 2


def test_plain_text_appends_and_values_render_as_json(qtbot):
    view = StreamText()
    qtbot.addWidget(view)
    rebuilds = _counting(view)
    view.show_text('{"a": ')
    view.show_text('{"a": 1}')
    assert view.shown_text() == '{"a": 1}' and len(rebuilds) == 1
    assert blocks_for({"n": 3, "tags": ["x"]}) == [("n", "3"), ("tags", '[\n  "x"\n]')]
    assert blocks_for("just text") == [(None, "just text")]


def test_the_view_follows_the_end_unless_the_reader_scrolled_up(qtbot):
    view = StreamText()
    qtbot.addWidget(view)
    view.resize(300, 120)
    view.show()
    qtbot.waitExposed(view)
    text = "line\n" * 200
    view.show_text(text)
    bar = view.verticalScrollBar()
    assert bar.value() == bar.maximum() > 0  # following the end
    bar.setValue(10)  # the reader scrolls up to read
    view.show_text(text + "more\n" * 50)
    assert bar.value() == 10  # the text grew below without moving what they read
    bar.setValue(bar.maximum())
    view.show_text(text + "more\n" * 80)
    assert bar.value() == bar.maximum()
