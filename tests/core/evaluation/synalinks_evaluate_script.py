"""Run ``program.evaluate()`` of an exported program under the real synalinks.

Started by the acceptance test in ``.venv-synalinks`` (``python -I``) with a
JSON request on stdin: the exported source, the offline endpoint's
``api_base``, the node names, the scored output's index, the rewards (name,
weight, settings), and the rows' inputs and expected outputs. It builds the
program as the runtime worker does (the worker's own ``route_offline``: each
module on the offline model answers through the loopback endpoint in its own
voice), compiles it with Synalinks' reward classes and prints one JSON line:
``{"reward": ..., "per_sample": [...], "predictions": [...]}``.
"""

import asyncio
import json
import sys
import types
from pathlib import Path

WORKER = Path(__file__).resolve().parents[3] / "core" / "runtime" / "worker"
sys.path.insert(0, str(WORKER))


def make_reward(synalinks, specs, api_base):
    """Synalinks' reward objects; a judge or an embedding model, when one is
    needed, is the offline model behind the loopback endpoint."""
    import inspect

    from synalinks.src.rewards import ALL_OBJECTS_DICT

    rewards = []
    for spec in specs:
        cls = ALL_OBJECTS_DICT[spec["name"]]
        config = dict(spec["config"])
        params = inspect.signature(cls.__init__).parameters
        if "language_model" in params:
            config["language_model"] = synalinks.LanguageModel(
                model="openai/offline--judge", api_base=api_base, api_key="offline", retry=2
            )
        if "embedding_model" in params:
            config["embedding_model"] = synalinks.EmbeddingModel(
                model="openai/offline", api_base=api_base, api_key="offline", caching=False
            )
        rewards.append(cls(**config))
    if len(rewards) == 1:
        return rewards[0]
    return synalinks.rewards.ComposableReward(rewards=rewards, weights=[s["weight"] for s in specs])


async def evaluate(request: dict, number: int) -> dict:
    import numpy as np
    import synalinks
    from programs import Programs

    sys.path[:0] = request.get("paths") or []  # the graph's tools, as the worker imports them
    programs = Programs()
    programs.synalinks = synalinks
    namespace = types.ModuleType(f"canvas_eval_program_{number}")
    sys.modules[namespace.__name__] = namespace
    exec(compile(request["source"], f"<canvas program eval {number}>", "exec"), namespace.__dict__)
    program = await namespace.build_program(None)
    programs.route_offline(program, {"api_base": request["api_base"]}, set(request["nodes"]))
    outputs = program.outputs if isinstance(program.outputs, list) else [program.outputs]
    scored = outputs[request["output_index"]]
    if len(outputs) > 1:
        program = synalinks.Program(inputs=program.inputs, outputs=scored, name="scored")
    inputs = program.inputs if isinstance(program.inputs, list) else [program.inputs]
    schema = inputs[0].get_schema()
    x = np.array(
        [synalinks.JsonDataModel(schema=schema, json=v) for v in request["inputs"]], dtype="object"
    )
    out_schema = scored.get_schema()
    y = np.array(
        [synalinks.JsonDataModel(schema=out_schema, json=e) for e in request["expected"]],
        dtype="object",
    )
    program.compile(reward=make_reward(synalinks, request["rewards"], request["api_base"]))
    n = len(x)
    result = await program.evaluate(x=x, y=y, batch_size=n, verbose=0)
    per_sample = list(program._per_sample_rewards)
    predictions = await program.predict(x, batch_size=n, verbose=0)
    return {
        "reward": float(result["reward"]),
        "per_sample": [float(v) for v in per_sample],
        "predictions": [p.get_json() if p is not None else None for p in predictions],
    }


async def main():
    """One request (an object), or several (``{"requests": [...]}``, answered as
    ``{"results": [...]}``: synalinks is imported once for all)."""
    request = json.load(sys.stdin)
    if "requests" in request:
        results = [await evaluate(r, i) for i, r in enumerate(request["requests"])]
        print(json.dumps({"results": results}))
    else:
        print(json.dumps(await evaluate(request, 0)))


if __name__ == "__main__":
    asyncio.run(main())
