"""asrzoo zoo list / show / remove / compare."""

from pathlib import Path

import click
from rich.table import Table

from asrzoo.cli.common import dataset_options, json_option, print_json, registry, stdout
from asrzoo.errors import UserError
from asrzoo.models.recipes import DECODE_BATCH_SIZE


@click.group()
def zoo():
    """The models trained or pulled on this machine."""


@zoo.command("list")
@click.option("--language", help="Only models of this language.")
@click.option("--family", help="Only models of this family (`asrzoo presets` shows them).")
@click.option("--hub", is_flag=True, help="List the Hub's models tagged asrzoo instead.")
@json_option
def list_models(language, family, hub, as_json):
    """List the zoo's models with their latest scores (or the Hub's asrzoo models)."""
    from asrzoo.zoo.store import Zoo

    if hub:
        from asrzoo.zoo.hub import hub_models

        found = hub_models(language)
        if as_json:
            print_json(found)
            return
        table = Table("Hub id", "languages", "downloads", "likes", "modified")
        for m in found:
            row = (m["id"], " ".join(m["languages"]), str(m["downloads"]), str(m["likes"]))
            table.add_row(*row, m["last_modified"][:10])
        stdout.print(table if found else "no model on the Hub is tagged asrzoo")
        return
    models = Zoo().list(language, family)
    if as_json:
        print_json(models)
        return
    table = Table("id", "kind", "lang", "base", "params", "WER / CER (accuracy) on dataset/split")
    table.columns[0].no_wrap = True
    for model in models:
        scores = "\n".join(
            f"{score_text(e)}  {e['dataset']}/{e['split']}" for e in model["evaluations"]
        )
        table.add_row(
            model["id"],
            model["kind"],
            " ".join(model["languages"]),
            model["base_model"],
            f"{model['parameters'] / 1e6:.1f} M",
            scores or "-",
        )
    stdout.print(table if models else "the zoo is empty: train a model with `asrzoo train`")


def score_text(evaluation: dict, digits: int = 3) -> str:
    """WER / CER of a speech recognizer, the accuracy of a language identifier."""
    if evaluation["wer"] is None:
        return f"accuracy {evaluation['accuracy']:.{digits}f}"
    return f"{evaluation['wer']:.{digits}f} / {evaluation['cer']:.{digits}f}"


@zoo.command()
@click.argument("model_id")
@json_option
def show(model_id, as_json):
    """Everything the zoo knows about one model."""
    from asrzoo.zoo.store import Zoo

    model = Zoo().get(model_id)
    if as_json:
        print_json(model)
        return
    table = Table(show_header=False, title=model_id, box=None)
    table.add_row("kind", model["kind"])
    table.add_row("languages", " ".join(model["languages"]))
    for key in ("family", "base_model", "path", "normalizer_id", "normalizer_version"):
        if model[key]:
            table.add_row(key, str(model[key]))
    table.add_row("parameters", f"{model['parameters'] / 1e6:.2f} M")
    for key in ("dataset", "hyperparameters", "training"):
        table.add_row(key, ", ".join(f"{k}={v}" for k, v in model[key].items()))
    for e in model["evaluations"]:
        table.add_row(f"{e['dataset']}/{e['split']}", score_text(e, 4))
    table.add_row("created", model["created_at"])
    stdout.print(table)


@zoo.command()
@click.argument("model_id")
@click.option(
    "--delete-files",
    is_flag=True,
    help="Also delete what asrzoo wrote into the model's folder (the rest stays).",
)
def remove(model_id, delete_files):
    """Remove a model from the zoo (its folder stays unless --delete-files)."""
    from asrzoo import paths
    from asrzoo.zoo.store import Zoo

    zoo_ = Zoo()
    path = Path(zoo_.get(model_id)["path"])
    if delete_files and path.is_dir() and paths.owned_entries(path) is None:
        raise UserError(f"{path} was not created by asrzoo: not deleting it (no --delete-files)")
    zoo_.remove(model_id)
    left = paths.delete_owned(path) if delete_files and path.is_dir() else []
    stdout.print(f"removed {model_id}" + (f" and asrzoo's files in {path}" if delete_files else ""))
    if left:
        stdout.print(f"kept {len(left)} entries asrzoo did not write: {', '.join(left[:5])}")


