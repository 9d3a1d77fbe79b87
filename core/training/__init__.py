"""Training graphs with Synalinks' optimizers, in the runtime worker.

```python
from core.training import TrainOptions, make_train_plan, Trainer, diff_states, node_variables
plan = make_train_plan(graph, registry, "data.csv", TrainOptions(optimizer="random_few_shot", epochs=2))
plan.estimate.describe()          # model calls, tokens, cost foreseen: show it before starting
outcome = await Trainer(registry, TrainingStore(path), pool, offline).run(plan, progress)
store.checkpoints(outcome.training_id); store.checkpoint(outcome.training_id, "best")
AdoptCheckpoint(checkpoint.state)   # core.commands.training_commands: one undoable edit
```
"""

from core.training.checkpoints import ModuleDiff, diff_states, graph_state, node_variables
from core.training.estimate import Estimate, estimate_training
from core.training.plan import OPTIMIZER_NAMES, TrainError, TrainOptions, TrainPlan, make_train_plan
from core.training.trainer import Trainer, TrainOutcome, TrainProgress

__all__ = [
    "OPTIMIZER_NAMES",
    "Estimate",
    "ModuleDiff",
    "TrainError",
    "TrainOptions",
    "TrainOutcome",
    "TrainPlan",
    "TrainProgress",
    "Trainer",
    "diff_states",
    "estimate_training",
    "graph_state",
    "make_train_plan",
    "node_variables",
]
