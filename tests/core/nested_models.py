"""Data models holding data models, with defaults: ``Report`` holds ``Source``s.

They mirror the ``Source`` and ``Report`` classes of
tests/core/synalinks_reference_script.py, written as a Synalinks user writes them.
"""

from __future__ import annotations

from core.model.data_models import DataModelSpec, FieldSpec

SOURCE = DataModelSpec(
    name="Source",
    description="A cited source.",
    fields=(
        FieldSpec(name="url", description="Where it is"),
        FieldSpec(name="score", type="float", default=0.5, description="How much it is trusted"),
        FieldSpec(name="tags", is_list=True, default=("web",)),
    ),
)

REPORT = DataModelSpec(
    name="Report",
    description="A report citing sources: nested data models, lists of them, defaults.",
    fields=(
        FieldSpec(name="title", default="Untitled", description="The title"),
        FieldSpec(name="main", type="model", data_model="Source", description="The main source"),
        FieldSpec(
            name="sources",
            type="model",
            data_model="Source",
            is_list=True,
            default=(),
            description="Every source",
        ),
        FieldSpec(name="backup", type="model", data_model="Source", required=False),
        FieldSpec(name="count", type="int", default=3),
        FieldSpec(name="mood", type="enum", choices=("calm", "busy"), default="calm"),
        FieldSpec(name="flag", type="bool", required=False, default=True),
    ),
)

MODELS = {SOURCE.name: SOURCE, REPORT.name: REPORT}
