"""asrzoo lid train / evaluate / identify: language identification."""

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
from asrzoo.cli.training_options import languages_option, training_options, training_settings


@click.group()
def lid():
    """Identify the language spoken in a file (a classifier over the languages it was trained
    on)."""


@lid.command("train")
@languages_option
@dataset_options
@click.option(
    "--model",
    "model_spec",
    default="tiny-lid",
    show_default=True,
    help="tiny-lid (the tiny preset's encoder, random init), another preset, a Hub id"
    " (facebook/mms-lid-126: its head is replaced by one for --languages) or a folder.",
)
@training_options
@json_option
def train(languages, dataset, dataset_options, prepare_options, model_spec, force, as_json,
          **options):  # fmt: skip
    """Train a language identifier on the speech of LANGUAGES in a dataset, score it on the
    validation split and add it to the zoo."""
    from asrzoo import paths
    from asrzoo.workflows import new_model_id
    from asrzoo.workflows.lid import language_codes, train_lid

    codes = language_codes(languages, minimum=2)  # one language leaves nothing to tell
    settings = training_settings(options, paths.models_dir() / new_model_id("lid", model_spec))
    record = train_lid(registry(), codes, dataset, model_spec, settings, dataset_options,
                       prepare_options, force)  # fmt: skip
    if record is None:
        return
    if as_json:
        print_json(record)
        return
    training = record["training"]
    stdout.print(
        f"trained [bold]{record['id']}[/] ({len(codes)} languages): {training['steps']} steps in"
        f" {training['seconds']:.0f} s, {training['audio_hours_seen']:.2f} audio hours seen"
    )
    print_dropped(training)
    if "validation" in record["metrics"]:
        validation = record["metrics"]["validation"]
        print_accuracy("validation", validation)
        if validation["accuracy"] < 1.5 / len(codes):  # about what naming one language gets
            stdout.print(
                "[yellow]note:[/] that is about chance: a classifier from random initialisation"
                " needs far longer; start from a trained encoder, e.g. --model ZOO_ID of a"
                " speech recognizer (docs/lid.md)"
            )
    stdout.print(f"saved in {record['path']}")


def print_accuracy(title: str, scores: dict) -> None:
    table = Table("language", "accuracy", title=f"{title}: accuracy {scores['accuracy']:.4f}"
                  f" on {scores['clips']} clips")  # fmt: skip
    for code, accuracy in scores["per_language"].items():
        table.add_row(code, f"{accuracy:.4f}")
    stdout.print(table)


@lid.command()
@click.argument("model")
@dataset_options
@click.option("--split", default="test", show_default=True)
@json_option
def evaluate(model, dataset, dataset_options, prepare_options, split, as_json):
    """Accuracy of MODEL on a split of each of its languages, on whole clips and on their
    first 1, 2 and 5 seconds; the confusion matrix as a PNG beside the model."""
    from asrzoo.workflows.lid import evaluate_lid

    result = evaluate_lid(registry(), model, dataset, split, dataset_options, prepare_options)
    if as_json:
        print_json(result)
        return
    scores = result["metrics"]
    print_accuracy(f"{result['model']} on {result['dataset']}/{split}", scores)
    for seconds, cut in scores["by_seconds"].items():
        stdout.print(
            f"the first {seconds} s of the {cut['clips']} clips at least that long:"
            f" accuracy {cut['accuracy']:.4f}"
        )
    stdout.print(f"confusion matrix: {result['confusion_png']}")


@lid.command()
@click.argument("model")
@click.argument("files", nargs=-1, required=True)
@click.option("--top", default=3, show_default=True, type=click.IntRange(min=1))
@json_option
def identify(model, files, top, as_json):
    """The likeliest languages of each of FILES (any length) by MODEL, a language identifier
    (zoo id or folder)."""
    from asrzoo.workflows.lid import identify_files

    results = identify_files(model, list(files), top)
    if as_json:
        print_json(results)
        return
    for result in results:
        if "error" in result:
            stdout.print(f"[bold]{result['file']}[/]: [red]skipped: {result['error']}[/]")
            continue
        found = ", ".join(f"{g['language']} {g['probability']:.3f}" for g in result["languages"])
        stdout.print(f"[bold]{result['file']}[/]: {found}")


def add_commands(cli):
    cli.add_command(lid)
