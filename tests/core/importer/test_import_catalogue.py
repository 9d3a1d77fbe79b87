"""Catalogue modules (InMask, SelfCritique, MultiDecision...) import from their call form:
export -> import -> export gives the same bytes, and what the graph cannot hold is
reported with its line."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from core.catalogue.node_types import CatalogueModuleType
from core.export import export_python
from core.importer import ScriptImportError, import_python, import_python_file
from core.registry import default_registry
from core.runtime.protocol import CatalogueModule
from core.validation import validate
from tests.core.builders import GraphBuilder
from tests.core.catalogue.test_catalogue_types import graph_with
from tests.core.importer.normalise import normalised

REGISTRY = default_registry()
FILLED = {
    "InMask": {"mask": ["answer"]},
    "OutMask": {"mask": ["answer"]},
    "MultiDecision": {"question": "Which topics?", "labels": ["science", "art"]},
}
"""Values Synalinks cannot build these modules without (as in the runtime tests)."""
EXAMPLES = Path(__file__).resolve().parent / "data" / "synalinks_examples"
EXAMPLE_FILES = sorted(EXAMPLES.glob("*.py"))


def graph_of(type_name: str, **params):
    """An Input, the module (its data model Answer unless given) and an Output."""
    b = GraphBuilder(REGISTRY)
    b.add("Input", "query", data_model="Query")
    if "data_model" in REGISTRY.get(type_name).params_model.model_fields:
        params.setdefault("data_model", "Answer")
    b.add(type_name, "module", **params)
    b.add("Output", "out", order=0)
    b.chain("query", "module", "out")
    return b.graph


def validating_types() -> list[str]:
    """Catalogue types whose graph validates once FILLED (the others need resources)."""
    found = []
    for node_type in REGISTRY:
        if not isinstance(node_type, CatalogueModuleType):
            continue
        graph = graph_with(node_type.type_name, **FILLED.get(node_type.type_name, {}))
        if not any(d.is_error for d in validate(graph, REGISTRY)):
            found.append(node_type.type_name)
    return found


VALIDATING = validating_types()


def changed(plan) -> object:
    """A value different from Synalinks' default, of the plan's kind (None: leave it)."""
    if plan.kind == "text":
        return 'Be brief.\nQuote "exactly" \\ as told.'
    if plan.kind == "line":
        return "custom"
    if plan.kind == "choice":
        return next(c for c in plan.choices if c != plan.default)
    if plan.kind == "int":
        return (plan.default or 0) + 3
    if plan.kind == "float":
        return 0.25 if plan.default != 0.25 else 0.5
    if plan.kind == "bool":
        return not plan.default
    if plan.kind == "labels":
        return ["answer", "query"]
    if plan.kind == "data_model":
        return "AnswerWithThinking"
    if plan.kind == "model" and plan.name != "language_model":
        return "openai/sub-model"
    return None


def every_parameter_set(type_name: str) -> dict:
    params = dict(FILLED.get(type_name, {}))
    for plan in REGISTRY.get(type_name).plans:
        value = changed(plan)
        if value is not None and plan.name not in params:
            params[plan.name] = value
    return params


def comparable(graph) -> dict:
    """:func:`normalised`, with Output nodes named as the importer names them
    (``output_1``... in order) and no example input (an empty one is exported as
    empty strings, which come back as such)."""
    document = normalised(graph)
    del document["meta"]["example_input"]
    renamed = {
        n["name"]: f"output_{n['params']['order'] + 1}"
        for n in document["nodes"]
        if n["type"] == "Output"
    }
    for node in document["nodes"]:
        node["name"] = renamed.get(node["name"], node["name"])
    for edge in document["edges"]:
        edge["target"] = renamed.get(edge["target"], edge["target"])
    document["nodes"].sort(key=lambda n: n["name"])
    document["edges"].sort(key=lambda e: (e["target"], e["target_port"]))
    return document


def round_trip(graph):
    script = export_python(graph, REGISTRY)
    result = import_python(script, REGISTRY, "exported.py")
    assert result.warnings == []
    assert export_python(result.graph, REGISTRY) == script
    return result.graph


def test_every_catalogue_module_without_resources_is_covered():
    assert {"Identity", "Not", "InMask", "OutMask", "SelfCritique", "MultiDecision"} <= set(
        VALIDATING
    )
    assert "FunctionCallingAgent" not in VALIDATING  # needs tools


@pytest.mark.parametrize("type_name", VALIDATING)
def test_catalogue_module_round_trips_with_defaults(type_name):
    graph = graph_with(type_name, **FILLED.get(type_name, {}))
    imported = round_trip(graph)
    assert comparable(imported) == comparable(graph)
    assert imported.node_by_name("module").type == type_name


@pytest.mark.parametrize("type_name", VALIDATING)
def test_catalogue_module_round_trips_with_every_parameter_changed(type_name):
    graph = graph_of(type_name, **every_parameter_set(type_name))
    assert not [d for d in validate(graph, REGISTRY) if d.is_error]
    imported = round_trip(graph)
    original = graph.node_by_name("module")
    node = imported.node_by_name("module")
    assert (node.type, node.name) == (original.type, original.name)
    full = REGISTRY.get(type_name).parse_params(original).model_dump(mode="json")
    assert node.params == full
    assert comparable(imported) == comparable(graph)


def test_a_module_on_another_model_keeps_it_and_the_default_stays():
    b = GraphBuilder(REGISTRY)
    b.add("Input", "query", data_model="Query")
    b.add("Generator", "answer", data_model="Answer")
    b.add("SelfCritique", "critique", language_model="openai/critic", return_reward=False)
    b.add("Output", "out", order=0)
    b.chain("query", "answer", "critique", "out")
    b.graph.set_meta(default_model="openai/main")
    imported = round_trip(b.graph)
    assert imported.meta.default_model == "openai/main"
    assert imported.node_by_name("critique").params["language_model"] == "openai/critic"
    assert imported.node_by_name("answer").params["language_model"] == ""
    assert comparable(imported) == comparable(b.graph)


HEADER = """
import synalinks

