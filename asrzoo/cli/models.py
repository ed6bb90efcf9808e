"""asrzoo train / evaluate / transcribe."""

from pathlib import Path

import click
from rich.table import Table

from asrzoo.cli.common import (
    dataset_options,
    json_option,
    print_json,
    registry,
    stdout,
)
from asrzoo.models.recipes import DECODE_BATCH_SIZE
from asrzoo.training.settings import default

lm_option = click.option(
    "--lm",
    type=click.Path(exists=True, file_okay=False),
    help="An n-gram LM folder (asrzoo lm build) [default: the LM tuned with the model, if any].",
)


backend_option = click.option(
    "--backend",
    type=click.Choice(["torch", "onnx", "onnx-int8"]),
    default="torch",
    show_default=True,
    help="onnx, onnx-int8: ONNX Runtime on the model's export (asrzoo export MODEL --onnx).",
)


def print_metrics(title: str, metrics: dict, lm_metrics: dict | None = None) -> None:
    """One row per decoding: greedy, and with the n-gram LM when there is one."""
    columns = ("WER", "CER", "subs", "dels", "ins", "words", "utterances")
    table = Table("decoding", *columns, title=title)
    for name, scores in (("greedy", metrics), ("n-gram LM", lm_metrics)):
        if scores:
            table.add_row(
                name,
                f"{scores['wer']:.4f}",
                f"{scores['cer']:.4f}",
                *(str(scores[k]) for k in ("substitutions", "deletions", "insertions")),
                str(scores["words"]),
                str(scores["utterances"]),
            )
    stdout.print(table)


