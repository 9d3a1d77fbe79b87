"""Synalinks' own saved programs (``program.save``) open as graphs, keep what
training taught them, and save back as programs Synalinks reads the same.

The ``saved_*.json`` fixtures were written by the real synalinks 0.10
(``data/make_saved_programs.py``); opening them needs no synalinks.
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from core.export import export_python
from core.files import FORMAT_VERSION, GraphFileError, dumps_graph, load_graph, loads_graph
from core.files.load import MAX_FILE_BYTES
from core.files.synalinks_program import is_synalinks_program, read_program
from core.validation import validate
from tests.support.synalinks_runner import require_synalinks_python

DATA = Path(__file__).resolve().parent / "data"
ROOT = Path(__file__).resolve().parents[3]


def _saved(name: str) -> dict:
    return json.loads((DATA / f"saved_{name}.json").read_text())


def _fails(document, registry, tmp_path, *needles: str) -> str:
    path = tmp_path / "program.json"
    path.write_text(json.dumps(document) if not isinstance(document, str) else document)
    with pytest.raises(GraphFileError) as info:
        load_graph(path, registry)
    message = str(info.value)
    assert message.startswith(f"{path}: "), message
    assert info.value.__cause__ is None and "Traceback" not in message
    for needle in needles:
        assert needle in message, message
    return message


def _by_name(graph):
    return {node.name: node for node in graph.nodes.values()}


# ------------------------------------------------------------------ opening
def test_a_saved_chain_opens_with_its_modules_data_models_and_learnt_variables(registry):
    graph = load_graph(DATA / "saved_chain.json", registry)
    nodes = _by_name(graph)
    assert [(n.type, n.name) for n in graph.nodes.values()] == [
        ("Input", "input_module"),
        ("Generator", "answerer"),
        ("Output", "output"),
    ]
    assert nodes["answerer"].params == {
        "data_model": "Answer",
        "instructions": "Answer briefly.",
        "language_model": "openai/gpt-4o-mini",
        "temperature": 0.3,
    }
    assert graph.meta.name == "chain" and graph.meta.default_model == "openai/gpt-4o-mini"
    assert graph.data_models["Query"].description == "A question from the user."
    state = nodes["answerer"].variables["trainable_variables"]["answerer"]["state_answerer"]
    assert state["instructions"] == "Answer in one short sentence, citing the key fact."
    assert state["examples"][1] == [{"query": "Capital of France?"}, {"answer": "Paris"}]
    assert nodes["input_module"].variables == {}
    # Its temperature 0.3 is only flagged: the node cache would replay one sample.
    assert [d.code for d in validate(graph, registry)] == ["sampling_cached"]
    positions = {n.position for n in graph.nodes.values()}
    assert len(positions) == 3, "laid out: no two nodes on one spot"


def test_a_branch_opens_with_its_modules_on_its_ports_and_outputs_in_order(registry):
    graph = load_graph(DATA / "saved_branching.json", registry)
    nodes = _by_name(graph)
    assert nodes["router"].type == "Branch"
    assert nodes["router"].params["labels"] == ["easy", "hard"]
    ports = {e.source_port: graph.nodes[e.target].name for e in graph.outgoing(nodes["router"].id)}
    assert ports == {"branch_0": "quick", "branch_1": "thinker"}
    assert nodes["thinker"].type == "ChainOfThought"
    assert [graph.nodes[e.source].name for e in graph.incoming(nodes["either"].id)] == [
        "quick",
        "thinker",
    ]
    assert [graph.nodes[e.source].name for e in graph.incoming(nodes["joined"].id)] == [
        "judge",
        "question",
    ]
    assert nodes["critic"].type == "SelfCritique"
    outputs = sorted(graph.nodes_of_type("Output"), key=lambda n: n.params["order"])
    assert [graph.nodes[graph.incoming(o.id)[0].source].name for o in outputs] == [
        "either",
        "critic",
    ]
    # Synalinks' default wording is left to Synalinks (it writes it back itself).
    assert nodes["quick"].params["instructions"] == ""
    assert nodes["judge"].params["instructions"] == ""
    # Each module gets the variables of the modules Synalinks made inside it.
    owned = {n.name: list(n.variables.get("trainable_variables", {})) for n in nodes.values()}
    assert owned["thinker"] == ["generator_thinker"]
    assert owned["router"] == ["generator_decision_router"]
    assert owned["critic"] == ["generator_critic"]
    assert owned["quick"] == ["quick"]
    assert not [d for d in validate(graph, registry) if d.is_error]


def test_two_inputs_and_every_field_kind_become_data_models(registry):
    graph = load_graph(DATA / "saved_two_inputs.json", registry)
    assert [n.name for n in graph.nodes_of_type("Input")] == ["query", "context"]
    report = graph.data_models["Report"]
    assert [(f.name, f.type_label()) for f in report.fields] == [
        ("summary", "str"),
        ("score", "float"),
        ("count", "int"),
        ("relevant", "bool"),
        ("tags", "list[str]"),
        ("note", "str?"),
    ]
    context = graph.data_models["Context"]
    assert context.field("language").choices == ("en", "fr")
    assert graph.meta.api_base is None, "Ollama's own default server is not written"


def test_operator_merges_keep_the_names_synalinks_gave_them(registry):
    graph = load_graph(DATA / "saved_operators.json", registry)
    nodes = _by_name(graph)
    assert nodes["and"].type == "And" and nodes["or"].type == "Or"
    assert [graph.nodes[e.source].name for e in graph.incoming(nodes["and"].id)] == [
        "generator",
        "generator_1",
    ]


def test_every_cli_command_reads_a_saved_program(tmp_path, registry):
    from core.cli import main

    out = tmp_path / "chain.py"
    assert main(["export", str(DATA / "saved_chain.json"), "-o", str(out)]) == 0
    script = out.read_text()
    assert "program.set_state_tree(state)" in script
    assert "Answer in one short sentence, citing the key fact." in script
    assert main(["validate", str(DATA / "saved_two_inputs.json")]) == 0


def test_the_same_title_with_another_schema_gets_its_own_name(registry):
    document = _saved("chain")
    generator = document["config"]["modules"][1]["config"]
    generator["schema"]["title"] = "Query"  # Answer's fields under Query's title
    graph = read_program(document, registry).graph
    assert sorted(graph.data_models) == ["Query", "Query_2"]
    assert graph.node_by_name("answerer").params["data_model"] == "Query_2"


def test_what_cannot_be_drawn_is_reported_not_dropped_silently(registry):
    document = _saved("branching")
    critic = next(m for m in document["config"]["modules"] if m["name"] == "critic")
    critic["config"]["examples"] = [[{"query": "x"}, {"critique": "y"}]]
    document["variables"]["metrics_variables"] = {"reward": {"total": 1.0}}
    document["variables"]["trainable_variables"]["stranger"] = {"state_stranger": {}}
    warnings = read_program(document, registry).warnings
    assert any("critic" in w and "examples" in w for w in warnings), warnings
    assert any("metrics_variables" in w for w in warnings), warnings
    assert any("stranger" in w for w in warnings), warnings


def test_only_synalinks_programs_are_taken_for_one(registry):
    assert is_synalinks_program(_saved("chain"))
    assert not is_synalinks_program(
        json.loads(dumps_graph(load_graph(DATA / "saved_chain.json", registry)))
    )
    assert not is_synalinks_program([1, 2])


# ---------------------------------------------------------- hostile files
def _module(document, name):
    return next(m for m in document["config"]["modules"] if m["name"] == name)


def _history(module, index=0):
    args = module["inbound_nodes"][0]["args"]
    value = args[0][index] if isinstance(args[0], list) else args[index]
    return value["config"]["synalinks_history"]


@pytest.mark.parametrize(
    ("break_it", "needles"),
    [
        (lambda d: d["config"].__setitem__("modules", "many"), ["config.modules should be a list"]),
        (lambda d: d["config"].__setitem__("modules", []), ["no modules"]),
        (lambda d: d.__setitem__("class_name", "Sequential"), ["'Sequential'", "functional API"]),
        (
            lambda d: _module(d, "answerer").__setitem__("class_name", "MyOwnModule"),
            ["module 'answerer'", "MyOwnModule", "does not know"],
        ),
        (
            lambda d: _module(d, "answerer")["inbound_nodes"].__setitem__(0, 7),
            ["module 'answerer'.inbound_nodes[0] should be an object", "int 7"],
        ),
        (
            lambda d: _history(_module(d, "answerer")).__setitem__(0, "ghost"),
            ["'ghost'", "not a module"],
        ),
        (
            lambda d: _history(_module(d, "answerer")).__setitem__(2, "x"),
            ["synalinks_history[2] should be a tensor index"],
        ),
        (
            lambda d: _module(d, "answerer")["inbound_nodes"].append(
                copy.deepcopy(_module(d, "answerer")["inbound_nodes"][0])
            ),
            ["called 2 times"],
        ),
        (
            lambda d: d["config"]["modules"].append(copy.deepcopy(_module(d, "answerer"))),
            ["two modules are named 'answerer'"],
        ),
        (
            lambda d: d["config"].__setitem__("output_modules", [["nowhere", 0, 0]]),
            ["config.output_modules names 'nowhere'"],
        ),
        (
            lambda d: _module(d, "answerer")["config"]["schema"]["properties"]["answer"].update(
                {"type": "object"}
            ),
            ["properties.answer", "'object'"],
        ),
        (
            lambda d: d.__setitem__("variables", {"trainable_variables": []}),
            ["variables.trainable_variables should be an object"],
        ),
    ],
)
def test_a_broken_program_is_one_clear_error(tmp_path, registry, break_it, needles):
    document = _saved("chain")
    break_it(document)
    _fails(document, registry, tmp_path, "cannot open this Synalinks program", *needles)


def test_a_cycle_in_inbound_nodes_is_refused(tmp_path, registry):
    document = _saved("branching")
    # judge now takes critic's output, and critic (through joined) judge's: a loop.
    _history(_module(document, "judge"))[0] = "critic"
    message = _fails(document, registry, tmp_path, "form a cycle")
    assert "'judge'" in message and "'critic'" in message


def test_a_huge_program_file_is_refused_before_it_is_read(tmp_path, registry):
    path = tmp_path / "huge.json"
    with path.open("wb") as handle:
        handle.write(b'{"synalinks_version": "0.10.014", "pad": "')
        handle.truncate(50 * 1024 * 1024)
    assert path.stat().st_size > MAX_FILE_BYTES
    with pytest.raises(GraphFileError, match="50.0 MB"):
        load_graph(path, registry)


def test_a_deeply_nested_program_is_refused(tmp_path, registry):
    document = _saved("chain")
    deep: dict = {}
    for _ in range(200):
        deep = {"x": deep}
    document["variables"]["trainable_variables"]["answerer"]["deep"] = deep
    _fails(document, registry, tmp_path, "nests deeper than")


def test_a_program_nested_past_the_parser_is_refused(registry):
    text = '{"synalinks_version": "0.10", "config": ' + "[" * 100_000 + "]" * 100_000 + "}"
    with pytest.raises(GraphFileError, match="nests deeper than"):
        loads_graph(text, registry, source="deep.json")


# ----------------------------------------------------------- our own format
def test_variables_survive_our_file_format(tmp_path, registry):
    graph = load_graph(DATA / "saved_branching.json", registry)
    text = dumps_graph(graph)
    assert json.loads(text)["version"] == FORMAT_VERSION
    again = loads_graph(text, registry)
    assert {n.name: n.variables for n in again.nodes.values()} == {
        n.name: n.variables for n in graph.nodes.values()
    }
    assert dumps_graph(again) == text
    untrained = [n for n in json.loads(text)["nodes"] if n["name"] == "either"][0]
    assert "variables" not in untrained, "a node without variables is written as before"


def test_a_version_2_file_opens_without_variables_and_saves_as_the_current_version(registry):
    old = DATA / "version_2.json"
    assert json.loads(old.read_text())["version"] == 2
    graph = load_graph(old, registry)
    assert all(n.variables == {} for n in graph.nodes.values())
    saved = json.loads(dumps_graph(graph))
    assert saved["version"] == FORMAT_VERSION
    current = json.loads((ROOT / "saved_graphs" / "parallel_branches.json").read_text())
    current["meta"].pop("datasets")  # version 6: the example's dataset, added since
    assert saved == current


def test_variables_must_be_an_object(tmp_path, registry):
    document = json.loads(dumps_graph(load_graph(DATA / "saved_chain.json", registry)))
    document["nodes"][1]["variables"] = ["not", "an", "object"]
    path = tmp_path / "graph.json"
    path.write_text(json.dumps(document))
    with pytest.raises(GraphFileError, match=r"nodes\[1\]\.variables"):
        load_graph(path, registry)


def test_an_untrained_graph_exports_as_before(registry):
    graph = load_graph(ROOT / "saved_graphs" / "parallel_branches.json", registry)
    script = export_python(graph, registry)
    assert "set_state_tree" not in script and "    return synalinks.Program(" in script


# ------------------------------------------------- under the real synalinks
COMPARE = r"""
import json, sys
import synalinks

