"""Scoring with Synalinks' own reward classes (LM-as-judge, cosine similarity,
the rubrics...), for evaluations.

A ``score`` request names the rewards (``synalinks.rewards`` class names in
snake case, with their constructor settings), the models they may need
(``judge``: a language model, ``embedding``: an embedding model, each routed
to the editor's loopback endpoint when it is the offline model), the scored
output's schema and the (expected, predicted) pairs. Each reward is called as
Synalinks calls it in ``program.evaluate`` (``await reward(y_true, y_pred)``:
masks, then the reward, then its reduction). A judge whose program gives no
answer is an error for that pair, never a silent 0.

Part of the synalinks runtime worker (standard library and synalinks only).
"""

from __future__ import annotations

import hashlib
import inspect
import json

OFFLINE = "offline"


class JudgeGaveNoAnswer(Exception):
    """Synalinks' judge program returned None (its language model failed)."""


class _Watched:
    """Wraps a judge program so that a None answer raises instead of scoring 0."""

    def __init__(self, program) -> None:
        self.program = program

    async def __call__(self, inputs, *args, **kwargs):
        result = await self.program(inputs, *args, **kwargs)
        if result is None:
            raise JudgeGaveNoAnswer(
                "the judge's language model gave no usable answer (see the worker's warnings)"
            )
        return result

    def __getattr__(self, name):
        return getattr(self.program, name)


class Rewards:
    """Builds reward objects once per (settings, models) and scores pairs."""

    def __init__(self, synalinks) -> None:
        self.synalinks = synalinks
        self.cache: dict[str, list] = {}

    def _model(self, kind: str, settings: dict | None, offline: dict | None):
        if not settings or not settings.get("model"):
            return None
        model = settings["model"]
        cls = self.synalinks.LanguageModel if kind == "judge" else self.synalinks.EmbeddingModel
        if model == OFFLINE or model.startswith(OFFLINE + "/"):
            if not offline:
                raise ValueError("the offline model was asked for without its endpoint")
            name = f"openai/{OFFLINE}--judge" if kind == "judge" else f"openai/{OFFLINE}"
            extra = {"caching": False} if kind == "embedding" else {}
            return cls(
                model=name, api_base=offline["api_base"], api_key="offline", retry=2, **extra
            )
        extra = {"caching": False} if kind == "embedding" else {}
        return cls(model=model, api_base=settings.get("api_base") or None, **extra)

    def build(self, specs: list[dict], models: dict) -> list:
        key = hashlib.sha256(
            json.dumps([specs, models], sort_keys=True, default=str).encode()
        ).hexdigest()
        if key in self.cache:
            return self.cache[key]
        from synalinks.src.rewards import ALL_OBJECTS_DICT

        offline = models.get("offline")
        built = []
        for spec in specs:
            cls = ALL_OBJECTS_DICT.get(spec["name"])
            if cls is None:
                raise ValueError(
                    f"synalinks {self.synalinks.__version__} has no reward {spec['name']!r}; its "
                    f"rewards are {', '.join(sorted(k for k in ALL_OBJECTS_DICT if '_' in k))}"
                )
            config = dict(spec.get("config") or {})
            params = inspect.signature(cls.__init__).parameters
            if "language_model" in params and not config.get("language_model"):
                judge = self._model("judge", models.get("judge"), offline)
                if judge is None:
                    raise ValueError(f"{spec['name']} needs a language model to judge with")
                config["language_model"] = judge
            elif isinstance(config.get("language_model"), str):
                config["language_model"] = self._model(
                    "judge", {"model": config["language_model"]}, offline
                )
            if "embedding_model" in params and not config.get("embedding_model"):
                embedder = self._model("embedding", models.get("embedding"), offline)
                if embedder is None:
                    raise ValueError(
                        f"{spec['name']} needs an embedding model (--embedding-model, e.g. "
                        "openai/text-embedding-3-small, or offline)"
                    )
                config["embedding_model"] = embedder
            elif isinstance(config.get("embedding_model"), str):
                config["embedding_model"] = self._model(
                    "embedding", {"model": config["embedding_model"]}, offline
                )
            reward = cls(**config)
            if hasattr(reward, "program") and isinstance(reward, self.synalinks.rewards.Reward):
                reward.program = _Watched(reward.program)
            built.append(reward)
        self.cache[key] = built
        if len(self.cache) > 16:
            self.cache.pop(next(iter(self.cache)))
        return built

    async def score(self, message: dict) -> list[dict]:
        """One result per pair: ``{"values": [...]}`` or ``{"error": "..."}``."""
        rewards = self.build(message["rewards"], message.get("models") or {})
        JsonDataModel = self.synalinks.JsonDataModel
        schema = message.get("schema") or {"type": "object", "properties": {}}
        results = []
        for pair in message["pairs"]:
            y_true = JsonDataModel(schema=schema, json=pair["expected"])
            predicted = pair.get("predicted")
            y_pred = None if predicted is None else JsonDataModel(schema=schema, json=predicted)
            try:
                values = [float(await reward(y_true, y_pred)) for reward in rewards]
            except Exception as exc:  # one pair's failure is that pair's error
                results.append({"error": f"{type(exc).__name__}: {exc}"[-2000:]})
            else:
                results.append({"values": values})
        return results
