"""Run a small program under the real synalinks library, for side-by-side benchmarks.

Synalinks lives in its own venv (``.venv-synalinks``: it depends on a PyPI
package named ``editor`` that clashes with ours), so :func:`run_in_synalinks`
starts that interpreter on this very file and passes a program spec as JSON:

    {"nodes": [{"name": "g1", "type": "Generator", "latency": 0.2, "inputs": ["inputs"]},
               {"name": "joined", "type": "Concat", "inputs": ["g1", "g2"]}],
     "outputs": ["joined"], "repeat": 3}

``inputs`` is the program Input (a ``Query``); every Generator answers an
``Answer``. The model is mocked at the litellm boundary: ``litellm.acompletion``
sleeps the latency written in the module's instructions (``latency=0.2``) and
returns JSON filling the requested schema. The script prints one JSON line:
``{"build_s": ..., "run_s": [...], "cpu_s": [...], "outputs": n}`` (wall and
CPU seconds of each run).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ENV_VAR = "SYNALINKS_CANVAS_SYNALINKS_PYTHON"
ROOT = Path(__file__).resolve().parents[2]


class SynalinksUnavailable(RuntimeError):
    """The synalinks venv is missing: the message says how to make it."""


def synalinks_python() -> str:
    """The synalinks venv's interpreter: ``$SYNALINKS_CANVAS_SYNALINKS_PYTHON``, else
    ``.venv-synalinks/bin/python`` in the repository."""
    candidate = os.environ.get(ENV_VAR) or str(ROOT / ".venv-synalinks" / "bin" / "python")
    if not Path(candidate).is_file():
        raise SynalinksUnavailable(
            f"no synalinks interpreter at {candidate}: run `make synalinks-venv` "
            f"(or set {ENV_VAR} to a Python that has synalinks 0.10 installed)"
        )
    return candidate


def require_synalinks_python() -> Path:
    """For tests: the interpreter, or a failed (never skipped) test saying how to get it."""
    import pytest

    try:
        return Path(synalinks_python())
    except SynalinksUnavailable as exc:
        pytest.fail(str(exc), pytrace=False)


def run_in_synalinks(spec: dict[str, Any], timeout: float = 600) -> dict[str, Any]:
    """Run ``spec`` under synalinks in its venv; raise with its stderr if it fails."""
    env = {
        **os.environ,
        "LITELLM_LOCAL_MODEL_COST_MAP": "True",
        "OPENAI_API_KEY": "mock-key-not-used",
    }
    result = subprocess.run(
        [synalinks_python(), str(Path(__file__).resolve())],
        input=json.dumps(spec),
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        cwd=ROOT / "tests",  # not the repo root: our `editor` package must not shadow theirs
    )
    if result.returncode != 0:
        raise RuntimeError(
            f"the synalinks run failed (exit {result.returncode}):\n{result.stderr[-3000:]}"
        )
    return json.loads(result.stdout.strip().splitlines()[-1])


# ------------------------------------------------------------------ the script
def _main() -> None:  # runs inside the synalinks venv
    import asyncio
    import re
    import time

    import litellm
    import synalinks

    spec = json.load(sys.stdin)
    latency_pattern = re.compile(r"latency=([0-9.]+)")

    def fill(schema: dict[str, Any]) -> Any:
        props = schema.get("properties", {})
        return {
            name: ("x" if p.get("type") == "string" else (p.get("enum") or [0])[0])
            for name, p in props.items()
        }

    async def mock_acompletion(*args: Any, **kwargs: Any) -> dict[str, Any]:
        system = kwargs["messages"][0]["content"]
        found = latency_pattern.search(system)
        if found and float(found.group(1)) > 0:
            await asyncio.sleep(float(found.group(1)))
        schema = kwargs["response_format"]["json_schema"]["schema"]
        return {
            "choices": [
                {
                    "message": {"role": "assistant", "content": json.dumps(fill(schema))},
                    "finish_reason": "stop",
                }
            ],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
        }

    litellm.acompletion = mock_acompletion

    class Query(synalinks.DataModel):
        query: str = synalinks.Field(description="The user query")

    class Answer(synalinks.DataModel):
        answer: str = synalinks.Field(description="The answer")

    async def main() -> dict[str, Any]:
        started = time.perf_counter()
        lm = synalinks.LanguageModel(model="openai/mock")
        x0 = synalinks.Input(data_model=Query)
        symbols: dict[str, Any] = {"inputs": x0}
        for node in spec["nodes"]:
            sources = [symbols[name] for name in node["inputs"]]
            if node["type"] == "Generator":
                module = synalinks.Generator(
                    data_model=Answer,
                    language_model=lm,
                    instructions=f"Answer the query. latency={node.get('latency', 0)}",
                    name=node["name"],
                )
                symbols[node["name"]] = await module(sources[0])
            elif node["type"] == "Concat":
                symbols[node["name"]] = await synalinks.Concat(name=node["name"])(sources)
            else:
                raise ValueError(f"unsupported node type {node['type']!r}")
        program = synalinks.Program(
            inputs=x0, outputs=[symbols[name] for name in spec["outputs"]], name="bench"
        )
        build_s = time.perf_counter() - started
        runs, cpu = [], []
        outputs = None
        for _ in range(int(spec.get("repeat", 1))):
            t, c = time.perf_counter(), time.process_time()
            outputs = await program(Query(query="What is 2 + 2?"))
            runs.append(time.perf_counter() - t)
            cpu.append(time.process_time() - c)
        count = len(outputs) if isinstance(outputs, list) else int(outputs is not None)
        return {"build_s": build_s, "run_s": runs, "cpu_s": cpu, "outputs": count}

    print(json.dumps(asyncio.run(main())))


if __name__ == "__main__":
    _main()
