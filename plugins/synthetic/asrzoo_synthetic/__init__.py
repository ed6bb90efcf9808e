"""asrzoo plugin: synthetic speech from espeak-ng for every language with a voice and sentences."""

from __future__ import annotations

import json
import os
from collections import defaultdict
from dataclasses import asdict
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from asrzoo import (
    AudioRow,
    DatasetLoader,
    UserError,
    current_registry,
    data_dir,
    hookimpl,
    read_text_lines,
    sentence_pairs,
)

if TYPE_CHECKING:  # the renderer (numpy, soundfile, espeak-ng) loads when a corpus is made
    from asrzoo_synthetic.corpus import CorpusOptions


def _options(options) -> CorpusOptions:
    from asrzoo_synthetic.corpus import CorpusOptions

    try:
        return CorpusOptions.parse({k: v for k, v in options.items() if k != "text_file"})
    except ValueError as error:
        raise UserError(str(error)) from error


def _sentences(language, options) -> tuple[tuple[str, str], ...]:
    """(written, spoken) pairs: the language plugin's sentences, or those of
    ``-O text_file=FILE`` (one per line, the spoken form after a tab where it differs)."""
    if options.get("text_file"):
        path = Path(str(options["text_file"]))
        if not path.is_file():
            raise UserError(f"text_file {path} does not exist")
        sentences = tuple(sentence_pairs(read_text_lines(path)))
    else:
        sentences = tuple(language.read_sentence_pairs())
    if not sentences:
        raise UserError(f"no sentences for {language.code}: give -O text_file=FILE")
    return sentences


def _manifest(language, options) -> Path:
    return _corpus(language, _options(options), _sentences(language, options))


@lru_cache(maxsize=8)
def _corpus(language, options: CorpusOptions, sentences: tuple[tuple[str, str], ...]) -> Path:
    """The corpus manifest, rendered on first use."""
    from asrzoo_synthetic.corpus import build_corpus

    return build_corpus(
        language.code, language.espeak_voice, list(sentences), options, data_dir() / "synthetic"
    )


def load_synthetic(language, options):
    manifest = _manifest(language, options)
    folder = str(manifest.parent)
    splits = defaultdict(list)
    with manifest.open(encoding="utf-8") as handle:
        for line in handle:
            clip = json.loads(line)
            audio = os.path.join(folder, clip["audio"])
            splits[clip["split"]].append(AudioRow(clip["id"], audio, clip["text"], clip["voice"]))
    return dict(splits)


def fingerprint_synthetic(language, options):
    # the corpus folder's name is a hash of everything that was rendered
    return _manifest(language, options).parent.name


def describe_synthetic(language, options):
    from asrzoo_synthetic.espeak import espeak

    return {
        "dataset": "synthetic-espeak-ng",
        "espeak_ng": espeak().version,
        "voice": language.espeak_voice,
        "options": asdict(_options(options)),
        "text_file": options.get("text_file"),
    }


@hookimpl
def register_dataset_loaders(register):
    register(
        DatasetLoader(
            name="synthetic",
            description=(
                "speech synthesized by espeak-ng from the language's sentences"
                " (or -O text_file=FILE); -O renders=N voices per sentence"
            ),
            supports=lambda language: bool(language.espeak_voice),
            load=load_synthetic,
            describe=describe_synthetic,
            fingerprint=fingerprint_synthetic,
        )
    )


@hookimpl
def register_commands(cli):
    import click

    @cli.command()
    @click.argument("language")
    @click.argument("text")
    @click.option(
        "-o",
        "--output",
        required=True,
        type=click.Path(dir_okay=False),
        help="The WAV file to write.",
    )
    @click.option("--variant", default="", help="An espeak-ng voice variant, e.g. +f2.")
    def say(language, text, output, variant):
        """Speak TEXT in LANGUAGE with espeak-ng into a WAV file (22,050 Hz)."""
        voice = current_registry().language(language).espeak_voice
        if not voice:
            raise UserError(f"language {language!r} declares no espeak voice")
        import soundfile

        from asrzoo_synthetic.corpus import trim_silence
        from asrzoo_synthetic.espeak import EspeakError, espeak

        if not str(output).lower().endswith(".wav"):
            raise UserError(f"-o {output}: say writes WAV files (name it .wav)")
        synth = espeak()
        try:
            samples = trim_silence(synth.synthesize(text, voice + variant, 160, 50))
        except EspeakError as error:
            raise UserError(str(error)) from error
        try:
            soundfile.write(output, samples, synth.sample_rate, subtype="PCM_16")
        except (OSError, RuntimeError) as error:  # libsndfile's: no such folder, no permission
            raise UserError(f"cannot write {output}: {str(error).splitlines()[0]}") from error
        click.echo(f"{output}: {len(samples) / synth.sample_rate:.2f} s")
