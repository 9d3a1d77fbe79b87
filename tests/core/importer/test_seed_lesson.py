"""The seed lesson's own code imports as saved_graphs/parallel_branches.json."""

from __future__ import annotations

from pathlib import Path

from core.files import load_graph
from core.importer import import_python_file
from tests.core.importer.normalise import normalised

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
LESSON = HERE / "data" / "parallel_branches_lesson.py"
# A copy of the lesson page kept in the repository, so a clean checkout tests alone.
LESSON_PAGE = HERE / "data" / "parallel_branches_lesson.md"


def test_lesson_imports_as_the_seed_graph(registry):
    result = import_python_file(LESSON, registry)
    seed = load_graph(REPO / "saved_graphs" / "parallel_branches.json", registry)
    imported = normalised(result.graph, model="offline", positions=True)
    # the lesson's Input has no name=, so it has Synalinks' name, not the seed's
    seed.rename_node(seed.node_by_name("inputs").id, "input_module")
    assert imported == normalised(seed, positions=True)
    assert result.graph.meta.default_model == "gemini/gemini-3.1-flash-lite-preview"
    assert result.warnings == []


def test_lesson_copy_is_the_lessons_source():
    """The data file is the lesson's "Source" section verbatim (after a comment header)."""
    lesson = LESSON_PAGE.read_text(encoding="utf-8")
    source = lesson[lesson.rindex("\nSource\n") + len("\nSource\n") :].strip("\n")
    copy = LESSON.read_text()
    assert copy.endswith(source + "\n")
    assert all(line.startswith("#") or not line for line in copy[: -len(source) - 1].splitlines())
