"""asrzoo data prepare / inspect."""

import click
from rich.columns import Columns
from rich.table import Table

from asrzoo.cli.common import dataset_options, json_option, print_json, registry, stdout

SHOWN_DROPS = 20
BAR_WIDTH = 40

model_option = click.option(
    "--model",
    help="Also drop the rows this model (a preset, folder or Hub id) has too few CTC frames for;"
    " training and scoring do that themselves.",
)


@click.group()
def data():
    """Prepare and inspect datasets."""


def run_prepare(language, dataset, dataset_options, prepare_options, model):
    from asrzoo.data.prepare import for_model, prepare

    reg = registry()
    data = prepare(reg, language, dataset, prepare_options, dataset_options)
    if not model:
        return data
    from asrzoo.models.build import build_model

    return for_model(data, build_model(model, reg.vocabulary(language), reg))


@data.command()
@click.argument("language")
@dataset_options
@model_option
@json_option
def prepare(language, dataset, dataset_options, prepare_options, model, as_json):
    """Decode, check, normalize and label a dataset; report every dropped row."""
    result = run_prepare(language, dataset, dataset_options, prepare_options, model)
    summary = result.summary()
    if as_json:
        print_json(summary)
        return
    table = Table("split", "rows kept", "hours", title=f"{language} / {dataset}")
    for split, kept in summary["kept"].items():
        table.add_row(split, str(kept), f"{summary['hours'][split]:.3f}")
    stdout.print(table)
    if result.converted:
        stdout.print(", ".join(f"{what}: {n} rows" for what, n in result.converted.items()))
    print_drops(result)
    stdout.print(f"prepared in {result.folder}" + (" (from cache)" if result.from_cache else ""))


@data.command()
@click.argument("language")
@dataset_options
@model_option
@click.option(
    "--rare-below",
    default=10,
    show_default=True,
    help="Flag characters seen fewer times than this.",
)
@json_option
def inspect(language, dataset, dataset_options, prepare_options, model, rare_below, as_json):
    """Hours, speakers, durations and characters of a dataset (prepared first if need be)."""
    from asrzoo.data.inspection import inspect_data

    report = inspect_data(
        run_prepare(language, dataset, dataset_options, prepare_options, model), rare_below
    )
    if as_json:
        print_json(report)
        return
    splits = Table("split", "rows", "hours", "speakers", "median s", "max s", title=dataset)
    for name, s in report["splits"].items():
        splits.add_row(
            name,
            str(s["rows"]),
            f"{s['hours']:.3f}",
            str(s["speakers"]),
            f"{s['median_seconds']:.1f}",
            f"{s['max_seconds']:.1f}",
        )
    stdout.print(splits)
    histogram = Table("seconds", "rows", "", title="durations", box=None)
    peak = max((b["rows"] for b in report["duration_histogram"]), default=0) or 1
    for b in report["duration_histogram"]:
        bar = "█" * round(BAR_WIDTH * b["rows"] / peak)
        histogram.add_row(f"{b['from']}–{b['to']}", str(b["rows"]), f"[cyan]{bar}[/]")
    stdout.print(histogram)
    stdout.print(f"characters of the kept transcripts ([yellow]rare: under {rare_below}[/]):")
    cells = [
        f"[yellow]{c['char']} {c['count']}[/]" if c["rare"] else f"{c['char']} {c['count']}"
        for c in report["characters"]
    ]
    stdout.print(Columns(cells, padding=(0, 2)))
    if report["outside_alphabet"]:
        seen = ", ".join(f"{c['char']!r} in {c['rows']} rows" for c in report["outside_alphabet"])
        stdout.print(
            f"outside the alphabet: {seen}. These rows are dropped; --unknown-chars unk keeps"
            " them with the characters mapped to [UNK]."
        )


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