@click.command()
@click.argument("language")
@dataset_options
@click.option(
    "--model",
    "model_spec",
    default="tiny",
    show_default=True,
    help="A preset name, a Hub id (facebook/wav2vec2-xls-r-300m) or a local folder.",
)
@click.option("--max-steps", type=click.IntRange(min=1), help="Stop after this many updates.")
@click.option(
    "--max-minutes",
    type=click.FloatRange(min=0, min_open=True),
    help="Stop after this much training time; the learning rate schedule fits it.",
)
@click.option(
    "--output-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where the model goes (default: $ASRZOO_HOME/models/<id>).",
)
@click.option("--resume", is_flag=True, help="Continue from the last checkpoint in --output-dir.")
@click.option(
    "--force",
    is_flag=True,
    help="Train again into an --output-dir asrzoo trained into before, replacing that model"
    " (only what asrzoo wrote there is deleted).",
)
@click.option("--seed", default=default("seed"), show_default=True)
@click.option("--batch-size", type=click.IntRange(min=1), help="Override the preset's.")
@click.option(
    "--max-batch-seconds",
    type=click.FloatRange(min=0, min_open=True),
    help="Batch by duration: at most this much padded audio per batch, instead of --batch-size.",
)
@click.option(
    "--gradient-accumulation-steps",
    type=click.IntRange(min=1),
    help="Batches per update; override the preset's.",
)
@click.option(
    "--gradient-checkpointing/--no-gradient-checkpointing",
    default=None,
    help="Recompute activations in the backward pass (less memory, ~30 % slower); override"
    " the preset's [default: on for pretrained checkpoints].",
)
@click.option("--learning-rate", type=float, help="Override the preset's.")
@click.option("--warmup-steps", type=click.IntRange(min=0), help="Override the preset's.")
@click.option(
    "--save-steps",
    default=default("save_steps"),
    show_default=True,
    help="Checkpoint every N steps.",
)
@click.option(
    "--logging-steps",
    default=default("logging_steps"),
    show_default=True,
    help="Log the loss every N steps.",
)
@click.option(
    "--eval-steps",
    type=click.IntRange(min=1),
    help="Also measure WER/CER on the validation split every N steps (the training curve).",
)
@click.option(
    "--report-to",
    type=click.Choice(["none", "tensorboard"]),
    default=default("report_to"),
    show_default=True,
    help="Also log to TensorBoard (OUTPUT_DIR/checkpoints/runs; needs the tensorboard package).",
)
@click.option(
    "--augment",
    default="",
    help="Perturb training audio on the fly: speed, noise, or speed,noise [default: none].",
)
@click.option(
    "--speed-factors",
    default=",".join(map(str, default("speed_factors"))),
    show_default=True,
    help="With --augment speed: the factors each clip is drawn from.",
)
@click.option(
    "--noise-snr-db",
    default=",".join(map(str, default("noise_snr_db"))),
    show_default=True,
    help="With --augment noise: MIN,MAX signal-to-noise ratio of the white noise.",
)
@json_option
def train(
    language,
    dataset,
    dataset_options,
    prepare_options,
    model_spec,
    max_steps,
    max_minutes,
    output_dir,
    resume,
    force,
    seed,
    batch_size,
    max_batch_seconds,
    gradient_accumulation_steps,
    gradient_checkpointing,
    learning_rate,
    warmup_steps,
    save_steps,
    logging_steps,
    eval_steps,
    report_to,
    augment,
    speed_factors,
    noise_snr_db,
    as_json,
):
    """Fine-tune a CTC model for LANGUAGE, evaluate it and add it to the zoo."""
    from asrzoo import paths
    from asrzoo.errors import UserError
    from asrzoo.training.settings import TrainSettings
    from asrzoo.workflows import new_model_id, train_model

    if resume and output_dir is None:
        raise UserError("--resume needs the --output-dir of the run to continue")
    overrides = {
        "batch_size": batch_size,
        "gradient_accumulation_steps": gradient_accumulation_steps,
        "gradient_checkpointing": gradient_checkpointing,
        "learning_rate": learning_rate,
        "warmup_steps": warmup_steps,
    }
    settings = TrainSettings(
        output_dir=output_dir or paths.models_dir() / new_model_id(language, model_spec),
        max_steps=max_steps,
        max_minutes=max_minutes,
        resume=resume,
        seed=seed,
        save_steps=save_steps,
        logging_steps=logging_steps,
        hyperparameters={k: v for k, v in overrides.items() if v is not None},
        max_batch_seconds=max_batch_seconds,
        report_to=report_to,
        eval_steps=eval_steps,
        augment=tuple(a.strip() for a in augment.split(",") if a.strip()),
        speed_factors=_numbers("--speed-factors", speed_factors),
        noise_snr_db=_numbers("--noise-snr-db", noise_snr_db),
    )
    record = train_model(
        registry(),
        language,
        dataset,
        model_spec,
        settings,
        dataset_options,
        prepare_options,
        force=force,
    )
    if record is None:  # another process of a distributed run: the main one reports
        return
    if as_json:
        print_json(record)
        return
    training = record["training"]
    stdout.print(
        f"trained [bold]{record['id']}[/]: {training['steps']} steps in"
        f" {training['seconds']:.0f} s, {training['audio_hours_seen']:.2f} audio hours seen,"
        f" final loss {training['final_loss']}"
    )
    if training["dropped_rows"]:
        stdout.print(f"{training['dropped_rows']} rows dropped: see `asrzoo data prepare`")
    if record["metrics"]["validation"]:
        print_metrics("validation", record["metrics"]["validation"])
    stdout.print(f"saved in {record['path']}")


@click.command()
@click.argument("model")
@dataset_options
@click.option("--split", default="test", show_default=True)
@click.option(
    "--batch-size", default=DECODE_BATCH_SIZE, show_default=True, type=click.IntRange(min=1)
)
@lm_option
@backend_option
@json_option
def evaluate(
    model,
    dataset,
    dataset_options,
    prepare_options,
    split,
    batch_size,
    lm,
    backend,
    as_json,
):
    """Score MODEL (a zoo id or folder) on a dataset split: WER, CER, predictions; greedy and
    with an n-gram LM side by side when there is one."""
    from asrzoo.workflows import evaluate_model

    result = evaluate_model(
        registry(),
        model,
        dataset,
        split,
        dataset_options,
        prepare_options,
        batch_size,
        lm,
        backend,
    )
    if as_json:
        print_json(result)
        return
    title = f"{result['model']} on {result['dataset']}/{split}"
    if backend != "torch":
        title += f" ({backend})"
    print_metrics(title, result["metrics"], result.get("lm_metrics"))
    stdout.print(f"predictions: {result['predictions_file']}")


