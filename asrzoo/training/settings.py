"""What a training run is told: its folder, budgets and schedule of checkpoints and logs. Apart
from the loop, so that the command line takes its defaults from here without importing torch."""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path

from asrzoo.errors import UserError


@dataclass
class TrainSettings:
    output_dir: Path
    max_steps: int | None = None
    max_minutes: float | None = None
    resume: bool = False
    seed: int = 42
    save_steps: int = 500
    logging_steps: int = 25
    hyperparameters: dict | None = None  # overrides of the preset's
    # padded audio per batch (per process), instead of hyperparameters["batch_size"] rows
    max_batch_seconds: float | None = None
    report_to: str = "none"  # or "tensorboard"
    eval_steps: int | None = None  # WER/CER on the validation split every N steps

    def __post_init__(self):
        if not self.max_steps and not self.max_minutes:
            raise UserError("give --max-steps or --max-minutes (or both)")
        if self.report_to == "tensorboard" and importlib.util.find_spec("tensorboard") is None:
            raise UserError("--report-to tensorboard needs tensorboard: pip install tensorboard")


def default(name: str):
    """A TrainSettings field's default, for the command line's options."""
    return TrainSettings.__dataclass_fields__[name].default
