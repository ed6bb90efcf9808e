"""asrzoo zoo list."""

import click
from rich.table import Table

from asrzoo.cli.common import json_option, print_json, stdout


@click.group()
def zoo():
    """The models trained or pulled on this machine."""


@zoo.command("list")
@click.option("--language", help="Only models of this language.")
@json_option
def list_models(language, as_json):
    """List the zoo's models with their latest scores."""
    from asrzoo.zoo import Zoo

    models = Zoo().list(language)
    if as_json:
        print_json(models)
        return
    table = Table("id", "lang", "base", "params", "WER / CER on dataset/split")
    table.columns[0].no_wrap = True
    for model in models:
        scores = "\n".join(
            f"{e['wer']:.3f} / {e['cer']:.3f}  {e['dataset']}/{e['split']}"
            for e in model["evaluations"]
        )
        table.add_row(
            model["id"],
            model["language"],
            model["base_model"],
            f"{model['parameters'] / 1e6:.1f} M",
            scores or "-",
        )
    stdout.print(table if models else "the zoo is empty: train a model with `asrzoo train`")


def add_commands(cli):
    cli.add_command(zoo)
