"""API keys never enter graph files: each key shape, in each place a person types text."""

from __future__ import annotations

import pytest

from core.files import GraphFileError, dumps_graph, save_graph
from core.files.secrets import KEY_PATTERNS, KEY_PREFIXES, find_secret
from core.model import DataModelSpec, FieldSpec
from tests.core.graph_factory import random_graph

# One realistic-looking (fake) literal per shape in KEY_PATTERNS.
SAMPLES = {
    "an Anthropic API key": "sk-ant-api03-" + "Ab3_" * 10,
    "an OpenAI-style API key": "sk-proj-" + "aB3d" * 8,
    "a Google API key": "AIza" + "SyD3" * 9,
    "a Groq API key": "gsk_" + "a1B2" * 8,
    "a Hugging Face token": "hf_" + "AbCd1234" * 4,
    "an xAI API key": "xai-" + "q9W8" * 8,
    "a GitHub token": "ghp_" + "Zx12" * 9,
    "an AWS access key id": "AKIAIOSFODNN7EXAMPLE",
    "a Slack token": "xoxb-1234567890-abcdefABCDEF",
    "a bearer token": "Bearer " + "eyJhbGciOi" * 3,
    "a password in a URL": "https://me:hunter2@llm.example.com/v1",
}


def _first(graph, type_name):
    return next(n for n in graph.nodes.values() if n.type == type_name)


def _instructions(graph, key):
    node = _first(graph, "Generator")
    graph.set_params(node.id, {"instructions": f"Use the key {key} to answer."})
    return f"nodes[{list(graph.nodes).index(node.id)}].params.instructions"


def _model_name(graph, key):
    node = _first(graph, "ChainOfThought")
    graph.set_params(node.id, {"language_model": f"openai/{key}"})
    return f"nodes[{list(graph.nodes).index(node.id)}].params.language_model"


def _default_model(graph, key):
    graph.set_meta(default_model=key)
    return "meta.default_model"


def _api_base(graph, key):
    graph.set_meta(api_base=key if "://" in key else f"http://127.0.0.1:8000/v1?key={key}")
    return "meta.api_base"


def _graph_description(graph, key):
    graph.set_meta(description=f"remember: {key}")
    return "meta.description"


def _data_model_description(graph, key):
    spec = graph.data_models["Model0"]
    graph.set_data_model(spec.model_copy(update={"description": key}))
    return f"data_models[{list(graph.data_models).index('Model0')}].description"


def _field_description(graph, key):
    spec = graph.data_models["Model1"]
    fields = (FieldSpec(name="secret", description=f"key={key}"), *spec.fields[1:])
    graph.set_data_model(DataModelSpec(name="Model1", fields=fields))
    return f"data_models[{list(graph.data_models).index('Model1')}].fields[0].description"


def _example_input(graph, key):
    graph.set_meta(example_input={"query": "hello", "nested": {"token": [key]}})
    return "meta.example_input.nested.token[0]"


def _decision_question(graph, key):
    node = _first(graph, "Decision")
    graph.set_params(node.id, {"question": f"Is {key} valid?"})
    return f"nodes[{list(graph.nodes).index(node.id)}].params.question"


PLACES = [
    _instructions,
    _model_name,
    _default_model,
    _api_base,
    _graph_description,
    _data_model_description,
    _field_description,
    _example_input,
    _decision_question,
]


def test_every_key_shape_has_a_sample():
    assert set(SAMPLES) == {what for what, _pattern in KEY_PATTERNS}


@pytest.mark.parametrize(("what", "pattern"), KEY_PATTERNS, ids=[w for w, _ in KEY_PATTERNS])
def test_every_key_shape_holds_a_listed_prefix(what, pattern):
    """The fast scan looks for these prefixes first: a shape without one would be missed."""
    match = pattern.search(f"some text {SAMPLES[what]} more text")
    assert match and any(p in match.group(0) for p in KEY_PREFIXES), what
    # And the whole scan finds it among many harmless strings.
    document = {
        "nodes": [{"text": f"line {i}", "url": "http://127.0.0.1:8000/v1"} for i in range(50)]
    }
    document["nodes"][37]["text"] = f"paste:\n{SAMPLES[what]}"
    assert find_secret(document) == ("nodes[37].text", what)


@pytest.mark.parametrize("what", sorted(SAMPLES))
@pytest.mark.parametrize("place", PLACES, ids=lambda f: f.__name__.strip("_"))
def test_key_is_refused_with_a_clear_message_and_the_file_untouched(tmp_path, what, place):
    path = tmp_path / "graph.json"
    save_graph(random_graph(9, size=24), path)
    before = path.read_bytes()
    graph = random_graph(9, size=24)
    where = place(graph, SAMPLES[what])
    with pytest.raises(GraphFileError) as info:
        save_graph(graph, path)
    message = str(info.value)
    assert message.startswith(f"{path}: refusing to save: {where} contains what looks like {what}")
    assert "never in a graph file" in message and "environment" in message
    assert SAMPLES[what] not in message, "the message must not repeat the key"
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.json"]


def test_a_new_file_is_not_created_when_a_key_is_refused(tmp_path):
    graph = random_graph(9, size=24)
    _instructions(graph, SAMPLES["an OpenAI-style API key"])
    with pytest.raises(GraphFileError):
        save_graph(graph, tmp_path / "new.json")
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(GraphFileError, match="refusing to save"):
        dumps_graph(graph)


@pytest.mark.parametrize(
    "text",
    [
        "openai/gpt-4o-mini",
        "ask-me-anything",
        "sk-short",
        "Use a Bearer token from the environment",
        "hf_hub is a library",
        "AKIA is how AWS key ids start",
        # not at a word start after "sk-" (built at run time so no scanner of this
        # repository mistakes the source for a tracked key)
        "ta" + "sk-" + "1234567890abcdefghij",
        "http://127.0.0.1:8000/v1",
        "https://user@host.example/v1",  # a user name is not a password
    ],
)
def test_ordinary_text_is_not_mistaken_for_a_key(text):
    assert find_secret({"instructions": text}) is None


def test_find_secret_reports_the_first_place_and_checks_keys_too():
    document = {"a": ["fine", {"b": SAMPLES["a Groq API key"]}], SAMPLES["a GitHub token"]: 1}
    assert find_secret(document) == ("a[1].b", "a Groq API key")
    assert find_secret({SAMPLES["a GitHub token"]: 1}) == (
        SAMPLES["a GitHub token"],
        "a GitHub token",
    )
    assert find_secret(SAMPLES["a bearer token"]) == ("(top level)", "a bearer token")
