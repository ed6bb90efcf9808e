"""What a training run is told: its folder, budgets and schedule of checkpoints and logs. Apart
from the loop, so that the command line takes its defaults from here without importing torch."""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path

from asrzoo.errors import UserError

# what asrzoo.training.augment perturbs training audio with, in the order it applies them
AUGMENT_KINDS = ("speed", "reverb", "noise")


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
    augment: tuple[str, ...] = ()  # of AUGMENT_KINDS
    speed_factors: tuple[float, ...] = (0.9, 1.0, 1.1)
    noise_snr_db: tuple[float, float] = (10.0, 30.0)
    reverb_rt60: tuple[float, float] = (0.2, 0.8)

    def __post_init__(self):
        if not self.max_steps and not self.max_minutes:
            raise UserError("give --max-steps or --max-minutes (or both)")
        unknown = sorted(set(self.augment) - set(AUGMENT_KINDS))
        if unknown:
            kinds = f"{', '.join(AUGMENT_KINDS[:-1])} and {AUGMENT_KINDS[-1]}"
            raise UserError(f"--augment takes {kinds}, not {', '.join(unknown)}")
        ranges = {"--noise-snr-db": self.noise_snr_db, "--reverb-rt60": self.reverb_rt60}
        for option, low_high in ranges.items():
            if len(low_high) != 2 or low_high[0] > low_high[1]:
                raise UserError(f"{option} wants MIN,MAX, got {low_high}")
        if min(self.reverb_rt60) <= 0:
            raise UserError(f"--reverb-rt60 must be positive seconds, got {self.reverb_rt60}")
        if not self.speed_factors or min(self.speed_factors) <= 0:
            raise UserError(f"--speed-factors must be positive, got {self.speed_factors}")
        if self.report_to == "tensorboard" and importlib.util.find_spec("tensorboard") is None:
            raise UserError("--report-to tensorboard needs tensorboard: pip install tensorboard")


def default(name: str):
    """A TrainSettings field's default, for the command line's options."""
    return TrainSettings.__dataclass_fields__[name].default
