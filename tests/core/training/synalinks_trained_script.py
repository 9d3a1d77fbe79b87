"""Check a trained program under the real synalinks, apart from Synalinks Canvas.

Started by the training acceptance test in ``.venv-synalinks`` (``python -I``)
with a JSON request on stdin: a Synalinks program file (``program.save``),
an exported script, the offline endpoint's ``api_base``, the node names, the
reward settings and the validation rows. It loads the file with
``synalinks.Program.load``, routes its offline modules to the loopback
endpoint (the worker's own ``route_offline``), compiles it with Synalinks'
reward and runs ``program.evaluate()`` on the rows; it also builds the
exported script's program. Prints one JSON line: the reward, and the
trainable state trees of both programs.
"""

import asyncio
import json
import sys
import types
from pathlib import Path

WORKER = Path(__file__).resolve().parents[3] / "core" / "runtime" / "worker"
sys.path.insert(0, str(WORKER))


async def main():
    request = json.load(sys.stdin)
    import numpy as np
    import synalinks
    from programs import Programs

    program = synalinks.Program.load(request["program_file"])
    programs = Programs()
    programs.synalinks = synalinks
    programs.route_offline(program, {"api_base": request["api_base"]}, set(request["nodes"]))
    from synalinks.src.rewards import ALL_OBJECTS_DICT

    (spec,) = request["rewards"]
    program.compile(reward=ALL_OBJECTS_DICT[spec["name"]](**spec["config"]))
    inputs = program.inputs if isinstance(program.inputs, list) else [program.inputs]
    outputs = program.outputs if isinstance(program.outputs, list) else [program.outputs]
    x = np.array(
        [synalinks.JsonDataModel(schema=inputs[0].get_schema(), json=v) for v in request["inputs"]],
        dtype="object",
    )
    y = np.array(
        [
            synalinks.JsonDataModel(schema=outputs[0].get_schema(), json=v)
            for v in request["expected"]
        ],
        dtype="object",
    )
    result = await program.evaluate(x=x, y=y, batch_size=len(x), verbose=0)

    namespace = types.ModuleType("canvas_trained_export")
    sys.modules[namespace.__name__] = namespace
    exec(compile(request["source"], "<canvas trained export>", "exec"), namespace.__dict__)
    exported = await namespace.build_program(None)
    print(
        json.dumps(
            {
                "reward": float(result["reward"]),
                "loaded": program.get_state_tree()["trainable_variables"],
                "exported": exported.get_state_tree()["trainable_variables"],
            },
            default=str,
        )
    )


if __name__ == "__main__":
    asyncio.run(main())