def unnamed_language_models(value):
    # LanguageModel names come from a process-wide counter (language_model_1...),
    # not from the program: they are left out of the comparison.
    if isinstance(value, dict):
        if value.get("class_name") == "LanguageModel" and isinstance(value.get("config"), dict):
            value = {**value, "config": {k: v for k, v in value["config"].items() if k != "name"}}
        return {k: unnamed_language_models(v) for k, v in value.items()}
    if isinstance(value, list):
        return [unnamed_language_models(v) for v in value]
    return value

report = []
for original, written in json.loads(sys.argv[1]):
    a, b = synalinks.Program.load(original), synalinks.Program.load(written)
    report.append({
        "config": unnamed_language_models(a.get_config()) == unnamed_language_models(b.get_config()),
        "variables": a.get_state_tree() == b.get_state_tree(),
        "learnt": json.dumps(b.get_state_tree()["trainable_variables"]),
    })
print(json.dumps(report))
"""


@pytest.mark.synalinks
def test_open_then_save_as_a_synalinks_program_gives_the_same_program_back(tmp_path):
    python = str(require_synalinks_python())
    pairs = []
    for name in ("chain", "branching", "two_inputs"):
        written = tmp_path / f"{name}.json"
        completed = subprocess.run(
            [
                sys.executable,
                "-c",
                "import sys; from core.cli import main; sys.exit(main(sys.argv[1:]))",
                "export",
                str(DATA / f"saved_{name}.json"),
                "-f",
                "synalinks",
                "-o",
                str(written),
                "--python",
                python,
            ],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=600,
        )
        assert completed.returncode == 0, completed.stderr
        pairs.append([str(DATA / f"saved_{name}.json"), str(written)])
    env = {**os.environ, "LITELLM_LOCAL_MODEL_COST_MAP": "True", "NO_PROXY": "*"}
    env.pop("PYTHONPATH", None)
    completed = subprocess.run(
        [python, "-c", COMPARE, json.dumps(pairs)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=600,
    )
    assert completed.returncode == 0, completed.stderr[-4000:]
    report = json.loads(completed.stdout.strip().splitlines()[-1])
    assert [(r["config"], r["variables"]) for r in report] == [(True, True)] * 3
    assert "Answer in one short sentence, citing the key fact." in report[0]["learnt"]
    assert "Think twice, answer once." in report[1]["learnt"]


def test_a_non_json_target_is_refused_before_the_worker_starts(tmp_path, registry):
    import asyncio

    from core.runtime.client import WorkerPool
    from core.runtime.saved_programs import save_synalinks_program

    graph = load_graph(DATA / "saved_chain.json", registry)
    pool = WorkerPool(sys.executable)  # never started
    with pytest.raises(ValueError, match=r"ends in \.json"):
        asyncio.run(save_synalinks_program(graph, registry, tmp_path / "p.txt", pool))
