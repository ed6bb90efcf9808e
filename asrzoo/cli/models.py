"""asrzoo train / evaluate / transcribe."""

from pathlib import Path

import click
from rich.table import Table

from asrzoo.cli.common import (
    dataset_options,
    json_option,
    print_dropped,
    print_json,
    registry,
    stdout,
)
from asrzoo.cli.training_options import training_options, training_settings
from asrzoo.errors import UserError
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
@training_options
@click.option(
    "--eval-steps",
    type=click.IntRange(min=1),
    help="Also measure WER/CER on the validation split every N steps (the training curve).",
)
@click.option(
    "--augment",
    default="",
    help="Perturb training audio on the fly: speed, reverb, noise, or several (speed,noise) "
    "[default: none].",
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
@click.option(
    "--reverb-rt60",
    default=",".join(map(str, default("reverb_rt60"))),
    show_default=True,
    help="With --augment reverb: MIN,MAX reverberation time of the simulated rooms, in seconds.",
)
@json_option
def train(
    language, dataset, dataset_options, prepare_options, model_spec, force, eval_steps,
    augment, speed_factors, noise_snr_db, reverb_rt60, as_json, **options,
):  # fmt: skip
    """Fine-tune a CTC model for LANGUAGE, evaluate it and add it to the zoo."""
    from asrzoo import paths
    from asrzoo.workflows import new_model_id, train_model

    settings = training_settings(
        options,
        paths.models_dir() / new_model_id(language, model_spec),
        eval_steps=eval_steps,
        augment=tuple(a.strip() for a in augment.split(",") if a.strip()),
        speed_factors=_numbers("--speed-factors", speed_factors),
        noise_snr_db=_numbers("--noise-snr-db", noise_snr_db),
        reverb_rt60=_numbers("--reverb-rt60", reverb_rt60),
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
    print_dropped(training)
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


def srt_targets(files: tuple[str, ...]) -> dict[str, Path]:
    """FILE.srt beside each file, checked before any work: never over a file that is there
    already (it may be the user's), nor one file's subtitles over another's."""
    targets = {name: Path(name).with_suffix(".srt") for name in files}
    seen: dict[Path, str] = {}
    for name, target in targets.items():
        if target.exists():
            raise UserError(f"{target} exists: not overwriting it (move it, or transcribe {name}"
                            " alone: --srt with one file prints to stdout)")  # fmt: skip
        if target in seen:
            raise UserError(f"{seen[target]} and {name} would both write {target}")
        seen[target] = name
    return targets


@click.command()
@click.argument("inputs", nargs=-1, required=True, metavar="[MODEL] FILE...")
@click.option(
    "--language",
    help="auto: identify each file's language (--lid), then use the zoo's best model for it;"
    " a code (tr): the zoo's best model for that language. FILE... are then all files.",
)
@click.option("--model", "model_option", help="The model to use (wins over --language's choice).")
@click.option(
    "--lid",
    "lid_model",
    help="With --language auto: the language identifier [default: the zoo's most accurate].",
)
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
def transcribe(inputs, language, model_option, lid_model, batch_size, lm, as_srt, backend, as_json):
    """Transcribe audio FILES of any length with MODEL (a zoo id, folder or pulled Hub id), or
    with --language, with the zoo's best model for each file's language; unreadable files are
    reported. --json adds each word's start and end."""
    from asrzoo.decoding.long_audio import srt
    from asrzoo.workflows import transcribe_files

    if lid_model and language != "auto":
        raise click.UsageError("--lid picks the language identifier of --language auto")
    if language and lm:
        raise click.UsageError("--lm is one language's: give MODEL instead of --language")
    files = inputs if language or model_option else inputs[1:]
    targets = srt_targets(files) if as_srt and len(files) > 1 else {}
    if language:
        from asrzoo.workflows.lid import transcribe_auto

        results = transcribe_auto(
            list(inputs), lid_model, language, model_option, batch_size, backend
        )
    else:
        model = model_option or inputs[0]
        if not files:
            raise click.UsageError("give MODEL and FILE..., or --language auto FILE...")
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
                target = targets[result["file"]]
                target.write_text(srt(result["words"]), encoding="utf-8")
                click.echo(f"{target}", err=True)
        return
    for result in results:
        if "error" in result:
            stdout.print(f"[bold]{result['file']}[/]: [red]skipped: {result['error']}[/]")
            continue
        used = f" [dim]({result['language']}, {result['model']})[/]" if language else ""
        stdout.print(f"[bold]{result['file']}[/]{used}: {result['text']}")


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
