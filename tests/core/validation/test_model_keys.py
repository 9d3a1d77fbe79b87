"""Which key a model needs, where it is found, and the warning before Run (no litellm)."""

from __future__ import annotations

import pytest

from core.files import load_graph
from core.model.graph import GraphMeta
from core.schemas.flow import analyse
from core.validation.model_keys import key_checks, key_lookup, key_status, key_variable


@pytest.mark.parametrize(
    ("model", "api_base", "variable"),
    [
        ("offline", None, None),
        ("offline/echo", None, None),
        ("ollama/mistral", None, None),
        ("openai/gpt-4o-mini", None, "OPENAI_API_KEY"),
        ("openai/local", "http://127.0.0.1:8000/v1", None),  # a served model
        ("gpt-4o", None, "OPENAI_API_KEY"),
        ("claude-3-5-haiku-latest", None, "ANTHROPIC_API_KEY"),
        ("anthropic/claude-3-5-haiku-latest", None, "ANTHROPIC_API_KEY"),
        ("together_ai/meta/llama", None, "TOGETHERAI_API_KEY"),
        ("newvendor/model", None, "NEWVENDOR_API_KEY"),
    ],
)
def test_key_variable(model, api_base, variable):
    assert key_variable(model, api_base) == variable


def test_keys_are_found_in_settings_the_environment_or_a_dotenv_file(tmp_path):
    dotenv = tmp_path / ".env"
    dotenv.write_text("GROQ_API_KEY=gsk-from-file\nEMPTY_API_KEY=\n")
    lookup = key_lookup(
        ["ANTHROPIC_API_KEY"],
        [dotenv, tmp_path / "missing" / ".env"],
        environ={"OPENAI_API_KEY": "sk-env", "MISTRAL_API_KEY": "  "},
    )
    assert key_status("anthropic/x", lookup).label() == "key found (settings)"
    assert key_status("openai/x", lookup).label() == "key found (environment)"
    assert key_status("groq/x", lookup).label() == "key found (.env)"
    assert key_status("mistral/x", lookup).label() == "key missing: MISTRAL_API_KEY"
    assert key_status("empty/x", lookup).missing
    assert key_status("offline", lookup).label() == "no key needed"
    label = key_status("groq/x", lookup).label()
    assert "gsk" not in label  # never the key itself


def test_a_missing_key_warns_on_every_node_that_would_need_it(registry, repo_root):
    graph = load_graph(repo_root / "saved_graphs" / "parallel_branches.json", registry)
    flow = analyse(graph, registry)
    nothing = key_lookup([], [], environ={})
    assert key_checks(graph, flow, nothing) == []  # the offline model needs no key
    graph.meta = GraphMeta(**{**graph.meta.model_dump(), "default_model": "openai/gpt-4o-mini"})
    flow = analyse(graph, registry)
    found = key_checks(graph, flow, nothing)
    assert [(d.code, d.severity, graph.nodes[d.node_id].name) for d in found] == [
        ("model_key_missing", "warning", "branch_1"),
        ("model_key_missing", "warning", "branch_2"),
    ]
    assert "needs OPENAI_API_KEY" in found[0].message and "Settings" in found[0].message
    assert key_checks(graph, flow, key_lookup([], [], environ={"OPENAI_API_KEY": "k"})) == []
    assert key_checks(graph, flow, nothing, override="offline") == []
    served = GraphMeta(**{**graph.meta.model_dump(), "api_base": "http://127.0.0.1:9/v1"})
    graph.meta = served
    assert key_checks(graph, analyse(graph, registry), nothing) == []
    assert len(key_checks(graph, analyse(graph, registry), nothing, "groq/llama")) == 2