@zoo.command()
@click.argument("models", nargs=-1, required=True)
@dataset_options
@click.option("--split", default="test", show_default=True)
@click.option(
    "--batch-size", default=DECODE_BATCH_SIZE, show_default=True, type=click.IntRange(min=1)
)
@click.option(
    "--html",
    "html_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write an HTML report with plots.",
)
@json_option
def compare(
    models, dataset, dataset_options, prepare_options, split, batch_size, html_path, as_json
):
    """Score MODELS on the same rows; WER differences with paired bootstrap intervals."""
    from asrzoo.zoo.compare import compare_models

    result = compare_models(
        registry(), list(models), dataset, split, dataset_options, prepare_options, batch_size
    )
    if html_path:
        from asrzoo.scoring.report import write_report

        write_report(result, html_path)
    if as_json:
        print_json(result)
        return
    table = Table(
        "model", "params", "WER", "95% interval", "CER", "subs", "dels", "ins", "RTF",
        title=f"{result['rows']} utterances of {dataset}/{split}, {result['normalizer']}",
    )  # fmt: skip
    for m in result["models"]:
        table.add_row(
            m["id"], f"{m['parameters'] / 1e6:.1f} M", f"{m['wer']:.4f}",
            f"{m['wer_ci95'][0]:.4f}–{m['wer_ci95'][1]:.4f}", f"{m['cer']:.4f}",
            str(m["substitutions"]), str(m["deletions"]), str(m["insertions"]),
            f"{m['real_time_factor']:.4f}",
        )  # fmt: skip
    stdout.print(table)
    pairs = Table("pair", "WER difference", "95% interval", "first better in", title="differences")
    for d in result["differences"]:
        pairs.add_row(
            f"{d['a']} − {d['b']}", f"{d['wer_difference']:+.4f}",
            f"{d['ci95'][0]:+.4f} to {d['ci95'][1]:+.4f}", f"{d['a_better_share']:.1%}",
        )  # fmt: skip
    stdout.print(pairs)
    if html_path:
        stdout.print(f"report: {html_path}")


@click.command()
@click.argument("model_id")
@click.option("--repo-id", required=True, help="USER/NAME on the Hub.")
@click.option("--private", is_flag=True, help="Create the repository private.")
@click.option("--license", "license_", default="apache-2.0", show_default=True)
@click.option("--dry-run", is_flag=True, help="Build the folder and card; upload nothing.")
@json_option
def push(model_id, repo_id, private, license_, dry_run, as_json):
    """Upload MODEL_ID (a zoo id or folder) to the Hub with a model card."""
    from asrzoo.zoo.hub import push as push_model

    result = push_model(model_id, repo_id, private, dry_run, license_)
    if as_json:
        print_json(result)
        return
    stdout.print(f"{len(result['files'])} files in {result['folder']}")
    if result["uploaded"]:
        stdout.print(f"uploaded to {repo_id}")
    else:
        stdout.print("dry run: nothing uploaded")


@click.command()
@click.argument("repo_id")
@click.option("--revision", help="A branch, tag or commit [default: main].")
@click.option("--language", help="For a model not published by asrzoo: its language.")
@json_option
def pull(repo_id, revision, language, as_json):
    """Download a Hub model (USER/NAME) into the zoo."""
    from asrzoo.zoo.hub import pull as pull_model

    result = pull_model(repo_id, revision, language, registry())
    if as_json:
        print_json(result)
        return
    stdout.print(f"{result['id']} ({result['language']}) is in the zoo: {result['path']}")


def add_commands(cli):
    cli.add_command(zoo)
    cli.add_command(push)
    cli.add_command(pull)
