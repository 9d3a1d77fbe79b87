"""Training a program with Synalinks' own ``compile`` and ``fit``.

The program is built afresh from the exported script for each training (a
cached program would carry what one training taught into every later run),
modules on the offline model answer through the loopback endpoint, and
``program.fit`` runs with a callback that streams Synalinks' logs: one
``train_batch`` message per batch (its reward), one ``train_epoch`` per
epoch (reward, val_reward) carrying the program's trainable state tree, so
the client keeps a checkpoint per epoch even if the training is cancelled or
the worker dies later. Early stopping and budget stopping are Synalinks' own
callbacks. Part of the synalinks runtime worker (standard library and
synalinks only).
"""

from __future__ import annotations

import inspect
import re
import sys
import time
import types

from channel import send
from knowledge import (
    in_folder,
    knowledge_bases_of,
    pin_paths,
    release,
    reopen,
    route_offline_embeddings,
)
from observe import _OWNER, _RUN, RunState
from rewards import Rewards
from user_code import use_project_paths

OPTIMIZERS = {
    "random_few_shot": "RandomFewShot",
    "greedy": "GreedyOptimizer",
    "greedy_optimizer": "GreedyOptimizer",
    "evolutionary": "EvolutionaryOptimizer",
    "evolutionary_optimizer": "EvolutionaryOptimizer",
    "omega": "OMEGA",
}
"""The optimizers of synalinks 0.10, by the names the command line takes."""


def snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()


def optimizer_class(synalinks, name: str):
    key = snake(name.strip())
    class_name = OPTIMIZERS.get(key) or OPTIMIZERS.get(key.replace("-", "_"))
    cls = getattr(synalinks.optimizers, class_name or name, None)
    if not isinstance(cls, type):
        known = ", ".join(sorted({v for v in OPTIMIZERS.values()}))
        raise ValueError(f"synalinks has no optimizer {name!r}; its optimizers are {known}")
    return cls


async def build_fresh(worker, message: dict):
    """The exported program built anew (not cached), offline models routed."""
    use_project_paths(message.get("paths") or [])
    namespace = types.ModuleType(f"canvas_train_{message['id']}")
    namespace.__file__ = f"<canvas program train {message['id']}>"
    sys.modules[namespace.__name__] = namespace
    exec(compile(message["source"], namespace.__file__, "exec"), namespace.__dict__)
    models = message.get("models") or {}
    with in_folder(message.get("folder")):
        program = await namespace.build_program(worker.language_model(models.get("override")))
        modules = program._flatten_modules(include_self=False)
        program._canvas_knowledge = knowledge_bases_of(modules)
        pin_paths(program._canvas_knowledge)
    worker.route_offline(program, models.get("offline"), set(message.get("nodes") or ()))
    route_offline_embeddings(worker.synalinks, modules, models.get("offline"))
    program._canvas_module = namespace.__name__
    return program


def scored_program(synalinks, program, index: int):
    """The program reduced to the output that is trained on (rewards compare one output)."""
    outputs = program.outputs if isinstance(program.outputs, list) else [program.outputs]
    if not 0 <= index < len(outputs):
        raise ValueError(f"the program has {len(outputs)} outputs; output {index} does not exist")
    if len(outputs) == 1:
        return program, outputs[0]
    return (
        synalinks.Program(inputs=program.inputs, outputs=outputs[index], name=program.name),
        outputs[index],
    )


def arrays(synalinks, program, scored, rows: dict):
    """``(x, y)`` as Synalinks takes them: arrays of JSON data models."""
    import numpy as np

    inputs = program.inputs if isinstance(program.inputs, list) else [program.inputs]
    in_schema = inputs[0].get_schema()
    out_schema = scored.get_schema()
    x = np.array(
        [synalinks.JsonDataModel(schema=in_schema, json=v) for v in rows["inputs"]],
        dtype="object",
    )
    y = np.array(
        [synalinks.JsonDataModel(schema=out_schema, json=v) for v in rows["expected"]],
        dtype="object",
    )
    return x, y


def reward_of(synalinks, scorer: Rewards, specs: list, models: dict):
    rewards = scorer.build(specs, models)
    if len(rewards) == 1:
        return rewards[0]
    return synalinks.rewards.ComposableReward(
        rewards=rewards, weights=[float(s.get("weight", 1.0)) for s in specs]
    )


def make_optimizer(synalinks, scorer: Rewards, spec: dict, models: dict):
    cls = optimizer_class(synalinks, spec.get("name") or "")
    config = dict(spec.get("config") or {})
    params = inspect.signature(cls.__init__).parameters
    unknown = sorted(k for k in config if k not in params)
    if unknown:
        allowed = ", ".join(k for k in params if k not in ("self", "kwargs", "name", "description"))
        raise ValueError(
            f"{cls.__name__} takes no {', '.join(unknown)}; its settings are {allowed}"
        )
    offline = models.get("offline")
    for key, kind in (("language_model", "judge"), ("embedding_model", "embedding")):
        if key not in params:
            continue
        value = config.get(key)
        settings = {"model": value} if isinstance(value, str) else models.get(kind)
        model = scorer._model(kind, settings, offline)
        if model is not None:
            config[key] = model
        else:
            config.pop(key, None)
    return cls(**config)


class NoAnswer(Exception):
    """The program's language model answered none of a batch's rows."""


