"""The options every training command takes (train, pretrain, lid train): budgets, the output
folder, resumption, batches and the optimizer's overrides, logging."""

from pathlib import Path

import click

from asrzoo.errors import UserError
from asrzoo.training.settings import TrainSettings, default

OPTIONS = [
    click.option("--max-steps", type=click.IntRange(min=1), help="Stop after this many updates."),
    click.option(
        "--max-minutes",
        type=click.FloatRange(min=0, min_open=True),
        help="Stop after this much training time; the learning rate schedule fits it.",
    ),
    click.option(
        "--output-dir",
        type=click.Path(file_okay=False, path_type=Path),
        help="Where the model goes (default: $ASRZOO_HOME/models/<id>).",
    ),
    click.option(
        "--resume", is_flag=True, help="Continue from the last checkpoint in --output-dir."
    ),
    click.option(
        "--force",
        is_flag=True,
        help="Train again into an --output-dir asrzoo trained into before, replacing that model"
        " (only what asrzoo wrote there is deleted).",
    ),
    click.option("--seed", default=default("seed"), show_default=True),
    click.option("--batch-size", type=click.IntRange(min=1), help="Override the preset's."),
    click.option(
        "--max-batch-seconds",
        type=click.FloatRange(min=0, min_open=True),
        help="Batch by duration: at most this much padded audio per batch, instead of"
        " --batch-size.",
    ),
    click.option(
        "--gradient-accumulation-steps",
        type=click.IntRange(min=1),
        help="Batches per update; override the preset's.",
    ),
    click.option(
        "--gradient-checkpointing/--no-gradient-checkpointing",
        default=None,
        help="Recompute activations in the backward pass (less memory, ~30 % slower); override"
        " the preset's [default: on for pretrained checkpoints].",
    ),
    click.option(
        "--learning-rate",
        type=click.FloatRange(min=0, min_open=True, max=1),  # and not NaN: it compares false
        help="Override the preset's.",
    ),
    click.option("--warmup-steps", type=click.IntRange(min=0), help="Override the preset's."),
    click.option(
        "--save-steps",
        default=default("save_steps"),
        type=click.IntRange(min=1),
        show_default=True,
        help="Checkpoint every N steps.",
    ),
    click.option(
        "--logging-steps",
        default=default("logging_steps"),
        type=click.IntRange(min=1),
        show_default=True,
        help="Log the loss every N steps.",
    ),
    click.option(
        "--report-to",
        type=click.Choice(["none", "tensorboard"]),
        default=default("report_to"),
        show_default=True,
        help="Also log to TensorBoard (OUTPUT_DIR/checkpoints/runs; needs the tensorboard"
        " package).",
    ),
]
languages_option = click.option(
    "--languages", required=True, help="Comma-separated language codes: tr, or tr,de,es."
)
OVERRIDES = (
    "batch_size", "gradient_accumulation_steps", "gradient_checkpointing", "learning_rate",
    "warmup_steps",
)  # fmt: skip


def training_options(command):
    """Adds OPTIONS to a click command."""
    for option in reversed(OPTIONS):
        command = option(command)
    return command


def training_settings(options: dict, default_output: Path, **more) -> TrainSettings:
    """TrainSettings from the parsed OPTIONS (taken out of ``options``) and ``more``."""
    if options["resume"] and options["output_dir"] is None:
        raise UserError("--resume needs the --output-dir of the run to continue")
    overrides = {k: options.pop(k) for k in OVERRIDES}
    return TrainSettings(
        output_dir=options.pop("output_dir") or default_output,
        max_steps=options.pop("max_steps"),
        max_minutes=options.pop("max_minutes"),
        resume=options.pop("resume"),
        seed=options.pop("seed"),
        save_steps=options.pop("save_steps"),
        logging_steps=options.pop("logging_steps"),
        hyperparameters={k: v for k, v in overrides.items() if v is not None},
        max_batch_seconds=options.pop("max_batch_seconds"),
        report_to=options.pop("report_to"),
        **more,
    )
