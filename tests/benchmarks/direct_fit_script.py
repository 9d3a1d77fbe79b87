"""``program.fit`` called directly under synalinks: the floor training is compared with.

Run by ``bench_training`` in ``.venv-synalinks`` (``python -I``) with a JSON
request on stdin (the exported source, the offline endpoint, the node names,
the rows and the fit settings). The program is built and routed to the
loopback endpoint exactly as the worker does it; only ``fit`` is timed.
Prints one JSON line: the fit's seconds and each epoch's.
"""

import asyncio
import json
import sys
import time
import types
from pathlib import Path

WORKER = Path(__file__).resolve().parents[2] / "core" / "runtime" / "worker"
sys.path.insert(0, str(WORKER))


async def main():
    request = json.load(sys.stdin)
    import numpy as np
    import synalinks
    from programs import Programs

    namespace = types.ModuleType("canvas_direct_fit")
    sys.modules[namespace.__name__] = namespace
    exec(compile(request["source"], "<direct fit>", "exec"), namespace.__dict__)
    program = await namespace.build_program(None)
    programs = Programs()
    programs.synalinks = synalinks
    programs.route_offline(program, {"api_base": request["api_base"]}, set(request["nodes"]))
    in_schema = program.inputs[0].get_schema() if isinstance(program.inputs, list) else None
    out = program.outputs[0] if isinstance(program.outputs, list) else program.outputs

    def arrays(rows):
        return (
            np.array([synalinks.JsonDataModel(schema=in_schema, json=r) for r in rows["inputs"]]),
            np.array(
                [synalinks.JsonDataModel(schema=out.get_schema(), json=r) for r in rows["expected"]]
            ),
        )

    x, y = arrays(request["train"])
    program.compile(
        reward=synalinks.rewards.ExactMatch(in_mask=["answer"]),
        optimizer=synalinks.optimizers.RandomFewShot(),
    )
    marks = []

    class Marks(synalinks.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            marks.append(time.perf_counter())

    start = time.perf_counter()
    await program.fit(
        x=x,
        y=y,
        validation_data=arrays(request["validation"]),
        epochs=request["epochs"],
        batch_size=request["batch_size"],
        minibatch_size=request["minibatch_size"],
        shuffle=False,
        callbacks=[Marks()],
        verbose=0,
    )
    total = time.perf_counter() - start
    epochs = [b - a for a, b in zip([start, *marks], marks, strict=False)]
    print(json.dumps({"fit": total, "epochs": epochs}))


if __name__ == "__main__":
    asyncio.run(main())
