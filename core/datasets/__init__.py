"""Datasets: CSV, JSON, JSONL and Parquet files read one row at a time.

Public API
==========

::

    from core.datasets import open_dataset, graph_targets, auto_mapping, RowMapper

    data = open_dataset("questions.csv")            # DatasetError: one sentence per file
    data.columns, data.count()                       # header / schema; rows (cheap; None for .json)
    targets = graph_targets(graph, registry, output=None)   # Inputs + the scored Output's schema
    mapping = auto_mapping(data.columns, targets.inputs, targets.expected_schema,
                           overrides={"query": "question", "expected.answer": "gold"})
    mapper = RowMapper(mapping, targets.inputs, targets.expected_schema)
    for item in mapper.examples(data.rows()):       # lazily, file order
        if isinstance(item, RowProblem): print(item.describe())   # "row 7 (line 8): ..."
        else: item.inputs, item.expected                           # Example

- Columns map to fields of the same name; expected-output fields also take
  ``expected_<field>``, ``<field>_expected`` and ``expected.<field>``.
  ``mapping.unused`` lists the columns that feed nothing.
- A row that does not fit (ragged CSV, a line that is not UTF-8, a JSON value
  that is not an object, an empty required field, a value of the wrong type)
  is a :class:`RowProblem` with the reason; the other rows are unaffected.
- A file that cannot be used at all (missing, UTF-16, JSON that is not a
  list of objects, no column for a required input...) raises :class:`DatasetError`.
- A graph remembers its datasets as :class:`~core.model.dataset_refs.DatasetRef`
  (path relative to the graph when beside it, mapping overrides, scored output).
"""

from core.datasets.errors import DatasetError, RowProblem
from core.datasets.mapping import (
    ColumnMapping,
    DatasetReport,
    Example,
    InputTarget,
    RowMapper,
    auto_mapping,
    check_dataset,
)
from core.datasets.readers import DatasetFile, RawRow, open_dataset
from core.datasets.targets import GraphTargets, graph_targets

__all__ = [
    "ColumnMapping",
    "DatasetError",
    "DatasetFile",
    "DatasetReport",
    "Example",
    "GraphTargets",
    "InputTarget",
    "RawRow",
    "RowMapper",
    "RowProblem",
    "auto_mapping",
    "check_dataset",
    "graph_targets",
    "open_dataset",
]
