"""What the command modules share: the registry, output helpers, common options."""

from __future__ import annotations

import functools
import json

import click
from rich.console import Console

from asrzoo.data.options import PrepareOptions
from asrzoo.errors import UserError

stdout = Console()


def registry():
    from asrzoo.plugin.registry import current_registry

    return current_registry()


def print_json(document) -> None:
    click.echo(json.dumps(document, ensure_ascii=False, indent=2, default=str))


json_option = click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")


def print_dropped(training: dict) -> None:
    """One line when a run's data preparation dropped rows (which, and why: `data prepare`)."""
    if training.get("dropped_rows"):
        stdout.print(f"{training['dropped_rows']} rows dropped: see `asrzoo data prepare`")


def parse_key_values(pairs: tuple[str, ...]) -> dict:
    options = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise UserError(f"--dataset-option wants KEY=VALUE, got {pair!r}")
        options[key.strip()] = value.strip()
    return options


def _filter(name: str):
    return PrepareOptions.__dataclass_fields__[name].default


def dataset_options(function):
    """--dataset, --dataset-option and the row filters, shared by every command that reads data.

    The command receives ``dataset``, ``dataset_options`` (a dict) and ``prepare_options``."""

    @functools.wraps(function)
    def command(*args, dataset_option, min_seconds, max_seconds, unknown_chars, num_proc, **kw):
        kw["dataset_options"] = parse_key_values(dataset_option)
        kw["prepare_options"] = PrepareOptions(min_seconds, max_seconds, unknown_chars, num_proc)
        return function(*args, **kw)

    decorators = [
        click.option(
            "--dataset",
            required=True,
            help="A loader name (see `asrzoo languages`) or a local .csv/.tsv/.jsonl manifest.",
        ),
        click.option(
            "-O",
            "--dataset-option",
            "dataset_option",
            multiple=True,
            metavar="KEY=VALUE",
            help="An option for the loader (repeatable).",
        ),
        click.option(
            "--min-seconds", default=_filter("min_seconds"), show_default=True, type=float
        ),
        click.option(
            "--max-seconds", default=_filter("max_seconds"), show_default=True, type=float
        ),
        click.option(
            "--unknown-chars",
            type=click.Choice(["drop", "unk"]),
            default=_filter("unknown_chars"),
            show_default=True,
            help="Rows with characters outside the alphabet: drop them, or map to [UNK].",
        ),
        click.option(
            "--num-proc",
            type=click.IntRange(min=1),
            help="Processes that decode and check audio [default: one per CPU].",
        ),
    ]
    for decorator in reversed(decorators):
        command = decorator(command)
    return command
