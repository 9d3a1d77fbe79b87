"""Synalinks-computed output schemas are kept under exactly what decides them."""

from __future__ import annotations

import json

from core.catalogue.schema_cache import SchemaCache, schema_key
from core.registry import default_registry
from core.schemas.flow import analyse
from tests.core.builders import GraphBuilder

SCHEMA = {"type": "object", "properties": {"reward": {"type": "number"}}}


def test_keys_change_with_type_params_and_inputs():
    base = schema_key("SelfCritique", {"k": 1}, {"inputs": [SCHEMA]})
    assert base == schema_key("SelfCritique", {"k": 1}, {"inputs": [SCHEMA]})
    assert base != schema_key("SelfCritique", {"k": 2}, {"inputs": [SCHEMA]})
    assert base != schema_key("SelfCritique", {"k": 1}, {"inputs": [None]})
    assert base != schema_key("Identity", {"k": 1}, {"inputs": [SCHEMA]})


def test_least_recently_used_entries_go_first():
    cache = SchemaCache(limit=2)
    assert cache.put("a", SCHEMA) and cache.put("b", SCHEMA)
    assert not cache.put("a", SCHEMA)  # unchanged; now the most recent
    cache.put("c", SCHEMA)
    assert cache.get("b") is None and cache.get("a") == SCHEMA and len(cache) == 2
    assert cache.put("x", None) and cache.get("x") is None  # None is remembered too


def test_it_persists_and_survives_a_damaged_file(tmp_path):
    path = tmp_path / "schemas.json"
    cache = SchemaCache(path)
    cache.put("a", SCHEMA)
    cache.save()
    assert SchemaCache(path).get("a") == SCHEMA
    path.write_text("{not json")
    assert len(SchemaCache(path)) == 0  # a cache: unreadable means empty, never an error
    path.write_text(json.dumps({"entries": {"a": "not a schema"}}))
    assert SchemaCache(path).get("a") is None


def test_a_generated_node_shows_the_schema_synalinks_gave_it():
    registry = default_registry()
    b = GraphBuilder(registry)
    b.add("Input", "query", data_model="Query")
    b.add("SelfCritique", "critique")
    b.add("Output", "out", order=0)
    b.chain("query", "critique", "out")
    critique = b.id("critique")
    flow = analyse(b.graph, registry)
    assert flow.schemas[(critique, "output")] is None  # not known yet
    node_type = registry.get("SelfCritique")
    key = node_type.schema_key(flow.params[critique], flow.input_schemas(critique))
    registry.schema_cache.put(key, SCHEMA)
    assert analyse(b.graph, registry).schemas[(critique, "output")] == SCHEMA
    b.graph.nodes[critique].params["return_reward"] = False  # other parameters: unknown again
    assert analyse(b.graph, registry).schemas[(critique, "output")] is None


def test_attaching_a_file_keeps_what_was_learnt_first(tmp_path):
    path = tmp_path / "schemas.json"
    old = SchemaCache(path)
    old.put("from_before", SCHEMA)
    old.save()
    cache = SchemaCache()
    cache.put("this_session", {"type": "object"})
    cache.attach(path)
    assert cache.get("from_before") == SCHEMA and cache.get("this_session") == {"type": "object"}
    cache.save()
    assert SchemaCache(path).get("this_session") == {"type": "object"}
