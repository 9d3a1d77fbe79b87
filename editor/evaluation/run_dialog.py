"""The Run Evaluation dialog: rewards with weights, concurrency, limit, budgets, backend.

What it returns (:class:`EvalSettings`) is plain data: the controller turns
it into :class:`~core.evaluation.EvalOptions` and a plan, and Resume reuses
it as it was, so the same settings find the same stored evaluation.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.evaluation import DEFAULT_CONCURRENCY, NATIVE, RewardSpec
from core.evaluation.plan import MAX_CONCURRENCY
from core.evaluation.rewards import RUNTIME
from editor.run.backend_selector import BUILTIN, SYNALINKS

REWARD_NAMES = (*NATIVE, *RUNTIME)


@dataclass(frozen=True)
class EvalSettings:
    rewards: tuple[RewardSpec, ...] = (RewardSpec("exact_match"),)
    concurrency: int = DEFAULT_CONCURRENCY
    limit: int | None = None
    budget_tokens: int | None = None
    budget_cost: float | None = None
    backend: str = BUILTIN
    fresh: bool = False
    scoring: dict = field(default_factory=dict)


class EvalDialog(QDialog):
    def __init__(self, settings: EvalSettings, rows_text: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Run Evaluation")
        self.setObjectName("evalDialog")
        self.rewards = QTableWidget(len(REWARD_NAMES), 2, self)
        self.rewards.setObjectName("evalRewards")
        self.rewards.setHorizontalHeaderLabels(["Reward", "Weight"])
        self.rewards.verticalHeader().hide()
        self.rewards.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        chosen = {r.name: r for r in settings.rewards}
        self.weights: dict[str, QDoubleSpinBox] = {}
        for row, name in enumerate(REWARD_NAMES):
            item = QTableWidgetItem(name if name in NATIVE else f"{name} (Synalinks)")
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if name in chosen else Qt.CheckState.Unchecked)
            item.setData(Qt.ItemDataRole.UserRole, name)
            item.setToolTip(
                "Computed here, with Synalinks' semantics"
                if name in NATIVE
                else "Computed by Synalinks in the worker (needs a Synalinks environment; "
                "judges use the graph's default model)"
            )
            self.rewards.setItem(row, 0, item)
            weight = QDoubleSpinBox(self.rewards)
            weight.setRange(0.01, 1000.0)
            weight.setDecimals(2)
            weight.setValue(chosen[name].weight if name in chosen else 1.0)
            self.rewards.setCellWidget(row, 1, weight)
            self.weights[name] = weight
        self.rewards.setMinimumHeight(140)
        self._configs = {r.name: r.config for r in settings.rewards}

        self.concurrency = QSpinBox(self)
        self.concurrency.setRange(1, MAX_CONCURRENCY)
        self.concurrency.setValue(settings.concurrency)
        self.concurrency.setToolTip("Rows running at once")
        self.limit = QSpinBox(self)
        self.limit.setRange(0, 100_000_000)
        self.limit.setSpecialValueText("all rows")
        self.limit.setValue(settings.limit or 0)
        self.budget_tokens = QSpinBox(self)
        self.budget_tokens.setRange(0, 2_000_000_000)
        self.budget_tokens.setSingleStep(10_000)
        self.budget_tokens.setSpecialValueText("no limit")
        self.budget_tokens.setValue(settings.budget_tokens or 0)
        self.budget_cost = QDoubleSpinBox(self)
        self.budget_cost.setRange(0.0, 1_000_000.0)
        self.budget_cost.setDecimals(2)
        self.budget_cost.setPrefix("$")
        self.budget_cost.setSpecialValueText("no limit")
        self.budget_cost.setValue(settings.budget_cost or 0.0)
        self.backend = QComboBox(self)
        self.backend.addItem("Built-in engine", BUILTIN)
        self.backend.addItem("Synalinks (worker)", SYNALINKS)
        self.backend.setCurrentIndex(max(0, self.backend.findData(settings.backend)))
        self.fresh = QCheckBox("Start over (forget this evaluation's stored rows)", self)
        self.fresh.setChecked(settings.fresh)
        self.error = QLabel(self)
        self.error.setStyleSheet("color: #c0392b")
        self.error.setWordWrap(True)
        self.error.hide()

        form = QFormLayout()
        form.addRow("Dataset", QLabel(rows_text, self))
        form.addRow("Concurrency", self.concurrency)
        form.addRow("Rows", self.limit)
        form.addRow("Token budget", self.budget_tokens)
        form.addRow("Cost budget", self.budget_cost)
        form.addRow("Backend", self.backend)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Evaluate")
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Rewards (several combine as their weighted mean)", self))
        layout.addWidget(self.rewards, 1)
        layout.addLayout(form)
        layout.addWidget(self.fresh)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(460, 560)

    def set_reward(self, name: str, on: bool, weight: float = 1.0) -> None:
        row = REWARD_NAMES.index(name)
        self.rewards.item(row, 0).setCheckState(
            Qt.CheckState.Checked if on else Qt.CheckState.Unchecked
        )
        self.weights[name].setValue(weight)

    def settings(self) -> EvalSettings:
        rewards = []
        for row, name in enumerate(REWARD_NAMES):
            if self.rewards.item(row, 0).checkState() == Qt.CheckState.Checked:
                rewards.append(
                    RewardSpec(name, self.weights[name].value(), dict(self._configs.get(name, {})))
                )
        return EvalSettings(
            rewards=tuple(rewards),
            concurrency=self.concurrency.value(),
            limit=self.limit.value() or None,
            budget_tokens=self.budget_tokens.value() or None,
            budget_cost=self.budget_cost.value() or None,
            backend=str(self.backend.currentData()),
            fresh=self.fresh.isChecked(),
        )

    def _accept(self) -> None:
        if not self.settings().rewards:
            self.error.setText(
                "Choose at least one reward (exact_match compares with the dataset)."
            )
            self.error.show()
            return
        self.accept()
