"""A Synalinks saved program whose data models hold data models opens as our
nested data models, defaults included (the file is written by real synalinks)."""

from __future__ import annotations

import os
import subprocess

import pytest

from core.export import export_python
from core.files import load_graph
from tests.core.export.cases import nested_graph
from tests.support.synalinks_runner import require_synalinks_python

pytestmark = pytest.mark.synalinks

SAVE = """
import asyncio, importlib.util, sys
import synalinks
spec = importlib.util.spec_from_file_location("exported", sys.argv[1])
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)

async def main():
    program = await module.build_program(synalinks.LanguageModel(model="openai/mock"))
    program.save(sys.argv[2])

asyncio.run(main())
"""


def test_a_saved_program_with_nested_data_models_opens_with_them(registry, tmp_path):
    graph = nested_graph()
    script = tmp_path / "nested.py"
    script.write_text(export_python(graph, registry))
    saver = tmp_path / "save.py"
    saver.write_text(SAVE)
    saved = tmp_path / "nested_program.json"
    env = {**os.environ, "LITELLM_LOCAL_MODEL_COST_MAP": "True"}
    env.pop("PYTHONPATH", None)
    done = subprocess.run(
        [str(require_synalinks_python()), str(saver), str(script), str(saved)],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    opened = load_graph(saved, registry)
    for mine, theirs in zip(
        graph.data_models["Report"].fields, opened.data_models["Report"].fields, strict=True
    ):
        assert theirs == mine, (theirs, mine)
    assert opened.data_models["Report"] == graph.data_models["Report"]
    assert opened.data_models["Source"] == graph.data_models["Source"]