@click.command()
@click.argument("model")
@click.argument("files", nargs=-1, required=True)
@click.option(
    "--batch-size", default=DECODE_BATCH_SIZE, show_default=True, type=click.IntRange(min=1)
)
@lm_option
@click.option(
    "--srt",
    "as_srt",
    is_flag=True,
    help="Subtitles: to stdout for one file; for several, FILE.srt beside each.",
)
@backend_option
@json_option
def transcribe(model, files, batch_size, lm, as_srt, backend, as_json):
    """Transcribe audio FILES of any length with MODEL (a zoo id, folder or pulled Hub id);
    unreadable files are reported. --json adds each word's start and end."""
    from asrzoo.decoding.long_audio import srt
    from asrzoo.workflows import transcribe_files

    results = transcribe_files(model, list(files), batch_size, lm, backend)
    if as_json:
        print_json(results)
        return
    if as_srt:
        for result in results:
            if "error" in result:
                click.echo(f"{result['file']}: skipped: {result['error']}", err=True)
            elif len(results) == 1:
                click.echo(srt(result["words"]), nl=False)
            else:
                target = Path(result["file"]).with_suffix(".srt")
                target.write_text(srt(result["words"]), encoding="utf-8")
                click.echo(f"{target}", err=True)
        return
    for result in results:
        if "error" in result:
            stdout.print(f"[bold]{result['file']}[/]: [red]skipped: {result['error']}[/]")
        else:
            stdout.print(f"[bold]{result['file']}[/]: {result['text']}")


@click.command()
@click.argument("model")
@click.option("--onnx", "as_onnx", is_flag=True, required=True, help="Export to ONNX.")
@click.option(
    "--quantize",
    type=click.Choice(["int8"]),
    help="Also write int8 weights (model_quantized.onnx) for --backend onnx-int8.",
)
@click.option(
    "-o", "--output-dir", type=click.Path(file_okay=False), help="[default: MODEL's folder/onnx]"
)
def export(model, as_onnx, quantize, output_dir):
    """Export MODEL (a zoo id or folder) for ONNX Runtime: a folder with model.onnx, the
    config, feature extractor and tokenizer, the layout optimum's ORTModelForCTC reads."""
    from asrzoo.workflows import export_onnx

    for file in export_onnx(model, output_dir, quantize):
        stdout.print(f"wrote {file}")


def _numbers(option: str, text: str) -> tuple[float, ...]:
    try:
        return tuple(float(x) for x in text.split(",") if x.strip())
    except ValueError:
        raise click.BadParameter(f"{option} wants numbers separated by commas: {text!r}") from None


def _what_trains(preset, family) -> str:
    if family.trains:
        return family.trains
    return "all but CNN" if preset.base else "all"


@click.command()
@json_option
def presets(as_json):
    """List the model presets --model accepts: family, checkpoint, training recipe."""
    from asrzoo.models.recipes import resolve_hyperparameters

    reg = registry()
    rows = []
    for preset in reg.model_presets.values():
        family = reg.family(preset.family)
        recipe = family.hyperparameters if preset.base else {}
        rows.append(
            {
                "name": preset.name,
                "family": preset.family,
                "base": preset.base or None,
                "trains": _what_trains(preset, family),
                "description": preset.description,
                "hyperparameters": resolve_hyperparameters(recipe, preset.hyperparameters),
            }
        )
    if as_json:
        print_json(rows)
        return
    table = Table("preset", "family", "starts from", "trains", "LR", "batch")
    for row in rows:
        hp = row["hyperparameters"]
        batch = f"{hp['batch_size']}×{hp['gradient_accumulation_steps']}"
        if hp["gradient_checkpointing"]:
            batch += " ckpt"
        table.add_row(
            row["name"],
            row["family"],
            row["base"] or "random init",
            row["trains"],
            f"{hp['learning_rate']:g}",
            batch,
        )
    stdout.print(table)
    stdout.print(
        "batch: rows × accumulated batches, ckpt: gradient checkpointing. Any other Hub id or"
        " folder trains with its family's recipe (docs/training.md)."
    )


def add_commands(cli):
    for command in (train, evaluate, transcribe, export, presets):
        cli.add_command(command)