def watch_answers(program, run: RunState) -> None:
    """Stop the training when the model answers none of a batch's rows: Synalinks
    then scores each row 0 and goes on, spending calls to learn nothing. The
    warning Synalinks gave for the failure (the provider's message) says why."""
    original = program.predict_on_batch

    async def predict_on_batch(x, training=False):
        y_pred = await original(x, training=training)
        if len(y_pred) and all(p is None for p in y_pred):
            why = run.warnings.get("training") or "Synalinks gave no reason"
            raise NoAnswer(
                f"the language model answered none of the {len(y_pred)} rows of a batch "
                f"(last warning: {why})"
            )
        return y_pred

    object.__setattr__(program, "predict_on_batch", predict_on_batch)


def spending(synalinks, program) -> tuple[int, float]:
    """Tokens and dollars every model reachable from the program has used so far."""
    from synalinks.src.metrics.em_metrics import _collect_embedding_models
    from synalinks.src.metrics.lm_metrics import _collect_language_models

    models = _collect_language_models(program) + _collect_embedding_models(program)
    tokens = sum(int(getattr(m, "cumulated_tokens", 0) or 0) for m in models)
    cost = sum(float(getattr(m, "cumulated_cost", 0.0) or 0.0) for m in models)
    return tokens, cost


def plain(logs) -> dict:
    out = {}
    for key, value in (logs or {}).items():
        try:
            out[key] = float(value)
        except (TypeError, ValueError):
            continue
    return out


def make_streamer(synalinks, request_id: str, program, start: float, totals: dict):
    """A Synalinks callback sending each batch's and epoch's logs, and each
    epoch's trainable state, as protocol messages."""
    base_tokens, base_cost = spending(synalinks, program)

    class Streamer(synalinks.callbacks.Callback):
        def _spent(self):
            tokens, cost = spending(synalinks, program)
            return tokens - base_tokens, cost - base_cost

        def on_epoch_begin(self, epoch, logs=None):
            totals["epoch"] = epoch

        def on_train_batch_end(self, batch, logs=None):
            tokens, cost = self._spent()
            send(
                {
                    "type": "train_batch",
                    "id": request_id,
                    "epoch": totals.get("epoch", 0),
                    "batch": batch,
                    "logs": plain(logs),
                    "tokens": tokens,
                    "cost": cost,
                    "t": time.perf_counter() - start,
                }
            )

        def on_epoch_end(self, epoch, logs=None):
            tokens, cost = self._spent()
            state = program.get_state_tree()
            totals["epochs"] = epoch + 1
            send(
                {
                    "type": "train_epoch",
                    "id": request_id,
                    "epoch": epoch,
                    "logs": plain(logs),
                    "state": {"trainable_variables": state.get("trainable_variables", {})},
                    "tokens": tokens,
                    "cost": cost,
                    "t": time.perf_counter() - start,
                }
            )

    return Streamer()


async def train_program(worker, message: dict) -> None:
    """Compile and fit the program; reply ``train_result`` (or error/cancelled)."""
    synalinks = worker.synalinks
    start = time.perf_counter()
    if worker.scorer is None:
        worker.scorer = Rewards(synalinks)
    scorer = worker.scorer
    models = message.get("models") or {}
    program = await build_fresh(worker, message)
    run = RunState(message["id"], set(message.get("nodes") or ()))
    _RUN.set(run)  # this task's warnings are kept (the provider's message when it fails)
    _OWNER.set("training")
    worker.runs[message["id"]] = run
    try:
        trained, scored = scored_program(synalinks, program, int(message.get("output_index", 0)))
        x, y = arrays(synalinks, program, scored, message["train"])
        validation = message.get("validation")
        validation_data = arrays(synalinks, program, scored, validation) if validation else None
        reward = reward_of(synalinks, scorer, message["rewards"], models)
        optimizer = make_optimizer(synalinks, scorer, message["optimizer"], models)
        trained.compile(reward=reward, optimizer=optimizer)
        watch_answers(trained, run)
        totals: dict = {}
        callbacks = [make_streamer(synalinks, message["id"], trained, start, totals)]
        stops = []
        early = message.get("early_stopping")
        if early:
            stops.append(synalinks.callbacks.EarlyStopping(**early))
        budget = message.get("budget")
        if budget:
            stops.append(synalinks.callbacks.BudgetStopping(**budget))
        callbacks += stops
        reopen(program._canvas_knowledge)
        await trained.fit(
            x=x,
            y=y,
            validation_split=0.0
            if validation_data
            else float(message.get("validation_split", 0.2)),
            validation_data=validation_data,
            epochs=int(message.get("epochs", 1)),
            batch_size=int(message.get("batch_size", 1)),
            minibatch_size=message.get("minibatch_size", 4),
            shuffle=bool(message.get("shuffle", False)),
            callbacks=callbacks,
            verbose=0,
        )
        reason = None
        for stop in stops:
            reason = reason or getattr(stop, "stop_reason", None)
            stopped = getattr(stop, "stopped_epoch", 0)
            if reason is None and stopped:
                reason = f"early stopping: {stop.monitor} stopped improving at epoch {stopped + 1}"
        send(
            {
                "type": "train_result",
                "id": message["id"],
                "epochs": totals.get("epochs", 0),
                "stopped": reason,
                "t": time.perf_counter() - start,
            }
        )
    finally:
        release(program._canvas_knowledge)
        sys.modules.pop(program._canvas_module, None)
