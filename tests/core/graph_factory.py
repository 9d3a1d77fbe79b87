"""Seeded random graphs for tests and benchmarks (reuse it: it is shared).

``random_graph(seed, size)`` builds a *valid* program: every node type appears
(given ``size`` >= 24), every data model field kind appears (lists, enums,
optional fields), and :func:`core.validation.validate` reports nothing at all,
not even a warning. The same seed always gives the same graph, ids included,
so a failure can be replayed from its seed.

Construction mirrors the validator's rules rather than calling it, so a test
that validates a generated graph really checks the validator: sources are
picked from a pool that knows which outputs may be None (after a Branch, And,
Xor...), Concat only takes inputs that cannot be None, each Branch label feeds
exactly one language-model module, every merge gets at least two distinct
inputs, and every dangling result ends in an Output.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass

from core.model.data_models import DataModelSpec, FieldSpec
from core.model.graph import Edge, Graph, Node
from core.model.names import unique_name
from core.nodes.language import branch_port

LANGUAGE_TYPES = ("Generator", "ChainOfThought", "Decision")
MERGE_TYPES = ("Concat", "And", "Or", "Xor")
ALL_TYPES = (
    "Input",
    "Output",
    "Generator",
    "ChainOfThought",
    "Decision",
    "Branch",
    *MERGE_TYPES,
)

_WORDS = (
    "answer",
    "query",
    "topic",
    "summary",
    "score",
    "label",
    "reason",
    "fact",
    "quote",
    "title",
    "count",
    "ratio",
    "flag",
    "tags",
    "notes",
    "verdict",
)
_TEXTS = (
    "",
    "Answer in one sentence.",
    "Think step by step, then answer.\nBe concise.",
    'Use "quotes" and \\backslashes\\ and tabs\tcorrectly.',
    "Réponds en français ; ünïcödé ✓ and emoji 🚀.",
    "List the key facts: {facts}",
)
_MODELS = ("", "offline", "openai/gpt-4o-mini", "ollama/llama3", "offline/echo")


MAX_MERGED_FIELDS = 16
"""Merges only take inputs of at most this many fields: Concat/And add up their
inputs' fields, and merges of merges would otherwise grow schemas to thousands
of fields, which no real program has."""


@dataclass(frozen=True)
class _Source:
    node_id: str
    port: str
    may_be_none: bool
    fields: int = 1


def every_field_kind_model(name: str = "EveryKind") -> DataModelSpec:
    """A data model holding every field kind: scalars, enums, lists, optionals."""
    return DataModelSpec(
        name=name,
        description="One field of every kind.",
        fields=(
            FieldSpec(name="text", type="str", description="A string"),
            FieldSpec(name="count", type="int", description="An integer"),
            FieldSpec(name="ratio", type="float", description="A float"),
            FieldSpec(name="flag", type="bool", description="A boolean"),
            FieldSpec(name="mood", type="enum", choices=("calm", "busy"), description="An enum"),
            FieldSpec(name="texts", type="str", is_list=True, description="Strings"),
            FieldSpec(name="counts", type="int", is_list=True, description="Integers"),
            FieldSpec(name="ratios", type="float", is_list=True, description="Floats"),
            FieldSpec(name="flags", type="bool", is_list=True, description="Booleans"),
            FieldSpec(
                name="moods",
                type="enum",
                is_list=True,
                choices=("a", "b", "c"),
                description="Enums",
            ),
            FieldSpec(name="maybe_text", type="str", required=False, description="Optional string"),
            FieldSpec(name="maybe_count", type="int", required=False),
            FieldSpec(
                name="maybe_mood",
                type="enum",
                choices=("yes", "no"),
                required=False,
                description="Optional enum",
            ),
            FieldSpec(
                name="maybe_ratios", type="float", is_list=True, required=False, description=""
            ),
        ),
    )


def random_data_model(rng: random.Random, name: str) -> DataModelSpec:
    """A data model with 1-5 random fields (every kind can come up)."""
    count = rng.randint(1, 5)
    names = rng.sample(_WORDS, count)
    fields = []
    for field_name in names:
        kind = rng.choice(("str", "str", "int", "float", "bool", "enum"))
        choices: tuple[str, ...] = ()
        if kind == "enum":
            choices = tuple(
                rng.sample(("low", "medium", "high", "yes", "no", "maybe"), rng.randint(1, 4))
            )
        fields.append(
            FieldSpec(
                name=field_name,
                type=kind,
                is_list=rng.random() < 0.25,
                choices=choices,
                description=rng.choice(("", f"The {field_name}", "Ünïcödé description ✓")),
                required=rng.random() < 0.8,
            )
        )
    return DataModelSpec(name=name, description=rng.choice(_TEXTS[:3]), fields=tuple(fields))


def example_value(spec: FieldSpec, rng: random.Random) -> object:
    """A JSON value that fits ``spec`` (for example inputs)."""

    def one() -> object:
        if spec.type == "enum":
            return rng.choice(spec.choices)
        return {
            "str": lambda: rng.choice(("hello", "Why do cities grow?", "ünï ✓")),
            "int": lambda: rng.randint(-5, 100),
            "float": lambda: round(rng.uniform(-1, 1), 3),
            "bool": lambda: rng.random() < 0.5,
        }[spec.type]()

    return [one() for _ in range(rng.randint(0, 3))] if spec.is_list else one()


class _Builder:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.graph = Graph()
        self.names: set[str] = set()
        self.counts: dict[str, int] = {}
        self.pool: list[_Source] = []
        self.consumed: set[tuple[str, str]] = set()
        self.column = 0

    # ------------------------------------------------------------ helpers
    def new_id(self) -> str:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4).hex

    def add(self, type_name: str, base: str, params: dict) -> str:
        # Count per base ourselves: unique_name looks for the *first* free
        # suffix, which on thousands of "generator_N" would be quadratic.
        count = self.counts.get(base, 0)
        name = unique_name(base if count == 0 else f"{base}_{count}", self.names)
        self.counts[base] = count + 1
        self.names.add(name)
        node_id = self.new_id()
        position = (
            round(self.column * 320.0 + self.rng.uniform(-20, 20), 1),
            round(self.rng.uniform(-2000, 2000), 1),
        )
        self.column += 1
        self.graph.add_node(Node(node_id, type_name, name, params, position))
        return node_id

    def connect(self, source: _Source, target: str, port: str = "inputs") -> None:
        self.graph.add_edge(Edge(self.new_id(), source.node_id, source.port, target, port))
        self.consumed.add((source.node_id, source.port))

    def pick(
        self, count: int = 1, *, not_none: bool = False, small: bool = False
    ) -> list[_Source] | None:
        """Distinct sources, biased to recent ones so the graph gets deep."""
        limit = MAX_MERGED_FIELDS if small else 10**9
        candidates = [
            s for s in self.pool[-400:] if not (not_none and s.may_be_none) and s.fields <= limit
        ]
        if len(candidates) < count:
            return None
        window = candidates[-max(count * 4, 12) :] if self.rng.random() < 0.7 else candidates
        if len(window) < count:
            window = candidates
        return self.rng.sample(window, count)

    def model_name(self) -> str:
        return self.rng.choice(list(self.graph.data_models))

    def lm_params(self, type_name: str) -> dict:
        common = {
            "instructions": self.rng.choice(_TEXTS),
            "language_model": self.rng.choice(_MODELS),
            "temperature": self.rng.choice((None, 0.0, 0.7, 1.5)),
        }
        if type_name == "Decision":
            return {
                "question": self.rng.choice(("Which kind is it?", "How hard is it?")),
                "labels": self.labels(),
                **common,
            }
        return {"data_model": self.model_name(), **common}

    def labels(self) -> list[str]:
        return self.rng.sample(
            ["easy", "hard", "math", "science", "other", "yes", "no"], self.rng.randint(2, 3)
        )

    # ---------------------------------------------------------- node kinds
    def answer_fields(self, params: dict, type_name: str) -> int:
        if type_name == "Decision":
            return 2
        count = len(self.graph.data_models[params["data_model"]].fields)
        return count + (1 if type_name == "ChainOfThought" else 0)

    def language(self, type_name: str, source: _Source) -> None:
        params = self.lm_params(type_name)
        node_id = self.add(type_name, type_name.lower(), params)
        self.connect(source, node_id)
        self.pool.append(
            _Source(node_id, "output", source.may_be_none, self.answer_fields(params, type_name))
        )

    def branch(self, source: _Source) -> None:
        labels = self.labels()
        node_id = self.add(
            "Branch",
            "route",
            {
                "question": "Which way?",
                "labels": labels,
                "instructions": self.rng.choice(_TEXTS),
                "language_model": self.rng.choice(_MODELS),
                "temperature": None,
                "inject_decision": self.rng.random() < 0.7,
                "return_decision": self.rng.random() < 0.7,
            },
        )
        self.connect(source, node_id)
        for index in range(len(labels)):
            type_name = self.rng.choice(LANGUAGE_TYPES)
            params = self.lm_params(type_name)
            module = self.add(type_name, f"on_{labels[index]}", params)
            self.connect(_Source(node_id, branch_port(index), True), module)
            # The module's answer, with the decision in front (return_decision).
            self.pool.append(
                _Source(module, "output", True, self.answer_fields(params, type_name) + 2)
            )

    def merge(self, type_name: str) -> bool:
        count = self.rng.randint(2, 3)
        sources = self.pick(count, not_none=type_name == "Concat", small=True)
        if sources is None:
            return False
        node_id = self.add(
            type_name,
            type_name.lower() if type_name == "Concat" else f"logical_{type_name.lower()}",
            {},
        )
        for source in sources:
            self.connect(source, node_id)
        flags = [s.may_be_none for s in sources]
        maybe = {
            "Concat": False,
            "And": any(flags),
            "Or": all(flags),
            "Xor": True,  # two or more inputs present give None
        }[type_name]
        fields = sources[0].fields if type_name in ("Or", "Xor") else sum(s.fields for s in sources)
        self.pool.append(_Source(node_id, "output", maybe, fields))
        return True

    def finish(self) -> None:
        """Every result nobody reads goes to an Output, in a stable order."""
        order = 0
        for node_id, node in list(self.graph.nodes.items()):
            if node.type in ("Output", "Branch"):
                continue
            if not self.graph.outgoing(node_id):
                output = self.add("Output", "output", {"order": order})
                order += 1
                self.connect(_Source(node_id, "output", False), output)


def random_graph(seed: int, size: int = 40) -> Graph:
    """A valid graph of about ``size`` nodes (never fewer than the mandatory ones).

    Every node type appears when ``size`` >= 24; validation finds nothing.
    """
    b = _Builder(seed)
    rng = b.rng
    model_count = max(3, min(12, size // 20))
    b.graph.set_data_model(every_field_kind_model())
    for i in range(model_count):
        b.graph.set_data_model(random_data_model(rng, f"Model{i}"))

    input_count = 1 if size < 60 else rng.randint(1, 3)
    for _ in range(input_count):
        model = rng.choice(list(b.graph.data_models))
        node_id = b.add("Input", "inputs", {"data_model": model})
        b.pool.append(_Source(node_id, "output", False, len(b.graph.data_models[model].fields)))
    examples = {
        node.name: {
            f.name: example_value(f, rng)
            for f in b.graph.data_models[node.params["data_model"]].fields
        }
        for node in b.graph.nodes.values()
    }
    b.graph.set_meta(
        name=f"random_{seed}",
        description=rng.choice(_TEXTS),
        default_model=rng.choice(("offline", "openai/gpt-4o-mini")),
        api_base=rng.choice((None, "http://127.0.0.1:8000/v1")),
        # One Input: its value; several: keyed by Input name (see GraphMeta).
        example_input=next(iter(examples.values())) if len(examples) == 1 else examples,
    )

    # One of each kind first, so every type appears even in small graphs.
    # Concat comes before any Branch so it has inputs that cannot be None.
    plan = [
        "Generator",
        "ChainOfThought",
        "Concat",
        "Decision",
        "Branch",
        "Generator",
        "And",
        "Or",
        "Xor",
    ]
    budget = max(size - 4, len(plan))
    while len(b.graph.nodes) < budget:
        kind = (
            plan.pop(0)
            if plan
            else rng.choice(
                ("Generator", "Generator", "ChainOfThought", "Decision", "Branch", *MERGE_TYPES)
            )
        )
        if kind in MERGE_TYPES:
            if not b.merge(kind):
                b.language("Generator", b.pick()[0])
        elif kind == "Branch":
            b.branch(b.pick()[0])
        else:
            b.language(kind, b.pick()[0])
    b.finish()
    return b.graph


def node_types_in(graph: Graph) -> set[str]:
    return {n.type for n in graph.nodes.values()}
