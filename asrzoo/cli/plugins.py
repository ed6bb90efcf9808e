"""asrzoo plugins / languages / normalize."""

import click
from rich.table import Table

from asrzoo.cli.common import json_option, print_json, registry, stdout


@click.command()
@json_option
def plugins(as_json):
    """List plugins: name, version, hooks, and whether each loaded."""
    reg = registry()
    reg.collect_all()  # a plugin that raises inside a hook shows up as an error too
    infos = sorted(reg.pm.infos.values(), key=lambda i: i.name)
    if as_json:
        print_json(
            [
                {"name": i.name, "version": i.version, "hooks": i.hooks, "status": i.status}
                for i in infos
            ]
        )
        return
    table = Table("plugin", "version", "hooks", "status")
    for info in infos:
        status = "[green]ok[/]" if info.error is None else f"[red]{info.status}[/]"
        table.add_row(info.name, info.version or "built-in", "\n".join(info.hooks), status)
    stdout.print(table)


@click.command()
@json_option
def languages(as_json):
    """List languages with their normalizer, vocabulary and datasets."""
    reg = registry()
    rows = []
    for code, language in sorted(reg.languages.items()):
        normalizer = reg.normalizers.get(code)
        vocabulary = reg.vocabularies.get(code)
        rows.append(
            {
                "code": code,
                "name": language.name,
                "iso639_3": language.iso639_3,
                "script": language.script,
                "normalizer": normalizer and {"id": normalizer.id, "version": normalizer.version},
                "vocabulary_size": vocabulary and len(vocabulary.token_to_id()),
                "alphabet": vocabulary and "".join(vocabulary.alphabet),
                "datasets": sorted(n for n in reg.loaders(code) if n != "manifest"),
                "common_voice": language.common_voice,
                "fleurs": language.fleurs,
                "espeak_voice": language.espeak_voice,
            }
        )
    if as_json:
        print_json(rows)
        return
    table = Table("code", "name", "normalizer", "vocabulary", "datasets", "alphabet")
    for column in table.columns:
        column.overflow = "fold"  # an alphabet is read in full or not at all
    for row in rows:
        normalizer = row["normalizer"]
        table.add_row(
            row["code"],
            row["name"],
            f"{normalizer['id']} v{normalizer['version']}" if normalizer else "[red]none[/]",
            str(row["vocabulary_size"] or "[red]none[/]"),
            ", ".join(row["datasets"]),
            row["alphabet"] or "",
        )
    stdout.print(table)


@click.command()
@click.argument("language")
@click.argument("text")
def normalize(language, text):
    """Print TEXT as LANGUAGE's normalizer writes it."""
    click.echo(registry().normalizer(language)(text))


def add_commands(cli):
    for command in (plugins, languages, normalize):
        cli.add_command(command)
