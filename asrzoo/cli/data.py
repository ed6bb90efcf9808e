"""asrzoo data prepare."""

import click
from rich.table import Table

from asrzoo.cli.common import (
    dataset_options,
    json_option,
    print_json,
    registry,
    stdout,
)

SHOWN_DROPS = 20


@click.group()
def data():
    """Prepare and inspect datasets."""


@data.command()
@click.argument("language")
@dataset_options
@click.option(
    "--model",
    default="tiny",
    show_default=True,
    help="Featurize for this model's feature extractor and frame rate.",
)
@json_option
def prepare(language, dataset, dataset_options, prepare_options, model, as_json):
    """Decode, check, normalize and featurize a dataset; report every dropped row."""
    from asrzoo.model_builder import build_model
    from asrzoo.prepare import prepare as run_prepare

    reg = registry()
    built = build_model(model, reg.vocabulary(language), reg)
    result = run_prepare(
        reg,
        language,
        dataset,
        built,
        prepare_options,
        dataset_options,
    )
    summary = result.summary()
    if as_json:
        print_json(summary)
        return
    table = Table("split", "rows kept", "hours", title=f"{language} / {dataset}")
    for split, kept in summary["kept"].items():
        table.add_row(split, str(kept), f"{summary['hours'][split]:.3f}")
    stdout.print(table)
    print_drops(result)
    stdout.print(f"prepared in {result.folder}" + (" (from cache)" if result.from_cache else ""))


def print_drops(result) -> None:
    if not result.dropped:
        stdout.print("no row dropped")
        return
    reasons = Table("reason", "rows dropped", title="dropped rows")
    for reason, count in result.reasons().most_common():
        reasons.add_row(reason, str(count))
    stdout.print(reasons)
    rows = Table("split", "row", "reason", "detail")
    for drop in result.dropped[:SHOWN_DROPS]:
        rows.add_row(drop.split, drop.row, drop.reason, drop.detail)
    stdout.print(rows)
    more = len(result.dropped) - SHOWN_DROPS
    tail = f" ({more} more)" if more > 0 else ""
    stdout.print(f"every dropped row{tail}: {result.folder / 'dropped.tsv'}")


def add_commands(cli):
    cli.add_command(data)