class Query(synalinks.DataModel):
    query: str

class Answer(synalinks.DataModel):
    answer: str

async def build_program():
    language_model = synalinks.LanguageModel(model="openai/gpt-4o-mini")
    inputs = synalinks.Input(data_model=Query)
    x1 = await synalinks.Generator(data_model=Answer, language_model=language_model)(inputs)
{body}
    return synalinks.Program(inputs=inputs, outputs=outputs)
"""


def script(body: str, header: str = HEADER) -> str:
    return header.format(body=textwrap.indent(textwrap.dedent(body).strip("\n"), "    "))


def line_of(source: str, needle: str) -> int:
    return next(i for i, line in enumerate(source.splitlines(), 1) if needle in line)


def refused(source: str) -> ScriptImportError:
    with pytest.raises(ScriptImportError) as raised:
        import_python(source, REGISTRY, "user_script.py")
    return raised.value


def test_self_critique_reads_return_reward_and_the_model():
    source = script(
        "outputs = await synalinks.SelfCritique(language_model=language_model, "
        "return_reward=False)(x1)"
    )
    result = import_python(source, REGISTRY)
    assert result.warnings == []
    node = result.graph.node_by_name("self_critique")
    assert node.type == "SelfCritique"
    assert node.params["return_reward"] is False and node.params["language_model"] == ""
    assert result.graph.meta.default_model == "openai/gpt-4o-mini"
    assert "return_reward=False" in export_python(result.graph, REGISTRY)


def test_a_resource_argument_is_an_error_on_its_line():
    source = script(
        """
        kb = synalinks.KnowledgeBase(uri="duckdb://kb.db", data_models=[Answer])
        outputs = await synalinks.VectorRAGAgent(
            knowledge_base=kb,
            language_model=language_model,
            skills=["skills"],
        )(x1)
        """
    )
    error = refused(source)
    problem = next(p for p in error.problems if "skills=" in p.message)
    assert problem.line == line_of(source, "synalinks.VectorRAGAgent(")
    assert "resources" in problem.message and "not supported yet" in problem.message
    assert not any("knowledge_base=" in p.message for p in error.problems)


def test_an_unknown_keyword_is_a_warning_and_a_shape_mismatch_an_error():
    source = script('outputs = await synalinks.InMask(mask=["answer"], colour="blue")(x1)')
    result = import_python(source, REGISTRY, "user_script.py")
    (warning,) = result.warnings
    assert warning.severity == "warning" and warning.line == line_of(source, "colour=")
    assert "colour= is ignored" in warning.message
    assert result.graph.node_by_name("in_mask").params["mask"] == ["answer"]
    error = refused(script('outputs = await synalinks.InMask(mask="answer")(x1)'))
    assert "mask= must be a list of string literals" in str(error)
    result = import_python(
        script(
            'outputs = await synalinks.SelfCritique(language_model=language_model, temperature="hot")(x1)'
        ),
        REGISTRY,
    )
    assert any(
        "temperature= must be a number literal; it is left unset" in str(w) for w in result.warnings
    )
    assert result.graph.node_by_name("self_critique").params["temperature"] is None


def test_values_synalinks_cannot_build_without_are_errors():
    error = refused(script('outputs = await synalinks.MultiDecision(labels=["a", "b"])(x1)'))
    assert "synalinks.MultiDecision needs question=" in str(error)
    error = refused(script('outputs = await synalinks.InMask(["a"], mask=["b"])(x1)'))
    assert "positional argument 1 matches no free parameter" in str(error)
    error = refused(script("outputs = await synalinks.Tool()(x1)"))
    assert "synalinks.Tool needs func=" in str(error)


def test_other_spellings_positional_arguments_aliases_and_default_names():
    header = HEADER.replace(
        "import synalinks\n", "import synalinks\nfrom synalinks import OutMask\n"
    )
    source = script(
        """
        x2 = await synalinks.modules.InMask(["answer"])(x1)
        x3 = await OutMask(mask=["answer"], name="masked")(x2)
        agent = synalinks.RecursiveLanguageModelAgent(data_model=Answer, language_model=language_model)
        x4 = await agent(x3)
        outputs = [await synalinks.Identity()(x4), await synalinks.Not()(x4)]
        """,
        header,
    )
    graph = import_python(source, REGISTRY).graph
    # every unnamed module has the name Synalinks gives it (its real class for aliases)
    assert graph.node_by_name("in_mask").type == "InMask"
    assert graph.node_by_name("in_mask").params["mask"] == ["answer"]
    assert graph.node_by_name("masked").type == "OutMask"
    assert graph.node_by_name("recursive_language_model_agent").type == "RLM"
    assert graph.node_by_name("identity").type == "Identity"
    assert graph.node_by_name("not_").type == "Not"  # "not" is a Python keyword


def test_a_catalogue_module_is_called_once_on_one_input():
    error = refused(script("outputs = await synalinks.Identity()([inputs, x1])"))
    assert "Identity is called on a list; it takes one input" in str(error)
    error = refused(script("m = synalinks.Identity()\nx2 = await m(x1)\noutputs = await m(x2)"))
    assert "create a second module for this call" in str(error)


# --------------------------------------------------------------- the corpus
@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_documentation_style_programs_import_cleanly_and_round_trip(path):
    result = import_python_file(path, REGISTRY)
    assert result.warnings == []
    assert not [d for d in validate(result.graph, REGISTRY) if d.is_error]
    assert any(
        isinstance(REGISTRY.get(n.type), CatalogueModuleType) for n in result.graph.nodes.values()
    )
    round_trip(result.graph)


def test_the_corpus_has_the_documented_patterns():
    assert {p.stem for p in EXAMPLE_FILES} == {
        "knowledge_rag",
        "masking_pipeline",
        "self_critique",
        "multi_label_classifier",
        "placeholders",
    }


def test_a_list_style_catalogue_module_takes_a_list_of_outputs():
    """No catalogue module of synalinks 0.10 outside the hand-written merges is called
    on a list, but a newer one may be: it is read like the merges."""
    registry = default_registry()
    entry = CatalogueModule.model_validate(
        {"class": "Blend", "group": "merging", "call": {"inputs": "list"}}
    )
    registry.register(CatalogueModuleType(entry))
    source = script('outputs = await synalinks.Blend(name="blend")([inputs, x1])')
    graph = import_python(source, registry).graph
    blend = graph.node_by_name("blend")
    assert [graph.nodes[e.source].name for e in graph.incoming(blend.id)] == [
        "input_module",
        "generator",
    ]
    exported = export_python(graph, registry)
    assert export_python(import_python(exported, registry).graph, registry) == exported
    with pytest.raises(ScriptImportError, match=r"Blend takes a list of module outputs"):
        import_python(script("outputs = await synalinks.Blend()(x1)"), registry)


# ------------------------------------------------- the corpus under synalinks
@pytest.fixture(scope="module")
def corpus_reports(tmp_path_factory):
    """Each corpus script and the export of its imported graph, built under synalinks 0.10."""
    from tests.core.export.synalinks_env import run_batch

    workdir = tmp_path_factory.mktemp("corpus")
    scripts = []
    for path in EXAMPLE_FILES:
        exported = workdir / f"{path.stem}_exported.py"
        graph = import_python_file(path, REGISTRY).graph
        exported.write_text(export_python(graph, REGISTRY), encoding="utf-8")
        scripts += [{"path": str(path)}, {"path": str(exported)}]
    reports = run_batch(scripts, workdir)
    return {path.stem: (reports[2 * i], reports[2 * i + 1]) for i, path in enumerate(EXAMPLE_FILES)}


@pytest.mark.synalinks
@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_the_exported_program_is_the_original_under_synalinks(path, corpus_reports):
    original, exported = corpus_reports[path.stem]
    assert original["ok"], original.get("trace")
    assert exported["ok"], exported.get("trace")
    assert exported["classes"] == original["classes"]
    assert exported["modules"] == original["modules"]
    assert exported["output_schemas"] == original["output_schemas"]
    assert exported["program_name"] == original["program_name"]
    assert exported["program_description"] == original["program_description"]
