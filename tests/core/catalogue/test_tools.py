"""The graph's tools: kept in the file, checked on the nodes that call them, exported
as imports of the user's functions wrapped in ``synalinks.Tool``."""

from __future__ import annotations

import ast
import json

import pytest
from pydantic import ValidationError

from core.export.python_script import export_python
from core.files import dumps_graph, load_graph, loads_graph
from core.model.resources import ToolSpec
from core.registry import default_registry
from core.validation import validate
from tests.core.catalogue.test_catalogue_types import graph_with

REGISTRY = default_registry()
SEARCH = ToolSpec(name="search", module="project.tools", function="search", folder="src")
COUNT = ToolSpec(name="count", module="tools", function="count_words")


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"name": "two words", "module": "m", "function": "f"}, "not a Python identifier"),
        ({"name": "t", "module": "m-x", "function": "f"}, "not a dotted module path"),
        ({"name": "t", "module": "m", "function": "f", "folder": "/home/me"}, "relative"),
        ({"name": "t", "module": "m", "function": "f", "folder": "~/code"}, "relative"),
    ],
)
def test_a_bad_tool_is_refused_with_a_reason(fields, problem):
    with pytest.raises(ValidationError, match=problem):
        ToolSpec(**fields)


def agent_graph(*tools: str, known=(SEARCH, COUNT)):
    graph = graph_with("FunctionCallingAgent", tools=list(tools))
    graph.set_meta(tools=known)
    return graph


def test_tools_survive_a_save_and_load(tmp_path):
    graph = agent_graph("search", "count")
    text = dumps_graph(graph)
    assert json.loads(text)["meta"]["tools"][0] == {
        "folder": "src",
        "function": "search",
        "module": "project.tools",
        "name": "search",
    }
    assert dumps_graph(loads_graph(text, REGISTRY)) == text


def test_a_node_naming_an_unknown_tool_says_which_tools_exist():
    graph = agent_graph("search", "nope")
    messages = [d.message for d in validate(graph, REGISTRY) if d.is_error]
    assert messages == [
        "module: no tool named 'nope' in this graph; add it in Graph settings → Tools (module "
        "and async function of your project) or use one of count, search"
    ]


def test_export_imports_the_tools_used_and_wraps_them():
    source = export_python(agent_graph("count"), REGISTRY)
    ast.parse(source)
    assert "from tools import count_words\n" in source
    assert "project.tools" not in source  # not used by any node: not imported
    assert "            synalinks.Tool(count_words),\n" in source


def test_two_tools_with_one_function_name_get_distinct_python_names():
    other = ToolSpec(name="search_web", module="web", function="search")
    source = export_python(agent_graph("search", "search_web", known=(SEARCH, other)), REGISTRY)
    assert "from project.tools import search\n" in source
    assert "from web import search as search_\n" in source
    assert "synalinks.Tool(search_)" in source


def test_the_shipped_agent_example_names_a_tool_module_of_the_repository(repo_root):
    graph = load_graph(repo_root / "saved_graphs" / "agent_with_tools.json", REGISTRY)
    for tool in graph.meta.tools:
        path = repo_root / "saved_graphs" / tool.folder / (tool.module.replace(".", "/") + ".py")
        assert path.is_file(), path
        tree = ast.parse(path.read_text())
        functions = {n.name for n in tree.body if isinstance(n, ast.AsyncFunctionDef)}
        assert tool.function in functions
    assert [d for d in validate(graph, REGISTRY) if d.is_error] == []
