"""asrzoo plugins / languages / normalize / install / uninstall / new-language."""

from collections import Counter
from pathlib import Path

import click
from rich.table import Table

from asrzoo.cli.common import json_option, print_json, registry, stdout
from asrzoo.data.manifests import read_text_lines
from asrzoo.errors import UserError
from asrzoo.plugin.objects import GENERIC
from asrzoo.plugin.registry import clash_message


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
    else:
        table = Table("plugin", "version", "hooks", "status")
        for info in infos:
            status = "[green]ok[/]" if info.error is None else f"[red]{info.status}[/]"
            table.add_row(info.name, info.version or "built-in", "\n".join(info.hooks), status)
        stdout.print(table)
    for (kind, key), names in reg.clashes.items():
        click.echo(f"Error: {clash_message(kind, key, names)}", err=True)
    if reg.problems():  # a failed plugin or a clash: a check in a script must see it
        raise click.exceptions.Exit(1)


@click.command()
@click.option("--curated", is_flag=True, help="Only languages of curated plugins.")
@click.option("--all", "show_all", is_flag=True, help="Every language, the generic ones too.")
@json_option
def languages(curated, show_all, as_json):
    """List languages with their plugin, normalizer, vocabulary and datasets: the curated ones
    and a summary of the rest (--all: every one; --json: every one, in full)."""
    reg = registry()
    everything = sorted(reg.languages.items())
    if as_json:
        wanted = [(c, lang) for c, lang in everything if lang.priority > GENERIC or not curated]
        print_json([_language_row(reg, code, language) for code, language in wanted])
        return
    shown = [(c, lang) for c, lang in everything if lang.priority > GENERIC or show_all]
    rows = [_language_row(reg, code, language) for code, language in shown]
    # loaders every shown language has (folders, manifests) are said once, under the table
    common = set.intersection(*(set(r["datasets"]) for r in rows)) if rows else set()
    table = Table("code", "name", "normalizer", "vocab", "its datasets", "alphabet")
    for column in table.columns:
        column.overflow = "fold"  # a short alphabet is read in full
    for row in rows:
        normalizer = row["normalizer"]
        table.add_row(
            row["code"],
            row["name"],
            f"{normalizer['id']} v{normalizer['version']}" if normalizer else "[red]none[/]",
            str(row["vocabulary_size"] or "[red]none[/]"),
            ", ".join(d for d in row["datasets"] if d not in common),
            _shown(row["alphabet"] or ""),
        )
    stdout.print(table)
    if common:
        stdout.print(f"every one also reads: {', '.join(sorted(common))}")
    rest = [lang for _, lang in everything if lang.priority <= GENERIC]
    if rest and not show_all and not curated:
        scripts = Counter(lang.script for lang in rest).most_common(4)
        by_script = ", ".join(f"{n} {script}" for script, n in scripts)
        stdout.print(
            f"and {len(rest)} more languages from the generic plugin (CLDR alphabets; {by_script},"
            " ...): `asrzoo languages --all` lists them, `asrzoo normalize CODE TEXT` tries one"
        )


def _language_row(reg, code: str, language) -> dict:
    normalizer = reg.normalizers.get(code)
    vocabulary = reg.vocabularies.get(code)
    return {
        "code": code,
        "name": language.name,
        "plugin": reg.owner("language", code),
        "curated": language.priority > GENERIC,
        "iso639_3": language.iso639_3,
        "script": language.script,
        "normalizer": normalizer and {"id": normalizer.id, "version": normalizer.version},
        "vocabulary_size": vocabulary and len(vocabulary.token_to_id()),
        "alphabet": vocabulary and "".join(vocabulary.alphabet),
        "datasets": sorted(n for n in reg.loaders(code) if n != "manifest"),
        "common_voice": language.common_voice,
        "fleurs": language.fleurs,
        "espeak_voice": language.espeak_voice,
        "spaces_between_words": language.spaces_between_words,
        "metric": language.primary_metric,
    }


