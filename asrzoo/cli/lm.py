"""asrzoo lm build / tune: n-gram language models for beam-search decoding."""

import math
from pathlib import Path

import click

from asrzoo.cli.common import dataset_options, json_option, print_json, registry, stdout


def numbers(context, parameter, value: str | None) -> tuple[float, ...] | None:
    if value is None:
        return None
    try:
        found = tuple(float(v) for v in value.split(","))
    except ValueError as error:
        raise click.BadParameter(f"want numbers separated by commas: {error}") from error
    if not all(0 <= v < math.inf for v in found):  # NaN compares false too
        raise click.BadParameter(f"want finite numbers of at least 0, not {value}")
    return found


@click.group()
def lm():
    """Build and tune n-gram language models (KenLM) for CTC beam search."""


@lm.command()
@click.argument("language")
@click.option(
    "--text",
    "texts",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="UTF-8 text, a sentence per line (repeatable) [default: the language plugin's"
    " sentences, less those of the synthetic corpus's validation and test splits].",
)
@click.option("--order", default=5, show_default=True, help="n of the n-grams.")
@click.option(
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    help="The LM folder [default: $ASRZOO_HOME/lm/LANGUAGE-ORDERgram].",
)
@json_option
def build(language, texts, order, output, as_json):
    """Build an n-gram LM from text normalized with LANGUAGE's normalizer."""
    from asrzoo.decoding.lm import build_lm

    meta = build_lm(registry(), language, list(texts), order, output)
    if as_json:
        print_json(meta)
        return
    stdout.print(
        f"{meta['order']}-gram LM of {meta['sentences']} sentences, {meta['words']} words"
        f" ({meta['unigrams']} distinct) in {meta['folder']}"
    )
    for reason, count in meta["left_out"].items():
        stdout.print(f"left out: {count} sentences {reason}")


@lm.command()
@click.argument("model")
@click.option(
    "--lm",
    "lm_dir",
    required=True,
    type=click.Path(exists=True, file_okay=False),
    help="LM folder.",
)
@dataset_options
@click.option("--split", default="validation", show_default=True)
@click.option("--beam-width", default=64, show_default=True, type=click.IntRange(min=1))
@click.option("--alphas", callback=numbers, help="LM weights to try, e.g. 0,0.5,1.")
@click.option("--betas", callback=numbers, help="Word bonuses to try, e.g. 0,1,2.")
@json_option
def tune(
    model, lm_dir, dataset, dataset_options, prepare_options, split, beam_width, alphas, betas,
    as_json,
):  # fmt: skip
    """Search the LM weight (alpha) and word bonus (beta) on a validation split, and save MODEL
    with its LM as a Wav2Vec2ProcessorWithLM (pipeline() then decodes with it)."""
    from asrzoo.workflows import ALPHAS, BETAS, tune_lm

    result = tune_lm(
        registry(), model, lm_dir, dataset, split, dataset_options, prepare_options, beam_width,
        alphas=alphas or ALPHAS, betas=betas or BETAS,
    )  # fmt: skip
    if as_json:
        print_json(result)
        return
    tuned = result["tuned_on"]
    stdout.print(
        f"{result['model']} on {tuned['dataset']}/{tuned['split']}: greedy WER"
        f" {tuned['greedy_wer']:.4f}, with the LM {tuned['lm_wer']:.4f}"
        f" (alpha {result['alpha']}, beta {result['beta']}, beam {result['beam_width']})"
    )


def add_commands(cli):
    cli.add_command(lm)
