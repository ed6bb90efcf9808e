"""asrzoo pretrain: self-supervised pretraining on unlabelled audio."""

import click

from asrzoo.cli.common import (
    dataset_options,
    json_option,
    print_dropped,
    print_json,
    registry,
    stdout,
)
from asrzoo.cli.training_options import languages_option, training_options, training_settings


@click.command()
@languages_option
@dataset_options
@click.option(
    "--model",
    "model_spec",
    default="tiny",
    show_default=True,
    help="A preset's architecture from random init (tiny), or a checkpoint to pretrain further:"
    " a preset (xls-r-300m), a Hub id or a wav2vec2-family folder.",
)
@training_options
@json_option
def pretrain(languages, dataset, dataset_options, prepare_options, model_spec, force, as_json,
             **options):  # fmt: skip
    """Pretrain a wav2vec2-family encoder on the audio of LANGUAGES (transcripts are not read):
    masked frames are told apart from distractors by their quantized targets. The result is a
    zoo entry of kind "pretrained", a --model for `asrzoo train`."""
    from asrzoo import paths
    from asrzoo.workflows import new_model_id
    from asrzoo.workflows.lid import language_codes
    from asrzoo.workflows.pretrain import pretrain as run

    codes = language_codes(languages)
    name = "-".join(codes) if len(codes) <= 3 else f"{len(codes)}lang"
    settings = training_settings(
        options, paths.models_dir() / new_model_id(name, f"{model_spec}-pretrained")
    )
    record = run(registry(), codes, dataset, model_spec, settings, dataset_options,
                 prepare_options, force)  # fmt: skip
    if record is None:
        return
    if as_json:
        print_json(record)
        return
    training = record["training"]
    stdout.print(
        f"pretrained [bold]{record['id']}[/] on {', '.join(codes)}: {training['steps']} steps in"
        f" {training['seconds']:.0f} s, {training['audio_hours_seen']:.2f} audio hours seen;"
        f" contrastive loss {training['final_contrastive_loss']}, codevector perplexity"
        f" {training['final_codevector_perplexity']}"
    )
    print_dropped(training)
    if training["codebook_collapse"]:
        stdout.print(f"[yellow]codebook collapse[/]: {training['codebook_collapse']}")
    stdout.print(
        f"saved in {record['path']}; fine-tune it: asrzoo train LANG --model {record['id']}"
    )


def add_commands(cli):
    cli.add_command(pretrain)