def _shown(alphabet: str) -> str:
    """A character vocabulary (Chinese: thousands) is counted, not printed; --json has it."""
    return alphabet if len(alphabet) <= 48 else f"{alphabet[:12]}… ({len(alphabet):,} characters)"


@click.command()
@click.argument("language")
@click.argument("text")
def normalize(language, text):
    """Print TEXT as LANGUAGE's normalizer writes it."""
    click.echo(registry().normalizer(language)(text))


def add_commands(cli):
    for command in (plugins, languages, normalize, install, uninstall, new_language):
        cli.add_command(command)


@click.command()
@click.argument("name")
def install(name):
    """Install a plugin: a folder, a plugin of this repository (de, synthetic) or a package."""
    from asrzoo.plugin.install import install as install_plugin

    source, status = install_plugin(name)
    failed = "; ".join(f"{plugin}: {s}" for plugin, s in status.items() if s != "ok")
    if failed:
        raise UserError(f"{source.distribution} is installed, but its check failed: {failed}")
    stdout.print(f"installed {source.distribution}: plugin(s) {', '.join(status)} load")


@click.command()
@click.argument("name")
def uninstall(name):
    """Remove an installed plugin (by name, folder or package)."""
    from asrzoo.plugin.install import uninstall as uninstall_plugin

    stdout.print(f"uninstalled {uninstall_plugin(name)}")


@click.command("new-language")
@click.argument("code")
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to create [default: see below]",
)
@click.option("--name", help="English name [default: from CLDR]")
@click.option("--script", help="ISO 15924 script, e.g. Latn [default: from CLDR]")
@click.option("--alphabet", help="The letters, as one string [default: CLDR's exemplars]")
@click.option(
    "--sentences",
    "sentences_file",
    type=click.Path(dir_okay=False, exists=True),
    help="Sentences, one per line [default: CLDR word lists]",
)
@click.option("--espeak-voice", help="espeak-ng voice [default: the language's, if any]")
@click.option("--iso639-3", "iso639_3", help="ISO 639-3 code [default: from CLDR]")
def new_language(code, output, name, script, alphabet, sentences_file, espeak_voice, iso639_3):
    """Create a language plugin for CODE that passes the conformance suite as it is.

    What CLDR knows of CODE (through asrzoo-generic) fills in the alphabet, sentences and
    metadata; options override it. The folder is languages/CODE when ./languages exists, else
    asrzoo-CODE.
    """  # fmt: skip
    from dataclasses import replace

    from asrzoo.plugin.scaffold import LanguageDraft, draft_from_registry, write_plugin

    reg = registry()
    if code in reg.languages:
        draft = draft_from_registry(reg, code)
    else:
        given = {"--name": name, "--script": script, "--alphabet": alphabet,
                 "--sentences": sentences_file,
                 "--iso639-3": iso639_3 or len(code) == 3}  # fmt: skip
        missing = [option for option, value in given.items() if not value]
        if missing:
            raise UserError(f"asrzoo knows nothing of {code!r}: give {', '.join(missing)}")
        draft = LanguageDraft(code, name, iso639_3 or code, script, (), [], None)
    overrides = {"name": name, "script": script, "espeak_voice": espeak_voice, "iso639_3": iso639_3}
    draft = replace(draft, **{k: v for k, v in overrides.items() if v})
    if alphabet:
        draft = replace(draft, alphabet=tuple(dict.fromkeys(alphabet.replace(" ", ""))))
    if sentences_file:
        lines = read_text_lines(sentences_file)
        draft = replace(draft, sentences=[line.strip() for line in lines if line.strip()])
    folder = output or (
        Path("languages", code) if Path("languages").is_dir() else Path(f"asrzoo-{code}")
    )
    files = write_plugin(draft, folder)
    stdout.print(
        f"wrote {len(files)} files to {folder}; next: asrzoo install {folder} && pytest {folder}"
    )
